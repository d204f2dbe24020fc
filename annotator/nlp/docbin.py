"""spaCy DocBin (``.spacy``) reading and writing.

Writing: each set becomes a Doc over the stored tokens (text reproduced
exactly), with non-overlapping spans as ``doc.ents``, every span in
``doc.spans["sc"]``, and relations and document metadata in ``doc.user_data``
(``relations``: ``[[head_start, head_end, head_label], [child_start,
child_end, child_label], label]``; ``meta``; ``owner``; ``status``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans
from spacy.vocab import Vocab

from ..core.model import STATUSES, AnnotationSet, Document, Problem, Record, Relation, SetData, Span, Token

SPANS_KEY = "sc"


def words_and_spaces(text: str, tokens: Iterable[Token]) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags that rebuild ``text`` exactly.

    Gaps the tokens leave (other whitespace, or text a foreign tokenisation
    skipped) become tokens of their own, as spaCy's tokenizer does.
    """
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for tok in tokens:
        if tok.start > pos:
            gap = text[pos : tok.start]
            if gap == " " and words and not spaces[-1]:
                spaces[-1] = True
            elif gap.startswith(" ") and words and not spaces[-1]:
                spaces[-1] = True
                words.append(gap[1:])
                spaces.append(False)
            else:
                words.append(gap)
                spaces.append(False)
        space = tok.ws and text[tok.end : tok.end + 1] == " "
        words.append(text[tok.start : tok.end])
        spaces.append(space)
        pos = tok.end + (1 if space else 0)
    if pos < len(text):
        words.append(text[pos:])
        spaces.append(False)
    return words, spaces


def set_to_doc(vocab: Vocab, document: Document, aset: AnnotationSet) -> tuple[Doc, int, int]:
    """The Doc for one set, and the numbers of spans and relations that could
    not be placed on its tokens."""
    words, spaces = words_and_spaces(document.text, document.tokens)
    doc = Doc(vocab, words=words, spaces=spaces)
    assert doc.text == document.text
    placed = {}
    lost_spans = 0
    for span in aset.sorted_spans():
        sp = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if sp is None:
            lost_spans += 1
        else:
            placed[span.id] = sp
    doc.spans[SPANS_KEY] = list(placed.values())
    doc.ents = filter_spans(placed.values())
    relations = []
    lost_rels = 0
    for rel in aset.sorted_relations():
        head, child = aset.spans.get(rel.head), aset.spans.get(rel.child)
        if rel.head not in placed or rel.child not in placed or head is None or child is None:
            lost_rels += 1
            continue
        relations.append([[head.start, head.end, head.label], [child.start, child.end, child.label], rel.label])
    doc.user_data["relations"] = relations
    doc.user_data["meta"] = dict(document.meta)
    doc.user_data["owner"] = aset.owner
    doc.user_data["status"] = aset.status
    return doc, lost_spans, lost_rels


def write_docbin(items: Iterable[tuple[Document, AnnotationSet]], out: Path, *, lang: str = "en") -> dict[str, int]:
    """Write a DocBin; returns counts of documents, spans, relations, ents,
    overlapping spans kept only in the span group, and anything lost."""
    nlp = spacy.blank(lang)
    docbin = DocBin(store_user_data=True)
    counts = {"documents": 0, "spans": 0, "relations": 0, "ents": 0, "lost_spans": 0, "lost_relations": 0}
    for document, aset in items:
        doc, lost_spans, lost_rels = set_to_doc(nlp.vocab, document, aset)
        docbin.add(doc)
        counts["documents"] += 1
        counts["spans"] += len(doc.spans[SPANS_KEY])
        counts["ents"] += len(doc.ents)
        counts["relations"] += len(doc.user_data["relations"])
        counts["lost_spans"] += lost_spans
        counts["lost_relations"] += lost_rels
    docbin.to_disk(out)
    return counts


def read_docbin(path: Path, *, lang: str = "en") -> Iterator[Record | Problem]:
    """Records from a DocBin: span group ``sc`` when present (else ``doc.ents``),
    relations from user data, the Doc's own tokenisation."""
    try:
        docbin = DocBin().from_disk(path)
        docs = list(docbin.get_docs(spacy.blank(lang).vocab))
    except Exception as exc:  # spaCy raises several types for a corrupt file
        yield Problem(str(path), f"not a spaCy DocBin file ({type(exc).__name__}: {exc})")
        return
    for i, doc in enumerate(docs):
        source = f"{path}:doc {i + 1}"
        tokens = [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]
        # every span of the group as written (the importer merges and counts
        # duplicates), plus entities the group lacks: ents repeat its spans
        group = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        grouped = {(sp.start_char, sp.end_char, sp.label_) for sp in group}
        spans = [
            Span(i, sp.start_char, sp.end_char, sp.label_, "import")
            for i, sp in enumerate(group + [e for e in doc.ents if (e.start_char, e.end_char, e.label_) not in grouped], 1)
        ]
        try:
            data, meta = _user_sets(doc.user_data, spans)
        except ValueError as exc:
            yield Problem(source, f"user data: {exc}")
            continue
        yield Record(text=doc.text, source=source, meta=meta, tokens=tokens, sets=[data])


def _user_sets(user: object, spans: list[Span]) -> tuple[SetData, dict]:
    """The set and metadata the writer keeps in ``doc.user_data``; ``ValueError``
    says what is not of the shape it writes. Relations name spans by offsets
    and label: the first span that matches."""
    by_key: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        by_key.setdefault((span.start, span.end, span.label), span)
    user = user or {}
    if not isinstance(user, dict):
        raise ValueError(f"expected a mapping, not {type(user).__name__}")
    meta, owner, status, items = user.get("meta", {}), user.get("owner"), user.get("status"), user.get("relations", [])
    if not isinstance(meta, dict):
        raise ValueError(f'"meta" must be a mapping, not {type(meta).__name__}')
    if owner is not None and (not isinstance(owner, str) or not owner):
        raise ValueError(f'"owner" must be a non-empty string, not {owner!r:.40}')
    if status is not None and status not in STATUSES:
        raise ValueError(f'"status" {status!r:.40} is not one of {", ".join(STATUSES)}')
    if not isinstance(items, (list, tuple)):
        raise ValueError(f'"relations" must be a list, not {type(items).__name__}')
    relations = []
    for number, item in enumerate(items, start=1):
        ends = _relation_ends(item)
        if ends is None:
            raise ValueError(
                f"relation {number} is not [[head_start, head_end, head_label], [child_start, child_end, child_label], label]"
            )
        head, child = by_key.get(ends[0]), by_key.get(ends[1])
        if head is None or child is None:
            raise ValueError(f"relation {number} ({ends[2]!r}) points to a span the Doc does not have")
        relations.append(Relation(len(relations) + 1, head.id, child.id, ends[2], "import"))
    return SetData(owner, status, spans, relations), dict(meta)


def _relation_ends(item: object) -> tuple[tuple, tuple, str] | None:
    if not isinstance(item, (list, tuple)) or len(item) != 3 or not isinstance(item[2], str) or not item[2]:
        return None
    ends = []
    for end in item[:2]:
        if not isinstance(end, (list, tuple)) or len(end) != 3:
            return None
        start, stop, label = end
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop)) or not isinstance(label, str):
            return None
        ends.append((start, stop, label))
    return ends[0], ends[1], item[2]
