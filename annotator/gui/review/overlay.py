"""What the review view draws: the gold set plus every annotator item gold lacks.

Plain Python (no Qt), so it is cheap to rebuild after each edit. Items gold
lacks become *ghosts*: spans and relations with negative ids and origin
``model``, which the document view draws like suggestions (pale, dashed);
ghost relations may be limited to the conflict at hand.
Every item not all annotators made carries their tags (``ORG A·C``);
unanimous items and the reviewer's own additions show the bare label.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Mapping, Sequence

from ...core.adjudicate import Candidates, RelationKey, SpanKey, relation_key, span_key
from ...core.model import AnnotationSet, Relation, Span

GHOST_ORIGIN = "model"


def annotator_tags(names: Sequence[str]) -> dict[str, str]:
    """Short, distinct tags for annotators: the capitalised initial, longer
    prefixes where initials clash (``Al``, ``An``), the position (from 1)
    when two names only differ in punctuation or case.

    >>> annotator_tags(["alice", "anna", "bob"])
    {'alice': 'Al', 'anna': 'An', 'bob': 'B'}
    """
    cleaned = ["".join(ch for ch in name if ch.isalnum()) or str(i + 1) for i, name in enumerate(names)]
    out: dict[str, str] = {}
    for i, (name, clean) in enumerate(zip(names, cleaned)):
        others = [o.lower() for j, o in enumerate(cleaned) if j != i]
        size = 1
        while size < len(clean) and any(o[:size] == clean[:size].lower() for o in others):
            size += 1
        tag = clean[:1].upper() + clean[1:size].lower()
        out[name] = tag if tag not in out.values() else str(i + 1)
    return out


@dataclass
class Overlay:
    """The spans and relations to draw, with the texts of their tags and arcs.

    ``spans``/``relations`` hold gold's items (their own ids) and ghosts
    (negative ids); ``span_text``/``relation_text`` hold texts that differ
    from the label; ``ghost_spans`` maps a ghost id to its span key.
    """

    spans: dict[int, Span] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)
    span_text: dict[int, str] = field(default_factory=dict)
    relation_text: dict[int, str] = field(default_factory=dict)
    ghost_spans: dict[int, SpanKey] = field(default_factory=dict)

    def as_set(self, gold: AnnotationSet) -> AnnotationSet:
        """An annotation set holding everything to draw (for the document view)."""
        return AnnotationSet(gold.document_id, gold.owner, gold.status, dict(self.spans), dict(self.relations))

    def key_of(self, span_id: int) -> SpanKey | None:
        """The span key of a drawn span, gold or ghost."""
        span = self.spans.get(span_id)
        return span_key(span) if span is not None else None


def build_overlay(
    gold: AnnotationSet,
    cands: Candidates,
    tags: Mapping[str, str],
    ghost_relations: Collection[RelationKey] | None = None,
) -> Overlay:
    """Gold's items and ghosts of the candidate items gold lacks.

    ``ghost_relations`` limits the relations drawn as ghosts to these keys
    (the current conflict's: arcs of every disputed relation at once would
    bury the text); None draws them all. A ghost span's id is minus one
    minus its position in ``cands.spans`` (likewise for relations), so it
    stays the same while gold changes.
    """
    out = Overlay()

    def who(annotators: Sequence[str]) -> str:
        return "·".join(tags.get(a, a) for a in annotators)

    ids: dict[SpanKey, int] = {}
    for span in gold.sorted_spans():
        key = span_key(span)
        ids.setdefault(key, span.id)
        out.spans[span.id] = span
        cand = cands.span(key)
        if cand is not None and not cands.is_unanimous(cand):
            out.span_text[span.id] = f"{span.label} {who(cand.annotators)}"
    for i, cand in enumerate(cands.spans):
        if cand.key in ids:
            continue
        ghost = -(i + 1)
        ids[cand.key] = ghost
        out.spans[ghost] = Span(ghost, cand.start, cand.end, cand.label, GHOST_ORIGIN, None, cand.span.fragments)
        out.span_text[ghost] = f"{cand.label} {who(cand.annotators)}"
        out.ghost_spans[ghost] = cand.key
    held: set[RelationKey] = set()
    rel_cands = {c.key: c for c in cands.relations}
    for rel in gold.sorted_relations():
        head, child = gold.spans.get(rel.head), gold.spans.get(rel.child)
        out.relations[rel.id] = rel
        if head is None or child is None:
            continue
        key = relation_key(span_key(head), span_key(child), rel.label, cands.symmetric)
        held.add(key)
        cand = rel_cands.get(key)
        if cand is not None and not cands.is_unanimous(cand):
            out.relation_text[rel.id] = f"{rel.label} {who(cand.annotators)}"
    for i, cand in enumerate(cands.relations):
        if cand.key in held or (ghost_relations is not None and cand.key not in ghost_relations):
            continue
        ghost = -(i + 1)
        head, child = ids[cand.head], ids[cand.child]
        out.relations[ghost] = Relation(ghost, head, child, cand.label, GHOST_ORIGIN)
        out.relation_text[ghost] = f"{cand.label} {who(cand.annotators)}"
    return out
