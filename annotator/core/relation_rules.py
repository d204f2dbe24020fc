"""Relation suggestions from spans: event roles found within one sentence.

The rules pre-annotator finds event triggers (INVESTMENT, PARTNERSHIP) and
entities; :func:`suggest_relations` hangs the obvious roles from each trigger,
so a new annotator sees the arcs pre-drawn. The rules choose precision over
recall and never look past the trigger's sentence:

``investor``  INVESTMENT -> the nearest ORG or PERSON before the trigger
              ("Foxconn has committed to invest").
``partner``   PARTNERSHIP -> each ORG of the "A and B" / "A, B and C" list
              that ends with the ORG nearest before the trigger ("Foxconn and
              OpenAI announced a broad partnership"); a lone ORG is no list and
              gives nothing.
``amount``    INVESTMENT -> the nearest MONEY after the trigger
              ("invest an initial $5 billion").
``location``  INVESTMENT -> the nearest GPE or LOC after the trigger written
              right after "in" or "in the" ("operations in the United States"),
              with no comma, semicolon, colon or dash between them: "invest
              in the terminal, which ... farms in Spain" gives no location.

A role is looked for only between the trigger and the next (or previous)
trigger of the sentence, so two events of one sentence do not share roles.
Each rule runs only when the given relation types include its name and that
type accepts the pair of labels, so the project's scheme decides what may be
suggested. Plain Python over the text and spans: it works for any pipeline
that produces trigger spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Iterable, Sequence

from .model import Relation, Span
from .scheme import RelationType

INVESTMENT = "INVESTMENT"
PARTNERSHIP = "PARTNERSHIP"
TRIGGER_LABELS = frozenset([INVESTMENT, PARTNERSHIP])

# What may follow a sentence's final mark before the whitespace: more marks,
# closing quotes and brackets.
_CLOSERS = frozenset(".!?\"'”’)]")
# Words whose final period does not end a sentence (compared without the period).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr gen gov sen rep rev mt ft inc co corp ltd no vs
    approx est dept jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# What may stand between two names of one list: ", " / " and " / ", and " / " & ".
_LIST_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)", re.IGNORECASE)
# What a location must follow: "in" or "in the", ending right where it starts.
_IN_BEFORE = re.compile(r"(?:^|\W)in\s+(?:the\s+)?$", re.IGNORECASE)
# Marks that end a clause: a location after one belongs to something else.
_CLAUSE_BREAK = re.compile(r"[,;:–—]| - ")
_LOOKBACK = 8  # characters of "in the " before a location, with spare room
_WORD_LOOKBACK = 32  # characters before a period searched for its word
_BY_POSITION = attrgetter("start", "end")


@dataclass(frozen=True)
class RoleRule:
    """One role: relation ``name`` from a ``head`` trigger to a child with one
    of ``children`` labels, looked for ``before`` or after the trigger."""

    name: str
    head: str
    children: frozenset[str]
    before: bool


RULES: tuple[RoleRule, ...] = (
    RoleRule("investor", INVESTMENT, frozenset(["ORG", "PERSON"]), before=True),
    RoleRule("partner", PARTNERSHIP, frozenset(["ORG"]), before=True),
    RoleRule("amount", INVESTMENT, frozenset(["MONEY"]), before=False),
    RoleRule("location", INVESTMENT, frozenset(["GPE", "LOC"]), before=False),
)


def sentence_bounds(text: str) -> list[int]:
    """Offsets where a sentence after the first one begins, in order.

    A sentence ends at a line break, or at ``.``, ``!`` or ``?`` (with any
    closing quotes or brackets) followed by whitespace, unless the period ends
    an abbreviation: a single letter ("R."), a word with inner periods
    ("U.S.") or a word of :data:`ABBREVIATIONS` ("Co.", "Dr."). Such a period
    may still end a sentence; the two sentences are then taken as one, which
    can only cost suggestions, never add wrong ones. Empty text gives ``[]``.
    """
    found = set()
    for mark in ".!?\n":
        at = text.find(mark)
        while at >= 0:
            end = _bound_at(text, at, mark)
            if end >= 0:
                found.add(end)
            at = text.find(mark, at + 1)
    return sorted(found)


def _bound_at(text: str, at: int, mark: str) -> int:
    """Where the next sentence begins when ``mark`` at ``at`` ends one, else -1."""
    if mark == "\n":
        return at + 1
    end, size = at + 1, len(text)
    while end < size and text[end] in _CLOSERS:
        end += 1
    if end >= size or not text[end].isspace() or (mark == "." and _abbreviation(text, at, end)):
        return -1
    return end


def _first_bound(text: str, lo: int, hi: int) -> int:
    """The first sentence start in ``(lo, hi]`` (see :func:`sentence_bounds`), else ``hi``."""
    best = hi
    for mark in ".!?\n":
        at = text.find(mark, lo, best)
        while at >= 0:
            end = _bound_at(text, at, mark)
            if end >= 0:
                best = min(best, end)
                break
            at = text.find(mark, at + 1, best)
    return best


def _last_bound(text: str, lo: int, hi: int) -> int:
    """The last sentence start in ``(lo, hi]`` (see :func:`sentence_bounds`), else ``lo``."""
    best = lo
    for mark in ".!?\n":
        at = text.rfind(mark, best, hi)
        while at >= 0:
            end = _bound_at(text, at, mark)
            if 0 <= end <= hi:
                best = max(best, end)
                break
            at = text.rfind(mark, best, at)
    return best


def _abbreviation(text: str, at: int, end: int) -> bool:
    """Whether the period at ``at`` (its run of marks and closers ending at
    ``end``) ends an abbreviation rather than a sentence."""
    if end > at + 1 and text[at + 1 : end].strip("\"'”’)]"):
        return False  # "etc.." or "Inc.?": more than a lone period
    lo = max(0, at - _WORD_LOOKBACK)
    word = text[max(text.rfind(" ", lo, at), text.rfind("\n", lo, at), lo - 1) + 1 : at].lstrip("\"'“‘([")
    return len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS


def suggest_relations(
    text: str,
    spans: Sequence[Span],
    relation_types: Iterable[RelationType],
    *,
    origin: str = "rule",
) -> list[Relation]:
    """Role relations between ``spans`` of ``text`` (see the module docstring).

    Args:
        text: the document text the span offsets index.
        spans: the suggested spans, with ids unique within the list; any
            order, overlaps allowed.
        relation_types: the relation types of the project's scheme; a rule
            whose type is missing, or does not accept the pair of labels, is
            skipped.
        origin: the origin of the relations made.

    Returns:
        Relations referring to span ids, with ids from 1, ordered by trigger
        (in text order), then rule (investor, partner, amount, location),
        then child position. Empty when no span is a trigger.
    """
    by_head = _rules_by_head(tuple(relation_types))
    if not by_head or not any(s.label in by_head for s in spans):
        return []
    ordered = sorted(spans, key=_BY_POSITION)
    triggers = [i for i, s in enumerate(ordered) if s.label in TRIGGER_LABELS]
    found: list[tuple[int, int, str]] = []
    for n, t in enumerate(triggers):
        trigger = ordered[t]
        rules = by_head.get(trigger.label)
        if not rules:
            continue
        # a trigger's roles lie in its sentence, between the triggers around it
        first = triggers[n - 1] + 1 if n else 0
        last = triggers[n + 1] if n + 1 < len(triggers) else len(ordered)
        lower = upper = -1  # the window's sentence bounds, found when a rule needs them
        for rule, allowed in rules:
            if rule.before:
                if lower < 0:
                    lower = _last_bound(text, ordered[first - 1].end if n else 0, trigger.start)
                candidates = [
                    s for s in ordered[first:t] if s.label in allowed and lower <= s.start and s.end <= trigger.start
                ]
            else:
                if upper < 0:
                    upper = _first_bound(text, trigger.end, ordered[last].start if last < len(ordered) else len(text))
                candidates = [
                    s for s in ordered[t + 1 : last] if s.label in allowed and trigger.end <= s.start and s.end <= upper
                ]
            if candidates:
                found.extend((trigger.id, child.id, rule.name) for child in _children(text, rule, candidates, trigger.end))
    return [Relation(i, head, child, label, origin) for i, (head, child, label) in enumerate(found, start=1)]

@lru_cache(maxsize=16)
def _rules_by_head(relation_types: tuple[RelationType, ...]) -> dict[str, list[tuple[RoleRule, frozenset[str]]]]:
    """Trigger label -> the rules that apply, each with the child labels its
    relation type accepts for that trigger; rules with no such label left out."""
    types = {rtype.name: rtype for rtype in relation_types}
    by_head: dict[str, list[tuple[RoleRule, frozenset[str]]]] = {}
    for rule in RULES:
        rtype = types.get(rule.name)
        if rtype is None:
            continue
        allowed = frozenset(label for label in rule.children if rtype.accepts(rule.head, label))
        if allowed:
            by_head.setdefault(rule.head, []).append((rule, allowed))
    return by_head


def _children(text: str, rule: RoleRule, candidates: list[Span], trigger_end: int) -> list[Span]:
    """The children ``rule`` picks among ``candidates`` (its window's spans, in text order)."""
    if not candidates:
        return []
    if rule.name == "partner":
        chain = [candidates[-1]]
        for previous in reversed(candidates[:-1]):
            if previous.end > chain[0].start or not _LIST_JOINER.fullmatch(text, previous.end, chain[0].start):
                break
            chain.insert(0, previous)
        return chain if len(chain) > 1 else []
    if rule.name == "location":
        for span in candidates:
            if _CLAUSE_BREAK.search(text, trigger_end, span.start):
                break
            if _IN_BEFORE.search(text, max(0, span.start - _LOOKBACK), span.start):
                return [span]
        return []
    return [candidates[-1] if rule.before else candidates[0]]
