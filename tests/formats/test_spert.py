from __future__ import annotations

import json

import pytest

from annotator import api
from annotator.core.errors import InputError, SchemeError
from annotator.core.model import AnnotationSet, Document, Problem, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.formats import registry, spert
from tests.conftest import CORPORA, table_dump
from tests.formats.items import read_records, relation_tuples, span_tuples, to_items

CONLL04 = CORPORA / "conll04"
TRAIN = CONLL04 / "conll04_train.json"
DEV = CONLL04 / "conll04_dev.json"
TYPES = CONLL04 / "conll04_types.json"


def totals(records) -> tuple[int, int, int]:
    return (
        len(records),
        sum(len(d.spans) for r in records for d in r.sets),
        sum(len(d.relations) for r in records for d in r.sets),
    )


def normalised(sentences: list[dict]) -> list[tuple]:
    """Sentences as comparable values: tokens, entities, relations by entity content."""
    out = []
    for s in sentences:
        ents = [(e["start"], e["end"], e["type"]) for e in s["entities"]]
        rels = sorted((ents[r["head"]], ents[r["tail"]], r["type"]) for r in s["relations"])
        out.append((tuple(s["tokens"]), sorted(ents), rels))
    return out


def same_types(a: Scheme, b: Scheme) -> bool:
    """The same labels and relation types (the name comes from the file name)."""
    return (a.labels, a.relations) == (b.labels, b.relations)


@pytest.mark.corpora
@pytest.mark.parametrize("path, expected", [(TRAIN, (922, 3377, 1283)), (DEV, (231, 893, 343))])
def test_conll04_counts(path, expected):
    assert totals(read_records("spert", path)) == expected


@pytest.mark.corpora
def test_conll04_offsets_tokens_and_meta():
    train = read_records("spert", TRAIN)
    first = train[0]
    assert first.text.startswith("Newspaper ` Explains ' U.S. Interests Section Events FL1402001894 Havana")
    assert first.source == f"{TRAIN}:sentence 1"
    assert first.meta == {"orig_id": 0}
    assert [(t.start, t.end, t.ws) for t in first.tokens[:5]] == [(0, 9, True), (10, 11, True), (12, 20, True), (21, 22, True), (23, 27, True)]
    assert first.tokens[-1] == Token(len(first.text) - 2, len(first.text), False)
    assert span_tuples(first) == [[(23, 27, "Loc"), (66, 72, "Loc"), (73, 92, "Org"), (104, 112, "Other"), (113, 122, "Other")]]
    assert [first.text[a:b] for a, b, _ in span_tuples(first)[0]] == [
        "U.S.", "Havana", "Radio Reloj Network", "2100 GMT", "13 Feb 94",
    ]
    assert relation_tuples(first) == [[((73, 92, "Org"), (66, 72, "Loc"), "OrgBased_In")]]
    (dev_first,) = read_records("spert", DEV)[:1]
    assert relation_tuples(dev_first) == [[((0, 17, "Peop"), (37, 54, "Peop"), "Kill")]]
    assert dev_first.text[0:17] == "John Wilkes Booth" and dev_first.text[37:54] == "President Lincoln"


@pytest.mark.corpora
def test_detection_and_types_file():
    assert registry.detect(TRAIN).name == "spert"
    assert registry.detect(DEV).name == "spert"
    assert spert.sniff(TYPES) is False
    assert spert.types_path(TRAIN) == TYPES
    scheme = registry.get("spert").read_scheme(DEV)
    assert scheme.name == "conll04"
    assert [(l.name, l.description) for l in scheme.labels] == [
        ("Loc", "Location"), ("Org", "Organization"), ("Peop", "People"), ("Other", "Other"),
    ]
    assert [(r.name, r.description, r.symmetric) for r in scheme.relations] == [
        ("Work_For", "Work for", False),
        ("Kill", "Kill", False),
        ("OrgBased_In", "Organization based in", False),
        ("Live_In", "Live in", False),
        ("Located_In", "Located in", False),
    ]


def test_no_types_file_means_no_scheme(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('[{"tokens": ["a"], "entities": [], "relations": []}]', encoding="utf-8")
    assert spert.read_scheme(path) is None
    (tmp_path / "data_types.json").write_text('{"entities": [1]}', encoding="utf-8")
    with pytest.raises(SchemeError, match="data_types.json"):
        spert.read_scheme(path)


@pytest.mark.corpora
@pytest.mark.parametrize("path", [TRAIN, DEV])
def test_round_trip_gives_the_same_sentences(path, tmp_path):
    records = read_records("spert", path)
    out = tmp_path / path.name
    scheme = spert.read_scheme(path)
    report = spert.write(to_items(records), out, scheme=scheme)
    assert (report.documents, report.spans, report.relations, report.lost) == totals(records) + ({},)
    original = json.loads(path.read_text(encoding="utf-8"))
    written = json.loads(out.read_text(encoding="utf-8"))
    assert normalised(written) == normalised(original)
    assert [s["orig_id"] for s in written] == [s["orig_id"] for s in original]
    assert report.files == [out, tmp_path / f"{path.stem}_types.json"]
    assert same_types(spert.read_scheme(out), scheme)


def test_types_file_written_from_the_scheme(tmp_path):
    scheme = Scheme.from_dict(
        {
            "name": "s",
            "labels": [{"name": "ORG", "description": "Organisation"}, {"name": "PER"}],
            "relations": [{"name": "partner", "symmetric": True}],
        }
    )
    document = Document(1, text_hash("a b"), "a b", (Token(0, 1), Token(2, 3, False)))
    aset = AnnotationSet.build(1, "ann", [Span(1, 0, 1, "GPE"), Span(2, 2, 3, "ORG")], [Relation(1, 1, 2, "in")])
    spert.write([(document, aset)], tmp_path / "x.json", scheme=scheme)
    assert json.loads((tmp_path / "x_types.json").read_text(encoding="utf-8")) == {
        "entities": {
            "ORG": {"short": "ORG", "verbose": "Organisation"},
            "PER": {"short": "PER", "verbose": "PER"},
            "GPE": {"short": "GPE", "verbose": "GPE"},
        },
        "relations": {
            "partner": {"short": "partner", "verbose": "partner", "symmetric": True},
            "in": {"short": "in", "verbose": "in", "symmetric": False},
        },
    }


def test_spans_off_token_boundaries_are_counted_as_lost(tmp_path):
    text = "Acme Corp.\n\nBo Li"
    tokens = (Token(0, 4), Token(5, 9, False), Token(9, 10, False), Token(10, 12, False), Token(12, 14), Token(15, 17, False))
    spans = [Span(1, 0, 9, "ORG"), Span(2, 1, 4, "ORG"), Span(3, 12, 17, "PER")]
    relations = [Relation(1, 3, 1, "works_for"), Relation(2, 3, 2, "works_for")]
    document = Document(1, text_hash(text), text, tokens, {"orig_id": "a-1"})
    out = tmp_path / "o.json"
    report = spert.write([(document, AnnotationSet.build(1, "ann", spans, relations))], out)
    assert report.lost == {"spans not on token boundaries": 1, "relations of spans not written": 1}
    (sentence,) = json.loads(out.read_text(encoding="utf-8"))
    assert sentence == {
        "tokens": ["Acme", "Corp", ".", "Bo", "Li"],
        "entities": [{"type": "ORG", "start": 0, "end": 2}, {"type": "PER", "start": 3, "end": 5}],
        "relations": [{"type": "works_for", "head": 1, "tail": 0}],
        "orig_id": "a-1",
    }


def test_non_ascii_tokens(tmp_path):
    sentences = [
        {
            "tokens": ["🎉", "Zoë", "Ørsted", "met", "東京電力", "in", "São", "Paulo", "."],
            "entities": [{"type": "PER", "start": 1, "end": 3}, {"type": "ORG", "start": 4, "end": 5}, {"type": "LOC", "start": 6, "end": 8}],
            "relations": [{"type": "met", "head": 0, "tail": 1}],
        }
    ]
    path = tmp_path / "u.json"
    path.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    (record,) = read_records("spert", path)
    assert record.text == "🎉 Zoë Ørsted met 東京電力 in São Paulo ."
    assert span_tuples(record) == [[(2, 12, "PER"), (17, 21, "ORG"), (25, 34, "LOC")]]
    assert [record.text[a:b] for a, b, _ in span_tuples(record)[0]] == ["Zoë Ørsted", "東京電力", "São Paulo"]
    out = tmp_path / "again.json"
    spert.write(to_items([record]), out)
    assert normalised(json.loads(out.read_text(encoding="utf-8"))) == normalised(sentences)


# -- through projects, and across formats -------------------------------------------
@pytest.mark.corpora
def test_conll04_to_docbin_and_back_keeps_every_span_and_relation(tmp_path):
    records = read_records("spert", TRAIN)
    docbin = tmp_path / "train.spacy"
    report = registry.get("spacy").writer(to_items(records), docbin)
    assert (report.documents, report.spans, report.relations, report.lost) == (922, 3377, 1283, {})
    back = read_records("spacy", docbin)
    assert [r.text for r in back] == [r.text for r in records]
    assert [span_tuples(r) for r in back] == [span_tuples(r) for r in records]
    assert [relation_tuples(r) for r in back] == [relation_tuples(r) for r in records]
    out = tmp_path / "train.json"
    spert.write(to_items(back), out)
    assert normalised(json.loads(out.read_text(encoding="utf-8"))) == normalised(json.loads(TRAIN.read_text(encoding="utf-8")))


@pytest.mark.corpora
def test_conll04_through_projects_and_docbin(make_project, tmp_path):
    """SpERT -> project -> DocBin -> project -> SpERT. The project keeps one
    document per text: 24 train sentences repeat an earlier one (one of them,
    'HIGH ISLAND , Texas ( AP )', with other relations), so 898 remain."""
    scheme = spert.read_scheme(TRAIN)
    project = make_project(scheme=scheme)
    report = api.import_files(project, [TRAIN], preannotate="none")
    assert (report.records, report.documents_added, report.duplicates) == (922, 898, 24)
    assert (report.sets_written, report.spans, report.relations) == (898, 3316, 1256)
    docbin = tmp_path / "train.spacy"
    written = api.export(project, docbin, format="spacy", owner=None)["all"]
    assert (written.documents, written.spans, written.relations, written.lost) == (898, 3316, 1256, {})
    second = make_project("second.annotator", scheme=scheme)
    api.import_files(second, [docbin], format="spacy", preannotate="none")
    assert second.stats() == project.stats()
    out = tmp_path / "train.json"
    final = api.export(second, out, format="spert", owner=None)["all"]
    assert (final.documents, final.spans, final.relations, final.lost) == (898, 3316, 1256, {})
    first_seen: dict[tuple, dict] = {}
    for sentence in json.loads(TRAIN.read_text(encoding="utf-8")):
        first_seen.setdefault(tuple(sentence["tokens"]), sentence)
    written_back = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(normalised(written_back)) == sorted(normalised(list(first_seen.values())))
    assert same_types(spert.read_scheme(out), scheme)


@pytest.mark.corpora
def test_dev_import_counts(make_project):
    project = make_project(scheme=spert.read_scheme(DEV))
    report = api.import_files(project, [DEV], preannotate="none")
    assert (report.documents_added, report.duplicates, report.spans, report.relations) == (228, 3, 884, 338)
    assert report.labels_added == [] and report.relation_types_added == []


@pytest.mark.corpora
def test_corrupt_sentence_names_file_and_sentence_and_leaves_the_project_unchanged(make_project, tmp_path):
    project = make_project(scheme=spert.read_scheme(DEV))
    api.import_files(project, [DEV], preannotate="none")
    before = table_dump(project.path)
    sentences = json.loads(TRAIN.read_text(encoding="utf-8"))[:3]
    sentences[1]["entities"][0]["end"] = 99
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sentences), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        api.import_files(project, [path], preannotate="none")
    assert caught.value.source == f"{path}:sentence 2"
    assert caught.value.reason == "entity 0: tokens [22, 99) are not a range of the 50 tokens"
    assert table_dump(project.path) == before


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ({"tokens": []}, '"tokens" must be a non-empty list of strings'),
        ({"tokens": ["a", ""]}, 'token 1 is "": tokens must be non-empty strings'),
        ({"tokens": ["a"], "entities": [{"type": "X", "start": 0, "end": 1}], "relations": [{"type": "r", "head": 0, "tail": 1}]},
         "relation 0: head 0 and tail 1 must be indices of the 1 entities"),
        ({"tokens": ["a"], "entities": {"type": "X"}}, '"entities" must be a list of objects'),
    ],
)
def test_malformed_sentences(sentence, reason, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps([sentence]), encoding="utf-8")
    assert list(spert.read(path)) == [Problem(f"{path}:sentence 1", reason)]
