"""Every writer and reader on files the test writes itself (no peer corpora):
a project's set, exported in each format and imported into a new project,
comes back with the spans and relations the format can hold."""
from __future__ import annotations

import pytest

from annotator import api
from annotator.core.model import Relation, Span
from annotator.core.scheme import Scheme
from annotator.formats import registry

SCHEME = {
    "name": "round-trip",
    "labels": [{"name": "ORG", "color": "#7aecec"}, {"name": "GPE", "color": "#feca74"},
               {"name": "MONEY", "color": "#e4e7d2"}],
    "relations": [{"name": "location", "head": ["ORG"], "child": ["GPE"]},
                  {"name": "amount", "head": ["ORG"], "child": ["MONEY"]}],
}
# one sentence each, so that token formats rebuild them with the same words
TEXTS = {
    "a.txt": "Foxconn will spend $5 billion in Wisconsin.",
    "b.txt": "Nvidia opened an office in São Paulo with Dell.",
}
SETS = {
    "a.txt": ([("Foxconn", "ORG"), ("$5 billion", "MONEY"), ("Wisconsin", "GPE")],
              [("Foxconn", "$5 billion", "amount"), ("Foxconn", "Wisconsin", "location")]),
    "b.txt": ([("Nvidia", "ORG"), ("São Paulo", "GPE"), ("Dell", "ORG")],
              [("Nvidia", "São Paulo", "location")]),
}
# format: (output name, keeps spans, keeps relations)
FORMATS = {
    "brat": ("out", True, True),
    "conll": ("out.conll", True, False),
    "doccano": ("out.jsonl", True, True),
    "jsonl": ("out.jsonl", True, True),
    "labelstudio": ("out.json", True, True),
    "spacy": ("out.spacy", True, True),
    "spert": ("out.json", True, True),
    "txt": ("out", False, False),
}


def squeeze(words: str) -> str:
    """Words without whitespace: CoNLL and SpERT hold tokens, and a text rebuilt
    from them has a space between every two ("$ 5 billion")."""
    return "".join(words.split())


def surface(project) -> dict[str, tuple[list, list]]:
    """alice's spans and relations per document, by their words (squeezed),
    keyed by the document's first word."""
    out = {}
    for doc_id in project.document_ids():
        text = project.document(doc_id).text
        aset = project.annotation_set(doc_id, "alice")
        if aset is None:
            out[text.split()[0]] = ([], [])
            continue
        words = {s.id: squeeze(text[s.start:s.end]) for s in aset.spans.values()}
        spans = sorted((words[s.id], s.label) for s in aset.spans.values())
        relations = sorted((words[r.head], words[r.child], r.label) for r in aset.relations.values())
        out[text.split()[0]] = (spans, relations)
    return out


@pytest.fixture
def source(make_project, tmp_path):
    """A project with alice's finished set on each text."""
    folder = tmp_path / "texts"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    project = make_project("source.annotator", scheme=Scheme.from_dict(SCHEME))
    api.import_files(project, [folder], preannotate="none")
    by_text = {project.document(i).text: i for i in project.document_ids()}
    for name, (spans, relations) in SETS.items():
        text = TEXTS[name]
        ids = {word: n for n, (word, _) in enumerate(spans, start=1)}
        with project.transaction():
            project.write_set(
                by_text[text], "alice",
                [Span(ids[w], text.index(w), text.index(w) + len(w), label) for w, label in spans],
                [Relation(n, ids[h], ids[c], label) for n, (h, c, label) in enumerate(relations, start=1)],
                status="done", who="alice",
            )
    return project


def test_every_format_with_a_reader_and_a_writer_is_listed():
    both = {name for name, spec in registry.formats().items() if spec.reader and spec.writer}
    assert both == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_then_import_keeps_what_the_format_holds(fmt, source, make_project, tmp_path):
    name, keeps_spans, keeps_relations = FORMATS[fmt]
    out = tmp_path / fmt / name
    out.parent.mkdir()
    api.export(source, out, format=fmt, owner="alice")
    again = make_project(f"again-{fmt}.annotator", scheme=Scheme.from_dict(SCHEME))
    report = api.import_files(again, [out], format=fmt, preannotate="none", annotator="alice", add_labels=True)
    assert report.documents_added == 2
    expected = {
        TEXTS[n].split()[0]: (
            sorted((squeeze(w), label) for w, label in spans) if keeps_spans else [],
            sorted((squeeze(h), squeeze(c), label) for h, c, label in relations) if keeps_relations else [],
        )
        for n, (spans, relations) in SETS.items()
    }
    assert surface(again) == expected
