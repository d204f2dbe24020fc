"""Merging project files: every annotation set of other projects into this one.

A team works with one project file per annotator; the reviewer merges them.
Documents match by text hash and sets by owner. A set only the other file
has is copied; a set both have is left alone when its contents are the same,
and otherwise the edit with the later ``updated_at`` wins (this project's on
a tie). Merging the same files again changes nothing.

The other files are opened read-only and all of them are checked before
anything is written; the merge is one transaction on the target, so a bad
file leaves it as it was. A target that does not exist yet is created with
the scheme and language the other files share (``merge_into_new``).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from ..core.errors import ProjectError
from ..core.model import AnnotationSet
from ..core.scheme import Scheme
from ..store.project import Project

KEPT_OTHER = "other"
KEPT_THIS = "this"
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
TITLE_WIDTH = 60


@dataclass(frozen=True)
class SetConflict:
    """A set both projects have with different contents, and which edit was kept."""

    file: str
    hash: str
    title: str
    owner: str
    kept: str
    kept_at: str | None
    dropped_at: str | None

    def describe(self) -> str:
        """One line, e.g. ``doc 1a2b3c4d Title, owner alice: kept the other
        file's edit of 2024-05-02 09:00:00 UTC over 2024-05-01 17:30:00 UTC``."""
        whose = "the other file's" if self.kept == KEPT_OTHER else "this project's"
        return (
            f"doc {self.hash[:8]} {self.title}, owner {self.owner}: kept {whose} edit of "
            f"{format_time(self.kept_at)} over {format_time(self.dropped_at)}"
        )


@dataclass
class MergeReport:
    """What a merge did, for the CLI and the GUI to show."""

    target: str
    files: list[str]
    documents_added: int = 0
    sets_added: int = 0
    sets_replaced: int = 0
    sets_kept: int = 0
    sets_identical: int = 0
    conflicts: list[SetConflict] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    relation_types_added: list[str] = field(default_factory=list)
    created_with: str | None = None  # the scheme name, when the merge created the target

    @property
    def changed(self) -> bool:
        """Whether the merge wrote anything to the target."""
        return bool(
            self.documents_added or self.sets_added or self.sets_replaced
            or self.labels_added or self.relation_types_added
        )

    def summary(self) -> str:
        return (
            f"Merged {_plural(len(self.files), 'file')} into {self.target}: "
            f"{_plural(self.documents_added, 'document')} added, "
            f"{_plural(self.sets_added, 'set')} added, "
            f"{self.sets_replaced} replaced by a later edit, "
            f"{self.sets_kept} kept where this project's edit is later, "
            f"{self.sets_identical} already identical"
        )

    def lines(self) -> list[str]:
        """The summary, scheme additions and one line per conflict, grouped by file."""
        out = [self.summary()]
        if self.created_with is not None:
            out.insert(0, f"Created {self.target} with the scheme {self.created_with!r} the merged files share")
        added = []
        if self.labels_added:
            added.append("labels " + ", ".join(self.labels_added))
        if self.relation_types_added:
            added.append("relation types " + ", ".join(self.relation_types_added))
        if added:
            out.append("Added to the scheme: " + "; ".join(added))
        for name in self.files:
            mine = [c for c in self.conflicts if c.file == name]
            if mine:
                out.append(f"Conflicts with {name}:")
                out.extend("  " + c.describe() for c in mine)
        return out


def merge_projects(project: Project, others: Sequence[str | Path]) -> MergeReport:
    """Bring every document and annotation set of ``others`` into ``project``.

    Args:
        project: the target, open for writing.
        others: project files to merge from; opened read-only, never changed.

    Returns:
        A ``MergeReport``. Labels and relation types the other sets use that
        the target scheme lacks are added to it (definitions taken from the
        other file's scheme where it has them).

    Raises:
        ProjectError: no file given, a file is the target itself, or a file is
            missing, not a project, or of another schema version
            (``SchemaVersionError`` when newer). The target is then unchanged.
    """
    paths = [Path(p) for p in others]
    if not paths:
        raise ProjectError(f"name at least one project file to merge into {project.path}")
    target = project.path.resolve()
    sources: list[Project] = []
    try:
        for path in paths:
            if path.exists() and path.resolve() == target:
                raise ProjectError(f"{path} is the project being merged into; name the other project files")
            sources.append(Project.open_readonly(path))
        report = MergeReport(target=str(project.path), files=[str(p) for p in paths])
        try:
            with project.bulk(), project.transaction("merging"):
                for source in sources:
                    _merge_one(project, source, report)
        except BaseException:
            project.reload_scheme()
            raise
    finally:
        for source in sources:
            source.close()
    return report


def merge_into_new(path: str | Path, others: Sequence[str | Path]) -> MergeReport:
    """Create the project file ``path`` and merge ``others`` into it.

    The new file gets the scheme and language of ``others``, which must all
    have the same ones. Raises ``ProjectError`` when ``path`` exists, when no
    file is given, when a file cannot be opened, or when their schemes or
    languages differ (saying how); nothing is created then, nor when the
    merge itself fails.
    """
    path = Path(path)
    if path.exists():
        raise ProjectError(f"{path} already exists; merge into it with it open, or choose another name")
    scheme, language = shared_scheme([Path(p) for p in others])
    project = Project.create(path, scheme=scheme, language=language)
    try:
        report = merge_projects(project, others)
    except BaseException:
        project.close()
        for leftover in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        raise
    project.close()
    report.created_with = scheme.name
    return report


def shared_scheme(paths: Sequence[Path]) -> tuple[Scheme, str]:
    """The scheme and language every one of the project files ``paths`` has.

    Raises ``ProjectError`` naming the first file that differs from the first
    one, and how (labels or relation types only one has, or their definitions).
    """
    if not paths:
        raise ProjectError("name at least one project file to merge")
    found: list[tuple[Path, Scheme, str]] = []
    for path in paths:
        with Project.open_readonly(path) as source:
            found.append((path, source.scheme, source.language))
    first, scheme, language = found[0]
    for path, other, other_language in found[1:]:
        if other_language != language:
            difference = f"their languages differ ({language} and {other_language})"
        elif other.to_dict() != scheme.to_dict():
            difference = "their schemes differ: " + scheme_difference(scheme, other)
        else:
            continue
        raise ProjectError(
            f"{first} and {path} cannot be merged into a new project: {difference}. Create the "
            "project first with the scheme it should have (annotator init PROJECT --scheme FILE), "
            "then merge into it; labels the files use that the scheme lacks are added"
        )
    return scheme, language


def scheme_difference(one: Scheme, other: Scheme) -> str:
    """How two schemes differ, in a few words: the names only one of them has,
    else which definitions differ."""
    parts = []
    for kind, mine, theirs in (
        ("labels", one.label_names, other.label_names),
        ("relation types", one.relation_names, other.relation_names),
    ):
        only_one = [n for n in mine if n not in theirs]
        only_other = [n for n in theirs if n not in mine]
        if only_one:
            parts.append(f"{kind} only the first has: {', '.join(only_one)}")
        if only_other:
            parts.append(f"{kind} only the second has: {', '.join(only_other)}")
    if parts:
        return "; ".join(parts)
    a, b = one.to_dict(), other.to_dict()
    return "different " + ", ".join(key for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key))


def _merge_one(project: Project, source: Project, report: MergeReport) -> None:
    name = str(source.path)
    ours = project.document_hashes()
    id_map: dict[int, int] = {}
    for hash_, src_id in source.document_hashes().items():
        doc_id = ours.get(hash_)
        if doc_id is None:
            row = source.document_row(src_id)
            doc_id, _ = project.add_document(
                text=row["text"], hash=hash_, title=row["title"], tokens=row["tokens"],
                meta=row["meta"], source=row["source"],
            )
            report.documents_added += 1
        id_map[src_id] = doc_id
    labels: set[str] = set()
    relation_types: set[str] = set()
    for src_doc, owner, _status in source.set_rows():
        theirs = source.annotation_set(src_doc, owner)
        assert theirs is not None
        labels.update(s.label for s in theirs.spans.values())
        relation_types.update(r.label for r in theirs.relations.values())
        doc_id = id_map[src_doc]
        mine = project.annotation_set(doc_id, owner)
        if mine is None:
            project.copy_set(doc_id, theirs)
            report.sets_added += 1
        elif contents(mine) == contents(theirs):
            report.sets_identical += 1
        else:
            other_later = _moment(theirs.updated_at) > _moment(mine.updated_at)
            if other_later:
                project.copy_set(doc_id, theirs)
                report.sets_replaced += 1
            else:
                report.sets_kept += 1
            kept, dropped = (theirs, mine) if other_later else (mine, theirs)
            doc = project.document_row(doc_id)
            report.conflicts.append(
                SetConflict(
                    file=name,
                    hash=doc["hash"],
                    title=_short(doc["title"]),
                    owner=owner,
                    kept=KEPT_OTHER if other_later else KEPT_THIS,
                    kept_at=kept.updated_at,
                    dropped_at=dropped.updated_at,
                )
            )
    _extend_scheme(project, source.scheme, labels, relation_types, report)


def contents(aset: AnnotationSet) -> tuple:
    """What makes two sets the same, whatever their ids and edit times: the
    status, a model's score for the set, and the spans and relations as
    multisets (relations by their spans)."""
    spans = {
        s.id: (s.start, s.end, s.label, s.origin, s.score, s.fragments, _canonical(s.attrs))
        for s in aset.spans.values()
    }
    relations = Counter(
        (spans.get(r.head), spans.get(r.child), r.label, r.origin, _canonical(r.attrs))
        for r in aset.relations.values()
    )
    return aset.status, aset.score, Counter(spans.values()), relations


def _extend_scheme(
    project: Project, theirs: Scheme, labels: set[str], relation_types: set[str], report: MergeReport
) -> None:
    """Add the used labels and relation types the target scheme lacks."""
    scheme = project.scheme
    new_labels = _in_scheme_order(labels - set(scheme.label_names), theirs.label_names)
    new_relations = _in_scheme_order(relation_types - set(scheme.relation_names), theirs.relation_names)
    if not new_labels and not new_relations:
        return
    data = scheme.to_dict()
    keys = {label.key for label in scheme.labels if label.key}
    for name in new_labels:
        label = theirs.label(name)
        item: dict = {"name": name}
        if label is not None:
            item["color"] = label.color
            if label.key and label.key not in keys:
                item["key"] = label.key
                keys.add(label.key)
            if label.description:
                item["description"] = label.description
            if label.trigger:
                item["trigger"] = True
        data["labels"].append(item)
    known = {item["name"] for item in data["labels"]}
    for name in new_relations:
        rel = theirs.relation(name)
        ritem: dict = {"name": name}
        if rel is not None and set(rel.head) <= known and set(rel.child) <= known:
            ritem.update({"head": list(rel.head), "child": list(rel.child), "symmetric": rel.symmetric})
            if rel.color:
                ritem["color"] = rel.color
            if rel.description:
                ritem["description"] = rel.description
        data["relations"].append(ritem)
    project.set_scheme(Scheme.from_dict(data, source=f"{project.path} (scheme merged with {theirs.name})"))
    report.labels_added.extend(new_labels)
    report.relation_types_added.extend(new_relations)


def _in_scheme_order(names: set[str], order: Sequence[str]) -> list[str]:
    """``names`` in the order the other scheme lists them, unknown ones after, by name."""
    listed = [n for n in order if n in names]
    return listed + sorted(names - set(listed))


def _canonical(attrs: object) -> str:
    return json.dumps(attrs, sort_keys=True, ensure_ascii=False) if attrs else ""


def _moment(stamp: str | None) -> datetime:
    """An ``updated_at`` as an aware datetime (naive ones taken as UTC); missing
    or unreadable stamps sort first."""
    if not stamp:
        return _EARLIEST
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return _EARLIEST
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def format_time(stamp: str | None) -> str:
    """An ``updated_at`` for people: ``2024-05-01 17:30:00 UTC``; the raw text
    when it cannot be read, ``an unknown time`` when missing."""
    if not stamp:
        return "an unknown time"
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M:%S")
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 3] + "..."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
