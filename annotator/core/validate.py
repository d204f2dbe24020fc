"""Checks that spans and relations fit their text, tokens and scheme.

Each check returns the list of problems as sentences; an empty list means the
annotations are valid. Nothing is guessed or repaired.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Sequence

from .model import Relation, Span, Token
from .scheme import Scheme


class TokenIndex:
    """Token boundaries of one text, for boundary checks and snapping."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]
        self._start_set = set(self.starts)
        self._end_set = set(self.ends)

    def is_start(self, offset: int) -> bool:
        return offset in self._start_set

    def is_end(self, offset: int) -> bool:
        return offset in self._end_set

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """Indices ``(first, last)`` (inclusive) of the tokens exactly covering
        ``[start, end)``, or None when the offsets are not token boundaries."""
        if not (self.is_start(start) and self.is_end(end)):
            return None
        first = bisect_left(self.starts, start)
        last = bisect_left(self.ends, end)
        return (first, last) if first <= last else None

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """Indices ``(first, last)`` (inclusive) of the tokens that overlap
        ``[start, end)``, or None when no token does."""
        first = bisect_left(self.ends, start + 1)
        last = bisect_left(self.starts, end) - 1
        if first >= len(self.tokens) or last < first:
            return None
        return first, last


def span_problems(
    text: str,
    spans: Iterable[Span],
    *,
    tokens: TokenIndex | None = None,
    scheme: Scheme | None = None,
) -> list[str]:
    """Problems with ``spans`` over ``text``: offsets out of range or empty,
    not on token boundaries (when ``tokens`` is given), unknown labels and
    forbidden overlaps (when ``scheme`` is given)."""
    problems: list[str] = []
    n = len(text)
    checked: list[Span] = []
    for span in spans:
        where = f"span {span.label!r} [{span.start}, {span.end})"
        bad = False
        for start, end in span.pieces():
            if not (0 <= start < end <= n):
                problems.append(f"{where}: offsets outside the text (length {n}) or empty")
                bad = True
                break
            if tokens is not None and not (tokens.is_start(start) and tokens.is_end(end)):
                problems.append(
                    f"{where}: {text[start:end]!r} does not start and end on token boundaries"
                )
                bad = True
                break
        if scheme is not None and scheme.label(span.label) is None:
            problems.append(f"{where}: label {span.label!r} is not in the scheme")
            bad = True
        if not bad:
            checked.append(span)
    if scheme is not None and not scheme.allow_overlap:
        ordered = sorted(checked, key=lambda s: (s.start, s.end))
        for a, b in zip(ordered, ordered[1:]):
            if a.overlaps(b):
                problems.append(
                    f"spans [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap, "
                    "which the scheme does not allow"
                )
    return problems


def relation_problems(
    spans: dict[int, Span], relations: Iterable[Relation], *, scheme: Scheme | None = None
) -> list[str]:
    """Problems with ``relations``: dangling span ids, unknown types, and
    label pairs the scheme does not allow for the type."""
    problems: list[str] = []
    for rel in relations:
        head, child = spans.get(rel.head), spans.get(rel.child)
        if head is None or child is None:
            problems.append(f"relation {rel.label!r}: points to a span that does not exist")
            continue
        if scheme is None:
            continue
        rtype = scheme.relation(rel.label)
        if rtype is None:
            problems.append(f"relation {rel.label!r} is not in the scheme")
        elif not rtype.accepts(head.label, child.label):
            problems.append(
                f"relation {rel.label!r} may not go from {head.label} to {child.label}"
            )
    return problems
