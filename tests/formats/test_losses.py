"""Every writer reports what it cannot hold, through one WriteReport, shown by the CLI and the GUI."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.model import AnnotationSet, Document, Relation, Span, Token
from annotator.core.scheme import Scheme
from annotator.formats import registry

TEXT = "Foxconn met OpenAI in Taipei."
EXTRAS = {
    "brat attributes ({}) holds none)": 2,
    "brat normalisations ({}) holds none)": 1,
    "brat notes ({}) holds none)": 1,
}


def items() -> list[tuple[Document, AnnotationSet]]:
    tokens = tuple(Token(m.start(), m.end(), TEXT[m.end() : m.end() + 1] == " ") for m in re.finditer(r"\w+|\.", TEXT))
    spans = {
        1: Span(1, 0, 7, "ORG", attrs={
            "attributes": {"Big": True},
            "notes": [{"type": "AnnotatorNotes", "text": "check"}],
            "norms": [{"type": "Wiki", "ref": "Wiki:Q1", "text": ""}],
        }),
        2: Span(2, 12, 18, "ORG"),
        3: Span(3, 22, 28, "GPE", "model", score=0.9),
        4: Span(4, 0, 18, "ORG", fragments=((0, 7), (12, 18))),
    }
    relations = {1: Relation(1, 2, 3, "location", attrs={"attributes": {"Negated": True}})}
    return [(Document(1, "h", TEXT, tokens), AnnotationSet(1, "ann", "done", spans=spans, relations=relations))]


# Prodigy JSONL keeps each span's origin, Label Studio marks suggestions as predictions
SUGGESTIONS_UNMARKED = ("spaCy", "doccano", "SpERT")


def expected(label: str) -> dict[str, int]:
    out = {} if label == "Label Studio" else {f"span scores ({label} holds none)": 1}
    out.update({key.replace("{})", label): n for key, n in EXTRAS.items()})
    out[f"discontinuous spans ({label} has none)"] = 1
    if label in SUGGESTIONS_UNMARKED:
        out[f"unconfirmed suggestions ({label} cannot mark them)"] = 1
    return out


@pytest.mark.parametrize(
    "fmt, file, label, how",
    [
        ("jsonl", "out.jsonl", "Prodigy JSONL", "widened to their outer bounds"),
        ("spacy", "out.spacy", "spaCy", "widened to their outer bounds"),
        ("labelstudio", "out.json", "Label Studio", "not written"),
        ("doccano", "out.jsonl", "doccano", "not written"),
        ("spert", "out.json", "SpERT", "not written"),
    ],
)
def test_every_writer_counts_what_it_cannot_hold(tmp_path, fmt, file, label, how):
    report = registry.get(fmt).writer(items(), tmp_path / file, scheme=Scheme.default())
    assert report.lost == expected(label)
    assert sorted(report.warnings()) == sorted(
        ([] if label == "Label Studio" else [f"1 span scores ({label} holds none) not written"])
        + ([f"1 unconfirmed suggestions ({label} cannot mark them) written like a person's spans"] if label in SUGGESTIONS_UNMARKED else [])
        + [
            f"2 brat attributes ({label} holds none) not written",
            f"1 brat normalisations ({label} holds none) not written",
            f"1 brat notes ({label} holds none) not written",
            f"1 discontinuous spans ({label} has none) {how}",
        ]
    )


def test_prodigy_writes_span_text_and_relations_when_the_scheme_has_relation_types(tmp_path):
    document, aset = items()[0]
    plain = AnnotationSet(1, "ann", "done", spans={2: aset.spans[2]})
    registry.get("jsonl").writer([(document, plain)], tmp_path / "a.jsonl", scheme=Scheme.default())
    task = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    assert task["spans"] == [{"text": "OpenAI", "start": 12, "end": 18, "token_start": 2, "token_end": 2, "label": "ORG", "origin": "human"}]
    assert task["relations"] == []
    registry.get("jsonl").writer([(document, plain)], tmp_path / "b.jsonl", scheme=Scheme.from_labels(["ORG"]))
    assert "relations" not in json.loads((tmp_path / "b.jsonl").read_text(encoding="utf-8"))


def test_the_cli_export_prints_the_losses(tmp_path, make_project):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text("T1\tORG 0 7;12 18\tFoxconn OpenAI\nA1\tBig T1\n", encoding="utf-8")
    project = make_project()
    api.import_files(project, [folder], preannotate="none")
    project.close()
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "test.annotator"), str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: 1 brat attributes (Prodigy JSONL holds none) not written",
        "warning: 1 discontinuous spans (Prodigy JSONL has none) widened to their outer bounds",
    ]


@pytest.mark.parametrize("fmt, file, label", [("brat", "out", "brat"), ("conll", "out.conll", "CoNLL")])
def test_formats_without_scores_count_them(tmp_path, fmt, file, label):
    report = registry.get(fmt).writer(items(), tmp_path / file, scheme=Scheme.default())
    assert report.lost[f"span scores ({label} holds none)"] == 1


# -- span origin ---------------------------------------------------------------------
ORIGIN_TEXT = "Foxconn met OpenAI in Taipei on Monday."


def origin_items(owner: str = "ann") -> list[tuple[Document, AnnotationSet]]:
    tokens = tuple(Token(m.start(), m.end(), ORIGIN_TEXT[m.end() : m.end() + 1] == " ") for m in re.finditer(r"\w+|\.", ORIGIN_TEXT))
    spans = {
        1: Span(1, 0, 7, "ORG", "human"),
        2: Span(2, 12, 18, "ORG", "import"),
        3: Span(3, 22, 28, "GPE", "rule"),
        4: Span(4, 32, 38, "DATE", "model"),
    }
    return [(Document(1, "h", ORIGIN_TEXT, tokens), AnnotationSet(1, owner, "done", spans=spans))]


def test_prodigy_jsonl_keeps_every_span_origin(tmp_path):
    report = registry.get("jsonl").writer(origin_items(), tmp_path / "out.jsonl", scheme=Scheme.default())
    assert report.lost == {}
    task = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [s["origin"] for s in task["spans"]] == ["human", "import", "rule", "model"]
    (record,) = list(registry.get("jsonl").reader(tmp_path / "out.jsonl"))
    assert [(s.start, s.origin) for s in record.sets[0].spans] == [(0, "human"), (12, "import"), (22, "rule"), (32, "model")]


def test_prodigy_jsonl_reads_spans_without_or_with_an_unknown_origin_as_import(tmp_path):
    task = {"text": ORIGIN_TEXT, "spans": [{"start": 0, "end": 7, "label": "ORG"}, {"start": 12, "end": 18, "label": "ORG", "origin": ["x"]}]}
    (tmp_path / "in.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    (record,) = list(registry.get("jsonl").reader(tmp_path / "in.jsonl"))
    assert [s.origin for s in record.sets[0].spans] == ["import", "import"]


def test_label_studio_marks_suggestions_as_predictions_as_label_studio_does(tmp_path, corpora):
    # Label Studio's own export: regions accepted from a prediction say so, others are manual
    real = json.loads((corpora / "label_studio" / "nerine_nor_export.json").read_text(encoding="utf-8"))
    seen = {r.get("origin") for task in real for a in task["annotations"] for r in a["result"]}
    assert seen == {"prediction", "manual"}
    registry.get("labelstudio").writer(origin_items(), tmp_path / "out.json", scheme=Scheme.default())
    (task,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [r["origin"] for r in task["annotations"][0]["result"]] == ["manual", "manual", "prediction", "prediction"]
    (record,) = list(registry.get("labelstudio").reader(tmp_path / "out.json"))
    assert [s.origin for s in record.sets[0].spans] == ["import", "import", "model", "model"]


@pytest.mark.parametrize(
    "fmt, file, label, owner_kept",
    [("spacy", "out.spacy", "spaCy", True), ("doccano", "out.jsonl", "doccano", True), ("spert", "out.json", "SpERT", False),
     ("brat", "out", "brat", False), ("conll", "out.conll", "CoNLL", False)],
)
def test_formats_that_cannot_mark_suggestions_count_them(tmp_path, fmt, file, label, owner_kept):
    what = f"unconfirmed suggestions ({label} cannot mark them)"
    report = registry.get(fmt).writer(origin_items(), tmp_path / file, scheme=Scheme.default())
    assert (report.lost[what], report.how[what]) == (2, "written like a person's spans")
    # a model's own set: the owner says they are suggestions, where the format keeps it
    report = registry.get(fmt).writer(origin_items("model:rules"), tmp_path / ("m" + file), scheme=Scheme.default())
    assert report.lost.get(what) == (None if owner_kept else 2)


def test_the_cli_export_warns_of_unconfirmed_suggestions_in_a_person_s_set(tmp_path, make_project):
    (tmp_path / "a.txt").write_text("Foxconn will invest $5 billion in Ohio.", encoding="utf-8")
    project = make_project()
    api.import_files(project, [tmp_path / "a.txt"], preannotate="rules")
    assert [s.label for s in project.annotation_set(1, "model:rules").sorted_spans()] == ["ORG", "INVESTMENT", "MONEY", "GPE"]
    project.start_set(1, "ann", copy_from="model:rules")
    project.close()
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "test.annotator"), str(tmp_path / "out.conll"), "--format", "conll", "--status", "all"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [  # the annotator's set; model sets are not exported
        "warning: 3 relations (CoNLL has no relations) not written",
        "warning: 4 unconfirmed suggestions (CoNLL cannot mark them) written like a person's spans",
    ]


@pytest.mark.parametrize("fmt, file, label", [("brat", "out", "brat"), ("conll", "out.conll", "CoNLL")])
def test_formats_without_scores_count_the_score_of_a_whole_suggestion_set(tmp_path, fmt, file, label):
    [(document, aset)] = origin_items("model:news")
    aset.score = 0.37
    report = registry.get(fmt).writer([(document, aset)], tmp_path / file, scheme=Scheme.default())
    assert report.lost[f"scores of whole suggestion sets ({label} holds none)"] == 1


def test_label_studio_keeps_the_score_of_a_whole_suggestion_set_as_its_prediction_score(tmp_path):
    [(document, aset)] = origin_items("model:news")
    aset.score = 0.37
    report = registry.get("labelstudio").writer([(document, aset)], tmp_path / "out.json", scheme=Scheme.default())
    assert report.lost == {}
    (task,) = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [(p["model_version"], p["score"]) for p in task["predictions"]] == [("news", 0.37)]
    (record,) = list(registry.get("labelstudio").reader(tmp_path / "out.json"))
    assert [(s.owner, s.score) for s in record.sets] == [("model:news", 0.37)]
    for bad in (True, "0.5", 1.5, -0.1, None):  # what is not a probability is not a score
        task["predictions"][0]["score"] = bad
        (tmp_path / "bad.json").write_text(json.dumps([task]), encoding="utf-8")
        (record,) = list(registry.get("labelstudio").reader(tmp_path / "bad.json"))
        assert record.sets[0].score is None


def test_an_imported_prediction_score_orders_the_queue(tmp_path, make_project):
    from annotator.store.model_sets import document_confidences

    tasks = [
        {"data": {"text": text}, "predictions": [{"model_version": "news", "score": score, "result": []}]}
        for text, score in (("Acme hired Bob.", 0.9), ("Hooli hired Eve.", 0.2))
    ]
    (tmp_path / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    project = make_project()
    api.import_files(project, [tmp_path / "tasks.json"], preannotate="none")
    first, second = project.document_ids()
    assert project.annotation_set(first, "model:news").score == 0.9
    assert document_confidences(project, [first, second], "model:news") == {first: 0.9, second: 0.2}
    assert api.uncertain_first(project, "news") == [second, first]
    tasks[1]["predictions"][0]["score"] = 0.95  # the model grew surer: same regions, a new score
    (tmp_path / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    report = api.import_files(project, [tmp_path / "tasks.json"], preannotate="none")
    assert len(report.sets_kept) == 1  # a changed set is not replaced unasked
    api.import_files(project, [tmp_path / "tasks.json"], preannotate="none", replace_existing=True)
    assert api.uncertain_first(project, "news") == [first, second]
