"""Precision, recall and F1 of predicted spans and relations against reference sets.

A span counts as found when start, end and label all match. A relation
counts as found when its type and both of its spans (offsets and labels)
match, in the same direction unless the type is symmetric.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .model import AnnotationSet, Relation, Span

SpanKey = tuple[int, int, str]


@dataclass
class Counts:
    """True positives, false positives and false negatives of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Evaluation:
    """Counts per span label and per relation type, over ``documents`` documents."""

    documents: int = 0
    spans: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)

    @staticmethod
    def total(by_label: dict[str, Counts]) -> Counts:
        out = Counts()
        for counts in by_label.values():
            out.add(counts)
        return out

    def table(self) -> str:
        """A plain-text table: one line per label, then the micro-averaged total."""
        lines = [f"{self.documents} documents", f"{'':<24}{'P':>8}{'R':>8}{'F':>8}{'found':>8}{'wrong':>8}{'missed':>8}"]
        for title, by_label in (("spans", self.spans), ("relations", self.relations)):
            lines.append(title)
            for label in sorted(by_label):
                lines.append(_row(f"  {label}", by_label[label]))
            lines.append(_row("  all", self.total(by_label)))
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        def part(by_label: dict[str, Counts]) -> dict:
            rows = {**by_label, "all": self.total(by_label)}
            return {
                k: {"p": round(c.precision, 4), "r": round(c.recall, 4), "f": round(c.f1, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for k, c in rows.items()
            }

        return {"documents": self.documents, "spans": part(self.spans), "relations": part(self.relations)}


def _row(name: str, c: Counts) -> str:
    return f"{name:<24}{100 * c.precision:>8.1f}{100 * c.recall:>8.1f}{100 * c.f1:>8.1f}{c.tp:>8}{c.fp:>8}{c.fn:>8}"


def _span_keys(spans: Iterable[Span]) -> set[SpanKey]:
    return {(s.start, s.end, s.label) for s in spans}


def _relation_keys(spans: dict[int, Span], relations: Iterable[Relation], symmetric: frozenset[str]) -> set[tuple]:
    keys = set()
    for rel in relations:
        head, child = spans.get(rel.head), spans.get(rel.child)
        if head is None or child is None:
            continue
        a, b = (head.start, head.end, head.label), (child.start, child.end, child.label)
        if rel.label in symmetric:
            a, b = min(a, b), max(a, b)
        keys.add((a, b, rel.label))
    return keys


def _count(by_label: dict[str, Counts], gold: set[tuple], found: set[tuple], label_of) -> None:
    for key in gold | found:
        counts = by_label.setdefault(label_of(key), Counts())
        if key in gold and key in found:
            counts.tp += 1
        elif key in found:
            counts.fp += 1
        else:
            counts.fn += 1


def evaluate(pairs: Iterable[tuple[AnnotationSet, AnnotationSet]], *, symmetric: Iterable[str] = ()) -> Evaluation:
    """Score each ``(reference, predicted)`` pair of sets of one document."""
    sym = frozenset(symmetric)
    result = Evaluation()
    for reference, predicted in pairs:
        result.documents += 1
        _count(result.spans, _span_keys(reference.spans.values()), _span_keys(predicted.spans.values()), lambda k: k[2])
        _count(
            result.relations,
            _relation_keys(reference.spans, reference.relations.values(), sym),
            _relation_keys(predicted.spans, predicted.relations.values(), sym),
            lambda k: k[2],
        )
    return result
