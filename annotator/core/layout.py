"""Geometry-free layout maths for the document view.

Everything here works on plain numbers (character offsets or x coordinates),
so it is unit-tested without Qt:

- ``stack_spans`` gives overlapping spans distinct *lanes*: a span that
  contains another always sits on a higher lane, so nesting reads from the
  inside out (lane 0 is nearest the text).
- ``arc_levels`` gives relation arcs distinct heights brat/displaCy style:
  shorter arcs lowest, an arc above every arc it contains, crossing arcs on
  different levels.
- ``label_clear_of_legs`` moves an arc's label sideways off the legs of the
  arcs above it, which descend through the label's level.
- ``TokenIndex`` snaps a character selection to token boundaries and moves a
  span's edges by whole tokens.
- ``paragraph_starts`` and ``DisplayOffsets`` translate between Python string
  indices and the paragraphs and positions of a text widget that counts UTF-16
  code units and folds ``"\\r\\n"`` into one paragraph break.
"""
from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from typing import Iterable, Sequence

from .model import Token

# Qt's plain-text import starts a new paragraph after each of these.
_PARAGRAPH_BREAK = re.compile("\r\n|[\n\r\u2029]")
# Characters that take two UTF-16 code units, and the two-character line end
# that a text widget keeps as a single paragraph separator.
_DISPLAY_SHIFT = re.compile("\r\n|[\U00010000-\U0010ffff]")


def _stack(
    intervals: Sequence[tuple[float, float]], *, closed: bool
) -> tuple[list[int], list[bool]]:
    """Levels for intervals, and whether each one conflicts with another.

    Intervals are placed shortest first (ties by start, end, input order).
    Each takes the lowest level that is above every placed interval it
    contains and not used by any placed interval it conflicts with.
    ``closed`` intervals conflict when they touch; half-open ones only when
    they share a point inside both. Groups of intervals that do not conflict
    with any other group are independent, so a sweep by start splits them
    off and a lone interval costs nothing more.
    """
    n = len(intervals)
    levels = [0] * n
    overlapped = [False] * n
    group: list[int] = []
    reach = 0.0
    for i in sorted(range(n), key=intervals.__getitem__):
        lo, hi = intervals[i]
        if group and (lo < reach or (closed and lo <= reach)):
            group.append(i)
            reach = max(reach, hi)
            continue
        if len(group) > 1:
            _stack_group(intervals, group, closed, levels, overlapped)
        group = [i]
        reach = hi
    if len(group) > 1:
        _stack_group(intervals, group, closed, levels, overlapped)
    return levels, overlapped


def _stack_group(
    intervals: Sequence[tuple[float, float]],
    group: list[int],
    closed: bool,
    levels: list[int],
    overlapped: list[bool],
) -> None:
    order = sorted(group, key=lambda i: (intervals[i][1] - intervals[i][0], *intervals[i], i))
    placed_lo: list[float] = []
    placed: list[tuple[float, float, int, int]] = []
    for i in order:
        lo, hi = intervals[i]
        length = hi - lo
        # Every placed interval is no longer than this one, so any that
        # conflicts with it starts within [lo - length, hi].
        first = bisect_left(placed_lo, lo - length)
        last = bisect_right(placed_lo, hi)
        floor = 0
        used: set[int] = set()
        for plo, phi, plevel, pindex in placed[first:last]:
            if closed:
                conflict = plo <= hi and lo <= phi
            else:
                conflict = plo < hi and lo < phi
            if not conflict:
                continue
            used.add(plevel)
            overlapped[i] = overlapped[pindex] = True
            if lo <= plo and phi <= hi:
                floor = max(floor, plevel + 1)
        level = floor
        while level in used:
            level += 1
        levels[i] = level
        at = bisect_right(placed_lo, lo)
        placed_lo.insert(at, lo)
        placed.insert(at, (lo, hi, level, i))


def stack_spans(spans: Sequence[tuple[int, int]]) -> list[int]:
    """Lanes for ``(start, end)`` spans, in input order.

    Spans that overlap (share at least one character) get different lanes; a
    span that contains another is on a higher lane than it, so outer spans are
    drawn further from the text. Disjoint and merely adjacent spans share
    lane 0. Two spans with equal bounds are stacked in input order.

    Raises ``ValueError`` for a span whose end is before its start.
    """
    return span_stacking(spans)[0]


def span_stacking(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[bool]]:
    """``stack_spans`` lanes plus, per span, whether it overlaps any other span.

    The flags let a view mark only stacked spans with lane bars.
    """
    for start, end in spans:
        if end < start:
            raise ValueError(f"span ({start}, {end}) ends before it starts")
    return _stack([(s, e) for s, e in spans], closed=False)


def arc_levels(arcs: Sequence[tuple[float, float]]) -> list[int]:
    """Levels (0 = lowest) for arcs between two positions on one line.

    Each arc is ``(a, b)`` in either order (e.g. head and child x). Shorter
    arcs are lowest; an arc is above every arc it contains; arcs that cross
    or touch (share an end point) get different levels; disjoint arcs share
    a level. An arc from a point to itself is a zero-length arc.
    """
    return _stack([(min(a, b), max(a, b)) for a, b in arcs], closed=True)[0]


def label_clear_of_legs(left: float, width: float, legs: Sequence[float], lo: float, hi: float, gap: float) -> float:
    """Left edge nearest ``left`` for a label ``width`` wide that keeps ``gap``
    from every leg x in ``legs`` and stays within ``[lo, hi]``; ``left`` itself
    when no such place exists (a line too crowded to help)."""

    def clear(x: float) -> bool:
        return lo <= x and x + width <= hi and all(leg + gap <= x or x + width <= leg - gap for leg in legs)

    places = [left] + [leg + gap for leg in legs] + [leg - gap - width for leg in legs]
    fitting = [x for x in places if clear(x)]
    return min(fitting, key=lambda x: (abs(x - left), x)) if fitting else left


class TokenIndex:
    """Sorted, non-overlapping tokens with bisect look-ups.

    ``tokens`` are ``Token`` objects or ``(start, end)`` pairs, sorted by start.
    Raises ``ValueError`` if they are unsorted, overlap or are empty.
    """

    def __init__(self, tokens: Iterable[Token | tuple[int, int]]) -> None:
        items = list(tokens)
        if items and isinstance(items[0], Token):
            starts = [t.start for t in items]
            ends = [t.end for t in items]
        else:
            starts = [t[0] for t in items]
            ends = [t[1] for t in items]
        if any(map(operator.le, ends, starts)):
            i = next(i for i, (s, e) in enumerate(zip(starts, ends)) if e <= s)
            raise ValueError(f"token ({starts[i]}, {ends[i]}) is empty")
        if any(map(operator.lt, starts[1:], ends[:-1])):
            i = next(i for i in range(1, len(starts)) if starts[i] < ends[i - 1])
            raise ValueError(f"token ({starts[i]}, {ends[i]}) overlaps or precedes the one before it")
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """Token indices ``[first, last)`` of the tokens that share a character
        with ``[start, end)``; ``None`` when there is none (an empty range, or
        one that covers only whitespace)."""
        if end <= start:
            return None
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        if first >= last:
            return None
        return first, last

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` widened to the boundaries of every token it touches.

        Returns ``None`` rather than guessing when the range touches no token
        (empty, or whitespace only). Start and end may come in either order.
        """
        if end < start:
            start, end = end, start
        rng = self.covering(start, end)
        if rng is None:
            return None
        return self._starts[rng[0]], self._ends[rng[1] - 1]

    def token_at(self, offset: int) -> int | None:
        """Index of the token containing the character at ``offset``, else ``None``."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._ends[i]:
            return i
        return None

    def move_start(self, start: int, end: int, step: int) -> tuple[int, int] | None:
        """The span with its start moved by ``step`` tokens (negative = left,
        growing the span). The span is first snapped to tokens. Returns ``None``
        if the span covers no token, or the move would leave no token or run
        past the first token."""
        rng = self.covering(start, end)
        if rng is None:
            return None
        first = rng[0] + step
        if first < 0 or first >= rng[1]:
            return None
        return self._starts[first], self._ends[rng[1] - 1]

    def move_end(self, start: int, end: int, step: int) -> tuple[int, int] | None:
        """The span with its end moved by ``step`` tokens (positive = right,
        growing the span). The span is first snapped to tokens. Returns ``None``
        if the span covers no token, or the move would leave no token or run
        past the last token."""
        rng = self.covering(start, end)
        if rng is None:
            return None
        last = rng[1] + step
        if last <= rng[0] or last > len(self._starts):
            return None
        return self._starts[rng[0]], self._ends[last - 1]


def paragraph_starts(text: str) -> list[int]:
    """Python offsets where each paragraph of ``text`` starts, as a text widget
    splits it: after ``"\\n"``, ``"\\r\\n"``, a lone ``"\\r"`` and U+2029.

    There is always at least one paragraph (``[0]`` for an empty text); a text
    ending in a line break ends with an empty paragraph.
    """
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def paragraph_of(starts: Sequence[int], offset: int) -> int:
    """Number of the paragraph holding ``offset`` (0 for offsets before the text)."""
    return max(0, bisect_right(starts, offset) - 1)


class DisplayOffsets:
    """Converts Python string indices to and from display positions.

    A display position counts UTF-16 code units (a character outside the Basic
    Multilingual Plane takes two) and a ``"\\r\\n"`` pair as one paragraph
    separator, as Qt's text document does. For text with neither, both
    directions are the identity.
    """

    def __init__(self, text: str) -> None:
        keys: list[int] = []
        shifts: list[int] = []
        shift = 0
        for m in _DISPLAY_SHIFT.finditer(text):
            if m.group() == "\r\n":
                keys.append(m.start() + 2)
                shift -= 1
            else:
                keys.append(m.start() + 1)
                shift += 1
            shifts.append(shift)
        self._keys = keys
        self._shifts = shifts
        self._display_keys = [k + s for k, s in zip(keys, shifts)]
        self.text_length = len(text)
        self.display_length = len(text) + shift

    @property
    def is_identity(self) -> bool:
        """True when Python indices and display positions coincide."""
        return not self._keys

    def to_display(self, index: int) -> int:
        """Display position of Python index ``index`` (0 <= index <= len(text)).

        The index between ``"\\r"`` and ``"\\n"`` maps to the end of the separator.
        """
        if not self._keys:
            return index
        k = bisect_right(self._keys, index) - 1
        return index + (self._shifts[k] if k >= 0 else 0)

    def to_index(self, position: int) -> int:
        """Python index of display position ``position``.

        A position inside a surrogate pair maps to the index after that
        character; the start of a paragraph that follows ``"\\r\\n"`` maps to
        the index after the ``"\\n"``.
        """
        if not self._keys:
            return position
        k = bisect_right(self._display_keys, position) - 1
        index = position - (self._shifts[k] if k >= 0 else 0)
        if k + 1 < len(self._keys):
            index = min(index, self._keys[k + 1])
        return index
