"""The one alignment policy at the import border.

Character offsets a peer tool wrote are the truth; our tokens are our
choice. Every reader of a character-offset format hands its spans here
unchanged, and :func:`align` makes them fit the document:

1. A span piece whose edge falls on whitespace is trimmed to its text (peer
   tools allow a trailing space); each trimmed span is counted.
2. Spans of one set with the same pieces, label and attrs are one region
   written twice (Label Studio keeps both): they are merged into the first,
   their relations follow, and each merged copy is counted.
3. Tokens are split where a span edge falls strictly inside one, so spans
   inside a token ("IL-2R" in "IL-2R.") fit.

The tokens of a document already stored are split the same way (only split,
never merged): spans are stored by character offsets, so no stored span
moves. What still cannot be aligned (a span of whitespace only, offsets
outside the text, an edge in text the tokens leave out) raises
:class:`AlignmentError`,
which the importer reports with the record's file and line. Token splitting
is plain offsets: no tokenizer is involved.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .model import Relation, SetData, Span, Token


class AlignmentError(ValueError):
    """A span that no trimming or token split can fit; the message says which and why."""


@dataclass
class AlignmentCounts:
    """What the alignment changed in one import."""

    trimmed: int = 0  # spans with an edge moved off whitespace
    merged: int = 0  # duplicate regions folded into the first
    tokens_split: int = 0  # tokens cut at a span edge

    def add(self, other: "AlignmentCounts") -> None:
        self.trimmed += other.trimmed
        self.merged += other.merged
        self.tokens_split += other.tokens_split


def trim_piece(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading and trailing whitespace; ``start == end``
    when the piece is only whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _describe(span: Span) -> str:
    return f"span {span.label!r} [{span.start}, {span.end})"


def trim_span(text: str, span: Span) -> Span:
    """``span`` with every piece trimmed of edge whitespace (itself when nothing changes).

    Raises ``AlignmentError`` for offsets outside the text and for a piece of
    whitespace only.
    """
    pieces = []
    for start, end in span.pieces():
        if not 0 <= start < end <= len(text):
            raise AlignmentError(f"{_describe(span)}: offsets outside the text ({len(text)} characters) or empty")
        trimmed = trim_piece(text, start, end)
        if trimmed[0] == trimmed[1]:
            raise AlignmentError(f"{_describe(span)}: covers only whitespace ({text[start:end]!r})")
        pieces.append(trimmed)
    if pieces == list(span.pieces()):
        return span
    fragments = tuple(pieces) if span.fragments else ()
    return replace(span, start=min(s for s, _ in pieces), end=max(e for _, e in pieces), fragments=fragments)


def merge_duplicates(data: SetData) -> int:
    """Fold spans with the same pieces, label and attrs into the first one,
    pointing their relations at it and dropping relations that become
    identical. Returns the number of spans folded away."""
    first: dict[tuple, int] = {}
    alias: dict[int, int] = {}
    kept: list[Span] = []
    for span in data.spans:
        key = (span.pieces(), span.label, _frozen(span.attrs))
        if key in first:
            alias[span.id] = first[key]
        else:
            first[key] = span.id
            kept.append(span)
    if not alias:
        return 0
    data.spans = kept
    seen: set[tuple[int, int, str, object]] = set()
    relations: list[Relation] = []
    for rel in data.relations:
        rel = replace(rel, head=alias.get(rel.head, rel.head), child=alias.get(rel.child, rel.child))
        key = (rel.head, rel.child, rel.label, _frozen(rel.attrs))
        if key not in seen:
            seen.add(key)
            relations.append(rel)
    data.relations = relations
    return len(alias)


def _frozen(value: object) -> object:
    """A hashable stand-in for attrs (dicts and lists of JSON values)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def span_boundaries(sets: Iterable[SetData]) -> set[int]:
    """Every offset where a span piece of ``sets`` begins or ends."""
    return {offset for data in sets for span in data.spans for piece in span.pieces() for offset in piece}


def split_tokens(tokens: Sequence[Token], offsets: Iterable[int]) -> list[Token]:
    """``tokens`` with each token cut at the offsets that fall strictly inside it.

    The first pieces of a cut token are followed by no whitespace; the last
    keeps the token's own ``ws``. Offsets on a boundary or between tokens
    change nothing.
    """
    cuts = sorted(set(offsets))
    out: list[Token] = []
    for tok in tokens:
        first = bisect_right(cuts, tok.start)
        last = bisect_left(cuts, tok.end)
        start = tok.start
        for cut in cuts[first:last]:
            out.append(Token(start, cut, False))
            start = cut
        out.append(tok if start == tok.start else Token(start, tok.end, tok.ws))
    return out


def align(text: str, tokens: Sequence[Token], sets: Sequence[SetData]) -> tuple[list[Token], AlignmentCounts]:
    """Fit the spans of ``sets`` (changed in place) to ``text`` and return the
    tokens split at their edges, with what was changed.

    Raises ``AlignmentError`` for the first span that cannot be aligned.
    """
    counts = AlignmentCounts()
    if not any(data.spans for data in sets):
        return list(tokens), counts
    for data in sets:
        trimmed = [trim_span(text, span) for span in data.spans]
        counts.trimmed += sum(a is not b for a, b in zip(trimmed, data.spans))
        data.spans = trimmed
        counts.merged += merge_duplicates(data)
    edges = span_boundaries(sets)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    split = tokens
    if any(edge not in starts and edge not in ends for edge in edges):
        split = split_tokens(tokens, edges)
        counts.tokens_split = len(split) - len(tokens)
        starts = {t.start for t in split}
        ends = {t.end for t in split}
    for data in sets:
        for span in data.spans:
            for start, end in span.pieces():
                if start in starts and end in ends:
                    continue
                raise AlignmentError(
                    f"{_describe(span)}: {text[start:end]!r} cannot be aligned: an edge falls in text no token covers"
                )
    return split if isinstance(split, list) else list(split), counts
