"""Training and evaluating the project's own model on its finished sets."""
from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Callable

from ..core import folder_swap
from ..core.errors import TrainingDataError
from ..core.evaluation import Evaluation, evaluate
from ..core.model import AnnotationSet, Document
from ..store.project import Project
from .exporting import default_owner, select

Report = Callable[[float, str], None]


def model_dir(project_path: str | Path) -> Path:
    """Where the labeling window keeps a project's model: ``<project>-model``
    beside the project file (its suggestions are the ``model:<project>-model`` set)."""
    path = Path(project_path)
    return path.with_name(f"{path.stem}-model")


def base_problem(name: str) -> str | None:
    """Why ``name`` cannot be a pipeline to start training from, or None when
    it can: an installed package (as spaCy tells one, by its distribution) or
    a spaCy model folder (with its ``config.cfg``). Imports nothing, neither
    spaCy nor the named package, so the window can ask."""
    if not name:
        return None
    folder = Path(name)
    if folder.is_dir():
        return None if (folder / "config.cfg").is_file() else f"{name} is a folder but not a spaCy model (it has no config.cfg)"
    try:
        importlib.metadata.distribution(name)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return f"no installed spaCy pipeline or model folder is called {name!r}"
    return None


def finished_items(project: Project, owner: str | None = "") -> list[tuple[Document, AnnotationSet]]:
    """The finished (done or reviewed) sets to learn from: ``owner``'s, where
    ``""`` means gold when the project has it, else every annotator's."""
    return list(select(project, owner=default_owner(project) if owner == "" else owner, status="done"))


def train_model(
    project: Project,
    output: str | Path,
    *,
    owner: str | None = "",
    base: str | Path | None = None,
    dev: float | str | Path = 0.2,
    seed: int = 0,
    max_epochs: int = 30,
    continue_epochs: int = 3,
    report: Report | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Train the NER and the relation classifier on every finished set and
    save them as one spaCy pipeline in ``output``; returns ``output``.

    Args:
        base: a model folder or installed spaCy pipeline to continue training
            from (fine-tuning) instead of starting from nothing, on the
            documents it has not seen and a sample of those it has.
        dev: the fraction of documents held out to choose the number of
            epochs (the final model then learns from all of them), or a
            project file whose finished sets choose the best epoch.

    The previous model in ``output`` stays until the new one is complete.
    Raises ``TrainingDataError`` without finished sets, ``TrainingCancelled``
    when ``cancelled()`` turns true.
    """
    from ..nlp.train import rehearsal, relation_model, save_model, seen_documents, train_ner, train_relations

    for folder in (output, base):
        if folder is not None:
            folder_swap.settle(Path(folder))
    items = finished_items(project, owner)
    if not items:
        raise TrainingDataError(f"{project.path} has no finished documents to train on; mark some documents done")
    dev_items: list = []
    holdout = 0.0
    if isinstance(dev, (int, float)):
        holdout = float(dev)
    else:
        with Project.open(dev) as dev_project:
            dev_items = finished_items(dev_project)
        if not dev_items:
            raise TrainingDataError(f"{dev} has no finished documents to evaluate on")
    labels = sorted({s.label for _, aset in items for s in aset.spans.values()})
    chosen = rehearsal(items, seen_documents(base), seed) if base else items
    nlp, _run = train_ner(
        chosen, lang=project.language, labels=labels, learnt=[d.hash for d, _ in items],
        base=str(base) if base else None, dev_items=dev_items,
        holdout=holdout, max_epochs=max_epochs, continue_epochs=continue_epochs, seed=seed, report=report,
        cancelled=cancelled,
    )
    previous = relation_model(base) if base and Path(base).is_dir() else None
    relations = train_relations(chosen, project.scheme.relations, base=previous, seed=seed, cancelled=cancelled)
    return save_model(nlp, relations, Path(output))


def evaluate_model(project: Project, model: str | Path, *, owner: str | None = "") -> Evaluation:
    """Precision, recall and F1 per span label and relation type of ``model``
    against ``owner``'s finished sets (``""``: gold when present, else every
    annotator's); the model runs on the stored tokens."""
    from ..nlp.pipeline import analyze_documents, load_pipeline

    items = finished_items(project, owner)
    if not items:
        raise TrainingDataError(f"{project.path} has no finished sets of {owner or 'any annotator'} to evaluate against")
    nlp = load_pipeline(str(model), language=project.language)
    documents = [d for d, _ in items]
    pairs = []
    for (document, reference), analysis in zip(items, analyze_documents(nlp, documents, origin="model")):
        predicted = AnnotationSet.build(document.id, "model", analysis.spans, analysis.relations)
        pairs.append((reference, predicted))
    symmetric = [r.name for r in project.scheme.relations if r.symmetric]
    return evaluate(pairs, symmetric=symmetric)

