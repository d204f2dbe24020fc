"""Inter-annotator agreement: span F1, token kappas, alpha and relation F1.

Input is one ``DocumentSets`` per document: its tokens and the annotation
sets to compare, by owner. ``compute_agreement`` selects the documents (see
``select_documents``) and returns an ``AgreementReport``.

Definitions used throughout:

* **Span match, exact**: same start, end and label. **Overlap**: same label
  and intersecting ``[start, end)`` outer bounds, one-to-one; candidate
  pairs are taken greedily by largest overlap, then smallest union, then
  position, an order that does not depend on which annotator is the
  reference, so F1 is symmetric. Annotator A is the reference: ``fn`` are
  A's unmatched spans, ``fp`` B's.
* **Token category**: the label of the span covering the token (a span covers
  a token when their character ranges intersect; for a discontinuous span,
  when one of its pieces does), else ``"O"``. When several spans cover a
  token the longest (``end - start``) wins, then the first label by name.
* **Token kappa, all tokens** (``kappa``): Cohen's kappa over every token of
  the documents both annotators have, so two ``"O"`` count as agreement.
  Since most tokens of a news text are ``"O"``, this runs high.
* **Token kappa, annotated tokens** (``kappa_annotated``): the same over only
  the tokens at least one of the two annotators labelled (the convention of
  INCEpTION and DKPro Agreement): tokens both left ``"O"`` are left out.
  Per label, one label against every other category, on those same tokens.
* **Relation match**: same relation label, head span (start, end, label)
  and child span (start, end, label); for relation types named in
  ``symmetric_relations`` head and child may be swapped.
* A pair is compared on the documents both annotators have a set for;
  Fleiss' kappa on those every annotator has; Krippendorff's alpha on all
  selected documents, an absent set giving missing values.

Krippendorff's alpha is computed by ``reliability.nominal_alpha`` on the
distinct rating patterns rather than by the ``krippendorff`` package, whose
coincidence step allocates a units x values x values array (gigabytes for a
corpus of millions of tokens); the tests check both give the same value.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from operator import attrgetter
from typing import Collection, Iterable, Mapping, Sequence

import numpy as np

from .agreement_report import AgreementReport, MatchCounts, MatchScores, PairAgreement
from .errors import AgreementError, InvalidAnnotationError
from .model import AnnotationSet, Token, is_suggestion_owner
from .reliability import binary_table, cohen_kappa, fleiss_kappa, nominal_alpha

__all__ = [
    "DONE_STATUSES",
    "AgreementReport",
    "DocumentSets",
    "MatchCounts",
    "MatchScores",
    "PairAgreement",
    "compute_agreement",
    "select_documents",
]

DONE_STATUSES = ("done", "reviewed")

_start = attrgetter("start")
_end = attrgetter("end")


@dataclass(frozen=True)
class DocumentSets:
    """One document's tokens and its annotation sets by owner name."""

    document_id: int
    tokens: tuple[Token, ...]
    sets: Mapping[str, AnnotationSet]


def select_documents(
    documents: Iterable[DocumentSets],
    annotators: Sequence[str],
    *,
    include_all: bool = False,
    statuses: Collection[str] = DONE_STATUSES,
) -> list[DocumentSets]:
    """The documents that count for comparing ``annotators``.

    Args:
        documents: candidate documents.
        annotators: the owners being compared.
        include_all: when false (the default) keep only documents that every
            annotator has a set for with a status in ``statuses``; when true
            keep every document at least one of them has a set for, whatever
            its status.
        statuses: the statuses that count as finished.

    Returns:
        The kept documents, in input order, each with ``sets`` narrowed to
        the compared annotators.
    """
    wanted = set(statuses)
    kept = []
    for doc in documents:
        sets = {name: doc.sets[name] for name in annotators if name in doc.sets}
        if include_all:
            if not sets:
                continue
        elif len(sets) < len(annotators) or any(s.status not in wanted for s in sets.values()):
            continue
        kept.append(DocumentSets(doc.document_id, doc.tokens, sets))
    return kept


def compute_agreement(
    documents: Sequence[DocumentSets],
    annotators: Sequence[str] | None = None,
    *,
    include_all: bool = False,
    statuses: Collection[str] = DONE_STATUSES,
    symmetric_relations: Collection[str] = (),
) -> AgreementReport:
    """Every agreement figure for ``annotators`` over the selected documents.

    Args:
        documents: all candidate documents; ``select_documents`` picks those
            that count, with ``include_all`` and ``statuses``.
        annotators: owners to compare, in the order pairs are formed (the
            first of a pair is the reference). Default: every owner found,
            by name, except pre-annotators (``model:...``).
        symmetric_relations: relation labels whose direction is ignored.

    Returns:
        An ``AgreementReport``; with no selected documents every figure is
        ``None`` and every count zero.

    Raises:
        AgreementError: fewer than two annotators, a name given twice, or a
            name that owns no set in any document.
        InvalidAnnotationError: a relation points to a span missing from its set.
    """
    documents = list(documents)
    owners = sorted({name for doc in documents for name in doc.sets})
    if annotators is None:
        annotators = [o for o in owners if not is_suggestion_owner(o)]
    annotators = tuple(annotators)
    if len(set(annotators)) != len(annotators):
        raise AgreementError(f"an annotator is named twice in {list(annotators)}; name each once")
    unknown = [a for a in annotators if a not in owners]
    if unknown:
        raise AgreementError(
            f"no annotation sets by {', '.join(map(repr, unknown))}; owners in these documents: "
            f"{', '.join(owners) or 'none'}"
        )
    if len(annotators) < 2:
        raise AgreementError(
            f"agreement needs at least two annotators, got {list(annotators)}; owners: {', '.join(owners)}"
        )
    selected = select_documents(documents, annotators, include_all=include_all, statuses=statuses)
    corpus = _Corpus(selected, annotators, frozenset(symmetric_relations))
    return corpus.report(
        documents_considered=len(documents),
        statuses=None if include_all else tuple(statuses),
    )


class _Corpus:
    """The selected documents laid end to end as numpy arrays.

    Each document gets a base position so that ``base + offset`` is unique
    across the corpus and one ``searchsorted`` serves every document. For span
    matching, positions also get ``category * total`` added, so spans of
    different labels never meet. Token categories are int arrays over all
    tokens, ``-1`` where the annotator has no set for the document.
    """

    def __init__(self, docs: list[DocumentSets], annotators: tuple[str, ...], symmetric: frozenset[str]):
        self.annotators = annotators
        self.n_docs = len(docs)
        self.has = np.zeros((len(annotators), self.n_docs), dtype=bool)
        self.relations: list[Counter] = [Counter() for _ in annotators]
        label_ids: dict[str, int] = {}
        tok_counts, tok_start, tok_end, span_rows, frag_rows = self._collect(docs, label_ids, symmetric)

        # Category 0 is "O"; labels get 1.. in name order, so a lower code is an earlier name.
        self.labels = tuple(sorted(label_ids))
        self.n_cat = len(self.labels) + 1
        remap = np.zeros(len(label_ids) + 1, dtype=np.int64)
        for code, name in enumerate(self.labels, start=1):
            remap[label_ids[name]] = code
        self.relation_labels = tuple(sorted({key[1] for c in self.relations for key in c}))

        tok_doc = np.repeat(np.arange(self.n_docs), tok_counts)
        extent = np.zeros(self.n_docs, dtype=np.int64)
        np.maximum.at(extent, tok_doc, tok_end)
        for arr in span_rows:
            np.maximum.at(extent, arr[:, 0], arr[:, 2])
        base = np.concatenate([[0], np.cumsum(extent + 1)[:-1]]).astype(np.int64)
        self.total = int(extent.sum()) + self.n_docs + 1
        self.tok_start = tok_start + base[tok_doc]
        self.tok_end = tok_end + base[tok_doc]
        unsorted = tok_end < tok_start
        unsorted[1:] |= (np.diff(self.tok_start) < 0) | (np.diff(self.tok_end) < 0)
        if unsorted.any():
            raise InvalidAnnotationError(
                f"document {docs[tok_doc[np.argmax(unsorted)]].document_id}: tokens must be sorted by "
                "offset, not overlap and not end before they start; re-tokenize the document"
            )
        self.tokens = len(tok_start)

        self.spans: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.cats: list[np.ndarray] = []
        for ai in range(len(annotators)):
            arr, fr = span_rows[ai], frag_rows[ai]
            bad = (arr[:, 1] < 0) | (arr[:, 2] < arr[:, 1])
            if bad.any():
                raise InvalidAnnotationError(
                    f"document {docs[arr[np.argmax(bad), 0]].document_id}, set of {annotators[ai]!r}: a span "
                    "starts before the text or ends before it starts; fix or delete it"
                )
            doc_idx, cat = arr[:, 0], remap[arr[:, 3]]
            gs, ge = arr[:, 1] + base[doc_idx], arr[:, 2] + base[doc_idx]
            self.spans.append((doc_idx, gs, ge, cat))
            whole = arr[:, 4] == 0
            cats = np.where(np.repeat(self.has[ai], tok_counts), 0, -1).astype(np.int32)
            self._paint(
                cats,
                np.concatenate([gs[whole], fr[:, 1] + base[fr[:, 0]]]),
                np.concatenate([ge[whole], fr[:, 2] + base[fr[:, 0]]]),
                np.concatenate([(ge - gs)[whole], fr[:, 3]]),
                np.concatenate([cat[whole], remap[fr[:, 4]]]),
            )
            self.cats.append(cats)

    def _collect(
        self, docs: list[DocumentSets], label_ids: dict[str, int], symmetric: frozenset[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Read tokens, spans and relations into flat arrays: the one Python loop.

        Returns token counts per document, token starts and ends (local
        offsets), and per annotator a span table (doc, start, end, label id,
        fragmented) and a fragment table (doc, start, end, span length, label
        id). Fills ``self.has``, ``self.relations`` and ``label_ids``.
        """
        tok_counts = np.zeros(len(docs), dtype=np.int64)
        starts: list[int] = []
        ends: list[int] = []
        rows: list[list[int]] = [[] for _ in self.annotators]
        frags: list[list[int]] = [[] for _ in self.annotators]
        for d, doc in enumerate(docs):
            tok_counts[d] = len(doc.tokens)
            starts.extend(map(_start, doc.tokens))
            ends.extend(map(_end, doc.tokens))
            for ai, name in enumerate(self.annotators):
                aset = doc.sets.get(name)
                if aset is None:
                    continue
                self.has[ai, d] = True
                out = rows[ai]
                for sp in aset.spans.values():
                    code = label_ids.setdefault(sp.label, len(label_ids))
                    if sp.fragments:
                        out += (d, sp.start, sp.end, code, 1)
                        for s, e in sp.fragments:
                            frags[ai] += (d, s, e, sp.end - sp.start, code)
                    else:
                        out += (d, sp.start, sp.end, code, 0)
                if aset.relations:
                    _add_relations(self.relations[ai], d, doc.document_id, name, aset, symmetric)
        return (
            tok_counts,
            np.asarray(starts, dtype=np.int64),
            np.asarray(ends, dtype=np.int64),
            [_table(r) for r in rows],
            [_table(f) for f in frags],
        )

    def _paint(
        self, cats: np.ndarray, start: np.ndarray, end: np.ndarray, length: np.ndarray, cat: np.ndarray
    ) -> None:
        """Give each token the category of its longest covering piece (earliest name on ties)."""
        first = np.searchsorted(self.tok_end, start, side="right")
        n = np.maximum(np.searchsorted(self.tok_start, end, side="left") - first, 0)
        if not n.any():
            return
        idx = _ranges(first, n)
        owner = np.repeat(np.arange(len(first)), n)
        order = np.lexsort((-cat[owner], length[owner], idx))
        idx, winner = idx[order], cat[owner][order]
        last = np.ones(len(idx), dtype=bool)
        last[:-1] = idx[1:] != idx[:-1]
        cats[idx[last]] = winner[last]

    # -- per pair --------------------------------------------------------------
    def _label_space(self, ai: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        doc_idx, gs, ge, cat = self.spans[ai]
        keep = docs[doc_idx]
        offset = cat[keep] * self.total
        return gs[keep] + offset, ge[keep] + offset, cat[keep]

    def _scores(self, tp: np.ndarray, count_a: np.ndarray, count_b: np.ndarray) -> MatchScores:
        return MatchScores(
            {
                label: MatchCounts(int(tp[i]), int(count_b[i] - tp[i]), int(count_a[i] - tp[i]))
                for i, label in enumerate(self.labels, start=1)
            }
        )

    def pair(self, ai: int, bi: int) -> PairAgreement:
        both = self.has[ai] & self.has[bi]
        a_s, a_e, a_cat = self._label_space(ai, both)
        b_s, b_e, b_cat = self._label_space(bi, both)
        k = self.n_cat
        count_a = np.bincount(a_cat, minlength=k)
        count_b = np.bincount(b_cat, minlength=k)
        exact = _exact_tp(a_s, a_e, b_s, b_e, self.total, k)
        overlap = _overlap_tp(a_s, a_e, b_s, b_e, a_cat, k)
        ca, cb = self.cats[ai], self.cats[bi]
        mask = (ca >= 0) & (cb >= 0)
        table = np.bincount(ca[mask] * k + cb[mask], minlength=k * k).reshape(k, k)
        annotated = table.copy()
        annotated[0, 0] = 0  # the tokens neither annotator labelled
        return PairAgreement(
            a=self.annotators[ai],
            b=self.annotators[bi],
            documents=int(both.sum()),
            tokens=int(mask.sum()),
            spans_exact=self._scores(exact, count_a, count_b),
            spans_overlap=self._scores(overlap, count_a, count_b),
            kappa=cohen_kappa(table),
            kappa_per_label={
                label: cohen_kappa(binary_table(table, i)) for i, label in enumerate(self.labels, start=1)
            },
            kappa_annotated=cohen_kappa(annotated),
            kappa_annotated_per_label={
                label: cohen_kappa(binary_table(annotated, i)) for i, label in enumerate(self.labels, start=1)
            },
            annotated_tokens=int(annotated.sum()),
            relations=self._relation_scores(ai, bi, both),
        )

    def _relation_scores(self, ai: int, bi: int, both: np.ndarray) -> MatchScores:
        rel_a, rel_b = self.relations[ai], self.relations[bi]
        if not both.all():
            rel_a = Counter({key: n for key, n in rel_a.items() if both[key[0]]})
            rel_b = Counter({key: n for key, n in rel_b.items() if both[key[0]]})
        counts = {label: [0, 0, 0] for label in self.relation_labels}
        for key, n in (rel_a & rel_b).items():
            counts[key[1]][0] += n
        for key, n in rel_a.items():
            counts[key[1]][1] += n
        for key, n in rel_b.items():
            counts[key[1]][2] += n
        return MatchScores(
            {label: MatchCounts(tp, nb - tp, na - tp) for label, (tp, na, nb) in counts.items()}
        )

    # -- whole set -------------------------------------------------------------
    def patterns(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct per-token rating patterns as a (patterns x categories)
        count table, and how many tokens share each pattern."""
        k = self.n_cat
        if self.tokens == 0:
            return np.zeros((0, k), dtype=np.int64), np.zeros(0, dtype=np.int64)
        matrix = np.stack(self.cats)
        code = np.zeros(self.tokens, dtype=np.int64)
        bound = 1
        for row in matrix:
            if bound * (k + 1) >= 2**62:
                uniq, code = np.unique(code, return_inverse=True)
                bound = len(uniq)
            code = code * (k + 1) + (row + 1)
            bound *= k + 1
        _, first, weights = np.unique(code, return_index=True, return_counts=True)
        rows = matrix[:, first]
        counts = np.zeros((len(first), k), dtype=np.int64)
        for row in rows:
            present = np.nonzero(row >= 0)[0]
            counts[present, row[present]] += 1
        return counts, weights

    def report(self, *, documents_considered: int, statuses: tuple[str, ...] | None) -> AgreementReport:
        counts, weights = self.patterns()
        raters = counts.sum(axis=1)
        complete = raters == len(self.annotators)
        fleiss_per_label, alpha_per_label = {}, {}
        for i, label in enumerate(self.labels, start=1):
            binary = np.stack([counts[:, i], raters - counts[:, i]], axis=1)
            fleiss_per_label[label] = fleiss_kappa(binary[complete], weights[complete])
            alpha_per_label[label] = nominal_alpha(binary, weights)
        return AgreementReport(
            annotators=self.annotators,
            statuses=statuses,
            documents_considered=documents_considered,
            documents=self.n_docs,
            tokens=self.tokens,
            labels=self.labels,
            relation_labels=self.relation_labels,
            pairs=tuple(self.pair(ai, bi) for ai, bi in combinations(range(len(self.annotators)), 2)),
            fleiss_kappa=fleiss_kappa(counts[complete], weights[complete]),
            fleiss_per_label=fleiss_per_label,
            fleiss_documents=int(self.has.all(axis=0).sum()),
            fleiss_tokens=int(weights[complete].sum()),
            alpha=nominal_alpha(counts, weights),
            alpha_per_label=alpha_per_label,
        )


def _add_relations(
    counter: Counter, d: int, document_id: int, owner: str, aset: AnnotationSet, symmetric: frozenset[str]
) -> None:
    """Count one set's relations by (document, label, head span, child span)."""
    spans = aset.spans
    for rel in aset.relations.values():
        head, child = spans.get(rel.head), spans.get(rel.child)
        if head is None or child is None:
            missing = rel.head if head is None else rel.child
            raise InvalidAnnotationError(
                f"document {document_id}, set of {owner!r}: relation {rel.id} ({rel.label}) points to "
                f"span {missing}, which the set does not have; delete the relation or restore the span"
            )
        h = (head.start, head.end, head.label)
        c = (child.start, child.end, child.label)
        if rel.label in symmetric and c < h:
            h, c = c, h
        counter[(d, rel.label, h, c)] += 1


def _table(flat: list[int], width: int = 5) -> np.ndarray:
    """A flat list of ints as rows of ``width`` columns."""
    return np.asarray(flat, dtype=np.int64).reshape(-1, width)


def _ranges(first: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Concatenated ``range(first[i], first[i] + n[i])`` for every i."""
    steps = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return np.repeat(first, n) + steps


def _exact_tp(
    a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray, total: int, k: int
) -> np.ndarray:
    """Exact matches per category: for each (start, end) in label space, min of the two counts."""
    s = np.concatenate([a_s, b_s])
    e = np.concatenate([a_e, b_e])
    in_b = np.concatenate([np.zeros(len(a_s)), np.ones(len(b_s))])
    if not len(s):
        return np.zeros(k, dtype=np.int64)
    order = np.lexsort((e, s))
    s, e, in_b = s[order], e[order], in_b[order]
    new = np.ones(len(s), dtype=bool)
    new[1:] = (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    group = np.cumsum(new) - 1
    n_b = np.bincount(group, weights=in_b)
    n_a = np.bincount(group) - n_b
    tp = np.minimum(n_a, n_b)
    return np.bincount(s[new] // total, weights=tp, minlength=k).astype(np.int64)


def _overlap_tp(
    a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray, a_cat: np.ndarray, k: int
) -> np.ndarray:
    """One-to-one overlap matches per category, greedy as the module docstring says."""
    if not len(a_s) or not len(b_s):
        return np.zeros(k, dtype=np.int64)
    by_start = np.argsort(b_s, kind="stable")
    bs = b_s[by_start]
    longest = int((b_e - b_s).max())
    lo = np.searchsorted(bs, a_s - longest, side="right")
    n = np.maximum(np.searchsorted(bs, a_e, side="left") - lo, 0)
    ia = np.repeat(np.arange(len(a_s)), n)
    jb = by_start[_ranges(lo, n)]
    ov = np.minimum(a_e[ia], b_e[jb]) - np.maximum(a_s[ia], b_s[jb])
    keep = ov > 0
    ia, jb, ov = ia[keep], jb[keep], ov[keep]
    # A candidate whose two spans have no other candidate is matched whatever the order.
    alone = (np.bincount(ia, minlength=len(a_s))[ia] == 1) & (np.bincount(jb, minlength=len(b_s))[jb] == 1)
    matched = [ia[alone]]
    ia, jb, ov = ia[~alone], jb[~alone], ov[~alone]
    if len(ia):
        sa, ea, sb, eb = a_s[ia], a_e[ia], b_s[jb], b_e[jb]
        a_first = (sa < sb) | ((sa == sb) & (ea <= eb))
        union = np.maximum(ea, eb) - np.minimum(sa, sb)
        order = np.lexsort(
            (
                jb,
                ia,
                np.where(a_first, eb, ea),
                np.where(a_first, sb, sa),
                np.where(a_first, ea, eb),
                np.where(a_first, sa, sb),
                union,
                -ov,
            )
        )
        used_a = bytearray(len(a_s))
        used_b = bytearray(len(b_s))
        greedy = []
        for i, j in zip(ia[order].tolist(), jb[order].tolist()):
            if not used_a[i] and not used_b[j]:
                used_a[i] = used_b[j] = 1
                greedy.append(i)
        matched.append(np.asarray(greedy, dtype=np.int64))
    return np.bincount(a_cat[np.concatenate(matched)], minlength=k).astype(np.int64)
