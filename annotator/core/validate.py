"""Checks that spans and relations fit their text, tokens and scheme.

Each check returns the list of problems as sentences; an empty list means the
annotations are valid. Nothing is guessed or repaired.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from typing import Any, Iterable, Sequence

from .model import Record, Relation, Span, Token
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


def _unencodable(value: Any, where: str) -> str | None:
    """Why ``value`` (a string, or JSON-like data) cannot be stored as UTF-8, or None."""
    if value is None or isinstance(value, (int, float)):
        return None
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"{where} holds a lone surrogate (\\u{ord(exc.object[exc.start]):04x}), which is not Unicode text; "
            "fix the file's escapes"
        )
    except RecursionError:
        return f"{where} is nested too deeply to store"
    except (TypeError, ValueError) as exc:
        return f"{where} cannot be stored as JSON ({exc})"
    return None


def unencodable_text(record: Record) -> str | None:
    """The first part of a record that a project file cannot hold, as a
    sentence, or None: JSON allows lone surrogates (``"\\ud800"``), UTF-8 does not."""
    checks: list[tuple[Any, str]] = [(record.text, "the text"), (record.meta, "meta"), (record.source, "the file name")]
    for data in record.sets:
        checks.append((data.owner, "the annotator name"))
        checks.extend((span.label, f"the label of span {span.id}") for span in data.spans)
        checks.extend((dict(span.attrs), f"the attributes of span {span.id}") for span in data.spans if span.attrs)
        checks.extend((rel.label, f"the label of relation {rel.id}") for rel in data.relations)
        checks.extend((dict(rel.attrs), f"the attributes of relation {rel.id}") for rel in data.relations if rel.attrs)
    for value, where in checks:
        found = _unencodable(value, where)
        if found:
            return found
    return None
