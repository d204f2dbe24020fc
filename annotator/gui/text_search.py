"""Where a search shows up in a document's text, free of Qt.

The document list's search goes to SQLite full-text search, which matches
whole words, and a prefix for the last one (``store.project.fts_query``);
``query_matches`` finds the same words in the open text so they can be
highlighted. ``phrase_matches`` is the find-in-document: a phrase as typed.
"""
from __future__ import annotations

import re


def query_matches(text: str, query: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``query`` in ``text``, in reading
    order, case-insensitively: whole words, except that the last word also
    matches the start of a longer word. Empty for an empty query."""
    words = query.split()
    if not words:
        return []
    parts = [rf"\b{re.escape(w)}\b" for w in words[:-1]]
    parts.append(rf"\b{re.escape(words[-1])}\w*")
    pattern = re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def phrase_matches(text: str, phrase: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every occurrence of ``phrase`` in ``text``,
    case-insensitively and without overlaps. Empty for an empty phrase."""
    if not phrase:
        return []
    return [m.span() for m in re.finditer(re.escape(phrase), text, re.IGNORECASE)]


def step(count: int, current: int | None, direction: int) -> int | None:
    """The match to go to from ``current`` (None: none yet) one step in
    ``direction`` (1 or -1), wrapping around; None when there are no matches."""
    if count == 0:
        return None
    if current is None:
        return 0 if direction > 0 else count - 1
    return (current + direction) % count
