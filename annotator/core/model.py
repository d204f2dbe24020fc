"""The data model: documents, tokens, spans, relations and annotation sets.

Offsets are Python string indices (Unicode code points), ``[start, end)``,
over a document text that never changes once imported.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, NamedTuple

STATUSES = ("new", "in_progress", "done", "skipped", "reviewed", "rejected", "ignored")
ORIGINS = ("human", "model", "rule", "import")
SUGGESTED_ORIGINS = ("model", "rule")  # what a pre-annotator wrote and no person confirmed yet
GOLD = "gold"
MODEL_PREFIX = "model:"


def text_hash(text: str) -> str:
    """The document key: SHA-256 of the UTF-8 text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_suggestion_owner(owner: str) -> bool:
    """True for read-only pre-annotator sets such as ``model:rules``."""
    return owner.startswith(MODEL_PREFIX)


class Token(NamedTuple):
    """A token: ``[start, end)`` in the text and whether whitespace follows.

    A named tuple rather than a dataclass: documents hold hundreds of
    thousands of them, and a tuple is several times cheaper to build.
    """

    start: int
    end: int
    ws: bool = True


@dataclass(frozen=True)
class Document:
    """An imported text with its tokens and source metadata."""

    id: int
    hash: str
    text: str
    tokens: tuple[Token, ...]
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def title(self) -> str:
        """The metadata title, else the first line of the text (at most 80 characters)."""
        title = self.meta.get("title") if self.meta else None
        if title:
            return str(title)
        first = self.text.strip().split("\n", 1)[0]
        return first[:80]


@dataclass(frozen=True)
class Span:
    """A labelled stretch of text.

    ``fragments`` is empty for a continuous span; for a discontinuous one
    (brat allows them) it lists every ``(start, end)`` piece, and ``start``/``end``
    are the outer bounds. ``attrs`` holds format extras (brat attributes,
    normalisations, notes) that must survive a round trip.
    """

    id: int
    start: int
    end: int
    label: str
    origin: str = "human"
    score: float | None = None
    fragments: tuple[tuple[int, int], ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def is_suggestion(self) -> bool:
        """A span a model or rule proposed that no person has confirmed yet."""
        return self.origin in SUGGESTED_ORIGINS

    def pieces(self) -> tuple[tuple[int, int], ...]:
        """The ``(start, end)`` pieces that make up the span."""
        return self.fragments or ((self.start, self.end),)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Relation:
    """A directed, typed edge from span ``head`` to span ``child`` (span ids)."""

    id: int
    head: int
    child: int
    label: str
    origin: str = "human"
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def is_suggestion(self) -> bool:
        """A relation a model or rule proposed that no person has confirmed yet."""
        return self.origin in SUGGESTED_ORIGINS


@dataclass
class AnnotationSet:
    """The spans and relations one owner gave one document.

    Span and relation ids are unique within the set. The in-memory set is
    also an edit target (see ``core.edits``), so the same edit objects that
    change the project file can change a set held in memory.
    """

    document_id: int
    owner: str
    status: str = "new"
    spans: dict[int, Span] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)
    updated_at: str | None = None
    updated_by: str | None = None
    seconds: float = 0.0
    score: float | None = None  # a model's confidence in the whole set (None for people's sets)

    @classmethod
    def build(
        cls,
        document_id: int,
        owner: str,
        spans: Iterable[Span] = (),
        relations: Iterable[Relation] = (),
        status: str = "new",
    ) -> "AnnotationSet":
        return cls(
            document_id=document_id,
            owner=owner,
            status=status,
            spans={s.id: s for s in spans},
            relations={r.id: r for r in relations},
        )

    def sorted_spans(self) -> list[Span]:
        """Spans by start, longer first, then label: the reading order."""
        return sorted(self.spans.values(), key=lambda s: (s.start, -s.end, s.label, s.id))

    def sorted_relations(self) -> list[Relation]:
        return sorted(self.relations.values(), key=lambda r: r.id)

    def relations_of(self, span_id: int) -> list[Relation]:
        """Relations that have the span as head or child, by id."""
        return [r for r in self.sorted_relations() if span_id in (r.head, r.child)]

    def next_span_id(self) -> int:
        return max(self.spans, default=0) + 1

    def next_relation_id(self) -> int:
        return max(self.relations, default=0) + 1

    # -- edit target protocol (see core.edits.EditTarget) -------------------
    def insert_span(self, span: Span) -> Span:
        if span.id in self.spans:
            raise KeyError(f"span id {span.id} already in the set")
        if span.id <= 0:
            span = replace(span, id=self.next_span_id())
        self.spans[span.id] = span
        return span

    def remove_span(self, span_id: int, expected: Span | None = None) -> None:
        if expected is not None and self.spans.get(span_id) != expected:
            raise KeyError(f"span {span_id} is not as the edit expects")
        del self.spans[span_id]

    def replace_span(self, span: Span, expected: Span | None = None) -> None:
        if span.id not in self.spans:
            raise KeyError(f"no span {span.id}")
        if expected is not None and self.spans[span.id] != expected:
            raise KeyError(f"span {span.id} is not as the edit expects")
        self.spans[span.id] = span

    def insert_relation(self, relation: Relation) -> Relation:
        if relation.id in self.relations:
            raise KeyError(f"relation id {relation.id} already in the set")
        if relation.id <= 0:
            relation = replace(relation, id=self.next_relation_id())
        self.relations[relation.id] = relation
        return relation

    def remove_relation(self, relation_id: int, expected: Relation | None = None) -> None:
        if expected is not None and self.relations.get(relation_id) != expected:
            raise KeyError(f"relation {relation_id} is not as the edit expects")
        del self.relations[relation_id]

    def replace_relation(self, relation: Relation, expected: Relation | None = None) -> None:
        if relation.id not in self.relations:
            raise KeyError(f"no relation {relation.id}")
        if expected is not None and self.relations[relation.id] != expected:
            raise KeyError(f"relation {relation.id} is not as the edit expects")
        self.relations[relation.id] = relation

    def change_status(self, status: str, expected: str | None = None) -> None:
        if expected is not None and self.status != expected:
            raise KeyError(f"status is {self.status}, not {expected} as the edit expects")
        self.status = status


@dataclass
class SetData:
    """Annotations for one owner as read from a file, with file-local ids."""

    owner: str | None = None
    status: str | None = None
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    score: float | None = None  # a model's confidence in the whole set, where the file has one


@dataclass
class Record:
    """One document as a reader yields it: text, metadata, optional tokens
    (when the file has its own tokenisation) and any annotation sets.

    ``source`` names where it came from (``file:line``) for error messages.
    Spans are as the file gives them: the importer aligns them to the tokens
    (see ``core.alignment``).
    """

    text: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: list[Token] | None = None
    sets: list[SetData] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A record a reader could not read: where and why."""

    source: str
    reason: str
