"""Cross-format journeys keep every span and relation."""
from __future__ import annotations

from annotator import api
from annotator.core.scheme import Scheme
from annotator.formats.brat import read as read_brat


def triples(project):
    """Every set's spans and relations as comparable tuples, per document text."""
    out = {}
    for document, aset in project.iter_sets():
        spans = sorted((s.start, s.end, s.label) for s in aset.spans.values())
        key = lambda sid: (aset.spans[sid].start, aset.spans[sid].end, aset.spans[sid].label)  # noqa: E731
        relations = sorted((key(r.head), key(r.child), r.label) for r in aset.relations.values())
        out[document.text] = (spans, relations)
    return out


def test_brat_to_jsonl_to_brat_keeps_every_span_and_relation(corpora, make_project, tmp_path):
    news = corpora / "brat" / "news"
    first = make_project("first.annotator", scheme=Scheme.from_labels(["Person"]))
    api.import_files(first, [news], format="brat", preannotate="none", add_labels=True)
    jsonl = tmp_path / "news.jsonl"
    assert api.export(first, jsonl, format="jsonl")["all"].documents == 13
    second = make_project("second.annotator", scheme=first.scheme)
    api.import_files(second, [jsonl], preannotate="none")
    back = tmp_path / "back"
    written = api.export(second, back, format="brat")["all"]
    assert (written.documents, written.spans, written.relations) == (13, 119, 63)
    assert triples(second) == triples(first)
    # and the brat files written at the end hold the original T lines' offsets and texts
    original = {r.text: sorted((s.start, s.end, s.label) for s in r.sets[0].spans) for r in read_brat(news)}
    again = {r.text: sorted((s.start, s.end, s.label) for s in r.sets[0].spans) for r in read_brat(back)}
    assert again == original
