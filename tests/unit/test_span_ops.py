"""The labeling window's Qt-free arithmetic: span cycling, suggestions, relation
types for a pair, duplicates, and finding the next open document."""
from __future__ import annotations

import subprocess
import sys

import pytest

from annotator.core import edits
from annotator.core.model import AnnotationSet, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.gui import navigation, span_ops

SCHEME = Scheme.from_dict({
    "name": "t",
    "labels": [{"name": "ORG"}, {"name": "MONEY"}, {"name": "INVESTMENT"}],
    "relations": [
        {"name": "amount", "head": ["INVESTMENT"], "child": ["MONEY"]},
        {"name": "investor", "head": ["INVESTMENT"], "child": ["ORG"]},
        {"name": "target", "head": ["INVESTMENT"], "child": ["ORG"]},
    ],
})


def aset() -> AnnotationSet:
    return AnnotationSet.build(1, "a", [
        Span(7, 20, 30, "MONEY", "rule"),
        Span(3, 0, 7, "ORG", "human"),
        Span(5, 13, 19, "INVESTMENT", "human"),
        Span(9, 34, 38, "ORG", "model"),
    ], [Relation(1, 5, 7, "amount")])


def test_the_gui_arithmetic_imports_no_qt():
    code = "import sys, annotator.gui.span_ops, annotator.gui.navigation; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("current, step, expected", [
    (None, 1, 3), (None, -1, 9), (3, 1, 5), (5, 1, 7), (9, 1, 3), (3, -1, 9), (42, 1, 3),
])
def test_cycle_span_walks_reading_order_and_wraps(current, step, expected):
    assert span_ops.cycle_span(aset(), current, step) == expected


def test_cycle_span_skips_the_relation_head_and_handles_empty_sets():
    assert span_ops.cycle_span(aset(), 3, 1, skip=5) == 7
    assert span_ops.cycle_span(AnnotationSet(1, "a"), None, 1) is None
    only = AnnotationSet.build(1, "a", [Span(1, 0, 3, "ORG")])
    assert span_ops.cycle_span(only, None, 1, skip=1) is None


def test_next_suggestion_after_a_span_wraps_to_the_first():
    a = aset()
    assert span_ops.next_suggestion(a, None) == 7
    assert span_ops.next_suggestion(a, a.spans[7]) == 9
    assert span_ops.next_suggestion(a, a.spans[9]) == 7
    assert span_ops.next_suggestion(a, a.spans[3]) == 7
    edits.accept_suggestions(a).apply(a)
    assert span_ops.next_suggestion(a, None) is None


def test_allowed_types_follow_the_scheme():
    a = aset()
    assert [t.name for t in span_ops.allowed_types(SCHEME, a, 5, 7)] == ["amount"]
    assert [t.name for t in span_ops.allowed_types(SCHEME, a, 5, 3)] == ["investor", "target"]
    assert span_ops.allowed_types(SCHEME, a, 3, 7) == []


def test_duplicates_and_overlaps():
    a = aset()
    assert span_ops.duplicate_relation(a, 5, 7, "amount").id == 1
    assert span_ops.duplicate_relation(a, 7, 5, "amount") is None
    assert span_ops.span_exists(a, 0, 7, "ORG").id == 3
    assert span_ops.span_exists(a, 0, 7, "MONEY") is None
    assert span_ops.overlapping(a, 5, 15).id == 3
    assert span_ops.overlapping(a, 5, 15, ignore=3).id == 5
    assert span_ops.overlapping(a, 30, 34) is None


def test_quote_is_one_line_and_shortened():
    text = "Hon Hai\nPrecision   Industry Co."
    span = Span(1, 0, len(text), "ORG")
    assert span_ops.quote(text, span) == "Hon Hai Precision Industry Co."
    assert span_ops.quote(text, span, limit=10) == "Hon Hai P…"


def test_next_open_document_skips_closed_and_wraps(make_project):
    project = make_project()
    with project.transaction():
        for i in range(7):
            text = f"Document number {i}."
            project.add_document(text=text, hash=text_hash(text), title=text, tokens=[Token(0, 8)], meta={})
    for doc in (1, 2, 4, 5):
        project.apply(doc, "ann", edits.SetStatus("new", "done"))
    project.apply(6, "ann", edits.AddSpan(Span(0, 0, 8, "ORG")))  # in progress
    assert navigation.next_open_document(project, "ann", None) == 3
    assert navigation.next_open_document(project, "ann", 3) == 6
    assert navigation.next_open_document(project, "ann", 6) == 7
    assert navigation.next_open_document(project, "ann", 7) == 3
    for doc in (3, 7):
        project.apply(doc, "ann", edits.SetStatus("new", "skipped"))
    assert navigation.next_open_document(project, "ann", 6) is None
    assert navigation.next_open_document(project, "ann", 1) == 6
    assert navigation.progress(project, "ann") == (4, 7)


@pytest.mark.parametrize("deleted, expected", [(3, 5), (5, 7), (7, 9), (9, 7), (42, None)])
def test_after_delete_selects_the_next_span_or_the_previous_at_the_end(deleted, expected):
    assert span_ops.after_delete(aset(), deleted) == expected


def test_after_delete_of_the_only_span_selects_nothing():
    assert span_ops.after_delete(AnnotationSet.build(1, "a", [Span(1, 0, 3, "ORG")], []), 1) is None
