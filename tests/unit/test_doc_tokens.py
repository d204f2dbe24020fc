"""Tokens read off a spaCy Doc as one array are the Doc's own tokens."""
from __future__ import annotations

import pytest
import spacy

from annotator.core.model import Token
from annotator.nlp.pipeline import doc_tokens


@pytest.mark.parametrize("text", ["", "  ", "a", "Hello, world!  ", "🎉 Zoë Ørsted met 東京電力 in São Paulo 🚀.\n\n x  y\t"])
@pytest.mark.parametrize("offset", [0, 7])
def test_doc_tokens_are_the_docs_tokens_as_plain_ints_and_bools(text, offset):
    doc = spacy.blank("en")(text)
    tokens = doc_tokens(doc, offset)
    assert tokens == [Token(t.idx + offset, t.idx + offset + len(t.text), bool(t.whitespace_)) for t in doc]
    assert {(type(t), type(t.start), type(t.end), type(t.ws)) for t in tokens} <= {(Token, int, int, bool)}


def test_doc_tokens_of_an_emoji_text():
    assert doc_tokens(spacy.blank("en")("🎉 Zoë met 東京.")) == [
        Token(0, 1, True), Token(2, 5, True), Token(6, 9, True), Token(10, 12, False), Token(12, 13, False),
    ]
