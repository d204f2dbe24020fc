"""The bundled sample project: a few news articles, pre-annotated with rules."""
from __future__ import annotations

from pathlib import Path

from ..core.scheme import RESOURCES_DIR
from ..ops.importing import import_files
from ..store.project import Project
from .settings import data_dir

SAMPLE_DIR = RESOURCES_DIR / "sample"
SAMPLE_NAME = "sample.annotator"


def sample_project(folder: Path | None = None, *, preannotate: str = "rules") -> Path:
    """The sample project's path, created on first use in ``folder`` (default:
    the user data folder) from ``resources/sample/*.txt``.

    A half-made file (the import failed) is removed, so the next call retries.
    """
    folder = folder or data_dir()
    path = folder / SAMPLE_NAME
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with Project.create(path) as project:
            import_files(project, [SAMPLE_DIR], format="txt", preannotate=preannotate)
    except BaseException:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return path
