"""A relation classifier over the span pairs a scheme allows.

For each pair of spans in one sentence (as :func:`core.relation_rules.sentence_bounds`
splits it), a softmax over "no relation" and every (relation type, direction)
the scheme accepts for the two labels. Features are hashed words and labels
around and between the spans; weights are a small numpy matrix trained with
AdaGrad, so training on a thousand documents takes a second or two.

The classifier rides in a spaCy pipeline as the ``annotator_relations_v1``
component: it reads the Doc's entities and writes the relations it finds to
``doc.user_data["annotator_relations"]`` as ``((head_start, head_end,
head_label), (child_start, child_end, child_label), type, score)`` in
characters, and is saved with the pipeline (``relations.npz``).
"""
from __future__ import annotations

import json
import random
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ..core.model import AnnotationSet, Document
from ..core.relation_rules import sentence_bounds
from ..core.scheme import RelationType

FACTORY = "annotator_relations_v1"
USER_DATA_KEY = "annotator_relations"
BITS = 18
MAX_BETWEEN = 12

# (start token, end token, label): a span on a token sequence
TokSpan = tuple[int, int, str]
CharSpan = tuple[int, int, str]


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << BITS) - 1)


def pair_features(words: Sequence[str], first: TokSpan, second: TokSpan, between_spans: int) -> numpy.ndarray:
    """Hashed feature ids for a pair of spans, ``first`` before ``second`` in the text."""
    (s1, e1, l1), (s2, e2, l2) = first, second
    low = [w.lower() for w in words]
    labels = f"{l1}|{l2}"
    gap = max(0, s2 - e1)
    between = low[e1:s2]
    feats = [
        "bias", f"L={labels}", f"D={min(gap, 10)}", f"LD={labels}|{min(gap, 10)}", f"E={min(between_spans, 3)}",
        f"H1={low[e1 - 1]}", f"H2={low[e2 - 1]}", f"F1={low[s1]}", f"F2={low[s2]}",
        f"P={low[s1 - 1] if s1 else '<s>'}", f"N={low[e2] if e2 < len(low) else '</s>'}",
        f"LH1={labels}|{low[e1 - 1]}", f"LH2={labels}|{low[e2 - 1]}",
    ]
    if len(between) > MAX_BETWEEN:
        feats.append("far")
        between = between[:MAX_BETWEEN // 2] + between[-MAX_BETWEEN // 2:]
    for i, word in enumerate(between):
        feats.append(f"B={word}")
        feats.append(f"LB={labels}|{word}")
        if i + 1 < len(between):
            feats.append(f"BB={word}_{between[i + 1]}")
    if between:
        feats.append(f"B0={between[0]}")
        feats.append(f"B9={between[-1]}")
    else:
        feats.append("adjacent")
    return numpy.array(sorted({_hash(f) for f in feats}), dtype=numpy.int64)


@dataclass(frozen=True)
class Candidate:
    """A span pair and the classes it may take (indices into ``RelationModel.classes``)."""

    first: int  # index of the earlier span
    second: int
    features: numpy.ndarray
    allowed: numpy.ndarray  # bool mask over classes; class 0 ("none") always allowed


class RelationModel:
    """Softmax regression over hashed pair features, constrained by the scheme.

    Classes are ``None`` (no relation) and ``(type, forward)`` for each
    relation type and direction: forward means the earlier span is the head.
    A symmetric type has the forward class only.
    """

    def __init__(self, relation_types: Sequence[RelationType]) -> None:
        self.types = tuple(relation_types)
        self.classes: list[tuple[str, bool] | None] = [None]
        for rel in self.types:
            self.classes.append((rel.name, True))
            if not rel.symmetric:
                self.classes.append((rel.name, False))
        self.weights = numpy.zeros((1 << BITS, len(self.classes)), dtype=numpy.float32)
        self.squares = numpy.full_like(self.weights, 1e-3)

    # -- candidates --------------------------------------------------------------
    def _allowed(self, first: str, second: str) -> numpy.ndarray:
        by_name = {rel.name: rel for rel in self.types}
        mask = numpy.zeros(len(self.classes), dtype=bool)
        mask[0] = True
        for i, cls in enumerate(self.classes[1:], start=1):
            assert cls is not None
            name, forward = cls
            head, child = (first, second) if forward else (second, first)
            mask[i] = by_name[name].accepts(head, child)
        return mask

    def candidates(self, words: Sequence[str], spans: Sequence[TokSpan], sentence_of: Sequence[int]) -> list[Candidate]:
        """Pairs of ``spans`` (sorted by start) in the same sentence that at
        least one relation type accepts in some direction."""
        out = []
        for i, a in enumerate(spans):
            for j in range(i + 1, len(spans)):
                b = spans[j]
                if sentence_of[j] != sentence_of[i]:
                    break
                if a[0] < b[1] and b[0] < a[1]:
                    continue  # overlapping spans are not related
                allowed = self._allowed(a[2], b[2])
                if not allowed[1:].any():
                    continue
                inside = sum(1 for k in range(i + 1, j) if spans[k][0] >= a[1] and spans[k][1] <= b[0])
                out.append(Candidate(i, j, pair_features(words, a, b, inside), allowed))
        return out

    # -- scoring and training ----------------------------------------------------
    def probabilities(self, cand: Candidate) -> numpy.ndarray:
        logits = self.weights[cand.features].sum(axis=0)
        logits = numpy.where(cand.allowed, logits, -numpy.inf)
        logits -= logits.max()
        exp = numpy.exp(logits)
        return exp / exp.sum()

    def train(self, examples: list[tuple[Candidate, int]], *, epochs: int, seed: int, learn_rate: float = 0.2,
              cancelled=lambda: False) -> None:
        """AdaGrad on the log loss; ``examples`` pair a candidate with its gold class index."""
        rng = random.Random(seed)
        order = list(range(len(examples)))
        for _ in range(epochs):
            rng.shuffle(order)
            for k in order:
                cand, gold = examples[k]
                grad = self.probabilities(cand)
                grad[gold] -= 1.0
                rows = cand.features
                self.squares[rows] += grad * grad
                self.weights[rows] -= learn_rate * grad / numpy.sqrt(self.squares[rows])
            if cancelled():
                return

    def predict(self, words: Sequence[str], spans: Sequence[TokSpan], sentence_of: Sequence[int]) -> list[tuple[int, int, str, float]]:
        """``(head index, child index, type, probability)`` for each pair whose
        most likely class is a relation."""
        found = []
        for cand in self.candidates(words, spans, sentence_of):
            probs = self.probabilities(cand)
            best = int(probs.argmax())
            cls = self.classes[best]
            if cls is None:
                continue
            name, forward = cls
            head, child = (cand.first, cand.second) if forward else (cand.second, cand.first)
            found.append((head, child, name, float(probs[best])))
        return found

    def gold_class(self, head: int, child: int, name: str, first: int) -> int:
        """The class index of a relation ``name`` from span ``head`` to ``child``,
        where ``first`` is the earlier of the two; 0 when the type is unknown."""
        forward = head == first
        for i, cls in enumerate(self.classes[1:], start=1):
            assert cls is not None
            if cls[0] == name and (cls[1] == forward or self._symmetric(name)):
                return i
        return 0

    def _symmetric(self, name: str) -> bool:
        return any(rel.name == name and rel.symmetric for rel in self.types)

    # -- saving ------------------------------------------------------------------
    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        types = [
            {"name": r.name, "head": list(r.head), "child": list(r.child), "symmetric": r.symmetric}
            for r in self.types
        ]
        (path / "types.json").write_text(json.dumps(types, indent=1), encoding="utf-8")
        numpy.savez_compressed(path / "weights.npz", weights=self.weights, squares=self.squares)

    @classmethod
    def from_disk(cls, path: Path) -> "RelationModel":
        types = json.loads((path / "types.json").read_text(encoding="utf-8"))
        model = cls([RelationType(t["name"], tuple(t["head"]), tuple(t["child"]), t["symmetric"]) for t in types])
        data = numpy.load(path / "weights.npz")
        model.weights, model.squares = data["weights"], data["squares"]
        return model

    def compatible(self, relation_types: Sequence[RelationType]) -> bool:
        """Whether this model's classes are those of ``relation_types`` (so training can continue)."""
        return [(r.name, r.symmetric) for r in self.types] == [(r.name, r.symmetric) for r in relation_types]


# -- sentences and tokens -------------------------------------------------------
def token_spans(starts: Sequence[int], ends: Sequence[int], spans: Iterable[CharSpan]) -> list[TokSpan | None]:
    """Character spans as token spans (None when a span does not align with tokens)."""
    out: list[TokSpan | None] = []
    for start, end, label in spans:
        i, j = bisect_left(starts, start), bisect_right(ends, end)
        ok = i < len(starts) and starts[i] == start and j > 0 and ends[j - 1] == end and i < j
        out.append((i, j, label) if ok else None)
    return out


def sentence_ids(text: str, spans: Sequence[CharSpan]) -> list[int]:
    """The sentence number of each span's start."""
    bounds = sentence_bounds(text)
    return [bisect_right(bounds, s[0]) for s in spans]


def training_examples(model: RelationModel, items: Iterable[tuple[Document, AnnotationSet]]) -> list[tuple[Candidate, int]]:
    """Candidates with their gold classes from finished sets."""
    examples = []
    for document, aset in items:
        starts = [t.start for t in document.tokens]
        ends = [t.end for t in document.tokens]
        words = [document.text[t.start:t.end] for t in document.tokens]
        ordered = [s for s in aset.sorted_spans() if not s.fragments]
        toks = token_spans(starts, ends, [(s.start, s.end, s.label) for s in ordered])
        kept = [(s, t) for s, t in zip(ordered, toks) if t is not None]
        spans = [t for _, t in kept]
        ids = [s.id for s, _ in kept]
        sentences = sentence_ids(document.text, [(s.start, s.end, s.label) for s, _ in kept])
        gold = {}
        for rel in aset.relations.values():
            if rel.head in ids and rel.child in ids:
                h, c = ids.index(rel.head), ids.index(rel.child)
                gold[(min(h, c), max(h, c))] = model.gold_class(h, c, rel.label, min(h, c))
        for cand in model.candidates(words, spans, sentences):
            examples.append((cand, gold.get((cand.first, cand.second), 0)))
    return examples


# -- the spaCy component ----------------------------------------------------------
class RelationComponent:
    """Finds relations between a Doc's entities with a :class:`RelationModel`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.model: RelationModel | None = None

    def __call__(self, doc: Doc) -> Doc:
        found = []
        if self.model is not None and doc.ents:
            ents = sorted(doc.ents, key=lambda e: (e.start, e.end))
            words = [t.text for t in doc]
            spans = [(e.start, e.end, e.label_) for e in ents]
            sentences = sentence_ids(doc.text, [(e.start_char, e.end_char, e.label_) for e in ents])
            for head, child, name, score in self.model.predict(words, spans, sentences):
                h, c = ents[head], ents[child]
                found.append(((h.start_char, h.end_char, h.label_), (c.start_char, c.end_char, c.label_), name, score))
        doc.user_data[USER_DATA_KEY] = found
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.to_disk(path)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> "RelationComponent":
        path = Path(path)
        self.model = RelationModel.from_disk(path) if (path / "types.json").is_file() else None
        return self


@Language.factory(FACTORY)
def make_relation_component(nlp: Language, name: str) -> RelationComponent:
    return RelationComponent(name)
