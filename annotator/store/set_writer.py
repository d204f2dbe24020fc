"""The edit target that writes one annotation set's rows."""
from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from ..core.errors import EditConflictError
from ..core.model import Relation, Span
from .rows import RELATION_COLUMNS, SPAN_COLUMNS, relation_from_row, relation_values, span_from_row, span_values

_SPAN_FIELDS = "start, end, label, origin, score, fragments, attrs"
_RELATION_FIELDS = "head_id, child_id, label, origin, attrs"


class SetWriter:
    """Writes one set's spans and relations for ``core.edits``, checking each
    row is as the edit expects, so that an edit made on an out-of-date copy
    (another window, another process) conflicts loudly instead of overwriting."""

    def __init__(self, db: Database, set_id: int) -> None:
        self.db = db
        self.set_id = set_id

    def _span(self, span_id: int) -> Span | None:
        row = self.db.execute(
            f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ? AND set_id = ?", [span_id, self.set_id]
        ).fetchone()
        return span_from_row(row) if row else None

    def _relation(self, relation_id: int) -> Relation | None:
        row = self.db.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations WHERE id = ? AND set_id = ?", [relation_id, self.set_id]
        ).fetchone()
        return relation_from_row(row) if row else None

    def _taken(self, table: str, row_id: int) -> bool:
        return self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone() is not None

    def insert_span(self, span: Span) -> Span:
        values = [self.set_id, *span_values(span)]
        if span.id > 0:  # a redo, or undoing a deletion: the span keeps its id
            if self._taken("spans", span.id):
                raise EditConflictError(f"span {span.id} already exists; the document changed elsewhere")
            self.db.execute(f"INSERT INTO spans (id, set_id, {_SPAN_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [span.id, *values])
            return span
        cur = self.db.execute(f"INSERT INTO spans (set_id, {_SPAN_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
        return replace(span, id=cur.lastrowid)

    def remove_span(self, span_id: int, expected: Span | None = None) -> None:
        if expected is not None and (current := self._span(span_id)) is not None and current != expected:
            raise EditConflictError(f"span {span_id} was changed elsewhere; reload the document")
        if self.db.execute("SELECT 1 FROM relations WHERE head_id = ? OR child_id = ?", [span_id, span_id]).fetchone():
            raise EditConflictError(f"span {span_id} has relations the edit did not expect")
        cur = self.db.execute("DELETE FROM spans WHERE id = ? AND set_id = ?", [span_id, self.set_id])
        if cur.rowcount != 1:
            raise EditConflictError(f"span {span_id} no longer exists; the document changed elsewhere")

    def replace_span(self, span: Span, expected: Span | None = None) -> None:
        current = self._span(span.id)
        if current is None:
            raise EditConflictError(f"span {span.id} no longer exists; the document changed elsewhere")
        if expected is not None and current != expected:
            raise EditConflictError(f"span {span.id} was changed elsewhere; reload the document")
        self.db.execute(
            "UPDATE spans SET start = ?, end = ?, label = ?, origin = ?, score = ?, fragments = ?, attrs = ? WHERE id = ?",
            [*span_values(span), span.id],
        )

    def insert_relation(self, relation: Relation) -> Relation:
        for sid in (relation.head, relation.child):
            if self._span(sid) is None:
                raise EditConflictError(f"span {sid} no longer exists; the document changed elsewhere")
        values = [self.set_id, *relation_values(relation)]
        if relation.id > 0:
            if self._taken("relations", relation.id):
                raise EditConflictError(f"relation {relation.id} already exists; the document changed elsewhere")
            self.db.execute(f"INSERT INTO relations (id, set_id, {_RELATION_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?)", [relation.id, *values])
            return relation
        cur = self.db.execute(f"INSERT INTO relations (set_id, {_RELATION_FIELDS}) VALUES (?, ?, ?, ?, ?, ?)", values)
        return replace(relation, id=cur.lastrowid)

    def remove_relation(self, relation_id: int, expected: Relation | None = None) -> None:
        if expected is not None and (current := self._relation(relation_id)) is not None and current != expected:
            raise EditConflictError(f"relation {relation_id} was changed elsewhere; reload the document")
        cur = self.db.execute("DELETE FROM relations WHERE id = ? AND set_id = ?", [relation_id, self.set_id])
        if cur.rowcount != 1:
            raise EditConflictError(f"relation {relation_id} no longer exists; the document changed elsewhere")

    def replace_relation(self, relation: Relation, expected: Relation | None = None) -> None:
        current = self._relation(relation.id)
        if current is None or (expected is not None and current != expected):
            raise EditConflictError(f"relation {relation.id} was changed or deleted elsewhere; reload the document")
        self.db.execute(
            "UPDATE relations SET head_id = ?, child_id = ?, label = ?, origin = ?, attrs = ? WHERE id = ?",
            [*relation_values(relation), relation.id],
        )

    def change_status(self, status: str, expected: str | None = None) -> None:
        if expected is None:
            self.db.execute("UPDATE annotation_sets SET status = ? WHERE id = ?", [status, self.set_id])
            return
        cur = self.db.execute(
            "UPDATE annotation_sets SET status = ? WHERE id = ? AND status = ?", [status, self.set_id, expected]
        )
        if cur.rowcount != 1:
            row = self.db.execute("SELECT status FROM annotation_sets WHERE id = ?", [self.set_id]).fetchone()
            raise EditConflictError(
                f"the set was marked {row[0] if row else 'deleted'} elsewhere, not {expected} as this edit "
                "expects; reload the document"
            )
