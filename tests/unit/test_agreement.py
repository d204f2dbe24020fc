from __future__ import annotations

import json
import math

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.core.agreement import DocumentSets, compute_agreement, select_documents
from annotator.core.errors import AgreementError, InvalidAnnotationError
from annotator.core.model import AnnotationSet, Relation, Span, Token
from annotator.core.reliability import (
    binary_table,
    cohen_kappa,
    counts_from_reliability_data,
    fleiss_kappa,
    nominal_alpha,
)

nan = np.nan


def tokens(n: int) -> tuple[Token, ...]:
    """n five-letter tokens separated by one space: token i is [6i, 6i + 5)."""
    return tuple(Token(6 * i, 6 * i + 5) for i in range(n))


def make_set(owner, spans, relations=(), status="done", doc=1, first_id=1):
    """An AnnotationSet from (start, end, label) tuples, ids counting from first_id."""
    built = [Span(first_id + i, s, e, label) for i, (s, e, label) in enumerate(spans)]
    return AnnotationSet.build(doc, owner, built, relations, status=status)


# -- pure coefficient functions on published examples -----------------------


def test_cohen_kappa_wikipedia_example():
    # 50 proposals: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = .5*.6 + .5*.4 = 0.5; kappa = .2/.5 = 0.4.
    assert cohen_kappa([[20, 5], [10, 15]]) == pytest.approx(0.4, abs=1e-12)


def test_cohen_kappa_undefined_and_invalid():
    assert cohen_kappa([[7, 0], [0, 0]]) is None  # one category throughout: p_e = 1
    assert cohen_kappa(np.zeros((3, 3))) is None
    with pytest.raises(ValueError):
        cohen_kappa([[1, 2, 3]])
    with pytest.raises(ValueError):
        cohen_kappa([[1, -1], [0, 1]])


def test_binary_table_collapses_one_category():
    table = np.array([[5, 1, 2], [0, 4, 1], [3, 0, 6]])
    assert binary_table(table, 1).tolist() == [[4, 1], [1, 16]]


FLEISS_1971 = [  # 10 subjects, 14 raters, 5 categories (Fleiss 1971, as reproduced on Wikipedia)
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_published_example():
    assert round(fleiss_kappa(FLEISS_1971), 3) == 0.210


def test_fleiss_kappa_weights_equal_repeated_rows():
    repeated = FLEISS_1971 + FLEISS_1971[:3]
    weights = [2, 2, 2] + [1] * 7
    assert fleiss_kappa(FLEISS_1971, weights) == pytest.approx(fleiss_kappa(repeated), abs=1e-12)


def test_fleiss_kappa_edge_cases():
    assert fleiss_kappa(np.zeros((0, 3))) is None
    assert fleiss_kappa([[3, 0], [3, 0]]) is None
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])


KRIPPENDORFF_EXAMPLE = [  # 4 coders x 12 units, values 1-5, nan = missing
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]


def test_nominal_alpha_krippendorff_example():
    counts, values = counts_from_reliability_data(KRIPPENDORFF_EXAMPLE)
    assert values.tolist() == [1, 2, 3, 4, 5]
    ours = nominal_alpha(counts)
    assert round(ours, 3) == 0.743
    package = krippendorff.alpha(reliability_data=KRIPPENDORFF_EXAMPLE, level_of_measurement="nominal")
    assert ours == pytest.approx(package, abs=1e-12)


def test_nominal_alpha_undefined():
    assert nominal_alpha([[2, 0], [3, 0]]) is None  # one value throughout
    assert nominal_alpha([[1, 0], [0, 1]]) is None  # no unit has two values


reliability_rows = st.integers(2, 5).flatmap(
    lambda coders: st.integers(1, 25).flatmap(
        lambda units: st.lists(
            st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, nan]), min_size=units, max_size=units),
            min_size=coders,
            max_size=coders,
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(reliability_rows)
def test_nominal_alpha_equals_package(data):
    counts, values = counts_from_reliability_data(data)
    ours = nominal_alpha(counts)
    assume(ours is not None)
    package = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=values)
    assert ours == pytest.approx(package, abs=1e-9)
    # Collapsing identical units into weights changes nothing.
    uniq, weights = np.unique(counts, axis=0, return_counts=True)
    assert nominal_alpha(uniq, weights) == pytest.approx(ours, abs=1e-9)


# -- span F1 and token kappa on a constructed pair ---------------------------
#
# Ten tokens t0..t9, token i at [6i, 6i + 5).
#   alice: ORG t0-t1 [0,11)   PERSON t3 [18,23)     MONEY t5-t6 [30,41)  GPE t9 [54,59)
#   bob:   ORG t0-t1 [0,11)   PERSON t2-t3 [12,23)  DATE t5-t6 [30,41)   GPE t8 [48,53)
# Exact: only ORG matches -> tp 1, fp 3, fn 3 -> P = R = F1 = 0.25.
# Overlap: ORG, and PERSON (5 characters shared) -> tp 2, fp 2, fn 2 -> F1 = 0.5.
# Tokens:  alice ORG ORG O   PER O MON  MON  O O   GPE
#          bob   ORG ORG PER PER O DATE DATE O GPE O
# Agreement on t0 t1 t3 t4 t7: p_o = 0.5. Marginals (alice/bob): O 4/3, ORG 2/2, PERSON 1/2,
# MONEY 2/0, DATE 0/2, GPE 1/1: p_e = (12 + 4 + 2 + 0 + 0 + 1) / 100 = 0.19;
# kappa = 0.31 / 0.81 = 31/81.
# PERSON against the rest, as a 2x2 table (rows alice, columns bob):
#               bob PER  bob not
#   alice PER        1        0
#   alice not        1        8
# p_o = 0.9, p_e = .1*.2 + .9*.8 = 0.74, kappa = .16/.26 = 8/13.
# GPE: [[0, 1], [1, 8]]: p_o = .8, p_e = .82, kappa = -.02/.18 = -1/9.
# MONEY: alice 2 tokens, bob none: p_o = .8 = p_e, kappa 0; DATE likewise 0; ORG 1.

ALICE = [(0, 11, "ORG"), (18, 23, "PERSON"), (30, 41, "MONEY"), (54, 59, "GPE")]
BOB = [(0, 11, "ORG"), (12, 23, "PERSON"), (30, 41, "DATE"), (48, 53, "GPE")]


@pytest.fixture
def pair_report():
    doc = DocumentSets(1, tokens(10), {"alice": make_set("alice", ALICE), "bob": make_set("bob", BOB)})
    return compute_agreement([doc], ["alice", "bob"])


def test_exact_span_f1(pair_report):
    p = pair_report.pair("alice", "bob")
    assert p.spans_exact.overall.to_dict() == {
        "tp": 1, "fp": 3, "fn": 3, "precision": 0.25, "recall": 0.25, "f1": 0.25
    }
    per = {k: (c.tp, c.fp, c.fn, c.precision, c.recall, c.f1) for k, c in p.spans_exact.per_label.items()}
    assert per == {
        "DATE": (0, 1, 0, 0.0, None, 0.0),
        "GPE": (0, 1, 1, 0.0, 0.0, 0.0),
        "MONEY": (0, 0, 1, None, 0.0, 0.0),
        "ORG": (1, 0, 0, 1.0, 1.0, 1.0),
        "PERSON": (0, 1, 1, 0.0, 0.0, 0.0),
    }


def test_overlap_span_f1(pair_report):
    p = pair_report.pair("alice", "bob")
    assert (p.spans_overlap.overall.tp, p.spans_overlap.overall.fp, p.spans_overlap.overall.fn) == (2, 2, 2)
    assert p.spans_overlap.overall.f1 == 0.5
    assert p.spans_overlap.per_label["PERSON"].f1 == 1.0
    assert p.spans_overlap.per_label["GPE"].f1 == 0.0


def test_token_kappa(pair_report):
    p = pair_report.pair("alice", "bob")
    assert (p.documents, p.tokens) == (1, 10)
    assert p.kappa == pytest.approx(31 / 81, abs=1e-12)
    assert p.kappa_per_label == pytest.approx(
        {"DATE": 0.0, "GPE": -1 / 9, "MONEY": 0.0, "ORG": 1.0, "PERSON": 8 / 13}, abs=1e-12
    )
    assert cohen_kappa([[1, 0], [1, 8]]) == pytest.approx(8 / 13, abs=1e-12)


def test_two_annotator_fleiss_and_alpha(pair_report):
    # Fleiss with two raters: P_bar = p_o = 0.5; pooled marginals over 20 ratings
    # O 7, ORG 4, PERSON 3, MONEY 2, DATE 2, GPE 2: P_e = (49 + 16 + 9 + 4 + 4 + 4) / 400 = 0.215;
    # kappa = 0.285 / 0.785 = 57/157.
    # Alpha: 20 pairable values, 10 of them in disagreeing pairs:
    # 1 - 19 * 10 / (400 - 86) = 124/314 = 62/157.
    assert pair_report.fleiss_kappa == pytest.approx(57 / 157, abs=1e-12)
    assert pair_report.alpha == pytest.approx(62 / 157, abs=1e-12)


def test_f1_is_symmetric(pair_report):
    doc = DocumentSets(1, tokens(10), {"alice": make_set("alice", ALICE), "bob": make_set("bob", BOB)})
    swapped = compute_agreement([doc], ["bob", "alice"]).pair("bob", "alice")
    p = pair_report.pair("alice", "bob")
    assert swapped.spans_exact.overall.f1 == p.spans_exact.overall.f1
    assert swapped.spans_overlap.overall.f1 == p.spans_overlap.overall.f1
    assert swapped.kappa == pytest.approx(p.kappa, abs=1e-12)
    assert (swapped.spans_exact.overall.fp, swapped.spans_exact.overall.fn) == (3, 3)
    assert swapped.spans_exact.per_label["MONEY"].fp == 1  # bob is now the reference


def test_overlap_matching_is_one_to_one_and_prefers_largest_overlap():
    docs = [
        DocumentSets(1, tokens(10), {
            # alice's [0,17) overlaps bob's [0,5) by 5 and [6,23) by 11: it takes [6,23).
            "alice": make_set("alice", [(0, 17, "ORG")]),
            "bob": make_set("bob", [(0, 5, "ORG"), (6, 23, "ORG")]),
        }),
        DocumentSets(2, tokens(10), {
            # one long span cannot match two short ones.
            "alice": make_set("alice", [(0, 11, "ORG"), (12, 23, "ORG")], doc=2),
            "bob": make_set("bob", [(0, 23, "ORG")], doc=2),
        }),
    ]
    r = compute_agreement(docs, ["alice", "bob"]).pair("alice", "bob")
    o = r.spans_overlap.overall
    assert (o.tp, o.fp, o.fn) == (2, 1, 1)


def test_token_category_tie_breaks():
    # alice: ORG [0,11) and PERSON [6,11) both cover t1: the longer ORG wins.
    # alice: ORG and GPE both exactly [24,29) (t4): same length, GPE comes first by name.
    alice = make_set("alice", [(0, 11, "ORG"), (6, 11, "PERSON"), (24, 29, "ORG"), (24, 29, "GPE")])
    bob = make_set("bob", [(0, 11, "ORG"), (24, 29, "GPE")])
    doc = DocumentSets(1, tokens(6), {"alice": alice, "bob": bob})
    p = compute_agreement([doc], ["alice", "bob"]).pair("alice", "bob")
    assert p.kappa == 1.0
    assert p.kappa_per_label["PERSON"] is None  # nobody's token is PERSON: p_e = 1


def test_token_covered_by_any_intersection_and_by_fragments():
    # alice's discontinuous ORG covers t0 and t2, not t1; bob has two spans there,
    # the second only touching t2 by one character.
    fragmented = Span(1, 0, 17, "ORG", fragments=((0, 5), (12, 17)))
    alice = AnnotationSet.build(1, "alice", [fragmented], status="done")
    bob = make_set("bob", [(0, 5, "ORG"), (16, 17, "ORG")])
    doc = DocumentSets(1, tokens(4), {"alice": alice, "bob": bob})
    p = compute_agreement([doc], ["alice", "bob"]).pair("alice", "bob")
    assert p.kappa == 1.0
    assert (p.spans_exact.overall.tp, p.spans_overlap.overall.tp) == (0, 1)


# -- relations ------------------------------------------------------------------


def relation_docs():
    spans = [(0, 5, "ORG"), (6, 11, "ORG"), (30, 41, "MONEY")]
    alice = make_set("alice", spans, [
        Relation(1, 1, 3, "investor"),  # ORG1 -> MONEY
        Relation(2, 1, 2, "partner"),  # ORG1 -> ORG2
        Relation(3, 2, 3, "amount"),  # ORG2 -> MONEY
    ])
    # bob's span ids differ: relations match by span offsets and labels.
    bob = make_set("bob", spans, [
        Relation(1, 11, 13, "investor"),  # same
        Relation(2, 12, 11, "partner"),  # reversed
        Relation(3, 13, 12, "amount"),  # reversed
    ], first_id=11)
    return [DocumentSets(1, tokens(10), {"alice": alice, "bob": bob})]


def test_relation_f1_directed():
    r = compute_agreement(relation_docs(), ["alice", "bob"]).pair("alice", "bob").relations
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (1, 2, 2)
    assert r.overall.f1 == pytest.approx(1 / 3, abs=1e-12)
    assert {k: v.f1 for k, v in r.per_label.items()} == {"amount": 0.0, "investor": 1.0, "partner": 0.0}


def test_relation_f1_symmetric_type_ignores_direction():
    report = compute_agreement(relation_docs(), ["alice", "bob"], symmetric_relations={"partner"})
    r = report.pair("alice", "bob").relations
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (2, 1, 1)
    assert r.overall.f1 == pytest.approx(2 / 3, abs=1e-12)
    assert {k: v.f1 for k, v in r.per_label.items()} == {"amount": 0.0, "investor": 1.0, "partner": 1.0}
    assert report.relation_labels == ("amount", "investor", "partner")


def test_relation_to_missing_span_is_an_error():
    alice = make_set("alice", [(0, 5, "ORG")], [Relation(1, 1, 9, "partner")])
    doc = DocumentSets(7, tokens(3), {"alice": alice, "bob": make_set("bob", [])})
    with pytest.raises(InvalidAnnotationError, match="document 7, set of 'alice': relation 1"):
        compute_agreement([doc], ["alice", "bob"])


def test_span_before_text_is_an_error():
    sets = {"alice": make_set("alice", [(-2, 5, "ORG")]), "bob": make_set("bob", [])}
    doc = DocumentSets(3, tokens(3), sets)
    with pytest.raises(InvalidAnnotationError, match="document 3, set of 'alice'"):
        compute_agreement([doc], ["alice", "bob"])


def test_unsorted_tokens_are_an_error():
    sets = {"alice": make_set("alice", []), "bob": make_set("bob", [])}
    docs = [DocumentSets(1, tokens(3), sets), DocumentSets(2, (Token(6, 11), Token(0, 5)), sets)]
    with pytest.raises(InvalidAnnotationError, match="document 2: tokens must be sorted"):
        compute_agreement(docs, ["alice", "bob"])


# -- three annotators: Fleiss and alpha --------------------------------------
#
# Four tokens. alice: ORG t0; bob: ORG t0-t1; carol: nothing.
# Count table (O, ORG): t0 (1, 2), t1 (2, 1), t2 (3, 0), t3 (3, 0); 3 raters.
# Fleiss: P_i = 1/3, 1/3, 1, 1 -> P_bar = 2/3; p_O = 9/12, p_ORG = 3/12 -> P_e = 10/16;
#   kappa = (2/3 - 5/8) / (3/8) = 1/9.
# Alpha: coincidences o_OO = 7, o_O,ORG = o_ORG,O = 2, o_ORG,ORG = 1; n_O = 9, n_ORG = 3, n = 12;
#   alpha = 1 - 11 * 4 / (144 - 81 - 9) = 1 - 44/54 = 5/27.


def three_annotators():
    sets = {
        "alice": make_set("alice", [(0, 5, "ORG")]),
        "bob": make_set("bob", [(0, 11, "ORG")]),
        "carol": make_set("carol", []),
        "model:rules": make_set("model:rules", [(0, 5, "ORG")], status="new"),
    }
    return [DocumentSets(1, tokens(4), sets)]


def test_fleiss_and_alpha_three_annotators():
    report = compute_agreement(three_annotators())
    assert report.annotators == ("alice", "bob", "carol")  # pre-annotators left out
    assert report.fleiss_kappa == pytest.approx(1 / 9, abs=1e-12)
    assert report.fleiss_per_label["ORG"] == pytest.approx(1 / 9, abs=1e-12)
    assert report.alpha == pytest.approx(5 / 27, abs=1e-12)
    assert (report.fleiss_documents, report.fleiss_tokens, report.tokens) == (1, 4, 4)
    assert [(p.a, p.b) for p in report.pairs] == [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]
    package = krippendorff.alpha(
        reliability_data=[[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]], level_of_measurement="nominal"
    )
    assert report.alpha == pytest.approx(package, abs=1e-12)


# -- document selection ---------------------------------------------------------


def selection_docs():
    def doc(i, **statuses):
        sets = {name: make_set(name, [(0, 5, "ORG")], status=s, doc=i) for name, s in statuses.items()}
        return DocumentSets(i, tokens(3), sets)

    return [
        doc(1, alice="done", bob="done"),
        doc(2, alice="done", bob="in_progress"),
        doc(3, alice="reviewed"),
        doc(4, alice="reviewed", bob="reviewed", carol="new"),
        doc(5, carol="done"),
    ]


def test_select_documents_default_needs_every_annotator_finished():
    kept = select_documents(selection_docs(), ["alice", "bob"])
    assert [d.document_id for d in kept] == [1, 4]
    assert sorted(kept[1].sets) == ["alice", "bob"]


def test_select_documents_include_all():
    kept = select_documents(selection_docs(), ["alice", "bob"], include_all=True)
    assert [d.document_id for d in kept] == [1, 2, 3, 4]
    assert [sorted(d.sets) for d in kept][2] == ["alice"]


def test_report_counts_compared_documents():
    report = compute_agreement(selection_docs(), ["alice", "bob"])
    assert (report.documents_considered, report.documents, report.tokens) == (5, 2, 6)
    assert report.pair("alice", "bob").documents == 2
    everything = compute_agreement(selection_docs(), ["alice", "bob"], include_all=True)
    assert (everything.documents, everything.tokens, everything.fleiss_documents) == (4, 12, 3)
    assert everything.pair("alice", "bob").documents == 3
    assert everything.statuses is None


def test_alpha_with_missing_sets_matches_package():
    # include_all: bob has no set for doc 3, so his three tokens there are missing values.
    # Categories per token (O = 0, ORG = 1), docs 1, 2, 3, 4 with three tokens each.
    report = compute_agreement(selection_docs(), ["alice", "bob"], include_all=True)
    alice = [1, 0, 0] * 4
    bob = [1, 0, 0] * 2 + [nan] * 3 + [1, 0, 0]
    package = krippendorff.alpha(reliability_data=[alice, bob], level_of_measurement="nominal")
    assert package == 1.0
    assert report.alpha == pytest.approx(package, abs=1e-12)


def test_no_document_selected():
    sets = {"alice": make_set("alice", [], status="new"), "bob": make_set("bob", [])}
    docs = [DocumentSets(1, tokens(3), sets)]
    report = compute_agreement(docs, ["alice", "bob"])
    assert (report.documents, report.tokens, report.fleiss_kappa, report.alpha) == (0, 0, None, None)
    assert report.pair("alice", "bob").kappa is None
    assert report.format_table().startswith("Agreement of alice, bob: 0 of 1 document compared")


@pytest.mark.parametrize(
    ("annotators", "message"),
    [
        (["alice"], "at least two annotators"),
        (["alice", "alice"], "named twice"),
        (["alice", "zoe"], "no annotation sets by 'zoe'"),
    ],
)
def test_annotator_errors(annotators, message):
    with pytest.raises(AgreementError, match=message):
        compute_agreement(selection_docs(), annotators)


# -- report rendering -------------------------------------------------------------


def test_to_dict_is_json_ready_with_stable_keys(pair_report):
    d = pair_report.to_dict()
    assert list(d) == [
        "annotators", "statuses", "documents_considered", "documents", "tokens", "labels",
        "relation_labels", "fleiss_kappa", "krippendorff_alpha", "all_pairs", "pairs",
    ]
    assert list(d["pairs"][0]) == ["a", "b", "documents", "tokens", "spans", "kappa", "kappa_annotated", "relations"]
    assert d["labels"] == ["DATE", "GPE", "MONEY", "ORG", "PERSON"]
    assert d["pairs"][0]["spans"]["overlap"]["overall"]["f1"] == 0.5
    assert d["statuses"] == ["done", "reviewed"]
    assert json.loads(json.dumps(d)) == d


def test_format_table_two_annotators(pair_report):
    assert pair_report.format_table() == (
        "Agreement of alice, bob: 1 of 1 document compared (sets done or reviewed), 10 tokens\n"
        "Span F1 0.250 exact, 0.500 overlap; token kappa 0.273 on annotated tokens, 0.383 on all tokens\n"
        "Fleiss' kappa 0.363 (1 document), Krippendorff's alpha (nominal) 0.395, both on all tokens\n"
        "\n"
        "label    n A  n B  F1 exact  F1 overlap  kappa ann  kappa all  Fleiss   alpha\n"
        "DATE       0    1     0.000       0.000      0.000      0.000  -0.111  -0.056\n"
        "GPE        1    1     0.000       0.000     -0.143     -0.111  -0.111  -0.056\n"
        "MONEY      1    0     0.000       0.000      0.000      0.000  -0.111  -0.056\n"
        "ORG        1    1     1.000       1.000      1.000      1.000   1.000   1.000\n"
        "PERSON     1    1     0.000       1.000      0.600      0.615   0.608   0.627\n"
        "overall    4    4     0.250       0.500      0.273      0.383   0.363   0.395\n"
        "\n"
        "relations: none annotated\n"
    )


def test_format_table_three_annotators_has_pair_sections():
    text = compute_agreement(three_annotators()).format_table()
    assert "F1 pooled over 3 pairs" in text
    assert "\nalice vs bob: 1 document, 4 tokens\n" in text
    assert "\nbob vs carol: 1 document, 4 tokens\n" in text


# -- properties against brute-force references ----------------------------------

LABELS = ["A", "B", "C"]
span_lists = st.lists(
    st.tuples(st.integers(0, 58), st.integers(1, 14), st.sampled_from(LABELS)).map(
        lambda t: (t[0], min(t[0] + t[1], 60), t[2])
    ),
    max_size=8,
)


def reference_categories(toks, spans):
    out = []
    for t in toks:
        cover = [(s, e, label) for s, e, label in spans if s < t.end and t.start < e]
        out.append(min(cover, key=lambda c: (-(c[1] - c[0]), c[2]))[2] if cover else "O")
    return out


def reference_overlap_tp(a, b):
    candidates = []
    for i, (sa, ea, la) in enumerate(a):
        for j, (sb, eb, lb) in enumerate(b):
            ov = min(ea, eb) - max(sa, sb)
            if la == lb and ov > 0:
                lo, hi = sorted([(sa, ea), (sb, eb)])
                candidates.append(((-ov, max(ea, eb) - min(sa, sb), lo, hi, i, j), i, j))
    used_a, used_b, tp = set(), set(), 0
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            tp += 1
    return tp


@settings(max_examples=200, deadline=None)
@given(span_lists, span_lists, span_lists, span_lists)
def test_pair_figures_match_brute_force(a1, b1, a2, b2):
    toks = tokens(10)
    docs = [
        DocumentSets(1, toks, {"x": make_set("x", a1), "y": make_set("y", b1)}),
        DocumentSets(2, toks, {"x": make_set("x", a2, doc=2), "y": make_set("y", b2, doc=2)}),
    ]
    p = compute_agreement(docs, ["x", "y"]).pair("x", "y")
    q = compute_agreement(docs, ["y", "x"]).pair("y", "x")
    # Overlap matching: same count as a plain greedy, and the same either way round.
    assert p.spans_overlap.overall.tp == reference_overlap_tp(a1, b1) + reference_overlap_tp(a2, b2)
    assert p.spans_overlap.overall.tp == q.spans_overlap.overall.tp
    # Exact matching counts multisets of (start, end, label).
    exact = sum(min(a.count(s), b.count(s)) for a, b in ((a1, b1), (a2, b2)) for s in set(a))
    assert p.spans_exact.overall.tp == exact
    # Token kappa from brute-force categories.
    cx = reference_categories(toks, a1) + reference_categories(toks, a2)
    cy = reference_categories(toks, b1) + reference_categories(toks, b2)
    cats = ["O", *LABELS]
    table = np.zeros((4, 4))
    for u, v in zip(cx, cy):
        table[cats.index(u), cats.index(v)] += 1
    expected = cohen_kappa(table)
    assert (p.kappa is None) == (expected is None)
    if expected is not None:
        assert math.isclose(p.kappa, expected, abs_tol=1e-9)
    # The annotated-token kappa: the same over tokens not both "O" only.
    annotated = np.zeros((4, 4))
    for u, v in zip(cx, cy):
        if (u, v) != ("O", "O"):
            annotated[cats.index(u), cats.index(v)] += 1
    assert p.annotated_tokens == int(annotated.sum())
    expected = cohen_kappa(annotated)
    assert (p.kappa_annotated is None) == (expected is None)
    if expected is not None:
        assert math.isclose(p.kappa_annotated, expected, abs_tol=1e-9)


def reference_whole_set(toks, docs, names):
    """Brute-force reliability data (annotators x tokens, nan = missing) and the
    Fleiss count table over documents every annotator has."""
    cats = ["O", *LABELS]
    rows = {name: [] for name in names}
    fleiss_rows = []
    for doc in docs:
        per_name = {
            name: [cats.index(c) for c in reference_categories(toks, doc[name])] if doc[name] is not None else None
            for name in names
        }
        for name in names:
            rows[name] += per_name[name] if per_name[name] is not None else [nan] * len(toks)
        if all(v is not None for v in per_name.values()):
            for i in range(len(toks)):
                count = [0] * len(cats)
                for name in names:
                    count[per_name[name][i]] += 1
                fleiss_rows.append(count)
    return [rows[name] for name in names], fleiss_rows


def whole_set_docs(toks, docs, names):
    return [
        DocumentSets(d, toks, {n: make_set(n, doc[n], doc=d) for n in names if doc[n] is not None})
        for d, doc in enumerate(docs, start=1)
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), span_lists), min_size=6, max_size=6))
def test_fleiss_and_alpha_match_brute_force_with_missing_sets(cells):
    names = ["x", "y", "z"]
    toks = tokens(10)
    docs = [dict(zip(names, cells[:3])), dict(zip(names, cells[3:]))]
    assume(all(any(doc[n] is not None for doc in docs) for n in names))
    report = compute_agreement(whole_set_docs(toks, docs, names), names, include_all=True)
    data, fleiss_rows = reference_whole_set(toks, docs, names)
    if report.alpha is not None:
        package = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert report.alpha == pytest.approx(package, abs=1e-9)
    expected = fleiss_kappa(fleiss_rows) if fleiss_rows else None
    assert (report.fleiss_kappa is None) == (expected is None)
    if expected is not None:
        assert report.fleiss_kappa == pytest.approx(expected, abs=1e-9)


def test_many_annotators_whole_set():
    # 30 annotators: rating patterns no longer fit one int64 code and are re-numbered on the way.
    names = [f"a{i:02d}" for i in range(30)]
    toks = tokens(10)
    pool = [(0, 11, "A"), (12, 17, "B"), (30, 47, "C"), (36, 41, "A"), (54, 59, "B")]
    docs = [{n: [s for k, s in enumerate(pool) if (i + k) % (k + 2)] for i, n in enumerate(names)}]
    report = compute_agreement(whole_set_docs(toks, docs, names), names)
    data, fleiss_rows = reference_whole_set(toks, docs, names)
    package = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.alpha == pytest.approx(package, abs=1e-12)
    assert report.fleiss_kappa == pytest.approx(fleiss_kappa(fleiss_rows), abs=1e-12)
    assert len(report.pairs) == 435
