"""Property: random documents and annotations (CJK, emoji, combining accents)
written in each format and read back equal what was written, or differ by
exactly what the writer reported as lost (and the duplicates the import
border reported merging, which a widened span can create).

Spans and relations are compared per document; a writer's losses are counted
as span losses or relation losses by their description (``WriteReport.lost``),
so a new loss category extends this test without changing it.
"""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.alignment import align
from annotator.core.model import AnnotationSet, Document, Problem, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.formats import registry
from annotator.formats.losses import WIDENED

LABELS = ["ORG", "PER", "LOC"]
RELATIONS = ["partner", "employee_of"]
SCHEME = Scheme.from_labels(LABELS).with_relations(RELATIONS)
# words with CJK, emoji (outside the BMP), a combining accent and plain ASCII
WORDS = st.sampled_from(["Zoe\u0301", "東京電力", "🎉", "Ørsted", "IL-2R", "São", "Acme", "e\u0308", "和", "a"])
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n"])
# discontinuous spans; a writer drops them or widens them to their outer bounds, and says which
WITH_FRAGMENTS = True
# token formats rebuild the text from tokens; character formats keep it
TOKEN_FORMATS = {"conll", "spert"}
FORMATS = [name for name, spec in registry.formats().items() if spec.reader and spec.writer]
OUT_NAMES = {"jsonl": "out.jsonl", "labelstudio": "out.json", "doccano": "out.jsonl", "spacy": "out.spacy",
             "conll": "out.conll", "spert": "out.json", "brat": "out", "txt": "out"}


def whitespace_tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.end() < len(text) and text[m.end()].isspace()) for m in re.finditer(r"\S+", text)]


@st.composite
def documents(draw, number: int) -> tuple[Document, AnnotationSet]:
    words = draw(st.lists(WORDS, min_size=1, max_size=12))
    seps = draw(st.lists(SEPARATORS, min_size=len(words) - 1, max_size=len(words) - 1))
    text = words[0] + "".join(sep + word for sep, word in zip(seps, words[1:]))
    tokens = whitespace_tokens(text)
    ranges = draw(
        st.lists(
            st.tuples(st.integers(0, len(tokens) - 1), st.integers(1, 3), st.sampled_from(LABELS)),
            max_size=5,
            unique_by=lambda r: (r[0], min(r[0] + r[1], len(tokens)), r[2]),
        )
    )
    spans = [
        Span(i, tokens[first].start, tokens[min(first + length, len(tokens)) - 1].end, label, "human")
        for i, (first, length, label) in enumerate(ranges, start=1)
    ]
    if WITH_FRAGMENTS and len(tokens) >= 3 and draw(st.booleans()):
        pieces = ((tokens[0].start, tokens[0].end), (tokens[2].start, tokens[2].end))
        spans.append(Span(len(spans) + 1, pieces[0][0], pieces[1][1], "ORG", "human", fragments=pieces))
    pairs = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from(RELATIONS)), max_size=3))
    relations, seen = [], set()
    for head, child, label in pairs:
        if head < len(spans) and child < len(spans) and head != child and (head, child, label) not in seen:
            seen.add((head, child, label))
            relations.append(Relation(len(relations) + 1, spans[head].id, spans[child].id, label, "human"))
    document = Document(number, text_hash(text), text, tuple(tokens), {"title": f"doc {number}"})
    return document, AnnotationSet.build(number, "ann", spans, relations, status="done")


def comparable(text: str, spans, relations, *, token_format: bool, widen: bool = False):
    """Spans and relations as multisets of comparable tuples: offsets for
    character formats, the span's text with single spaces for token formats
    (which rebuild the text from tokens). ``widen`` compares a discontinuous
    span as its outer bounds, as a writer that widens it writes it."""
    by_id = {s.id: s for s in spans}

    def key(span):
        if token_format:
            return (" ".join(text[span.start : span.end].split()), span.label)
        return (((span.start, span.end),) if widen else span.pieces(), span.label)

    return (
        Counter(key(s) for s in spans),
        Counter((key(by_id[r.head]), key(by_id[r.child]), r.label) for r in relations),
    )


def losses(report) -> tuple[int, int, int]:
    """Span losses, relation losses (told apart by their description) and
    spans widened to their outer bounds, as a writer reported them."""
    how = getattr(report, "how", {})
    lost = {what: count for what, count in report.lost.items() if how.get(what) != WIDENED}
    spans = sum(count for what, count in lost.items() if "span" in what and not what.startswith("relation"))
    relations = sum(count for what, count in lost.items() if what.startswith("relation"))
    return spans, relations, sum(report.lost.values()) - sum(lost.values())


def read_back(fmt: str, path: Path) -> tuple[list, int]:
    """The records of a file as the import border leaves them, and the number
    of duplicate regions it merged (a widened span may equal another span)."""
    records, merged = [], 0
    for item in registry.get(fmt).reader(path):
        assert not isinstance(item, Problem), item
        tokens = item.tokens if item.tokens is not None else whitespace_tokens(item.text)
        merged += align(item.text, tokens, item.sets)[1].merged
        records.append(item)
    return records, merged


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_written_and_read_back_equals_written_minus_reported_losses(fmt, data):
    count = data.draw(st.integers(1, 3))
    items = [data.draw(documents(n)) for n in range(1, count + 1)]
    texts = [d.text for d, _ in items]
    if len(set(texts)) < len(texts):
        return  # one document per text, as in a project
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / OUT_NAMES[fmt]
        report = registry.get(fmt).writer(items, out, scheme=SCHEME)
        records, merged = read_back(fmt, out)
    token_format = fmt in TOKEN_FORMATS
    lost_spans, lost_relations, widened = losses(report)
    fragmented = sum(1 for _, aset in items for span in aset.spans.values() if span.fragments)
    assert widened in (0, fragmented), report.lost
    written_spans, written_relations = Counter(), Counter()
    for document, aset in items:
        s, r = comparable(
            document.text, aset.spans.values(), aset.relations.values(), token_format=token_format, widen=bool(widened)
        )
        written_spans += s
        written_relations += r
    read_spans, read_relations = Counter(), Counter()
    for record in records:
        if not token_format:
            assert record.text in texts
        for data_set in record.sets:
            s, r = comparable(record.text, data_set.spans, data_set.relations, token_format=token_format)
            read_spans += s
            read_relations += r
    assert not read_spans - written_spans, "spans read that were never written"
    assert not read_relations - written_relations, "relations read that were never written"
    assert sum((written_spans - read_spans).values()) == lost_spans + merged, report.lost
    assert sum((written_relations - read_relations).values()) == lost_relations, report.lost
