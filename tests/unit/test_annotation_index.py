from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.annotation_index import AnnotationIndex
from annotator.core.layout import paragraph_starts
from annotator.core.model import AnnotationSet, Relation, Span

TEXT = "Foxconn and OpenAI.\n\nHon Hai Precision said so.\nFoxconn spends $5 billion."
#       0         1         2            3         4          5         6         7
# paragraphs start at 0, 20, 21, 48
SPANS = [
    Span(1, 0, 7, "ORG"),
    Span(2, 12, 18, "ORG"),
    Span(3, 21, 38, "ORG"),  # Hon Hai Precision
    Span(4, 21, 28, "ORG", origin="model"),  # Hon Hai, nested
    Span(5, 48, 55, "ORG"),
    Span(6, 63, 73, "MONEY"),
    Span(7, 12, 30, "X"),  # crosses from paragraph 0 into 2
]
RELATIONS = [Relation(1, 1, 2, "partner"), Relation(2, 5, 6, "amount"), Relation(3, 1, 6, "amount")]


def build() -> tuple[AnnotationIndex, AnnotationSet]:
    aset = AnnotationSet.build(1, "alice", SPANS, RELATIONS)
    index = AnnotationIndex(paragraph_starts(TEXT))
    index.reset(aset.spans.values(), aset.relations.values())
    for paragraph in range(index.paragraph_count):  # as a view drawing every paragraph
        index.spans_in(paragraph)
    return index, aset


def ids(items) -> list[int]:
    return [item.id for item in items]


def test_text_fixture():
    assert paragraph_starts(TEXT) == [0, 20, 21, 48]
    assert [TEXT[s.start:s.end] for s in SPANS[:6]] == [
        "Foxconn", "OpenAI", "Hon Hai Precision", "Hon Hai", "Foxconn", "$5 billion"
    ]


def test_buckets_lanes_and_order():
    index, _ = build()
    assert index.paragraph_count == 4
    assert ids(index.spans_in(0)) == [7, 1, 2]  # lane 1 first, then by start
    assert ids(index.spans_in(1)) == [7]
    assert ids(index.spans_in(2)) == [7, 3, 4]
    assert ids(index.spans_in(3)) == [5, 6]
    assert [index.lane(i) for i in range(1, 8)] == [0, 0, 1, 0, 0, 0, 2]
    assert [index.is_stacked(i) for i in range(1, 8)] == [False, True, True, True, False, False, True]
    assert ids(index.relations_in(0)) == [1, 3]
    assert ids(index.relations_in(3)) == [2, 3]
    assert ids(index.relations_in(2)) == []
    assert ids(index.relations_of(6)) == [2, 3]
    assert list(index.paragraphs_of(SPANS[6])) == [0, 1, 2]


@pytest.mark.parametrize("offset, found", [(22, [4, 3, 7]), (29, [3, 7]), (30, [3]), (38, []), (7, []), (0, [1])])
def test_spans_at_innermost_first(offset, found):
    index, _ = build()
    assert ids(index.spans_at(offset)) == found


def test_update_in_place_edit_reports_paragraphs():
    index, aset = build()
    assert not index.update(aset.spans, aset.relations)
    aset.replace_span(replace(aset.spans[6], label="ORG"))
    change = index.update(aset.spans, aset.relations)
    # paragraph 3 for the span, 0 for the far end of relation 3
    assert (change.spans, change.relations, change.paragraphs) == ({6}, set(), {0, 3})
    assert index.span(6).label == "ORG"


def test_update_moves_span_and_its_relations():
    index, aset = build()
    aset.replace_span(replace(aset.spans[2], start=21, end=28))  # OpenAI -> Hon Hai
    change = index.update(aset.spans, aset.relations)
    # 0 and 2 for the move; 1 because span 7, which crosses it, changed lane
    assert change.paragraphs == {0, 1, 2}
    assert ids(index.spans_in(0)) == [7, 1]
    assert ids(index.relations_in(0)) == [1, 3]
    assert ids(index.relations_in(2)) == [1]
    # spans 2 and 4 now have equal bounds, so they stack by id
    assert [index.lane(i) for i in (2, 3, 4, 7)] == [0, 2, 1, 3]


def test_update_removal_and_dangling_relation():
    index, aset = build()
    aset.remove_span(5)
    change = index.update(aset.spans, aset.relations)
    assert change.spans == {5}
    assert change.paragraphs == {3}
    assert index.span(5) is None
    assert ids(index.relations_in(3)) == [2, 3]  # relation 2 keeps its child end
    aset.remove_relation(2)
    change = index.update(aset.spans, aset.relations)
    assert (change.relations, change.paragraphs) == ({2}, {3})
    assert ids(index.relations_in(3)) == [3]
    assert len(index) == 6


def test_update_adds_relation():
    index, aset = build()
    aset.insert_relation(Relation(9, 3, 5, "location"))
    change = index.update(aset.spans, aset.relations)
    assert (change.spans, change.relations, change.paragraphs) == (set(), {9}, {2, 3})
    assert ids(index.relations_in(2)) == [9]


def test_starts_must_begin_at_zero():
    with pytest.raises(ValueError, match="paragraph starts must begin with 0"):
        AnnotationIndex([3, 5])


def test_lanes_are_worked_out_when_first_asked_for():
    aset = AnnotationSet.build(1, "alice", SPANS, RELATIONS)
    index = AnnotationIndex(paragraph_starts(TEXT))
    index.reset(aset.spans.values(), aset.relations.values())
    aset.replace_span(replace(aset.spans[2], start=21, end=28))  # OpenAI -> Hon Hai
    change = index.update(aset.spans, aset.relations)
    assert change.paragraphs == {0, 2}  # span 7's lane was never drawn: paragraph 1 needs no repaint
    drawn, drawn_set = build()  # the same edit on an index whose lanes were all worked out
    drawn_set.replace_span(replace(drawn_set.spans[2], start=21, end=28))
    drawn.update(drawn_set.spans, drawn_set.relations)
    lanes = [drawn.lane(i) for i in range(1, 8)]
    assert [index.lane(i) for i in range(1, 8)] == lanes == [0, 0, 2, 1, 0, 0, 3]
    assert [index.is_stacked(i) for i in range(1, 8)] == [drawn.is_stacked(i) for i in range(1, 8)]
