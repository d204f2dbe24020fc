"""Training the project's model: spaCy NER, entity scores and a relation classifier.

The NER is spaCy's default CPU efficiency pipeline (``tok2vec`` + ``ner``,
its optimizer, batcher and dropout; the optimizer also keeps a moving average
of the weights, and the averaged model is the one scored and saved), trained
with ``nlp.update`` so that a
training can report progress, be cancelled between batches, and continue from
an earlier model (or an installed pipeline) instead of starting from nothing.
The saved folder loads with ``spacy.load`` and adds the
``annotator_ner_scores_v1`` and ``annotator_relations_v1`` components.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import spacy
from spacy.cli.init_config import init_config
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import load_model_from_config, registry

from ..core import folder_swap
from ..core.errors import PipelineError, TrainingCancelled
from ..core.model import AnnotationSet, Document
from ..core.scheme import RelationType
from . import confidence, relations
from .docbin import set_to_doc

Items = Sequence[tuple[Document, AnnotationSet]]
# progress(fraction done in [0, 1], message)
Report = Callable[[float, str], None]
TRAINED = ("tok2vec", "ner")
RELATION_EPOCHS = 8
# the hashes of the documents a model was trained on, in its meta.json
SEEN_KEY = "annotator_documents"
REHEARSAL = 4
MIN_REHEARSAL = 100
# fewer held-out documents than this choose the number of epochs by chance (on
# CoNLL04, 5 held out of 25 stopped a training at 0 entity F1): below it a
# training from nothing runs its ``max_epochs`` and holds nothing out
MIN_HELD_OUT = 40


@dataclass
class TrainingRun:
    """What a training did: epochs and steps of the final NER training, the
    held-out or dev F1 per epoch of model selection, and the time taken."""

    epochs: int = 0
    steps: int = 0
    documents: int = 0
    selection: list[float] = field(default_factory=list)
    continued_from: str | None = None
    seconds: float = 0.0


class _Steps:
    """Progress over a known number of epochs, and the cancel check."""

    def __init__(self, report: Report | None, cancelled: Callable[[], bool] | None, total_epochs: int) -> None:
        self.report = report
        self.cancelled = cancelled
        self.total = max(1, total_epochs)
        self.done = 0
        self.message = "starting"

    def check(self) -> None:
        """Before each batch: stop when cancelled; report how far it got (a
        report callback may itself stop the training by raising)."""
        if self.cancelled is not None and self.cancelled():
            raise TrainingCancelled("training cancelled; the previous model stays in use")
        if self.report is not None:
            self.report(min(1.0, self.done / self.total), self.message)

    def epoch(self, message: str) -> None:
        self.done += 1
        self.message = message
        if self.report is not None:
            self.report(min(1.0, self.done / self.total), message)


def new_pipeline(lang: str) -> Language:
    """spaCy's default CPU efficiency NER pipeline, untrained."""
    config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency", gpu=False)
    return load_model_from_config(config, auto_fill=True, validate=True)


def base_pipeline(base: str) -> Language:
    """A trained pipeline to continue from: a model folder or an installed package."""
    try:
        nlp = spacy.load(base)
    except OSError:
        raise PipelineError(f"cannot continue from {base!r}: no such model folder or installed spaCy pipeline") from None
    if "ner" not in nlp.pipe_names:
        raise PipelineError(f"cannot continue from {base!r}: it has no 'ner' component to fine-tune")
    for name in (confidence.FACTORY, relations.FACTORY):
        for pipe in [p for p in nlp.pipe_names if nlp.get_pipe_meta(p).factory == name]:
            nlp.remove_pipe(pipe)
    return nlp


def examples(nlp: Language, items: Iterable[tuple[Document, AnnotationSet]]) -> list[Example]:
    """One training example per set: our tokens, the set's non-overlapping spans as entities."""
    out = []
    for document, aset in items:
        reference, _lost_spans, _lost_rels = set_to_doc(nlp.vocab, document, aset)
        predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
        out.append(Example(predicted, reference))
    return out


def _batches(nlp: Language, data: list[Example]):
    batcher = registry.resolve({"batcher": nlp.config["training"]["batcher"]})["batcher"]
    return batcher(data)


def _fit(nlp: Language, train: list[Example], *, optimizer, epochs: int, seed: int, steps: _Steps,
         dev: list[Example] | None = None, patience: int = 0, phase: str = "training") -> tuple[int, int, list[float], bytes | None]:
    """Train for up to ``epochs``; with ``dev``, stop after ``patience`` epochs
    without improvement. Returns (epochs run, steps, dev F1 per epoch, best
    weights when ``dev`` is given). The optimizer keeps a moving average of
    every weight, and the averaged weights are the ones scored and left in
    ``nlp``: they vary far less from epoch to epoch than the last ones do."""
    rng = random.Random(seed)
    exclude = [name for name in nlp.pipe_names if name not in TRAINED]
    dropout = float(nlp.config["training"].get("dropout", 0.1))
    if optimizer.averages is None:
        optimizer.averages = {}
    averages = optimizer.averages  # filled as it trains
    history: list[float] = []
    best: bytes | None = None
    n_steps = 0
    run = 0
    for epoch in range(1, epochs + 1):
        run = epoch
        order = list(train)
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in _batches(nlp, order):
            steps.check()
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses, exclude=exclude)
            n_steps += 1
        message = f"{phase}: epoch {epoch}, loss {losses.get('ner', 0.0):.1f}"
        if dev:
            with nlp.use_params(averages):
                score = float(nlp.evaluate(dev).get("ents_f") or 0.0)
                if not history or score > max(history):
                    best = nlp.to_bytes()
            history.append(score)
            message += f", entity F1 {100 * score:.1f}"
            steps.epoch(message)
            # epochs before the first one that finds anything are warm-up, not a plateau
            if patience and max(history) > 0 and len(history) - 1 - history.index(max(history)) >= patience:
                break
        else:
            steps.epoch(message)
    if averages:
        with nlp.use_params(averages):
            weights = nlp.to_bytes()
        nlp.from_bytes(weights)
    return run, n_steps, history, best


def train_ner(
    items: Items,
    *,
    lang: str,
    labels: Sequence[str],
    base: str | None = None,
    dev_items: Items = (),
    holdout: float = 0.2,
    max_epochs: int = 30,
    patience: int = 3,
    continue_epochs: int = 3,
    seed: int = 0,
    learnt: Iterable[str] = (),
    report: Report | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Language, TrainingRun]:
    """Train the NER on every set of ``items``; return the pipeline and what was done.

    Model selection: with ``dev_items``, the epoch that scores best on them is
    kept. Otherwise, training from nothing first holds out ``holdout`` of the
    documents to find the best number of epochs, then trains again on all of
    them for that many (the final model sees every finished document); when
    that part would be under :data:`MIN_HELD_OUT` documents it runs
    ``max_epochs`` instead.
    Continuing from ``base`` runs ``continue_epochs`` epochs over ``items``
    (pick them with :func:`rehearsal`). The model's meta records the hashes
    of the documents of ``items`` and ``learnt`` as seen.
    Raises ``TrainingCancelled`` when ``cancelled()`` turns true.
    """
    started = time.perf_counter()
    run = TrainingRun(documents=len({d.id for d, _ in items}), continued_from=base)
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = base_pipeline(base) if base else new_pipeline(lang)
    ner = nlp.get_pipe("ner")
    for label in labels:
        ner.add_label(label)
    data = examples(nlp, items)
    dev = examples(nlp, dev_items) if dev_items else None
    seen = set(nlp.meta.get(SEEN_KEY, ())) if base else set()
    nlp.meta[SEEN_KEY] = sorted(seen | {d.hash for d, _ in items} | set(learnt))
    if base:
        optimizer = nlp.resume_training()
        steps = _Steps(report, cancelled, continue_epochs)
        run.epochs, run.steps, run.selection, _ = _fit(nlp, data, optimizer=optimizer, epochs=continue_epochs, seed=seed, steps=steps)
    elif dev:
        optimizer = nlp.initialize(lambda: data)
        steps = _Steps(report, cancelled, max_epochs)
        run.epochs, run.steps, run.selection, best = _fit(
            nlp, data, optimizer=optimizer, epochs=max_epochs, seed=seed, steps=steps, dev=dev, patience=patience
        )
        if best is not None:
            nlp.from_bytes(best)
            run.epochs = 1 + run.selection.index(max(run.selection))
    else:
        run.epochs = max_epochs
        doc_ids = sorted({d.id for d, _ in items})
        n_held = round(holdout * len(doc_ids))
        held = set(random.Random(seed).sample(doc_ids, n_held)) if n_held >= MIN_HELD_OUT else set()
        steps = _Steps(report, cancelled, 2 * max_epochs)
        if held and len(held) < len(doc_ids):
            probe = new_pipeline(lang)
            for label in labels:
                probe.get_pipe("ner").add_label(label)
            part = examples(probe, [(d, s) for d, s in items if d.id not in held])
            check = examples(probe, [(d, s) for d, s in items if d.id in held])
            _, _, run.selection, _ = _fit(
                probe, part, optimizer=probe.initialize(lambda: part), epochs=max_epochs, seed=seed,
                steps=steps, dev=check, patience=patience, phase="choosing the number of epochs",
            )
            run.epochs = 1 + run.selection.index(max(run.selection))
        steps.total = steps.done + run.epochs
        optimizer = nlp.initialize(lambda: data)
        run.epochs, run.steps, _, _ = _fit(nlp, data, optimizer=optimizer, epochs=run.epochs, seed=seed, steps=steps)
    run.seconds = time.perf_counter() - started
    return nlp, run


def seen_documents(model: str | Path) -> set[str]:
    """The hashes of the documents a model folder was trained on (empty for
    an installed pipeline or a model this tool did not train)."""
    meta = Path(model) / "meta.json"
    if not meta.is_file():
        return set()
    return set(json.loads(meta.read_text(encoding="utf-8")).get(SEEN_KEY, ()))


def rehearsal(items: Items, seen: set[str], seed: int) -> list[tuple[Document, AnnotationSet]]:
    """What continued training learns from: every set whose document the base
    model has not seen, and a sample of the ones it has (:data:`REHEARSAL`
    times as many, at least :data:`MIN_REHEARSAL`), so the cost of a retrain
    follows the new documents, not the size of the project."""
    new = [item for item in items if item[0].hash not in seen]
    old = [item for item in items if item[0].hash in seen]
    keep = min(len(old), max(REHEARSAL * len(new), MIN_REHEARSAL))
    return new + random.Random(seed).sample(old, keep)


def train_relations(
    items: Items,
    relation_types: Sequence[RelationType],
    *,
    base: relations.RelationModel | None = None,
    epochs: int = RELATION_EPOCHS,
    seed: int = 0,
    cancelled: Callable[[], bool] | None = None,
) -> relations.RelationModel | None:
    """The relation classifier trained on the relations of ``items`` (continuing
    ``base`` when it has the same relation types); None without relation types."""
    if not relation_types:
        return None
    model = base if base is not None and base.compatible(relation_types) else relations.RelationModel(relation_types)
    data = relations.training_examples(model, items)
    model.train(data, epochs=epochs, seed=seed, cancelled=cancelled or (lambda: False))
    if cancelled is not None and cancelled():
        raise TrainingCancelled("training cancelled; the previous model stays in use")
    return model


def relation_model(path: str | Path) -> relations.RelationModel | None:
    """The relation classifier saved in a model folder, if it has one."""
    folder = Path(path)
    for sub in folder.glob("*"):
        if (sub / "types.json").is_file() and (sub / "weights.npz").is_file():
            return relations.RelationModel.from_disk(sub)
    return None


def save_model(nlp: Language, relation: relations.RelationModel | None, output: Path) -> Path:
    """Add the score and relation components and write the pipeline to
    ``output``, replacing an earlier model only once the new one is complete."""
    if confidence.FACTORY not in [nlp.get_pipe_meta(p).factory for p in nlp.pipe_names]:
        nlp.add_pipe(confidence.FACTORY, name="ner_scores", after="ner")
    component = nlp.add_pipe(relations.FACTORY, name="relations", last=True)
    component.model = relation
    fresh = folder_swap.prepare(Path(output))
    nlp.to_disk(fresh)
    return folder_swap.swap_in(Path(output))
