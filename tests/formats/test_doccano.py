from __future__ import annotations

import json

import pytest

from annotator import api
from annotator.core.errors import InputError
from annotator.core.model import AnnotationSet, Document, Problem, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.formats import doccano, registry
from tests.conftest import CORPORA, table_dump
from tests.formats.items import read_records, relation_tuples, span_tuples, to_items

DOCCANO = CORPORA / "doccano"
PRETTY = DOCCANO / "data_export__pipeline__examples__relation_extraction__example.jsonl"
RELATIONS = DOCCANO / "data_import__pipeline__examples__relation_extraction__example.jsonl"
RELATIONS_TEST = DOCCANO / "data_import__tests__data__relation_extraction__example.jsonl"
SEQUENCE = DOCCANO / "data_import__pipeline__examples__sequence_labeling__example.jsonl"
OVERLAPPING = DOCCANO / "data_import__tests__data__sequence_labeling__example_overlapping.jsonl"

GOOGLE = "Google was founded on September 4, 1998, by Larry Page and Sergey Brin."
GOOGLE_SPANS = [(0, 6, "ORG"), (22, 39, "DATE"), (44, 54, "PERSON"), (59, 70, "PERSON")]
GOOGLE_RELATIONS = [
    ((0, 6, "ORG"), (22, 39, "DATE"), "foundedAt"),
    ((0, 6, "ORG"), (44, 54, "PERSON"), "foundedBy"),
    ((0, 6, "ORG"), (59, 70, "PERSON"), "foundedBy"),
]


@pytest.mark.corpora
def test_every_doccano_file_is_recognised():
    assert sorted(p.name for p in DOCCANO.iterdir()) == sorted(
        p.name for p in (PRETTY, RELATIONS, RELATIONS_TEST, SEQUENCE, OVERLAPPING)
    )
    assert [doccano.sniff(p) for p in sorted(DOCCANO.iterdir())] == [True] * 5
    for path in (RELATIONS, RELATIONS_TEST, OVERLAPPING):
        assert registry.detect(path).name == "doccano"


@pytest.mark.corpora
@pytest.mark.parametrize(
    "path",
    [
        CORPORA / "prodigy" / "news_headlines_ner.jsonl",
        CORPORA / "label_studio" / "nerine_nor_export.json",
        CORPORA / "conll04" / "conll04_dev.json",
    ],
)
def test_other_formats_are_not_claimed(path):
    assert doccano.sniff(path) is False


@pytest.mark.corpora
@pytest.mark.parametrize("path", [PRETTY, RELATIONS, RELATIONS_TEST])
def test_relation_examples(path):
    (record,) = read_records("doccano", path)
    assert record.text == GOOGLE
    assert record.source == f"{path}:1"
    assert [(s.owner, s.status) for s in record.sets] == [(None, None)]
    assert span_tuples(record) == [GOOGLE_SPANS]
    assert relation_tuples(record) == [GOOGLE_RELATIONS]
    assert [GOOGLE[s.start : s.end] for s in record.sets[0].spans] == [
        "Google", "September 4, 1998", "Larry Page", "Sergey Brin",
    ]


@pytest.mark.corpora
def test_sequence_labelling_with_column_names():
    records = read_records("doccano", SEQUENCE)
    assert [(r.text, span_tuples(r), r.source) for r in records] == [
        ("EU rejects German call to boycott British lamb.", [[(0, 2, "ORG")]], f"{SEQUENCE}:1"),
        ("Peter Blackburn", [[(0, 15, "PERSON")]], f"{SEQUENCE}:2"),
        ("President Obama", [[(10, 15, "PERSON")]], f"{SEQUENCE}:3"),
    ]


@pytest.mark.corpora
def test_duplicate_spans_are_read_as_written_and_meta_is_kept():
    (record,) = read_records("doccano", OVERLAPPING)
    assert (record.text, span_tuples(record), record.meta) == (
        "exampleA", [[(0, 1, "LOC"), (0, 1, "LOC")]], {"wikiPageID": 1},
    )


def test_text_under_data_owner_and_meta(tmp_path):
    lines = [
        {"id": 8, "data": "Ana Silva visited Paris.", "label": [[0, 9, "PER"]], "user": 3, "Comments": []},
        {"id": 9, "text": "Nothing here.", "label": [], "annotator": "bo"},
        {"text": "Bo ran.", "labels": [[0, 2, "PER"]], "annotator": "bo", "meta": {"src": "x"}},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(l) for l in lines) + "\n", encoding="utf-8")
    first, second, third = read_records("doccano", path)
    assert (first.text, first.meta, [s.owner for s in first.sets]) == (
        "Ana Silva visited Paris.", {"Comments": [], "doccano_id": 8}, ["doccano-user-3"],
    )
    assert (second.sets, second.meta) == ([], {"doccano_id": 9})
    assert (third.meta, [s.owner for s in third.sets], span_tuples(third)) == ({"src": "x"}, ["bo"], [[(0, 2, "PER")]])


def test_non_ascii_offsets_are_code_points(tmp_path):
    text = "🎉 Zoë Ørsted met 東京電力 in São Paulo."
    pieces = [("Zoë Ørsted", "PER"), ("東京電力", "ORG"), ("São Paulo", "LOC")]
    entities = [
        {"id": i, "start_offset": text.index(p), "end_offset": text.index(p) + len(p), "label": l}
        for i, (p, l) in enumerate(pieces)
    ]
    path = tmp_path / "u.jsonl"
    path.write_text(json.dumps({"text": text, "entities": entities, "relations": []}, ensure_ascii=False), encoding="utf-8")
    (record,) = read_records("doccano", path)
    assert span_tuples(record) == [[(2, 12, "PER"), (17, 21, "ORG"), (25, 34, "LOC")]]
    assert [text[s.start : s.end] for s in record.sets[0].spans] == ["Zoë Ørsted", "東京電力", "São Paulo"]


@pytest.mark.corpora
def test_round_trip_and_written_shape(tmp_path):
    records = read_records("doccano", PRETTY) + read_records("doccano", SEQUENCE)
    out = tmp_path / "out.jsonl"
    report = doccano.write(to_items(records, default_owner="ann"), out)
    assert (report.documents, report.spans, report.relations, report.lost) == (4, 7, 3, {})
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {
        "id": 1,
        "text": GOOGLE,
        "entities": [
            {"id": 0, "label": "ORG", "start_offset": 0, "end_offset": 6},
            {"id": 1, "label": "DATE", "start_offset": 22, "end_offset": 39},
            {"id": 2, "label": "PERSON", "start_offset": 44, "end_offset": 54},
            {"id": 3, "label": "PERSON", "start_offset": 59, "end_offset": 70},
        ],
        "relations": [
            {"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"},
            {"id": 1, "from_id": 0, "to_id": 2, "type": "foundedBy"},
            {"id": 2, "from_id": 0, "to_id": 3, "type": "foundedBy"},
        ],
        "user": "ann",
    }
    assert lines[1]["relations"] == [] and lines[1]["entities"] == [
        {"id": 0, "label": "ORG", "start_offset": 0, "end_offset": 2}
    ]
    again = read_records("doccano", out)
    assert [span_tuples(r) for r in again] == [span_tuples(r) for r in records]
    assert [relation_tuples(r) for r in again] == [relation_tuples(r) for r in records]
    assert [[s.owner for s in r.sets] for r in again] == [["ann"]] * 4
    assert doccano.sniff(out) is True


def test_meta_round_trips_with_the_doccano_id(tmp_path):
    document = Document(5, text_hash("a b"), "a b", (Token(0, 1), Token(2, 3, False)), {"doccano_id": 41, "src": "x"})
    out = tmp_path / "m.jsonl"
    doccano.write([(document, AnnotationSet.build(5, "ann", [Span(1, 0, 1, "A")]))], out)
    line = json.loads(out.read_text(encoding="utf-8"))
    assert (line["id"], line["meta"]) == (41, {"src": "x"})
    (record,) = read_records("doccano", out)
    assert record.meta == {"src": "x", "doccano_id": 41}


def test_discontinuous_spans_are_counted_as_lost(tmp_path):
    document = Document(1, text_hash("a b c"), "a b c", (Token(0, 1), Token(2, 3), Token(4, 5, False)))
    spans = [Span(1, 0, 5, "A", fragments=((0, 1), (4, 5))), Span(2, 2, 3, "B")]
    aset = AnnotationSet.build(1, "ann", spans, [Relation(1, 1, 2, "r")])
    report = doccano.write([(document, aset)], tmp_path / "l.jsonl")
    assert (report.spans, report.relations) == (1, 0)
    assert report.lost == {"discontinuous spans (doccano has none)": 1, "relations of spans not written": 1}


# -- through a project ----------------------------------------------------------------
@pytest.mark.corpora
def test_import_and_export_through_a_project(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["ORG"]))
    report = api.import_files(
        project, [PRETTY, RELATIONS, RELATIONS_TEST, SEQUENCE], format="doccano", preannotate="none", add_labels=True
    )
    assert (report.records, report.documents_added, report.duplicates) == (6, 4, 2)
    assert (report.sets_written, report.spans, report.relations) == (4, 7, 3)
    assert sorted(report.relation_types_added) == ["foundedAt", "foundedBy"]
    out = tmp_path / "out.jsonl"
    written = api.export(project, out, format="doccano", owner=None)["all"]
    assert (written.documents, written.spans, written.relations) == (4, 7, 3)
    again = make_project("again.annotator", scheme=Scheme.from_labels(["ORG"]))
    api.import_files(again, [out], preannotate="none", add_labels=True)
    assert again.stats() == project.stats()
    google = again.document_id(text_hash(GOOGLE))
    rels = again.annotation_set(google, "import").relations_of
    assert len(rels(next(s.id for s in again.annotation_set(google, "import").spans.values() if s.label == "ORG"))) == 3


@pytest.mark.corpora
def test_duplicate_spans_inside_a_token_split_it_and_are_merged_and_counted(make_project):
    project = make_project(scheme=Scheme.from_labels(["LOC"]))
    report = api.import_files(project, [OVERLAPPING], preannotate="none")
    assert (report.spans, report.alignment.merged, report.alignment.tokens_split) == (1, 1, 1)
    assert "1 duplicate regions merged" in report.summary()
    (doc_id,) = project.document_ids()
    assert [(t.start, t.end) for t in project.document(doc_id).tokens] == [(0, 1), (1, 8)]
    (span,) = project.annotation_set(doc_id, "import").spans.values()
    assert (span.start, span.end, span.label) == (0, 1, "LOC")


@pytest.mark.corpora
def test_corrupt_line_names_file_and_line_and_leaves_the_project_unchanged(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["ORG"]))
    api.import_files(project, [SEQUENCE], format="doccano", preannotate="none", add_labels=True)
    before = table_dump(project.path)
    good = json.loads(RELATIONS.read_text(encoding="utf-8"))
    bad = dict(good, text="Alphabet owns Google.", relations=[{"from_id": 0, "to_id": 7, "type": "owns"}])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.import_files(project, [path], preannotate="none", add_labels=True)
    assert caught.value.source == f"{path}:2"
    assert caught.value.reason == "relation 1 from 0 to 7 names an entity id the record does not have"
    assert table_dump(project.path) == before


def test_broken_json_is_reported_per_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "A b.", "label": [[0, 1, "X"]]}\n{"text": \n', encoding="utf-8")
    items = list(doccano.read(path))
    assert span_tuples(items[0]) == [[(0, 1, "X")]]
    assert items[1] == Problem(f"{path}:2", "not valid JSON (Expecting value at column 10)")
    pretty = tmp_path / "broken.json"
    pretty.write_text('{\n  "text": "A b.",\n  "entities": [\n', encoding="utf-8")
    assert list(doccano.read(pretty)) == [
        Problem(str(pretty), "not valid JSON (Expecting value at line 4 column 1)")
    ]
