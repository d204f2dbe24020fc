"""Finding a search's words and a phrase in a text, without Qt."""
from __future__ import annotations

import pytest

from annotator.gui import text_search

TEXT = "Foxconn will invest in Ohio. FOXCONN's OpenAI deal: Foxconnish plans, open door."


def test_query_matches_whole_words_and_a_prefix_for_the_last():
    assert text_search.query_matches(TEXT, "foxconn ope") == [(0, 7), (29, 36), (39, 45), (70, 74)]
    assert [TEXT[s:e] for s, e in text_search.query_matches(TEXT, "foxconn ope")] == ["Foxconn", "FOXCONN", "OpenAI", "open"]
    assert [TEXT[s:e] for s, e in text_search.query_matches(TEXT, "ohio foxconn")] == ["Foxconn", "Ohio", "FOXCONN", "Foxconnish"]
    assert text_search.query_matches(TEXT, "   ") == []
    assert text_search.query_matches(TEXT, "a+b (c") == []  # markup-like input is matched literally


def test_phrase_matches_are_case_insensitive_and_literal():
    assert text_search.phrase_matches(TEXT, "foxconn") == [(0, 7), (29, 36), (52, 59)]
    assert text_search.phrase_matches(TEXT, "in Ohio.") == [(20, 28)]
    assert text_search.phrase_matches(TEXT, ".") == [(27, 28), (79, 80)]
    assert text_search.phrase_matches(TEXT, "") == []


@pytest.mark.parametrize("count, current, direction, expected", [
    (0, None, 1, None), (3, None, 1, 0), (3, None, -1, 2), (3, 2, 1, 0), (3, 0, -1, 2), (3, 1, 1, 2),
])
def test_step_wraps_around(count, current, direction, expected):
    assert text_search.step(count, current, direction) == expected
