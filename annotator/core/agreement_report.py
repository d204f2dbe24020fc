"""The agreement report: figures per annotator pair and for the whole set.

Built by ``core.agreement.compute_agreement`` (whose docstring defines every
figure); ``to_dict()`` is the JSON form (stable key order, ``None`` where a
figure is undefined), ``format_table()`` the text the CLI prints, and
``scope()``/``headline()`` the two lines both the CLI and the review window
lead with, so the two never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class MatchCounts:
    """Matched items between a reference annotator A and another annotator B.

    ``tp`` items matched, ``fp`` items only B has, ``fn`` items only A has.
    Precision, recall and F1 are ``None`` when their denominator is zero
    (for F1: neither annotator has any item). F1 does not depend on which
    annotator is the reference.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def __add__(self, other: "MatchCounts") -> "MatchCounts":
        return MatchCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class MatchScores:
    """Match counts per label (sorted by name) and micro-averaged overall."""

    per_label: Mapping[str, MatchCounts]

    @property
    def overall(self) -> MatchCounts:
        return sum(self.per_label.values(), MatchCounts())

    def __add__(self, other: "MatchScores") -> "MatchScores":
        names = sorted(set(self.per_label) | set(other.per_label))
        return MatchScores(
            {n: self.per_label.get(n, MatchCounts()) + other.per_label.get(n, MatchCounts()) for n in names}
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_label": {name: counts.to_dict() for name, counts in self.per_label.items()},
        }


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of annotator ``a`` (the reference) with annotator ``b``.

    Computed over the ``documents`` both have a set for, ``tokens`` tokens,
    ``annotated_tokens`` of which at least one of the two labelled. ``kappa``
    counts every token (two ``O`` agree); ``kappa_annotated`` only the
    annotated tokens (the INCEpTION/DKPro convention).
    """

    a: str
    b: str
    documents: int
    tokens: int
    spans_exact: MatchScores
    spans_overlap: MatchScores
    kappa: float | None
    kappa_per_label: Mapping[str, float | None]
    relations: MatchScores
    kappa_annotated: float | None = None
    kappa_annotated_per_label: Mapping[str, float | None] = field(default_factory=dict)
    annotated_tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "tokens": self.tokens,
            "spans": {"exact": self.spans_exact.to_dict(), "overlap": self.spans_overlap.to_dict()},
            "kappa": {"overall": self.kappa, "per_label": dict(self.kappa_per_label)},
            "kappa_annotated": {
                "tokens": self.annotated_tokens,
                "overall": self.kappa_annotated,
                "per_label": dict(self.kappa_annotated_per_label),
            },
            "relations": self.relations.to_dict(),
        }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


@dataclass(frozen=True)
class AgreementReport:
    """Every agreement figure for a set of annotators over the compared documents.

    ``documents`` is how many documents were compared out of
    ``documents_considered``; Fleiss' kappa only uses the ``fleiss_documents``
    that every annotator has a set for (all of them unless ``include_all``).
    Token categories are a span label or ``"O"``; per-label figures treat one
    label against everything else.
    """

    annotators: tuple[str, ...]
    statuses: tuple[str, ...] | None
    documents_considered: int
    documents: int
    tokens: int
    labels: tuple[str, ...]
    relation_labels: tuple[str, ...]
    pairs: tuple[PairAgreement, ...]
    fleiss_kappa: float | None
    fleiss_per_label: Mapping[str, float | None]
    fleiss_documents: int
    fleiss_tokens: int
    alpha: float | None
    alpha_per_label: Mapping[str, float | None]

    def pair(self, a: str, b: str) -> PairAgreement:
        """The figures for two annotators, in either order (A stays the first compared)."""
        for p in self.pairs:
            if {p.a, p.b} == {a, b}:
                return p
        raise KeyError(f"no pair {a!r}/{b!r} in the report")

    # -- figures pooled over all pairs ---------------------------------------
    def pooled_exact(self) -> MatchScores:
        """Exact span matches summed over every pair (micro over pairs)."""
        return sum((p.spans_exact for p in self.pairs), MatchScores({}))

    def pooled_overlap(self) -> MatchScores:
        return sum((p.spans_overlap for p in self.pairs), MatchScores({}))

    def pooled_relations(self) -> MatchScores:
        return sum((p.relations for p in self.pairs), MatchScores({}))

    def mean_kappa(self, label: str | None = None, *, annotated: bool = False) -> float | None:
        """Mean pairwise Cohen's kappa (Light's kappa) overall or for one label,
        over all tokens or (``annotated``) only tokens someone labelled; pairs
        whose kappa is undefined are left out."""
        if annotated:
            if label is None:
                return _mean([p.kappa_annotated for p in self.pairs])
            return _mean([p.kappa_annotated_per_label.get(label) for p in self.pairs])
        if label is None:
            return _mean([p.kappa for p in self.pairs])
        return _mean([p.kappa_per_label.get(label) for p in self.pairs])

    def scope(self) -> str:
        """What was compared: ``Agreement of alice, bob: 3 of 5 documents
        compared (sets done or reviewed), 1,234 tokens``."""
        which = "all sets" if self.statuses is None else "sets " + " or ".join(self.statuses)
        return (
            f"Agreement of {', '.join(self.annotators)}: {self.documents} of "
            f"{_plural(self.documents_considered, 'document')} compared ({which}), "
            f"{_plural(self.tokens, 'token')}"
        )

    def headline(self) -> str:
        """The figures to read first: span F1 (exact, then overlap) and the
        token kappa both ways, named."""
        return (
            f"Span F1 {_fmt(self.pooled_exact().overall.f1)} exact, {_fmt(self.pooled_overlap().overall.f1)} overlap; "
            f"token kappa {_fmt(self.mean_kappa(annotated=True))} on annotated tokens, "
            f"{_fmt(self.mean_kappa())} on all tokens"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "statuses": None if self.statuses is None else list(self.statuses),
            "documents_considered": self.documents_considered,
            "documents": self.documents,
            "tokens": self.tokens,
            "labels": list(self.labels),
            "relation_labels": list(self.relation_labels),
            "fleiss_kappa": {
                "documents": self.fleiss_documents,
                "tokens": self.fleiss_tokens,
                "overall": self.fleiss_kappa,
                "per_label": dict(self.fleiss_per_label),
            },
            "krippendorff_alpha": {
                "tokens": self.tokens,
                "overall": self.alpha,
                "per_label": dict(self.alpha_per_label),
            },
            "all_pairs": {
                "spans": {"exact": self.pooled_exact().to_dict(), "overlap": self.pooled_overlap().to_dict()},
                "mean_kappa": {
                    "overall": self.mean_kappa(),
                    "per_label": {label: self.mean_kappa(label) for label in self.labels},
                },
                "mean_kappa_annotated": {
                    "overall": self.mean_kappa(annotated=True),
                    "per_label": {label: self.mean_kappa(label, annotated=True) for label in self.labels},
                },
                "relations": self.pooled_relations().to_dict(),
            },
            "pairs": [p.to_dict() for p in self.pairs],
        }

    # -- text ----------------------------------------------------------------
    def format_table(self) -> str:
        """A plain-text rendering: a header, the whole-set span and relation
        tables, then one table per pair when there are more than two annotators.
        Undefined figures print as ``-``."""
        lines = [
            self.scope(),
            self.headline(),
            f"Fleiss' kappa {_fmt(self.fleiss_kappa)} ({_plural(self.fleiss_documents, 'document')}), "
            f"Krippendorff's alpha (nominal) {_fmt(self.alpha)}, both on all tokens",
        ]
        if len(self.pairs) > 1:
            lines.append(
                f"F1 pooled over {len(self.pairs)} pairs, kappa = mean pairwise Cohen's kappa; per pair below"
            )
        lines.append("")
        lines += self._span_table(self.pooled_exact(), self.pooled_overlap(), self.mean_kappa, whole_set=True)
        lines.append("")
        lines += _relation_table(self.pooled_relations(), counts=len(self.pairs) == 1)
        if len(self.pairs) > 1:
            for p in self.pairs:
                size = f"{_plural(p.documents, 'document')}, {_plural(p.tokens, 'token')}"
                lines += ["", f"{p.a} vs {p.b}: {size}"]
                lines += self._span_table(
                    p.spans_exact,
                    p.spans_overlap,
                    lambda label=None, annotated=False, p=p: _pair_kappa(p, label, annotated),
                    whole_set=False,
                )
                lines += ["", *_relation_table(p.relations)]
        return "\n".join(lines) + "\n"

    def _span_table(
        self, exact: MatchScores, overlap: MatchScores, kappa: Any, *, whole_set: bool
    ) -> list[str]:
        counts = len(self.pairs) == 1 or not whole_set
        header = ["label", *(["n A", "n B"] if counts else []), "F1 exact", "F1 overlap", "kappa ann", "kappa all"]
        if whole_set:
            header += ["Fleiss", "alpha"]
        rows = []
        for label in (*self.labels, None):
            ex = exact.overall if label is None else exact.per_label.get(label, MatchCounts())
            ov = overlap.overall if label is None else overlap.per_label.get(label, MatchCounts())
            row = ["overall" if label is None else label]
            if counts:
                row += [str(ex.tp + ex.fn), str(ex.tp + ex.fp)]
            row += [_fmt(ex.f1), _fmt(ov.f1), _fmt(kappa(label, annotated=True)), _fmt(kappa(label))]
            if whole_set:
                row.append(_fmt(self.fleiss_kappa if label is None else self.fleiss_per_label.get(label)))
                row.append(_fmt(self.alpha if label is None else self.alpha_per_label.get(label)))
            rows.append(row)
        return _grid(header, rows)


def _pair_kappa(p: PairAgreement, label: str | None, annotated: bool) -> float | None:
    if annotated:
        return p.kappa_annotated if label is None else p.kappa_annotated_per_label.get(label)
    return p.kappa if label is None else p.kappa_per_label.get(label)


def _relation_table(scores: MatchScores, *, counts: bool = True) -> list[str]:
    if not scores.per_label:
        return ["relations: none annotated"]
    rows = [
        [
            name,
            *([str(c.tp + c.fn), str(c.tp + c.fp)] if counts else []),
            _fmt(c.precision),
            _fmt(c.recall),
            _fmt(c.f1),
        ]
        for name, c in (*scores.per_label.items(), ("overall", scores.overall))
    ]
    return _grid(["relation", *(["n A", "n B"] if counts else []), "precision", "recall", "F1"], rows)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    out = []
    for r in (header, *rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
    return out
