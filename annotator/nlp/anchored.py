"""Token patterns matched only around anchor tokens.

A spaCy ``Matcher`` pays a Python cost at every token of what it is given, and
that cost dominates a rule pipeline over long news articles. Most patterns
cannot match without one of a few words (a month name, a currency symbol), and
a ``PhraseMatcher`` finds those words at next to no cost. ``AnchoredMatcher``
finds the anchors, widens each by the longest pattern's length, and runs the
``Matcher`` on those windows only; patterns without a usable anchor, or of
unbounded length, run over the whole ``Doc`` as usual.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

# Token attributes an anchor can be looked up by, and the PhraseMatcher
# attribute that does it ("TEXT" is "ORTH" to spaCy).
_ANCHOR_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "SHAPE": "SHAPE"}
_REQUIRED_OPS = (None, "1")

Anchors = dict[str, list[str]]  # PhraseMatcher attribute -> values


def _word_for_shape(shape: str) -> str:
    """A word whose spaCy shape is ``shape`` ("dddd" -> "0000")."""
    return shape.replace("d", "0").replace("x", "a").replace("X", "A")


def _spec_values(spec: dict) -> tuple[str, list[str]] | None:
    """The anchor attribute and values of one token spec, if it has one."""
    for key, value in spec.items():
        attr = _ANCHOR_ATTRS.get(key.upper())
        if attr is None:
            continue
        if isinstance(value, str):
            return attr, [value]
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            return attr, list(value["IN"])
    return None


def pattern_anchor(pattern: list[dict], vocab: Vocab) -> tuple[str, list[str]] | None:
    """The best anchor of a token pattern, or ``None`` if it has none.

    Candidates are required specs (no ``OP``, or ``OP: "1"``) that test
    ORTH/TEXT, LOWER or SHAPE against a string or an ``IN`` list. The one
    with the fewest stop words and punctuation among its values wins (ties:
    the first), because an anchor on "the" or "," would window the whole text.
    A candidate made only of such common words is not used.
    """
    best: tuple[int, str, list[str]] | None = None
    for spec in pattern:
        if spec.get("OP") not in _REQUIRED_OPS:
            continue
        found = _spec_values(spec)
        if found is None:
            continue
        attr, values = found
        common = 0 if attr == "SHAPE" else sum(1 for v in values if vocab[v].is_stop or vocab[v].is_punct)
        if common == len(values):
            continue
        if best is None or common < best[0]:
            best = (common, attr, values)
    return None if best is None else (best[1], best[2])


class AnchoredMatcher:
    """A ``Matcher`` that only looks near anchor tokens.

    Args:
        vocab: the pipeline's vocabulary.
        patterns: label -> token patterns, as for ``Matcher.add``.
        anchors: attribute -> values that every pattern's match contains; if
            ``None``, each pattern's anchor is derived with ``pattern_anchor``.
        greedy: passed to ``Matcher.add`` (``"LONGEST"`` keeps the longest of
            overlapping matches of one label).
    """

    def __init__(
        self,
        vocab: Vocab,
        patterns: dict[str, list[list[dict]]],
        *,
        anchors: Anchors | None = None,
        greedy: str | None = None,
    ) -> None:
        self.windowed = Matcher(vocab)
        self.everywhere = Matcher(vocab)
        found: Anchors = defaultdict(list)
        self.window = 0
        for label, label_patterns in patterns.items():
            windowed, everywhere = [], []
            for pattern in label_patterns:
                bounded = all(spec.get("OP") in (None, "1", "?", "!") for spec in pattern)
                anchor = ("given", []) if anchors is not None else pattern_anchor(pattern, vocab)
                if bounded and anchor is not None:
                    windowed.append(pattern)
                    self.window = max(self.window, len(pattern))
                    if anchors is None:
                        found[anchor[0]].extend(anchor[1])
                else:
                    everywhere.append(pattern)
            if windowed:
                self.windowed.add(label, windowed, greedy=greedy)
            if everywhere:
                self.everywhere.add(label, everywhere, greedy=greedy)
        self.anchors = self._anchor_matchers(vocab, anchors if anchors is not None else found)

    @staticmethod
    def _anchor_matchers(vocab: Vocab, anchors: Anchors) -> list[PhraseMatcher]:
        matchers = []
        for attr, values in anchors.items():
            if attr == "LOWER":
                values = [v.lower() for v in values]
            elif attr == "SHAPE":
                values = [_word_for_shape(v) for v in values]
            matcher = PhraseMatcher(vocab, attr=attr)
            matcher.add("ANCHOR", [Doc(vocab, words=[v]) for v in dict.fromkeys(values)])
            matchers.append(matcher)
        return matchers

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges ``[start, end)`` around the anchors, merged, in order."""
        if not len(self.windowed):
            return []
        hits = sorted((start, end) for matcher in self.anchors for _, start, end in matcher(doc))
        merged: list[tuple[int, int]] = []
        for start, end in hits:
            lo, hi = max(0, start - self.window), min(len(doc), end + self.window)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matches as ``(match_id, start, end)`` token offsets into ``doc``, sorted.

        The same as a ``Matcher`` holding all the patterns would return, for
        patterns whose matches all contain an anchor.
        """
        matches: Iterable[tuple[int, int, int]] = (
            (key, lo + start, lo + end)
            for lo, hi in self.windows(doc)
            for key, start, end in self.windowed(doc[lo:hi])
        )
        if len(self.everywhere):
            matches = [*matches, *self.everywhere(doc)]
        return sorted(matches, key=lambda m: (m[1], m[2], m[0]))


def add_to_group(doc: Doc, key: str, spans: list[Span]) -> None:
    """Append ``spans`` to the Doc's span group ``key``, creating it if needed."""
    if not spans:
        return
    if key in doc.spans:
        doc.spans[key].extend(spans)
    else:
        doc.spans[key] = spans
