from __future__ import annotations

import pytest

from annotator.core import adjudicate as adj
from annotator.core.edits import Batch
from annotator.core.errors import InvalidAnnotationError
from annotator.core.model import GOLD, AnnotationSet, Relation, Span

TEXT = "Foxconn will invest $5 billion in Ohio with OpenAI ."


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


FOX, INVEST, FIVE_BN, FIVE, OHIO, OPENAI = (
    at("Foxconn"), at("invest"), at("$5 billion"), at("$5"), at("Ohio"), at("OpenAI"),
)


def make_set(owner: str, spans: list[tuple[tuple[int, int], str]], relations=(), doc: int = 1) -> AnnotationSet:
    """Spans get ids 1, 2, ... in list order; relations name them by position (1-based)."""
    return AnnotationSet.build(
        doc, owner,
        [Span(i, *bounds, label) for i, (bounds, label) in enumerate(spans, start=1)],
        [Relation(i, h, c, label) for i, (h, c, label) in enumerate(relations, start=1)],
        status="done",
    )


def contents(aset: AnnotationSet):
    """Spans as (start, end, label, origin) and relations as (head key, child key, label), sorted."""
    spans = sorted((s.start, s.end, s.label, s.origin) for s in aset.spans.values())
    rels = sorted(
        (adj.span_key(aset.spans[r.head]), adj.span_key(aset.spans[r.child]), r.label) for r in aset.relations.values()
    )
    return spans, rels


@pytest.fixture
def three():
    """alice, bob and carol on TEXT:

    * all three: ORG Foxconn, INVESTMENT invest, investor(invest -> Foxconn)
    * MONEY "$5 billion" (alice, carol) vs MONEY "$5" (bob), each with amount(invest -> it)
    * GPE Ohio: alice and bob
    * ORG OpenAI: alice only, with partner(Foxconn -> OpenAI)
    """
    alice = make_set("alice", [(FOX, "ORG"), (INVEST, "INVESTMENT"), (FIVE_BN, "MONEY"), (OHIO, "GPE"), (OPENAI, "ORG")],
                     [(2, 1, "investor"), (2, 3, "amount"), (1, 5, "partner")])
    bob = make_set("bob", [(INVEST, "INVESTMENT"), (FOX, "ORG"), (FIVE, "MONEY"), (OHIO, "GPE")],
                   [(1, 2, "investor"), (1, 3, "amount")])
    carol = make_set("carol", [(FOX, "ORG"), (INVEST, "INVESTMENT"), (FIVE_BN, "MONEY")],
                     [(2, 1, "investor"), (2, 3, "amount")])
    return {"alice": alice, "bob": bob, "carol": carol}


K_FOX, K_INV = (*FOX, "ORG"), (*INVEST, "INVESTMENT")
K_5BN, K_5 = (*FIVE_BN, "MONEY"), (*FIVE, "MONEY")
K_OHIO, K_OPENAI = (*OHIO, "GPE"), (*OPENAI, "ORG")


def test_candidates_list_each_item_with_its_makers(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    assert cands.annotators == ("alice", "bob", "carol")
    assert [(c.key, c.annotators) for c in cands.spans] == [
        (K_FOX, ("alice", "bob", "carol")),
        (K_INV, ("alice", "bob", "carol")),
        (K_5BN, ("alice", "carol")),
        (K_5, ("bob",)),
        (K_OHIO, ("alice", "bob")),
        (K_OPENAI, ("alice",)),
    ]
    assert [(c.key, c.annotators) for c in cands.relations] == [
        ((K_FOX, K_OPENAI, "partner"), ("alice",)),
        ((K_INV, K_FOX, "investor"), ("alice", "bob", "carol")),
        ((K_INV, K_5, "amount"), ("bob",)),
        ((K_INV, K_5BN, "amount"), ("alice", "carol")),
    ]
    assert cands.disagreements == 7


def test_candidates_default_order_skips_missing_names_and_counts_duplicates_once(three):
    dup = make_set("dave", [(FOX, "ORG"), (FOX, "ORG")], [(1, 2, "partner"), (2, 1, "partner")])
    cands = adj.candidates({**three, "dave": dup}, ["dave", "erin"], symmetric={"partner"})
    assert cands.annotators == ("dave",)
    assert [(c.key, c.annotators) for c in cands.spans] == [(K_FOX, ("dave",))]
    assert [c.key for c in cands.relations] == [(K_FOX, K_FOX, "partner")]
    assert cands.disagreements == 0
    assert adj.candidates(three).annotators == ("alice", "bob", "carol")


def test_symmetric_relations_match_in_either_direction():
    a = make_set("a", [(FOX, "ORG"), (OPENAI, "ORG")], [(1, 2, "partner"), (1, 2, "owns")])
    b = make_set("b", [(OPENAI, "ORG"), (FOX, "ORG")], [(1, 2, "partner"), (1, 2, "owns")])
    cands = adj.candidates({"a": a, "b": b}, symmetric={"partner"})
    assert [(c.key, c.annotators) for c in cands.relations] == [
        ((K_FOX, K_OPENAI, "owns"), ("a",)),
        ((K_FOX, K_OPENAI, "partner"), ("a", "b")),
        ((K_OPENAI, K_FOX, "owns"), ("b",)),
    ]


def test_a_relation_to_a_missing_span_is_an_error():
    broken = make_set("a", [(FOX, "ORG")], [(1, 9, "partner")])
    with pytest.raises(InvalidAnnotationError, match="a's relation 1 .partner. in document 1"):
        adj.candidates({"a": broken})


def test_clusters_group_overlaps_and_attach_relations(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    found = adj.clusters(cands)
    assert [(c.number, c.start, c.end, [s.key for s in c.spans], [r.key for r in c.relations]) for c in found] == [
        (0, 0, 50, [K_OPENAI], [(K_FOX, K_OPENAI, "partner")]),
        (1, 13, 30, [K_5BN, K_5], [(K_INV, K_5, "amount"), (K_INV, K_5BN, "amount")]),
        (2, 34, 38, [K_OHIO], []),
    ]
    money = found[1]
    assert money.version("alice") == adj.Version(
        "alice", frozenset({K_5BN}), frozenset({(K_INV, K_5BN, "amount")})
    )
    assert money.version("bob").spans == {K_5}
    assert money.version(None).empty


def test_overlap_chains_make_one_cluster_and_relation_only_conflicts_their_own():
    a = make_set("a", [((0, 5), "ORG"), ((20, 25), "ORG"), ((30, 35), "ORG")], [(2, 3, "partner")])
    b = make_set("b", [((3, 8), "ORG"), ((20, 25), "ORG"), ((30, 35), "ORG")], [(3, 2, "owns")])
    c = make_set("c", [((7, 10), "ORG"), ((20, 25), "ORG"), ((30, 35), "ORG")])
    found = adj.clusters(adj.candidates({"a": a, "b": b, "c": c}))
    assert [(cl.start, cl.end, [s.key for s in cl.spans], [r.label for r in cl.relations]) for cl in found] == [
        (0, 10, [(0, 5, "ORG"), (3, 8, "ORG"), (7, 10, "ORG")], []),
        (20, 35, [], ["partner", "owns"]),
    ]


def test_clusters_with_unanimous_items_cover_everything(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"])
    found = adj.clusters(cands, include_unanimous=True)
    assert [(c.start, c.end, len(c.spans), len(c.relations)) for c in found] == [(0, 50, 5, 4), (34, 38, 1, 0)]


def test_an_agreed_document_has_no_clusters():
    a = make_set("a", [(FOX, "ORG")])
    b = make_set("b", [(FOX, "ORG")])
    assert adj.clusters(adj.candidates({"a": a, "b": b})) == []


@pytest.mark.parametrize(
    ("auto", "spans", "relations"),
    [
        ("off", [], []),
        ("unanimous", [K_FOX, K_INV], [(2, 1, "investor")]),
        ("majority", [K_FOX, K_INV, K_5BN, K_OHIO], [(2, 1, "investor"), (2, 3, "amount")]),
    ],
)
def test_initial_gold(three, auto, spans, relations):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    got_spans, got_relations = adj.initial_gold(cands, auto)
    assert [(s.id, adj.span_key(s), s.origin, s.score) for s in got_spans] == [
        (i, k, "human", None) for i, k in enumerate(spans, start=1)
    ]
    assert [(r.head, r.child, r.label, r.origin) for r in got_relations] == [(h, c, l, "human") for h, c, l in relations]


def test_initial_gold_refuses_an_unknown_mode(three):
    with pytest.raises(ValueError, match="unknown auto mode 'most'"):
        adj.initial_gold(adj.candidates(three), "most")


def gold_from(cands, auto="unanimous") -> AnnotationSet:
    spans, relations = adj.initial_gold(cands, auto)
    return AnnotationSet.build(1, GOLD, spans, relations)


def test_resolve_takes_a_version_then_another_then_none(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    gold = gold_from(cands)
    money = adj.clusters(cands)[1]
    assert adj.gold_choices(money, gold, cands.annotators) == (None,)

    batch = adj.resolve(money, "bob", gold, cands)
    assert batch.label == "take bob's version"
    batch.apply(gold)
    assert contents(gold) == (
        [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human"), (20, 22, "MONEY", "human")],
        [(K_INV, K_FOX, "investor"), (K_INV, K_5, "amount")],
    )
    assert adj.gold_choices(money, gold, cands.annotators) == ("bob",)

    adj.resolve(money, "carol", gold, cands).apply(gold)
    assert contents(gold) == (
        [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human"), (20, 30, "MONEY", "human")],
        [(K_INV, K_FOX, "investor"), (K_INV, K_5BN, "amount")],
    )
    assert adj.gold_choices(money, gold, cands.annotators) == ("alice", "carol")

    adj.resolve(money, None, gold, cands).apply(gold)
    assert contents(gold) == (
        [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human")],
        [(K_INV, K_FOX, "investor")],
    )


def test_resolve_is_undone_by_its_inverse_and_is_empty_when_nothing_changes(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    gold = gold_from(cands, "majority")
    before = contents(gold)
    money = adj.clusters(cands)[1]
    assert adj.resolve(money, "alice", gold, cands) == Batch((), "take alice's version")
    applied = adj.resolve(money, "bob", gold, cands).apply(gold)
    assert contents(gold) != before
    applied.inverse().apply(gold)
    assert contents(gold) == before


def test_resolve_brings_a_missing_end_span_and_removes_hand_made_links(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"], symmetric={"partner"})
    gold = AnnotationSet.build(1, GOLD, [Span(7, *OPENAI, "ORG"), Span(8, *OHIO, "GPE")], [Relation(3, 7, 8, "located")])
    partner = adj.clusters(cands)[0]
    adj.resolve(partner, "alice", gold, cands).apply(gold)
    assert contents(gold) == (
        [(0, 7, "ORG", "human"), (34, 38, "GPE", "human"), (44, 50, "ORG", "human")],
        [(K_FOX, K_OPENAI, "partner"), (K_OPENAI, K_OHIO, "located")],
    )
    adj.resolve(partner, "bob", gold, cands).apply(gold)
    assert contents(gold) == ([(0, 7, "ORG", "human"), (34, 38, "GPE", "human")], [])


def test_gold_choices_is_empty_for_a_mixed_gold(three):
    cands = adj.candidates(three, ["alice", "bob", "carol"])
    money = adj.clusters(cands)[1]
    gold = AnnotationSet.build(1, GOLD, [Span(1, *FIVE_BN, "MONEY"), Span(2, *FIVE, "MONEY")])
    assert adj.gold_choices(money, gold, cands.annotators) == ()


def test_resolve_refuses_a_stranger(three):
    cands = adj.candidates(three, ["alice", "bob"])
    with pytest.raises(ValueError, match="'carol' is not among the compared annotators"):
        adj.resolve(adj.clusters(cands)[0], "carol", gold_from(cands), cands)


def test_gold_keeps_suggestion_origin_unless_some_annotator_confirmed_it():
    alice = AnnotationSet.build(
        1, "alice",
        [Span(1, *INVEST, "INVESTMENT", "rule"), Span(2, *FIVE_BN, "MONEY", "rule", 0.8), Span(3, *FOX, "ORG", "rule")],
        [Relation(1, 1, 2, "amount", "rule"), Relation(2, 1, 3, "investor", "rule")],
        status="done",
    )
    bob = AnnotationSet.build(
        1, "bob",
        [Span(1, *INVEST, "INVESTMENT", "rule"), Span(2, *FIVE_BN, "MONEY", "human"), Span(3, *FOX, "ORG", "rule")],
        [Relation(1, 1, 2, "amount", "human"), Relation(2, 1, 3, "investor", "rule")],
        status="done",
    )
    spans, rels = adj.initial_gold(adj.candidates({"alice": alice, "bob": bob}), "unanimous")
    assert [(s.start, s.label, s.origin, s.score) for s in spans] == [
        (FOX[0], "ORG", "rule", None), (INVEST[0], "INVESTMENT", "rule", None), (FIVE_BN[0], "MONEY", "human", None),
    ]
    assert sorted((r.label, r.origin) for r in rels) == [("amount", "human"), ("investor", "rule")]
