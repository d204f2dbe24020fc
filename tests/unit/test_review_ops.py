from __future__ import annotations

import random

import pytest

from annotator.core import adjudicate as adj
from annotator.core.edits import AddSpan
from annotator.core.errors import ProjectError, ReviewError
from annotator.core.model import GOLD, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.ops import review
from annotator.store.project import Project

SCHEME = Scheme.from_dict({
    "name": "review-test",
    "labels": [{"name": n} for n in ("ORG", "MONEY", "GPE", "INVESTMENT")],
    "relations": [
        {"name": "amount", "head": ["INVESTMENT"], "child": ["MONEY"]},
        {"name": "investor", "head": ["INVESTMENT"], "child": ["ORG"]},
        {"name": "partner", "head": ["ORG"], "child": ["ORG"], "symmetric": True},
    ],
})
TEXT = "Foxconn will invest $5 billion in Ohio with OpenAI ."
OTHER = "OpenAI and Foxconn agree ."
QUIET = "Nothing here ."


def tokens(text: str) -> list[Token]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append(Token(pos, pos + len(word)))
        pos += len(word) + 1
    return out


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def spans_of(text: str, items) -> list[Span]:
    return [Span(i, *at(text, word), label) for i, (word, label) in enumerate(items, start=1)]


def relations_of(items) -> list[Relation]:
    return [Relation(i, h, c, label) for i, (h, c, label) in enumerate(items, start=1)]


def add_doc(project: Project, text: str) -> int:
    doc_id, _ = project.add_document(text=text, hash=text_hash(text), title=text[:20], tokens=tokens(text), meta={})
    return doc_id


@pytest.fixture
def path(tmp_path):
    """Three documents.

    1. TEXT: alice, bob and carol agree on ORG Foxconn, INVESTMENT invest and
       investor(invest -> Foxconn); MONEY "$5 billion" with its amount
       relation (alice, carol) against MONEY "$5" (bob); GPE Ohio (alice, bob);
       ORG OpenAI with partner(Foxconn, OpenAI) by alice alone.
    2. OTHER: alice and bob mark both ORGs; partner one way (alice) and the
       other way (bob) is the same symmetric relation; carol has no set.
    3. QUIET: only carol, with nothing.
    """
    file = tmp_path / "review.annotator"
    with Project.create(file, scheme=SCHEME) as project:
        d1, d2, d3 = add_doc(project, TEXT), add_doc(project, OTHER), add_doc(project, QUIET)
        common = [("Foxconn", "ORG"), ("invest", "INVESTMENT")]
        project.write_set(d1, "alice", spans_of(TEXT, common + [("$5 billion", "MONEY"), ("Ohio", "GPE"), ("OpenAI", "ORG")]),
                          relations_of([(2, 1, "investor"), (2, 3, "amount"), (1, 5, "partner")]), status="done")
        project.write_set(d1, "bob", spans_of(TEXT, common + [("$5", "MONEY"), ("Ohio", "GPE")]),
                          relations_of([(2, 1, "investor"), (2, 3, "amount")]), status="done")
        project.write_set(d1, "carol", spans_of(TEXT, common + [("$5 billion", "MONEY")]),
                          relations_of([(2, 1, "investor"), (2, 3, "amount")]), status="done")
        project.write_set(d1, "model:rules", spans_of(TEXT, [("Ohio", "GPE")]), status="done")
        pair = [("OpenAI", "ORG"), ("Foxconn", "ORG")]
        project.write_set(d2, "alice", spans_of(OTHER, pair), relations_of([(1, 2, "partner")]), status="done")
        project.write_set(d2, "bob", spans_of(OTHER, pair), relations_of([(2, 1, "partner")]), status="done")
        project.write_set(d3, "carol", [], status="done")
    return file


def gold_contents(file, document_id: int = 1):
    """``(status, spans, relations)`` of the gold set read through a fresh connection."""
    with Project.open(file) as project:
        gold = project.annotation_set(document_id, GOLD)
        if gold is None:
            return None
        spans = sorted((s.start, s.end, s.label, s.origin) for s in gold.spans.values())
        rels = sorted(
            (TEXT[gold.spans[r.head].start:gold.spans[r.head].end], TEXT[gold.spans[r.child].start:gold.spans[r.child].end], r.label)
            for r in gold.relations.values()
        )
        return gold.status, spans, rels


@pytest.mark.parametrize(
    ("auto", "spans", "relations"),
    [
        ("unanimous", [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human")], [("invest", "Foxconn", "investor")]),
        ("majority",
         [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human"), (20, 30, "MONEY", "human"), (34, 38, "GPE", "human")],
         [("invest", "$5 billion", "amount"), ("invest", "Foxconn", "investor")]),
        ("off", [], []),
    ],
)
def test_prepare_gold_starts_from_what_annotators_share(path, auto, spans, relations):
    with Project.open(path) as project:
        gold = review.prepare_gold(project, 1, auto=auto, who="rita")
        assert (gold.owner, gold.status, gold.updated_by) == (GOLD, "new", "rita")
    assert gold_contents(path) == ("new", spans, relations)


def test_prepare_gold_never_overwrites_an_existing_gold_set(path):
    with Project.open(path) as project:
        review.prepare_gold(project, 1)
        project.apply(1, GOLD, AddSpan(Span(0, 44, 50, "ORG")), who="rita")
        again = review.prepare_gold(project, 1, auto="off")
        assert len(again.spans) == 3
    assert gold_contents(path) == (
        "in_progress",
        [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human"), (44, 50, "ORG", "human")],
        [("invest", "Foxconn", "investor")],
    )


def test_prepare_gold_with_chosen_annotators(path):
    with Project.open(path) as project:
        review.prepare_gold(project, 1, ["bob", "carol"])
    assert gold_contents(path) == (
        "new", [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human")], [("invest", "Foxconn", "investor")]
    )


def test_prepare_gold_for_a_document_nobody_annotated_is_empty(path, tmp_path):
    with Project.open(path) as project:
        doc = add_doc(project, "Fresh text .")
        gold = review.prepare_gold(project, doc, ["alice", "bob"])
        assert (gold.spans, gold.relations) == ({}, {})
        with pytest.raises(ProjectError, match="has no document 99"):
            review.prepare_gold(project, 99)


@pytest.mark.parametrize(
    ("annotators", "auto", "message"),
    [
        (["alice", "alice"], "unanimous", "named twice"),
        (["alice", "gold"], "unanimous", "'gold' is not an annotator"),
        (["model:rules"], "unanimous", "'model:rules' is not an annotator"),
        (["alice", "zoe"], "unanimous", "no annotation sets by 'zoe'; annotators in the project: alice, bob, carol"),
        (None, "most", "unknown --auto mode 'most'; use one of off, unanimous, majority"),
    ],
)
def test_review_errors(path, annotators, auto, message):
    with Project.open(path) as project, pytest.raises(ReviewError, match=message):
        review.prepare_gold(project, 1, annotators, auto=auto)
    assert gold_contents(path) is None


def test_documents_by_disagreement_sorts_most_first(path):
    with Project.open(path) as project:
        assert review.documents_by_disagreement(project) == [(1, 7), (2, 0), (3, None)]
        assert review.documents_by_disagreement(project, ["bob", "carol"]) == [(1, 5), (2, None), (3, None)]
        assert review.documents_by_disagreement(project, ["carol"]) == [(1, None), (3, None)]


def test_the_sql_count_matches_the_core_count_on_random_sets(tmp_path):
    """Random overlapping spans and relations (symmetric ones both ways) by four annotators."""
    rng = random.Random(3)
    labels, kinds = ("ORG", "MONEY"), ("partner", "amount", "investor")
    with Project.create(tmp_path / "random.annotator", scheme=SCHEME) as project:
        for doc in range(40):
            text = " ".join(f"w{doc}x{i}" for i in range(12))
            doc_id = add_doc(project, text)
            toks = tokens(text)
            for owner in ("a", "b", "c", "d"):
                if rng.random() < 0.2:
                    continue
                spans = []
                for sid in range(1, rng.randrange(1, 7)):
                    first = rng.randrange(4)
                    last = min(first + rng.randrange(2), len(toks) - 1)
                    spans.append(Span(sid, toks[first].start, toks[last].end, rng.choice(labels)))
                rels = [
                    Relation(rid, rng.choice(spans).id, rng.choice(spans).id, rng.choice(kinds))
                    for rid in range(1, rng.randrange(1, 5))
                ] if spans else []
                status = "done" if rng.random() < 0.8 else rng.choice(("new", "in_progress"))
                project.write_set(doc_id, owner, spans, rels, status=status)
        names = ["a", "b", "c", "d"]
        ranked = review.documents_by_disagreement(project, names)
        sets = project.load_sets(project.document_ids(), names)
        expected = {}
        for doc, by_owner in sets.items():
            finished = {o: a for o, a in by_owner.items() if a.status == "done"}
            count = adj.candidates(finished, names, symmetric={"partner"}).disagreements
            expected[doc] = count if len(finished) >= 2 else None
        assert dict(ranked) == expected
        assert sum(v or 0 for v in expected.values()) > 100 and None in expected.values()
        assert [d for d, _ in ranked] == sorted(expected, key=lambda d: (expected[d] is None, -(expected[d] or 0), d))


def test_mark_reviewed_is_journaled(path):
    with Project.open(path) as project:
        with pytest.raises(ReviewError, match="document 1 has no gold set yet; open it for review first"):
            review.mark_reviewed(project, 1)
        review.prepare_gold(project, 1)
        gold = review.mark_reviewed(project, 1, who="rita")
        assert gold.status == "reviewed"
        assert review.mark_reviewed(project, 1).status == "reviewed"
        done, _undone = project.history(1, GOLD)
        assert [e.to_dict() for e in done] == [{"kind": "set_status", "before": "new", "after": "reviewed"}]
    assert gold_contents(path)[0] == "reviewed"


def test_load_review_clusters(path):
    with Project.open(path) as project:
        found = review.load_review(project, 1, ["alice", "bob", "carol"])
        assert found.annotators == ("alice", "bob", "carol")
        assert [(c.start, c.end) for c in found.clusters] == [(0, 50), (13, 30), (34, 38)]
        everything = review.load_review(project, 1, ["alice", "bob", "carol"], auto="off")
        assert [(c.start, c.end) for c in everything.clusters] == [(0, 50), (34, 38)]


def test_unfinished_sets_are_left_out_of_the_review_and_never_reach_gold(path):
    """Two annotators who only opened a document (status new) agree on nothing."""
    with Project.open(path) as project:
        doc = add_doc(project, "Foxconn and OpenAI .")
        copy = spans_of("Foxconn and OpenAI .", [("Foxconn", "ORG"), ("OpenAI", "ORG")])
        project.write_set(doc, "alice", copy, status="new")
        project.write_set(doc, "bob", copy, status="in_progress")
        found = review.load_review(project, doc, ["alice", "bob", "carol"])
        assert (found.annotators, dict(found.unfinished), found.compared, found.clusters) == (
            (), {"alice": "new", "bob": "in_progress"}, False, (),
        )
        assert review.prepare_gold(project, doc, ["alice", "bob"]).spans == {}
        assert dict(review.documents_by_disagreement(project, ["alice", "bob"]))[doc] is None
        everything = review.load_review(project, doc, ["alice", "bob"], statuses=None)
        assert everything.annotators == ("alice", "bob") and everything.clusters == ()


def test_one_finished_set_is_offered_item_by_item_and_gold_starts_empty(path):
    with Project.open(path) as project:
        doc = add_doc(project, "Foxconn and OpenAI .")
        copy = spans_of("Foxconn and OpenAI .", [("Foxconn", "ORG"), ("OpenAI", "ORG")])
        project.write_set(doc, "alice", copy, status="done")
        project.write_set(doc, "bob", copy, status="in_progress")
        found = review.load_review(project, doc, ["alice", "bob"])
        assert (found.annotators, dict(found.unfinished)) == (("alice",), {"bob": "in_progress"})
        assert [[c.key for c in cl.spans] for cl in found.clusters] == [[(0, 7, "ORG")], [(12, 18, "ORG")]]
        assert review.prepare_gold(project, doc, ["alice", "bob"]).spans == {}


def test_gold_takes_what_annotators_agree_on_after_it_was_made_but_never_undoes_the_reviewer(path):
    from annotator.core.edits import DeleteSpan, SetStatus

    with Project.open(path) as project:
        project.apply(1, "bob", SetStatus("done", "in_progress"), who="bob")  # bob reopens his set
        first = review.update_gold(project, 1, ["alice", "bob"], who="rita")
        assert (first.spans, first.relations, first.describe()) == (0, 0, "")
        assert project.gold_basis(1) == {"alice": f"done {project.annotation_set(1, 'alice').updated_at}"}
        # the reviewer decides on Ohio (no) and OpenAI (ORG) before bob finishes
        ohio = project.apply(1, GOLD, AddSpan(Span(0, *at(TEXT, "Ohio"), "GPE")), who="rita").span
        project.apply(1, GOLD, DeleteSpan(ohio), who="rita")
        project.apply(1, GOLD, AddSpan(Span(0, *at(TEXT, "OpenAI"), "ORG")), who="rita")
    assert gold_contents(path) == ("in_progress", [(44, 50, "ORG", "human")], [])
    with Project.open(path) as project:
        project.apply(1, "bob", SetStatus("in_progress", "done"), who="bob")
        update = review.update_gold(project, 1, ["alice", "bob"], who="rita")
        assert (update.spans, update.relations, update.from_owners) == (2, 1, ("bob",))
        assert update.describe() == (
            "gold took 2 span(s) and 1 relation(s) the annotators now agree on (finished since: bob); "
            "Ctrl+Z takes them out"
        )
        assert project.annotation_set(1, GOLD).updated_by == "rita"
        done, _undone = project.history(1, GOLD)
        assert done[-1].describe() == "take in what the annotators agreed on since"
        again = review.update_gold(project, 1, ["alice", "bob"], who="rita")
        assert (again.spans, again.relations) == (0, 0)
    # Foxconn, invest and investor are new; Ohio stays out, OpenAI stays; the MONEY bounds differ
    assert gold_contents(path) == (
        "in_progress",
        [(0, 7, "ORG", "human"), (13, 19, "INVESTMENT", "human"), (44, 50, "ORG", "human")],
        [("invest", "Foxconn", "investor")],
    )


def test_a_reviewed_gold_set_takes_nothing_more(path):
    from annotator.core.edits import SetStatus

    with Project.open(path) as project:
        project.apply(1, "bob", SetStatus("done", "in_progress"), who="bob")
        review.update_gold(project, 1, ["alice", "bob"], who="rita")
        review.mark_reviewed(project, 1, who="rita")
        project.apply(1, "bob", SetStatus("in_progress", "done"), who="bob")
        assert review.update_gold(project, 1, ["alice", "bob"], who="rita").spans == 0
    assert gold_contents(path) == ("reviewed", [], [])
