from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator import api
from annotator.core.errors import InputError
from annotator.core.model import AnnotationSet, Document, Problem, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.formats import labelstudio, registry
from annotator.formats.registry import WriteReport
from tests.conftest import CORPORA, table_dump
from tests.formats.items import read_records, relation_tuples, span_tuples, to_items

EXPORT = CORPORA / "label_studio" / "nerine_nor_export.json"
MODEL = "model:llm-preannotation-v1-cleaned"

# an emoji (two UTF-16 units) before every span, accents and CJK inside them
EMOJI_TEXT = "🎉 Zoë Ørsted met 東京電力 in São Paulo 🚀 with José."
EMOJI_SPANS = [("Zoë Ørsted", "PER"), ("東京電力", "ORG"), ("São Paulo", "LOC"), ("José", "PER")]


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def region(rid: str, text: str, piece: str, label: str, *, units: bool = False, with_text: bool = True) -> dict:
    start = text.index(piece)
    end = start + len(piece)
    if units:
        start, end = utf16(text, start), utf16(text, end)
    value = {"start": start, "end": end, "labels": [label]}
    if with_text:
        value["text"] = piece
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def write_tasks(path: Path, tasks: list) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def emoji_task(**kwargs) -> dict:
    result = [region(f"r{i}", EMOJI_TEXT, piece, label, **kwargs) for i, (piece, label) in enumerate(EMOJI_SPANS)]
    return {"id": 7, "data": {"text": EMOJI_TEXT}, "annotations": [{"completed_by": 1, "result": result}]}


def expected_emoji_spans() -> list[tuple]:
    return sorted((EMOJI_TEXT.index(p), EMOJI_TEXT.index(p) + len(p), label) for p, label in EMOJI_SPANS)


# -- the real export -------------------------------------------------------------
@pytest.mark.corpora
def test_export_has_five_tasks_and_115_annotated_spans():
    records = read_records("labelstudio", EXPORT)
    assert [len(r.text) for r in records] == [1889, 1919, 2502, 2065, 1735]
    assert [[(s.owner, s.status, len(s.spans), len(s.relations)) for s in r.sets] for r in records] == [
        [("ls-user-2", "done", 14, 0), (MODEL, "done", 10, 0)],
        [("ls-user-2", "done", 22, 0), (MODEL, "done", 15, 0)],
        [("ls-user-2", "done", 30, 0), (MODEL, "done", 24, 0)],
        [("ls-user-2", "done", 25, 0), (MODEL, "done", 22, 0)],
        [("ls-user-2", "done", 24, 0), (MODEL, "done", 18, 0)],
    ]
    annotated = [s for r in records for data in r.sets if data.owner == "ls-user-2" for s in data.spans]
    assert len(annotated) == 115
    assert Counter(s.label for s in annotated) == {
        "PER": 72, "LOC": 15, "ITEM": 13, "COMM": 6, "ORG": 5, "VEH": 2, "FIN": 2,
    }
    assert Counter(s.origin for s in annotated) == {"model": 89, "import": 26}
    assert {s.origin for r in records for d in r.sets if d.owner == MODEL for s in d.spans} == {"model"}


@pytest.mark.corpora
def test_export_offsets_and_metadata():
    first, second = read_records("labelstudio", EXPORT)[:2]
    assert first.source == f"{EXPORT}:task 1"
    assert first.meta == {"doc_name": "156120-00002 - Åstedsrapport.docx", "ls_task_id": 1}
    spans = {(s.start, s.end): s for s in first.sets[0].spans}
    assert (spans[(80, 93)].label, first.text[80:93]) == ("PER", "Sigrid Brekke")
    assert (spans[(1025, 1043)].label, first.text[1025:1043]) == ("ITEM", "grønn tekstilfiber")
    manual = spans[(813, 845)]
    assert (manual.label, manual.origin, first.text[813:845]) == ("ITEM", "import", "ringformet flekk av hvit stearin")
    assert [(s.start, s.end, s.label) for s in second.sets[0].spans if s.origin == "import"][:3] == [
        (1189, 1193, "PER"), (1329, 1334, "PER"), (1336, 1340, "PER"),
    ]


@pytest.mark.corpora
def test_export_is_detected_as_label_studio():
    assert registry.detect(EXPORT).name == "labelstudio"
    assert labelstudio.sniff(CORPORA / "conll04" / "conll04_train.json") is False
    assert labelstudio.sniff(CORPORA / "prodigy" / "news_headlines_ner.jsonl") is False


@pytest.mark.corpora
def test_export_round_trips_through_the_writer(tmp_path):
    records = read_records("labelstudio", EXPORT)
    out = tmp_path / "out.json"
    report = labelstudio.write(to_items(records), out)
    assert (report.documents, report.spans, report.relations, report.lost) == (5, 204, 0, {})
    again = read_records("labelstudio", out)
    assert [r.text for r in again] == [r.text for r in records]
    assert [[(s.owner, s.status) for s in r.sets] for r in again] == [[(s.owner, s.status) for s in r.sets] for r in records]
    assert [span_tuples(r) for r in again] == [span_tuples(r) for r in records]
    assert [r.meta for r in again] == [r.meta for r in records]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert tasks[0]["predictions"][0]["model_version"] == "llm-preannotation-v1-cleaned"
    assert tasks[0]["annotations"][0]["result"][0] == {
        "id": tasks[0]["annotations"][0]["result"][0]["id"],
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 80, "end": 93, "text": "Sigrid Brekke", "labels": ["PER"]},
        "origin": "prediction",
    }


# -- offsets: code points, and UTF-16 units from older Label Studio ------------------
def test_emoji_before_spans_code_point_offsets(tmp_path):
    (record,) = read_records("labelstudio", write_tasks(tmp_path / "t.json", [emoji_task()]))
    assert span_tuples(record) == [expected_emoji_spans()]
    assert [record.text[s.start : s.end] for s in sorted(record.sets[0].spans, key=lambda s: s.start)] == [
        "Zoë Ørsted", "東京電力", "São Paulo", "José",
    ]


def test_emoji_before_spans_utf16_offsets_are_converted(tmp_path):
    task = emoji_task(units=True)
    assert task["annotations"][0]["result"][3]["value"]["start"] == EMOJI_TEXT.index("José") + 2
    (record,) = read_records("labelstudio", write_tasks(tmp_path / "t.json", [task]))
    assert span_tuples(record) == [expected_emoji_spans()]


def test_offsets_that_match_the_text_neither_way_are_rejected(tmp_path):
    task = emoji_task()
    task["annotations"][0]["result"][2]["value"]["text"] = "Rio"
    path = write_tasks(tmp_path / "t.json", [task])
    (problem,) = list(labelstudio.read(path))
    assert problem == Problem(
        f"{path}:task 1",
        "annotation 1, result 3: the file records 'Rio' at [25, 34), but the text there is "
        "'São Paulo' (read as code points; as UTF-16 units it does not match either)",
    )


def test_utf16_to_index():
    text = "a🎉b"
    assert labelstudio.utf16_to_index(text, 3, 4) == (2, 3)
    assert labelstudio.utf16_to_index(text, 2, 4) is None  # inside the surrogate pair
    assert labelstudio.utf16_to_index(text, 0, 5) is None  # beyond the text


def test_writer_offsets_are_code_points_with_the_text(tmp_path):
    (record,) = read_records("labelstudio", write_tasks(tmp_path / "t.json", [emoji_task(units=True)]))
    out = tmp_path / "out.json"
    labelstudio.write(to_items([record]), out)
    values = [r["value"] for r in json.loads(out.read_text(encoding="utf-8"))[0]["annotations"][0]["result"]]
    assert [(v["start"], v["end"], v["text"]) for v in values] == [
        (2, 12, "Zoë Ørsted"), (17, 21, "東京電力"), (25, 34, "São Paulo"), (42, 46, "José"),
    ]


# -- owners, statuses, predictions, relations ----------------------------------------
def test_owners_statuses_and_prediction_objects(tmp_path):
    text = "Anna Berg joined Acme."
    tasks = [
        {
            "data": {"body": text, "n": 3},
            "annotations": [
                {"completed_by": {"id": 4, "email": "anna@example.org"}, "result": [region("a", text, "Acme", "ORG")]},
                {"completed_by": 9, "was_cancelled": True, "result": []},
                {"result": [region("b", text, "Anna Berg", "PER")]},
            ],
            "predictions": [
                {"model_version": "v2", "result": [dict(region("p", text, "Acme", "ORG"), score=0.75)]},
                {"result": [region("q", text, "Anna", "PER")]},
            ],
        },
        {"text": "A task that is its own data."},
    ]
    first, second = read_records("labelstudio", write_tasks(tmp_path / "t.json", tasks))
    assert first.text == text and first.meta == {"n": 3}
    assert [(s.owner, s.status, span_tuples_of(s)) for s in first.sets] == [
        ("anna@example.org", "done", [(17, 21, "ORG")]),
        ("ls-user-9", "skipped", []),
        (None, "done", [(0, 9, "PER")]),
        ("model:v2", "done", [(17, 21, "ORG")]),
        ("model:labelstudio", "done", [(0, 4, "PER")]),
    ]
    assert first.sets[3].spans[0].score == 0.75 and first.sets[3].spans[0].origin == "model"
    assert (second.text, second.sets, second.meta) == ("A task that is its own data.", [], {})


def span_tuples_of(data) -> list[tuple]:
    return sorted((s.start, s.end, s.label) for s in data.spans)


RELATION_TEXT = "Anna Berg founded Acme with Bo Li."


def relation_task(*links: dict) -> dict:
    t = RELATION_TEXT
    result = [region("a", t, "Anna Berg", "PER"), region("c", t, "Acme", "ORG"), region("b", t, "Bo Li", "PER")]
    return {"data": {"text": t}, "annotations": [{"completed_by": 1, "result": result + list(links)}]}


def link(frm: str, to: str, direction: str, *labels: str) -> dict:
    return {"from_id": frm, "to_id": to, "type": "relation", "direction": direction, "labels": list(labels)}


ANNA, ACME, BO = (0, 9, "PER"), (18, 22, "ORG"), (28, 33, "PER")


def test_relation_directions(tmp_path):
    task = relation_task(
        link("a", "c", "right", "founder"),
        link("b", "c", "left", "employs"),
        link("a", "b", "bi", "partner"),
        link("c", "b", "right"),
    )
    (record,) = read_records("labelstudio", write_tasks(tmp_path / "t.json", [task]))
    assert relation_tuples(record) == [sorted([
        (ANNA, ACME, "founder"),
        (ACME, BO, "employs"),
        (ANNA, BO, "partner"),
        (BO, ANNA, "partner"),
        (ACME, BO, "relation"),
    ])]
    bi = [r for r in record.sets[0].relations if r.label == "partner"]
    assert [dict(r.attrs) for r in bi] == [{"direction": "bi"}, {"direction": "bi"}]


def test_relations_round_trip_with_bi_written_once(tmp_path):
    task = relation_task(link("a", "c", "right", "founder"), link("a", "b", "bi", "partner"))
    (record,) = read_records("labelstudio", write_tasks(tmp_path / "t.json", [task]))
    out = tmp_path / "out.json"
    report = labelstudio.write(to_items([record]), out)
    assert (report.spans, report.relations) == (3, 3)
    items = json.loads(out.read_text(encoding="utf-8"))[0]["annotations"][0]["result"]
    regions = {i["id"]: i["value"]["text"] for i in items if i["type"] == "labels"}
    links = [(regions[i["from_id"]], regions[i["to_id"]], i["direction"], i["labels"]) for i in items if i["type"] == "relation"]
    assert links == [("Anna Berg", "Acme", "right", ["founder"]), ("Anna Berg", "Bo Li", "bi", ["partner"])]
    (again,) = read_records("labelstudio", out)
    assert relation_tuples(again) == relation_tuples(record)
    assert span_tuples(again) == span_tuples(record)


def test_symmetric_type_pair_is_written_as_one_bi_relation():
    text = RELATION_TEXT
    tokens = (Token(0, 4), Token(5, 9), Token(10, 17), Token(18, 22), Token(23, 27), Token(28, 30), Token(31, 33, False))
    document = Document(1, text_hash(text), text, tokens)
    spans = [Span(1, 0, 9, "PER"), Span(2, 28, 33, "PER")]
    relations = [Relation(1, 1, 2, "partner"), Relation(2, 2, 1, "partner")]
    aset = AnnotationSet.build(1, "ann", spans, relations, status="done")
    scheme = Scheme.from_dict({"name": "s", "labels": [{"name": "PER"}], "relations": [{"name": "partner", "symmetric": True}]})
    result = labelstudio.set_to_result(text, aset, scheme=scheme)
    assert [(i["from_id"], i["to_id"], i["direction"]) for i in result if i["type"] == "relation"] == [("s1", "s2", "bi")]
    plain = labelstudio.set_to_result(text, aset, scheme=Scheme.from_labels(["PER"]))
    assert [(i["from_id"], i["to_id"], i["direction"]) for i in plain if i["type"] == "relation"] == [
        ("s1", "s2", "right"), ("s2", "s1", "right"),
    ]


def test_writer_owner_fields():
    document = Document(1, text_hash("x y"), "x y", (Token(0, 1), Token(2, 3, False)), {"title": "T"})
    sets = [
        AnnotationSet.build(1, "anna@example.org", [Span(1, 0, 1, "A")], status="done"),
        AnnotationSet.build(1, "gold", [], status="skipped"),
        AnnotationSet.build(1, "model:rules", [Span(1, 2, 3, "A", "rule", score=0.5)], status="done"),
    ]
    report = WriteReport()
    task = labelstudio.document_to_task(document, sets, report=report)
    assert task["data"] == {"text": "x y"} and task["meta"] == {"title": "T"}
    assert [(a["id"], a.get("completed_by"), a["owner"], a["was_cancelled"], a["ground_truth"]) for a in task["annotations"]] == [
        (1, {"email": "anna@example.org"}, "anna@example.org", False, False),
        (2, None, "gold", True, True),
    ]
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "rules"
    assert [(r["origin"], r["score"]) for r in prediction["result"]] == [("prediction", 0.5)]
    assert (report.spans, report.relations) == (2, 0)


def test_discontinuous_spans_and_their_relations_are_counted_as_lost():
    text = "a b c"
    spans = [Span(1, 0, 5, "A", fragments=((0, 1), (4, 5))), Span(2, 2, 3, "B")]
    aset = AnnotationSet.build(1, "ann", spans, [Relation(1, 1, 2, "r")])
    report = WriteReport()
    result = labelstudio.set_to_result(text, aset, report=report)
    assert [i["value"]["text"] for i in result] == ["b"]
    assert report.lost == {"discontinuous spans (Label Studio has none)": 1, "relations of spans not written": 1}


# -- through a project ----------------------------------------------------------------
@pytest.mark.corpora
def test_import_and_export_through_a_project(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PER"]))
    report = api.import_files(project, [EXPORT], preannotate="none", add_labels=True)
    assert (report.records, report.documents_added, report.sets_written, report.spans, report.relations) == (5, 5, 10, 204, 0)
    assert sorted(report.labels_added) == ["COMM", "FIN", "ITEM", "LOC", "ORG", "VEH"]
    assert project.owners() == ["ls-user-2", MODEL]
    out = tmp_path / "export.json"
    written = api.export(project, out, format="labelstudio", owner=None)["all"]
    assert (written.documents, written.spans, written.relations, written.lost) == (5, 115, 0, {})
    again = make_project("again.annotator", scheme=Scheme.from_labels(["PER"]))
    api.import_files(again, [out], preannotate="none", add_labels=True)
    for doc_id in project.document_ids():
        document = project.document(doc_id)
        other = again.document_id(document.hash)
        assert other is not None
        assert spans_of(again, other, "ls-user-2") == spans_of(project, doc_id, "ls-user-2")
    assert sum(len(spans_of(again, d, "ls-user-2")) for d in again.document_ids()) == 115


def spans_of(project, doc_id: int, owner: str) -> list[tuple]:
    return sorted((s.start, s.end, s.label) for s in project.annotation_set(doc_id, owner).spans.values())


@pytest.mark.corpora
def test_corrupt_task_names_file_and_task_and_leaves_the_project_unchanged(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PER"]))
    api.import_files(project, [EXPORT], preannotate="none", add_labels=True)
    before = table_dump(project.path)
    good = relation_task(link("a", "c", "right", "founder"))
    bad = relation_task(link("a", "zz", "right", "founder"))
    path = write_tasks(tmp_path / "bad.json", [good, good | {"data": {"text": RELATION_TEXT + " Again."}}, bad])
    with pytest.raises(InputError) as caught:
        api.import_files(project, [path], preannotate="none", add_labels=True)
    assert caught.value.source == f"{path}:task 3"
    assert caught.value.reason == "annotation 1: relation from 'a' to 'zz' names a region the result does not have"
    assert table_dump(project.path) == before


@pytest.mark.corpora
def test_truncated_file_names_line_and_column(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PER"]))
    path = tmp_path / "cut.json"
    path.write_text(EXPORT.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    before = table_dump(project.path)
    with pytest.raises(InputError) as caught:
        api.import_files(project, [path], format="labelstudio", preannotate="none", add_labels=True)
    assert caught.value.source == str(path)
    assert caught.value.reason.startswith("not valid JSON (") and "at line 1 column " in caught.value.reason
    assert table_dump(project.path) == before
