"""Every change to an annotation set as a reversible edit object.

An edit is applied to an *edit target*: anything with the methods of
``EditTarget`` (the in-memory ``AnnotationSet`` and the store's set writer
both are). ``apply`` returns the edit as it actually happened, with the ids
the target assigned filled in; its ``inverse()`` undoes it exactly.

Edits serialise to JSON (``to_dict``/``edit_from_dict``) for the edit journal,
which is what lets undo survive a restart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from .model import AnnotationSet, Relation, Span


class EditTarget(Protocol):
    def insert_span(self, span: Span) -> Span: ...
    def remove_span(self, span_id: int, expected: Span | None = None) -> None: ...
    def replace_span(self, span: Span, expected: Span | None = None) -> None: ...
    def insert_relation(self, relation: Relation) -> Relation: ...
    def remove_relation(self, relation_id: int, expected: Relation | None = None) -> None: ...
    def replace_relation(self, relation: Relation, expected: Relation | None = None) -> None: ...
    def change_status(self, status: str, expected: str | None = None) -> None: ...


class Edit:
    """Base class. Subclasses are frozen dataclasses.

    Every edit states what it expects to find (the span, relation or status
    it changes), so applying it to a set that changed elsewhere is refused.
    """

    kind = "edit"

    def changes_status(self) -> bool:
        """True when the edit sets the status itself (so the store must not
        move a ``new`` set to ``in_progress`` on its behalf)."""
        return False

    def apply(self, target: EditTarget) -> "Edit":
        raise NotImplementedError

    def inverse(self) -> "Edit":
        raise NotImplementedError

    def describe(self) -> str:
        return self.kind.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **_plain(self)}


@dataclass(frozen=True)
class AddSpan(Edit):
    """Add a span; with ``span.id <= 0`` the target assigns the id.

    ``relations`` are added after the span (used to undo a span deletion).
    """

    span: Span
    relations: tuple[Relation, ...] = ()
    kind = "add_span"

    def apply(self, target: EditTarget) -> "AddSpan":
        span = target.insert_span(self.span)
        rels = tuple(target.insert_relation(r) for r in self.relations)
        return AddSpan(span, rels)

    def inverse(self) -> "DeleteSpan":
        return DeleteSpan(self.span, self.relations)

    def describe(self) -> str:
        return f"add {self.span.label} span"


@dataclass(frozen=True)
class DeleteSpan(Edit):
    """Delete a span and, first, every relation that touches it."""

    span: Span
    relations: tuple[Relation, ...] = ()
    kind = "delete_span"

    def apply(self, target: EditTarget) -> "DeleteSpan":
        for rel in self.relations:
            target.remove_relation(rel.id, rel)
        target.remove_span(self.span.id, self.span)
        return self

    def inverse(self) -> AddSpan:
        return AddSpan(self.span, self.relations)

    def describe(self) -> str:
        return f"delete {self.span.label} span"


@dataclass(frozen=True)
class UpdateSpan(Edit):
    """Change a span's label, bounds or origin (accepting a suggestion)."""

    before: Span
    after: Span
    kind = "update_span"

    def apply(self, target: EditTarget) -> "UpdateSpan":
        target.replace_span(self.after, self.before)
        return self

    def inverse(self) -> "UpdateSpan":
        return UpdateSpan(self.after, self.before)

    def describe(self) -> str:
        if self.before.label != self.after.label:
            return f"relabel {self.before.label} as {self.after.label}"
        if self.before.origin != self.after.origin:
            return f"accept {self.after.label} suggestion"
        return f"resize {self.after.label} span"


@dataclass(frozen=True)
class AddRelation(Edit):
    relation: Relation
    kind = "add_relation"

    def apply(self, target: EditTarget) -> "AddRelation":
        return AddRelation(target.insert_relation(self.relation))

    def inverse(self) -> "DeleteRelation":
        return DeleteRelation(self.relation)

    def describe(self) -> str:
        return f"add {self.relation.label} relation"


@dataclass(frozen=True)
class DeleteRelation(Edit):
    relation: Relation
    kind = "delete_relation"

    def apply(self, target: EditTarget) -> "DeleteRelation":
        target.remove_relation(self.relation.id, self.relation)
        return self

    def inverse(self) -> AddRelation:
        return AddRelation(self.relation)

    def describe(self) -> str:
        return f"delete {self.relation.label} relation"


@dataclass(frozen=True)
class UpdateRelation(Edit):
    """Relabel or reverse a relation."""

    before: Relation
    after: Relation
    kind = "update_relation"

    def apply(self, target: EditTarget) -> "UpdateRelation":
        target.replace_relation(self.after, self.before)
        return self

    def inverse(self) -> "UpdateRelation":
        return UpdateRelation(self.after, self.before)


@dataclass(frozen=True)
class SetStatus(Edit):
    """Change a set's status from ``before``, which the target checks: a
    status changed elsewhere meanwhile is a conflict, never overwritten."""

    before: str
    after: str
    kind = "set_status"

    def apply(self, target: EditTarget) -> "SetStatus":
        target.change_status(self.after, self.before)
        return self

    def inverse(self) -> "SetStatus":
        return SetStatus(self.after, self.before)

    def changes_status(self) -> bool:
        return True

    def describe(self) -> str:
        return f"mark {self.after}"


@dataclass(frozen=True)
class Batch(Edit):
    """Several edits applied in order as one (accept all, paste, merge)."""

    edits: tuple[Edit, ...] = field(default_factory=tuple)
    label: str = "batch"
    kind = "batch"

    def apply(self, target: EditTarget) -> "Batch":
        return Batch(tuple(e.apply(target) for e in self.edits), self.label)

    def inverse(self) -> "Batch":
        return Batch(tuple(e.inverse() for e in reversed(self.edits)), self.label)

    def changes_status(self) -> bool:
        return any(e.changes_status() for e in self.edits)

    def describe(self) -> str:
        return self.label

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "edits": [e.to_dict() for e in self.edits]}


# -- factories that read the current set ------------------------------------
def delete_span(aset: AnnotationSet, span_id: int) -> DeleteSpan:
    """The edit that deletes a span with all its relations."""
    return DeleteSpan(aset.spans[span_id], tuple(aset.relations_of(span_id)))


def accept_suggestions(aset: AnnotationSet, span_ids: list[int] | None = None) -> Batch:
    """Confirm suggestions (all remaining ones when ``span_ids`` is None)."""
    spans = [aset.spans[i] for i in span_ids] if span_ids is not None else aset.sorted_spans()
    return Batch(
        tuple(UpdateSpan(s, replace(s, origin="human")) for s in spans if s.is_suggestion),
        "accept suggestions",
    )


def reject_suggestions(aset: AnnotationSet, span_ids: list[int] | None = None) -> Batch:
    """Delete suggestions (all remaining ones when ``span_ids`` is None) with their relations."""
    spans = [aset.spans[i] for i in span_ids] if span_ids is not None else aset.sorted_spans()
    return Batch(
        tuple(delete_span(aset, s.id) for s in spans if s.is_suggestion), "reject suggestions"
    )


def replace_contents(aset: AnnotationSet, spans: list[Span], relations: list[Relation]) -> Batch:
    """Replace everything in the set with new spans and relations.

    ``relations`` refer to the ids of ``spans``; new ids are assigned by the
    target, so the relations are re-pointed while the edit is applied.
    """
    unlink = tuple(DeleteRelation(r) for r in aset.sorted_relations())
    removals = tuple(DeleteSpan(s) for s in aset.sorted_spans())
    return Batch(unlink + removals + (_AddContents(tuple(spans), tuple(relations)),), "replace")


def add_linked(spans: list[Span], relations: list[Relation]) -> Edit:
    """Add spans, and relations that may point at them, as one edit.

    ``spans`` carry placeholder ids (negative ones cannot clash with ids the
    target already has); a relation end that names a placeholder is
    re-pointed to the id the target gives that span, any other id is taken
    as a span already in the target. Applied, it becomes a ``Batch`` of
    ``AddSpan`` and ``AddRelation`` with real ids.
    """
    return _AddContents(tuple(spans), tuple(relations))


@dataclass(frozen=True)
class _AddContents(Edit):
    """Adds spans and their relations, mapping file-local span ids to new ones
    (relation ends that are not among ``spans`` keep their id).

    It resolves into a plain Batch of AddSpan/AddRelation with real ids, so
    only those kinds ever reach the journal.
    """

    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    kind = "add_contents"

    def apply(self, target: EditTarget) -> Batch:
        ids: dict[int, int] = {}
        done: list[Edit] = []
        for span in self.spans:
            added = target.insert_span(replace(span, id=0))
            ids[span.id] = added.id
            done.append(AddSpan(added))
        for rel in self.relations:
            added_rel = target.insert_relation(
                replace(rel, id=0, head=ids.get(rel.head, rel.head), child=ids.get(rel.child, rel.child))
            )
            done.append(AddRelation(added_rel))
        return Batch(tuple(done), "add")


# -- serialisation -----------------------------------------------------------
def _plain(obj: Any) -> dict[str, Any]:
    out = asdict(obj)
    return out


def _span(data: dict) -> Span:
    return Span(
        **{**data, "fragments": tuple(tuple(f) for f in data.get("fragments", ())), "attrs": dict(data.get("attrs", {}))}
    )


def _relation(data: dict) -> Relation:
    return Relation(**{**data, "attrs": dict(data.get("attrs", {}))})


def edit_from_dict(data: dict[str, Any]) -> Edit:
    """Rebuild an edit from ``Edit.to_dict()`` output."""
    kind = data["kind"]
    if kind == "add_span":
        return AddSpan(_span(data["span"]), tuple(_relation(r) for r in data["relations"]))
    if kind == "delete_span":
        return DeleteSpan(_span(data["span"]), tuple(_relation(r) for r in data["relations"]))
    if kind == "update_span":
        return UpdateSpan(_span(data["before"]), _span(data["after"]))
    if kind == "add_relation":
        return AddRelation(_relation(data["relation"]))
    if kind == "delete_relation":
        return DeleteRelation(_relation(data["relation"]))
    if kind == "update_relation":
        return UpdateRelation(_relation(data["before"]), _relation(data["after"]))
    if kind == "set_status":
        return SetStatus(data["before"], data["after"])
    if kind == "batch":
        return Batch(tuple(edit_from_dict(e) for e in data["edits"]), data.get("label", "batch"))
    raise ValueError(f"unknown edit kind {kind!r}")
