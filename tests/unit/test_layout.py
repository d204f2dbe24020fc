from __future__ import annotations

import re

import pytest

from annotator.core.layout import (
    DisplayOffsets,
    TokenIndex,
    arc_levels,
    label_clear_of_legs,
    paragraph_of,
    paragraph_starts,
    span_stacking,
    stack_spans,
)
from annotator.core.model import Token


# -- span stacking -----------------------------------------------------------
@pytest.mark.parametrize(
    "spans, lanes",
    [
        ([], []),
        ([(0, 3), (4, 9), (10, 12)], [0, 0, 0]),
        # adjacent spans share no character
        ([(0, 3), (3, 6)], [0, 0]),
        # an outer span sits above everything it contains
        ([(0, 10), (2, 4), (6, 8)], [1, 0, 0]),
        ([(0, 20), (1, 10), (2, 5)], [2, 1, 0]),
        # a chain of partial overlaps reuses lane 0 where it is free
        ([(0, 5), (3, 8), (6, 10)], [0, 1, 0]),
        # equal bounds stack in input order
        ([(4, 9), (4, 9)], [0, 1]),
        # containment floor, then the next lane free of the crossing span
        ([(0, 10), (5, 15), (6, 7)], [1, 2, 0]),
        # input order does not change the result
        ([(6, 7), (5, 15), (0, 10)], [0, 2, 1]),
        # an empty span inside a longer one
        ([(0, 10), (5, 5)], [1, 0]),
    ],
)
def test_stack_spans(spans, lanes):
    assert stack_spans(spans) == lanes


def test_span_stacking_flags_only_overlapping_spans():
    assert span_stacking([(0, 10), (2, 4), (20, 25), (24, 30), (40, 41)]) == (
        [1, 0, 0, 1, 0],
        [True, True, True, True, False],
    )


def test_stack_spans_rejects_reversed_span():
    with pytest.raises(ValueError, match=r"span \(5, 2\) ends before it starts"):
        stack_spans([(0, 1), (5, 2)])


# -- arc levels --------------------------------------------------------------
@pytest.mark.parametrize(
    "arcs, levels",
    [
        ([], []),
        ([(0, 1), (2, 3)], [0, 0]),
        # arcs that share an end point get different levels
        ([(0, 5), (5, 10)], [0, 1]),
        # crossing arcs differ; the third crosses only the second
        ([(0, 3), (2, 6), (5, 9)], [0, 1, 0]),
        # shortest lowest, outer above inner
        ([(0, 10), (2, 3), (5, 8), (0, 5)], [2, 0, 0, 1]),
        # direction does not matter
        ([(10, 0), (3, 2)], [1, 0]),
        ([(120.5, 40.0), (60.0, 80.25), (200.0, 260.0)], [1, 0, 0]),
        # a zero-length arc under the arc that covers it
        ([(0, 10), (4, 4)], [1, 0]),
    ],
)
def test_arc_levels(arcs, levels):
    assert arc_levels(arcs) == levels


# -- tokens ------------------------------------------------------------------
TEXT = "Foxconn will invest  $5 billion."
TOKENS = [Token(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", TEXT)]
# Foxconn(0,7) will(8,12) invest(13,19) $(21,22) 5(22,23) billion(24,31) .(31,32)


def test_tokens_fixture_is_what_the_tests_assume():
    assert [(t.start, t.end) for t in TOKENS] == [
        (0, 7), (8, 12), (13, 19), (21, 22), (22, 23), (24, 31), (31, 32)
    ]


@pytest.mark.parametrize(
    "start, end, snapped",
    [
        (0, 7, (0, 7)),
        (2, 4, (0, 7)),  # inside one token
        (3, 15, (0, 19)),  # across tokens, both ends widened
        (15, 3, (0, 19)),  # either order
        (6, 9, (0, 12)),
        (7, 8, None),  # whitespace only
        (19, 21, None),
        (5, 5, None),  # empty
        (19, 22, (21, 22)),  # leading whitespace dropped
        (20, 32, (21, 32)),
        (0, 40, (0, 32)),  # past the end of the text
    ],
)
def test_snap(start, end, snapped):
    assert TokenIndex(TOKENS).snap(start, end) == snapped


def test_snap_accepts_pairs():
    assert TokenIndex([(0, 7), (8, 12)]).snap(1, 9) == (0, 12)


@pytest.mark.parametrize(
    "offset, index",
    [(0, 0), (6, 0), (7, None), (8, 1), (21, 3), (22, 4), (31, 6), (32, None), (-1, None)],
)
def test_token_at(offset, index):
    assert TokenIndex(TOKENS).token_at(offset) == index


@pytest.mark.parametrize(
    "start, end, step, moved",
    [
        (13, 19, -1, (8, 19)),  # grow left
        (8, 19, 1, (13, 19)),  # shrink from the left
        (13, 19, 1, None),  # would leave nothing
        (0, 7, -1, None),  # already at the first token
        (14, 18, -2, (0, 19)),  # snapped first
        (7, 8, -1, None),  # covers no token
    ],
)
def test_move_start(start, end, step, moved):
    assert TokenIndex(TOKENS).move_start(start, end, step) == moved


@pytest.mark.parametrize(
    "start, end, step, moved",
    [
        (13, 19, 1, (13, 22)),
        (13, 23, -1, (13, 22)),
        (13, 19, -1, None),
        (24, 32, 1, None),  # already at the last token
        (0, 7, 3, (0, 22)),
    ],
)
def test_move_end(start, end, step, moved):
    assert TokenIndex(TOKENS).move_end(start, end, step) == moved


@pytest.mark.parametrize(
    "tokens, message",
    [
        ([(0, 3), (2, 5)], r"token \(2, 5\) overlaps or precedes the one before it"),
        ([(4, 6), (0, 2)], r"token \(0, 2\) overlaps or precedes the one before it"),
        ([(0, 0)], r"token \(0, 0\) is empty"),
    ],
)
def test_token_index_rejects_bad_tokens(tokens, message):
    with pytest.raises(ValueError, match=message):
        TokenIndex(tokens)


def test_empty_token_index_snaps_nothing():
    index = TokenIndex(())
    assert len(index) == 0
    assert index.snap(0, 5) is None


# -- paragraphs and display offsets -------------------------------------------
@pytest.mark.parametrize(
    "text, starts",
    [
        ("", [0]),
        ("one line", [0]),
        ("x\n", [0, 2]),
        ("a\nb\r\nc\rd\u2029e\u2028f", [0, 2, 5, 7, 9]),
        ("\n\n", [0, 1, 2]),
    ],
)
def test_paragraph_starts(text, starts):
    assert paragraph_starts(text) == starts


@pytest.mark.parametrize("offset, paragraph", [(-3, 0), (0, 0), (1, 0), (2, 1), (4, 1), (5, 2), (99, 4)])
def test_paragraph_of(offset, paragraph):
    assert paragraph_of([0, 2, 5, 7, 9], offset) == paragraph


def test_display_offsets_identity_for_plain_text():
    offsets = DisplayOffsets("Foxconn and OpenAI\n")
    assert offsets.is_identity
    assert [offsets.to_display(i) for i in (0, 5, 19)] == [0, 5, 19]
    assert [offsets.to_index(i) for i in (0, 5, 19)] == [0, 5, 19]
    assert offsets.display_length == 19


def test_display_offsets_count_utf16_units_and_fold_crlf():
    text = "\U0001f600a\r\nb\U0001f680c"
    # py:      0=😀 1=a 2=\r 3=\n 4=b 5=🚀 6=c 7=end
    # display: 0,1=😀 2=a 3=separator 4=b 5,6=🚀 7=c 8=end
    offsets = DisplayOffsets(text)
    assert not offsets.is_identity
    assert [offsets.to_display(i) for i in range(8)] == [0, 2, 3, 4, 4, 5, 7, 8]
    assert [offsets.to_index(q) for q in range(9)] == [0, 1, 1, 2, 4, 5, 6, 6, 7]
    assert offsets.display_length == 8
    assert offsets.text_length == 7


def test_display_offsets_round_trip_every_character_start():
    text = "Zoë 東京 \U0001f600 x\r\ny \U0001d11e\r\n\r\nend"
    offsets = DisplayOffsets(text)
    for i in range(len(text) + 1):
        if i > 0 and text[i - 1 : i + 1] == "\r\n":
            continue  # between "\r" and "\n": not a place an offset can be
        assert offsets.to_index(offsets.to_display(i)) == i


@pytest.mark.parametrize(
    "left, legs, expected",
    [
        (10.0, [], 10.0),  # nothing in the way
        (10.0, [50.0], 10.0),  # a leg beyond the label
        (10.0, [12.0], 16.0),  # just inside the left edge: step right of it
        (10.0, [38.0], 4.0),  # just inside the right edge: step left of it
        (10.0, [12.0, 20.0], 24.0),  # two legs: past both
        (2.0, [4.0, 40.0], 44.0),  # no room left of the first leg nor between the two
        (0.0, [2.0, 30.0, 60.0, 90.0], 0.0),  # nowhere fits: stays
    ],
)
def test_label_clear_of_legs(left, legs, expected):
    assert label_clear_of_legs(left, 30.0, legs, 0.0, 100.0, 4.0) == expected
