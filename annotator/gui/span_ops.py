"""Keyboard editing arithmetic for the labeling window, free of Qt.

Cycling through spans and suggestions, finding duplicates and overlaps, and
listing the relation types a pair of spans allows (moving a boundary by a
token is ``core.layout.TokenIndex``). Everything here works on the core
model only, so it is unit-tested without a display.
"""
from __future__ import annotations


from ..core.model import AnnotationSet, Relation, Span
from ..core.scheme import RelationType, Scheme


def cycle_span(aset: AnnotationSet, current: int | None, step: int, *, skip: int | None = None) -> int | None:
    """The span after (``step`` = 1) or before (-1) ``current`` in reading
    order, wrapping around; the first (or last) span when ``current`` is None.

    ``skip`` names a span never to land on (the head of a relation being
    drawn). Returns None when there is no other span.
    """
    order = [s.id for s in aset.sorted_spans() if s.id != skip]
    if not order:
        return None
    if current not in order:
        return order[0] if step > 0 else order[-1]
    return order[(order.index(current) + step) % len(order)]


def after_delete(aset: AnnotationSet, span_id: int) -> int | None:
    """The span to select once ``span_id`` is deleted: the next one in reading
    order, or the previous one when it was the last; None when it was alone."""
    order = [s.id for s in aset.sorted_spans()]
    if span_id not in order or len(order) < 2:
        return None
    i = order.index(span_id)
    return order[i + 1] if i + 1 < len(order) else order[i - 1]


def next_suggestion(aset: AnnotationSet, after: Span | None) -> tuple[str, int] | None:
    """The first unconfirmed suggested span after ``after`` in reading order,
    wrapping to the first one, as ``("span", id)``; when no suggested span
    is left, the first suggested relation as ``("relation", id)``; None when
    nothing is left to judge."""
    suggestions = [s for s in aset.sorted_spans() if s.is_suggestion]
    if not suggestions:
        rels = [r.id for r in aset.sorted_relations() if r.is_suggestion]
        return ("relation", rels[0]) if rels else None
    if after is not None:
        key = (after.start, -after.end, after.label, after.id)
        for span in suggestions:
            if (span.start, -span.end, span.label, span.id) > key:
                return ("span", span.id)
    return ("span", suggestions[0].id)


def next_suggested_relation(aset: AnnotationSet, after: int) -> tuple[str, int] | None:
    """The next suggested relation by id after relation ``after``, wrapping
    around, as ``("relation", id)``; else the first suggested span as
    ``("span", id)``; None when nothing is left to judge."""
    rels = [r.id for r in aset.sorted_relations() if r.is_suggestion]
    if rels:
        return ("relation", next((i for i in rels if i > after), rels[0]))
    return next_suggestion(aset, None)


def count_text(count: int, noun: str) -> str:
    """``1 span``, ``2 spans``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def allowed_types(scheme: Scheme, aset: AnnotationSet, head: int, child: int) -> list[RelationType]:
    """Relation types the scheme allows from span ``head`` to span ``child``."""
    return scheme.relation_types_for(aset.spans[head].label, aset.spans[child].label)


def duplicate_relation(aset: AnnotationSet, head: int, child: int, label: str) -> Relation | None:
    """An existing relation with the same head, child and type, if any."""
    for rel in aset.relations.values():
        if (rel.head, rel.child, rel.label) == (head, child, label):
            return rel
    return None


def span_exists(aset: AnnotationSet, start: int, end: int, label: str) -> Span | None:
    """An existing span with exactly these bounds and label, if any."""
    for span in aset.spans.values():
        if (span.start, span.end, span.label) == (start, end, label):
            return span
    return None


def overlapping(aset: AnnotationSet, start: int, end: int, ignore: int | None = None) -> Span | None:
    """A span (other than ``ignore``) that overlaps ``[start, end)``, if any."""
    for span in aset.sorted_spans():
        if span.id != ignore and span.start < end and start < span.end:
            return span
    return None


ORIGIN_TEXT = {"human": "confirmed", "rule": "suggestion (rules)", "model": "suggestion (model)", "import": "imported"}


def origin_text(item: Span | Relation) -> str:
    """Where a span or relation came from, with a suggestion's score:
    ``suggestion (rules)``, ``suggestion (model), score 0.87``, ``confirmed``."""
    text = ORIGIN_TEXT.get(item.origin, item.origin)
    score = getattr(item, "score", None)
    return f"{text}, score {score:.2f}" if score is not None else text


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, at most ``limit`` characters, an ellipsis
    showing where it was cut."""
    piece = " ".join(text.split())
    return piece if len(piece) <= limit else piece[: limit - 1].rstrip() + "…"


def quote(text: str, span: Span, limit: int = 40) -> str:
    """The span's text on one line, shortened to ``limit`` characters."""
    return shorten(text[span.start:span.end], limit)
