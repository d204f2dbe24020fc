"""Exporting annotation sets as training data or interchange files."""
from __future__ import annotations

import errno
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

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

    # sets the status filter left out (not finished), and whose they are
    unfinished: int = 0
    unfinished_owner: str | None = None

    def warnings(self) -> list[str]:
        """One sentence per kind of loss over the whole export, with its count,
        and the sets left out for not being finished."""
        out = self.total().warnings()
        if self.unfinished:
            whose = f"of {self.unfinished_owner} " if self.unfinished_owner else ""
            one = self.unfinished == 1
            out.append(
                f"{self.unfinished} set{'' if one else 's'} {whose}{'is' if one else 'are'} not finished "
                f"(not marked done or reviewed) and {'was' if one else 'were'} not exported; "
                "export with status 'all' to include them"
            )
        return out

    def summary(self) -> str:
        """``N documents, N spans, N relations``, then what was lost."""
        total = self.total()
        text = ", ".join(
            f"{n} {what}{'' if n == 1 else 's'}"
            for n, what in ((total.documents, "document"), (total.spans, "span"), (total.relations, "relation"))
        )
        warnings = total.warnings()
        return text + (f"; lost: {'; '.join(warnings)}" if warnings else "")


def default_owner(project: Project, status: str = "done") -> str | None:
    """``gold`` when the project has a gold set that ``status`` selects, else
    None (every annotator's set): a review window only opened leaves gold sets
    that are not finished, and those must not hide the annotators' work."""
    if GOLD not in project.owners():
        return None
    found = next(project.iter_sets(owner=GOLD, statuses=STATUS_FILTERS.get(status)), None)
    return GOLD if found is not None else None


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
        owner: whose sets; ``""`` picks ``gold`` when it has sets ``status``
            selects, else all annotators.
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
        owner = default_owner(project, status)
    out = Path(out)
    _refuse_project_file(project, out)
    items = select(project, owner=owner, status=status)
    scheme = project.scheme

    def write(subset, target: Path) -> WriteReport:
        return spec.writer(subset, target, scheme=scheme)

    if split is None:
        if out.parent and not out.parent.exists():
            raise ExportError(f"{out.parent} does not exist; create the folder first")
        report = ExportReport(all=write_into_place(lambda target: write(items, target), out))
    else:
        train, dev = split_items(list(items), split, seed)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create the folder {out}: {exc.strerror}; choose another place") from None
        ext = "" if spec.writes_folder or not spec.extensions else spec.extensions[0]
        report = ExportReport(
            train=write_into_place(lambda target: write(train, target), out / f"train{ext}"),
            dev=write_into_place(lambda target: write(dev, target), out / f"dev{ext}"),
        )
    finished = STATUS_FILTERS[status]
    if finished is not None:
        report.unfinished = project.count_other_sets(owner, finished)
        report.unfinished_owner = owner
    return report


def _refuse_project_file(project: Project, out: Path) -> None:
    here = project.path.resolve()
    if out.resolve() in (here, here.with_name(here.name + "-wal"), here.with_name(here.name + "-shm")):
        raise ExportError(f"{out} is the project file itself; export to another file")


def write_into_place(write: Callable[[Path], WriteReport], out: Path) -> WriteReport:
    """Run ``write(target)`` into a staging folder next to ``out``, then move
    each file (or folder) it made into place, so a failed export (a full disk,
    no permission) leaves any earlier output whole and no partial file.

    Raises ``ExportError`` saying what could not be written and why.
    """
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as exc:
        raise ExportError(f"cannot write in {out.parent}: {exc.strerror}; choose a folder you can write to") from None
    try:
        report = write(staging / out.name)
        for made in sorted(staging.iterdir()):
            _replace(made, out.parent / made.name, staging)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise ExportError(
            f"cannot write {out}: {reason}; nothing was exported, and any earlier {out.name} is as it was"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.files = [out.parent / Path(f).relative_to(staging) if _inside(f, staging) else f for f in report.files]
    return report


def _replace(made: Path, dest: Path, staging: Path) -> None:
    """Move ``made`` to ``dest``; an earlier folder there is moved aside into
    ``staging`` (deleted with it) only once the new one is complete."""
    if made.is_dir() and dest.is_dir():
        os.replace(dest, staging / f"{dest.name}.earlier")
    os.replace(made, dest)


def _inside(path: Path, folder: Path) -> bool:
    return Path(path).is_relative_to(folder)
