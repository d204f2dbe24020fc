"""spaCy's own trainer (`spacy train`) on DocBin files: the baseline the benchmarks compare with.

The config comes from spaCy's ``init config`` template (CPU, efficiency), so a
trained folder loads with ``spacy.load`` and works as a pre-annotator
(``annotator import --preannotate OUTPUT/model-best``).
"""
from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from spacy.cli.init_config import init_config
from spacy.cli.train import train

from ..core.errors import PipelineError


def train_pipeline(
    train_path: Path,
    dev_path: Path,
    output: Path,
    *,
    lang: str = "en",
    components: tuple[str, ...] = ("ner",),
    max_epochs: int | None = None,
    max_steps: int | None = None,
    seed: int = 0,
    verbose: bool = False,
) -> Path:
    """Train and return the folder of the best model (``output/model-best``).

    ``max_epochs``/``max_steps`` cap training (tests use a few steps).
    Raises ``PipelineError`` when spaCy rejects the data or the config.
    """
    output.mkdir(parents=True, exist_ok=True)
    config = init_config(lang=lang, pipeline=list(components), optimize="efficiency", gpu=False)
    config_path = output / "config.cfg"
    config.to_disk(config_path)
    overrides: dict[str, Any] = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": seed,
    }
    if max_epochs is not None:
        overrides["training.max_epochs"] = max_epochs
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
        overrides["training.eval_frequency"] = max(1, min(200, max_steps // 2))
    log = io.StringIO()
    redirect = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(log)
    try:
        with redirect:
            train(config_path, output, overrides=overrides)
    except SystemExit as exc:  # spaCy's printer exits on validation errors
        raise PipelineError(f"spaCy training failed (exit {exc.code}): {log.getvalue()[-1500:]}") from None
    best = output / "model-best"
    if not best.is_dir():
        raise PipelineError(f"spaCy training wrote no model to {best}")
    return best
