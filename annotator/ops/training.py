"""Training a model on a project's own labels."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import TrainingDataError
from ..store.project import Project
from .exporting import export


def train_model(
    project: Project,
    output: str | Path,
    *,
    owner: str | None = "",
    dev: float = 0.2,
    seed: int = 0,
    max_epochs: int | None = None,
    max_steps: int | None = None,
    verbose: bool = False,
) -> Path:
    """Export finished sets (gold when present) as DocBin train/dev files under
    ``output/corpus`` and train spaCy's NER on them. Returns the model folder,
    usable as ``--preannotate`` for later imports."""
    from ..nlp.train import train_pipeline

    output = Path(output)
    reports = export(project, output / "corpus", format="spacy", owner=owner, status="done", split=dev, seed=seed)
    if reports["train"].documents == 0 or reports["dev"].documents == 0:
        raise TrainingDataError(
            f"not enough finished documents to train: {reports['train'].documents} for training and "
            f"{reports['dev'].documents} for evaluation; mark more documents done"
        )
    return train_pipeline(
        output / "corpus" / "train.spacy", output / "corpus" / "dev.spacy", output,
        lang=project.language, max_epochs=max_epochs, max_steps=max_steps, seed=seed, verbose=verbose,
    )
