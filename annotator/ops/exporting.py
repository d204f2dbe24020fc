"""Exporting annotation sets as training data or interchange files."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator

from ..core.errors import ExportError
from ..core.model import GOLD, AnnotationSet, Document, is_suggestion_owner
from ..formats import registry
from ..formats.registry import WriteReport
from ..store.project import Project

STATUS_FILTERS = {
    "done": ("done", "reviewed"),
    "all": None,
}


class ExportReport(dict):
    """The writer's report per file written (``{"all": ...}``, or ``train`` and
    ``dev``), and the one account of what the export lost, for the CLI and the GUI."""

    def total(self) -> WriteReport:
        """Every part's figures and losses added up."""
        total = WriteReport()
        for report in self.values():
            total.absorb(report)
        return total

    def warnings(self) -> list[str]:
        """One sentence per kind of loss over the whole export, with its count."""
        return self.total().warnings()

    def summary(self) -> str:
        """``N documents, N spans, N relations``, then what was lost."""
        total = self.total()
        text = ", ".join(
            f"{n} {what}{'' if n == 1 else 's'}"
            for n, what in ((total.documents, "document"), (total.spans, "span"), (total.relations, "relation"))
        )
        warnings = total.warnings()
        return text + (f"; lost: {'; '.join(warnings)}" if warnings else "")


def default_owner(project: Project) -> str | None:
    """``gold`` when the project has a gold set, else None (every annotator's set)."""
    return GOLD if GOLD in project.owners() else None


def select(project: Project, *, owner: str | None, status: str) -> Iterator[tuple[Document, AnnotationSet]]:
    """The (document, set) pairs an export writes, by document id.

    ``owner=None`` means every set except the read-only ``model:`` ones.
    """
    if status not in STATUS_FILTERS:
        raise ExportError(f"unknown status filter {status!r}; use one of: {', '.join(STATUS_FILTERS)}")
    for document, aset in project.iter_sets(owner=owner, statuses=STATUS_FILTERS[status]):
        if owner is None and is_suggestion_owner(aset.owner):
            continue
        yield document, aset


def split_items(items: list[tuple[Document, AnnotationSet]], fraction: float, seed: int):
    """Split by document (never one document on both sides): ``(train, dev)``
    where dev holds ``round(fraction * documents)`` documents chosen with ``seed``."""
    if not 0 < fraction < 1:
        raise ExportError(f"--split must be between 0 and 1 (the dev fraction), not {fraction}")
    doc_ids = sorted({d.id for d, _ in items})
    rng = random.Random(seed)
    rng.shuffle(doc_ids)
    dev_ids = set(doc_ids[: round(fraction * len(doc_ids))])
    train = [(d, s) for d, s in items if d.id not in dev_ids]
    dev = [(d, s) for d, s in items if d.id in dev_ids]
    return train, dev


DEFAULT_FORMAT = "jsonl"  # the CLI and the export dialog both start from it


def export(
    project: Project,
    out: str | Path,
    *,
    format: str = DEFAULT_FORMAT,
    owner: str | None = "",
    status: str = "done",
    split: float | None = None,
    seed: int = 0,
) -> ExportReport:
    """Write the project's annotations to ``out`` in ``format``.

    Args:
        owner: whose sets; ``""`` picks ``gold`` when present, else all annotators.
        status: ``done`` (done and reviewed sets) or ``all``.
        split: with a dev fraction, ``out`` is a folder that receives
            ``train.<ext>`` and ``dev.<ext>``, split by document with ``seed``.

    Returns the writer's report per file written (``{"all": ...}`` without a
    split), whose ``warnings()`` list what the format could not hold.
    """
    spec = registry.get(format)
    if spec.writer is None:
        raise ExportError(f"the {spec.name} format can be read but not written")
    if owner == "":
        owner = default_owner(project)
    out = Path(out)
    items = select(project, owner=owner, status=status)
    scheme = project.scheme
    if split is None:
        if not spec.writes_folder and out.parent and not out.parent.exists():
            raise ExportError(f"{out.parent} does not exist")
        return ExportReport(all=spec.writer(items, out, scheme=scheme))
    train, dev = split_items(list(items), split, seed)
    out.mkdir(parents=True, exist_ok=True)
    ext = "" if spec.writes_folder or not spec.extensions else spec.extensions[0]
    return ExportReport(
        train=spec.writer(train, out / f"train{ext}", scheme=scheme),
        dev=spec.writer(dev, out / f"dev{ext}", scheme=scheme),
    )
