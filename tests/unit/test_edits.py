from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st

from annotator.core import edits
from annotator.core.model import AnnotationSet, Relation, Span


def sample_set() -> AnnotationSet:
    return AnnotationSet.build(
        1, "ann",
        [Span(1, 0, 7, "ORG", "rule"), Span(2, 20, 30, "MONEY", "rule"), Span(3, 34, 38, "GPE")],
        [Relation(1, 2, 1, "investor"), Relation(2, 2, 3, "location")],
    )


def snapshot(aset: AnnotationSet):
    return (dict(aset.spans), dict(aset.relations), aset.status)


def test_delete_span_takes_its_relations_and_inverse_restores_them():
    aset = sample_set()
    before = snapshot(aset)
    edit = edits.delete_span(aset, 2)
    assert [r.id for r in edit.relations] == [1, 2]
    applied = edit.apply(aset)
    assert set(aset.spans) == {1, 3} and aset.relations == {}
    applied.inverse().apply(aset)
    assert snapshot(aset) == before


def test_add_span_gets_an_id_and_its_inverse_deletes_it():
    aset = sample_set()
    applied = edits.AddSpan(Span(0, 8, 12, "PERSON")).apply(aset)
    assert applied.span.id == 4 and aset.spans[4].label == "PERSON"
    applied.inverse().apply(aset)
    assert 4 not in aset.spans


def test_accept_and_reject_touch_only_suggestions():
    aset = sample_set()
    accept = edits.accept_suggestions(aset)
    assert [e.after.id for e in accept.edits] == [1, 2]
    accept.apply(aset)
    assert {s.origin for s in aset.spans.values()} == {"human"}
    aset = sample_set()
    reject = edits.reject_suggestions(aset, [2, 3])
    assert [(e.kind, getattr(e, "span", getattr(e, "relation", None)).id) for e in reject.edits] == [
        ("delete_relation", 1), ("delete_relation", 2), ("delete_span", 2),
    ]
    reject.apply(aset)
    assert set(aset.spans) == {1, 3} and aset.relations == {}


def suggested_set() -> AnnotationSet:
    """Two suggested spans joined by a suggested relation, a confirmed span
    and a confirmed relation to it."""
    return AnnotationSet.build(
        1, "ann",
        [Span(1, 0, 7, "ORG", "rule", 0.9), Span(2, 20, 30, "INVESTMENT", "rule"), Span(3, 34, 38, "GPE")],
        [Relation(1, 2, 1, "investor", "rule"), Relation(2, 2, 3, "location")],
    )


def test_reject_all_deletes_a_relation_shared_by_two_suggestions_once_and_undo_restores_all():
    aset = suggested_set()
    before = snapshot(aset)
    batch = edits.reject_suggestions(aset)
    assert [(e.kind, getattr(e, "span", getattr(e, "relation", None)).id) for e in batch.edits] == [
        ("delete_relation", 1), ("delete_relation", 2), ("delete_span", 1), ("delete_span", 2),
    ]
    applied = batch.apply(aset)
    assert set(aset.spans) == {3} and aset.relations == {}
    applied.inverse().apply(aset)
    assert snapshot(aset) == before


def test_accept_all_confirms_suggested_relations_too():
    aset = suggested_set()
    edits.accept_suggestions(aset).apply(aset)
    assert [(s.id, s.origin, s.score) for s in aset.sorted_spans()] == [(1, "human", 0.9), (2, "human", None), (3, "human", None)]
    assert [(r.id, r.origin) for r in aset.sorted_relations()] == [(1, "human"), (2, "human")]
    assert edits.accept_suggestions(aset).edits == ()


def test_accepting_one_relation_confirms_it_and_its_suggested_ends_only():
    aset = suggested_set()
    aset.spans[4] = Span(4, 40, 44, "ORG", "rule")
    batch = edits.accept_suggestions(aset, relation_ids=[1])
    assert batch.edits[-1].describe() == "accept investor suggestion"
    batch.apply(aset)
    assert {s.id: s.origin for s in aset.spans.values()} == {1: "human", 2: "human", 3: "human", 4: "rule"}
    assert aset.relations[1].origin == "human" and aset.relations[1].is_suggestion is False


def test_rejecting_one_relation_keeps_its_spans():
    aset = suggested_set()
    edits.reject_suggestions(aset, relation_ids=[1, 2]).apply(aset)  # 2 is confirmed: kept
    assert set(aset.spans) == {1, 2, 3} and set(aset.relations) == {2}


def test_delete_spans_lists_each_relation_once():
    aset = suggested_set()
    removal = edits.delete_spans(aset, [2, 1, 2])
    assert [e.kind for e in removal] == ["delete_relation", "delete_relation", "delete_span", "delete_span"]
    assert [e.span.id for e in removal[2:]] == [1, 2]


def test_replace_contents_repoints_relations():
    aset = sample_set()
    new_spans = [Span(10, 0, 7, "ORG"), Span(11, 34, 38, "GPE")]
    applied = edits.replace_contents(aset, new_spans, [Relation(5, 10, 11, "location")]).apply(aset)
    assert [(s.start, s.label) for s in aset.sorted_spans()] == [(0, "ORG"), (34, "GPE")]
    (rel,) = aset.relations.values()
    assert (aset.spans[rel.head].label, aset.spans[rel.child].label) == ("ORG", "GPE")
    assert all(e.kind in ("add_span", "add_relation", "delete_span", "delete_relation", "batch") for e in applied.edits)


def test_every_edit_round_trips_through_json():
    aset = sample_set()
    span = aset.spans[1]
    samples = [
        edits.AddSpan(Span(4, 1, 2, "X", fragments=((1, 2),), attrs={"note": "n"})),
        edits.delete_span(aset, 2),
        edits.UpdateSpan(span, replace(span, label="GPE")),
        edits.AddRelation(Relation(9, 1, 3, "r")),
        edits.DeleteRelation(aset.relations[1]),
        edits.UpdateRelation(aset.relations[1], replace(aset.relations[1], head=1, child=2)),
        edits.SetStatus("new", "done"),
        edits.accept_suggestions(aset),
    ]
    for edit in samples:
        assert edits.edit_from_dict(json.loads(json.dumps(edit.to_dict()))) == edit


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 10), st.sampled_from(["A", "B"])), max_size=12), st.data())
def test_any_sequence_of_edits_undoes_to_the_start(raw, data):
    aset = AnnotationSet(1, "ann")
    history = []
    for start, length, label in raw:
        history.append(edits.AddSpan(Span(0, start, start + length, label)).apply(aset))
        if len(aset.spans) >= 2 and data.draw(st.booleans()):
            a, b = sorted(aset.spans)[:2]
            history.append(edits.AddRelation(Relation(0, a, b, "r")).apply(aset))
        if aset.spans and data.draw(st.booleans()):
            history.append(edits.delete_span(aset, data.draw(st.sampled_from(sorted(aset.spans)))).apply(aset))
    for edit in reversed(history):
        edit.inverse().apply(aset)
    assert aset.spans == {} and aset.relations == {}


def test_reject_and_accept_all_on_the_seed_article(make_project):
    """Regression: on the seed article suggested relations join suggested
    spans, and "reject all" failed with E040 (relation N no longer exists)."""
    from annotator.api import import_files
    from tests.conftest import SEED

    project = make_project()
    import_files(project, [SEED], preannotate="rules")
    rules = project.annotation_set(1, "model:rules")
    shared = [r for r in rules.relations.values() if rules.spans[r.head].is_suggestion and rules.spans[r.child].is_suggestion]
    assert len(shared) == len(rules.relations) > 0
    aset = project.start_set(1, "ann", copy_from="model:rules")
    applied = project.apply(1, "ann", edits.reject_suggestions(aset))
    after = project.annotation_set(1, "ann")
    assert (after.spans, after.relations) == ({}, {})
    project.apply(1, "ann", applied.inverse(), action="undo")
    restored = project.annotation_set(1, "ann")
    assert (restored.spans, restored.relations) == (aset.spans, aset.relations)
    project.apply(1, "ann", edits.accept_suggestions(restored))
    accepted = project.annotation_set(1, "ann")
    assert {s.origin for s in accepted.spans.values()} == {"human"}
    assert {r.origin for r in accepted.relations.values()} == {"human"}
    assert len(accepted.spans) == len(rules.spans) and len(accepted.relations) == len(rules.relations)
