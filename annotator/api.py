"""The Python API: the functions the command line calls, for notebooks and scripts.

    >>> from annotator import api
    >>> project = api.init_project("news.annotator")
    >>> api.import_files(project, ["articles/"])          # pre-annotated with rules
    >>> api.export(project, "train.spacy", format="spacy")
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .core.scheme import Scheme
from .ops.agreement import agreement
from .ops.exporting import export
from .ops.importing import ImportReport, import_files
from .ops.merging import MergeReport, merge_into_new, merge_projects
from .ops.review import documents_by_disagreement, mark_reviewed, prepare_gold
from .ops.suggesting import SuggestReport, suggest
from .ops.training import evaluate_model, model_dir, train_model
from .store.project import Project

__all__ = [
    "init_project", "open_project", "import_files", "export", "stats", "train_model", "merge_projects", "merge_into_new",
    "agreement", "prepare_gold", "documents_by_disagreement", "mark_reviewed",
    "evaluate_model", "suggest", "model_dir", "uncertain_first", "SuggestReport",
    "MergeReport", "ImportReport", "Project", "Scheme",
]


def init_project(path: str | Path, *, scheme: str | Path | Scheme | None = None, language: str = "en") -> Project:
    """Create a project file with a scheme (a path, a Scheme, or the default news scheme).

    ``language`` is the spaCy language of the tokenizer; ``PipelineError``
    (nothing created) when it is unknown or needs a package not installed.
    """
    from .nlp.pipeline import blank_pipeline

    blank_pipeline(language)
    if scheme is not None and not isinstance(scheme, Scheme):
        scheme = Scheme.load(scheme)
    return Project.create(path, scheme=scheme, language=language)


def open_project(path: str | Path) -> Project:
    """Open an existing project file (migrating an older one)."""
    return Project.open(path)


def stats(project: Project) -> dict[str, Any]:
    """Documents, sets by owner and status, spans and relations per label.

    Checks the file first: raises ``DamagedProjectError`` when pages are damaged.
    """
    project.check()
    return project.stats()


def uncertain_first(project: Project, model: str | Path, *, limit: int = -1) -> list[int]:
    """Document ids, those whose ``model`` suggestions are least confident
    first (see ``annotator suggest``); documents without them come last."""
    from .ops.importing import model_name
    from .store.model_sets import uncertain_document_ids

    return uncertain_document_ids(project, "model:" + model_name(str(model)), limit=limit)
