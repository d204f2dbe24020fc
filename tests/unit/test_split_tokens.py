"""Splitting tokens where imported spans begin or end inside them (formats without tokens)."""
from __future__ import annotations

from annotator.core.alignment import span_boundaries, split_tokens
from annotator.core.model import SetData, Span, Token

TOKENS = [Token(0, 13, True), Token(14, 20, False), Token(20, 21, False)]  # "GoogleYouTube merged."


def test_cuts_inside_tokens_only():
    assert split_tokens(TOKENS, [6, 0, 13, 14, 21]) == [
        Token(0, 6, False), Token(6, 13, True), Token(14, 20, False), Token(20, 21, False),
    ]


def test_several_cuts_in_one_token_and_the_last_piece_keeps_ws():
    assert split_tokens([Token(0, 10, True)], [7, 3, 3]) == [Token(0, 3, False), Token(3, 7, False), Token(7, 10, True)]


def test_offsets_between_tokens_change_nothing():
    assert split_tokens(TOKENS, [13, 14]) == TOKENS
    assert split_tokens(TOKENS, []) == TOKENS


def test_boundaries_include_every_fragment():
    sets = [SetData(spans=[Span(1, 0, 17, "ORG", fragments=((0, 6), (15, 17))), Span(2, 6, 13, "ORG")])]
    assert span_boundaries(sets) == {0, 6, 13, 15, 17}
