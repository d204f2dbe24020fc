"""A later import splits the tokens of a document already in the project at
its span edges (issue 9): import a text, annotate it in a peer tool, import
the annotations back."""
from __future__ import annotations

import json

import pytest

from annotator import api
from annotator.core.errors import InputError
from annotator.core.model import Token
from annotator.core.scheme import Scheme
from annotator.store.project import ProjectError
from tests.conftest import table_dump

TEXT = "Cells with IL-2R. rose"  # spaCy's English tokenizer keeps "IL-2R." whole
IL2R = (11, 16)
PLAIN_TOKENS = [Token(0, 5), Token(6, 10), Token(11, 17), Token(18, 22, False)]
SPLIT_TOKENS = [Token(0, 5), Token(6, 10), Token(11, 16, False), Token(16, 17), Token(18, 22, False)]


def _peer_file(tmp_path, fmt: str, label: str = "GENE", name: str = "peer") -> object:
    start, end = IL2R
    if fmt == "labelstudio":
        value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}
        result = [{"id": "r1", "type": "labels", "from_name": "label", "to_name": "text", "value": value}]
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": result}]}]), encoding="utf-8")
    else:
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps({"text": TEXT, "label": [[start, end, label]]}) + "\n", encoding="utf-8")
    return path


def _plain_project(make_project, tmp_path):
    """A project holding TEXT imported as plain text, with a set of 'ann' on "Cells"."""
    project = make_project(scheme=Scheme.from_labels(["GENE", "CELL"]))
    txt = tmp_path / "a.txt"
    txt.write_text(TEXT, encoding="utf-8")
    api.import_files(project, [txt], preannotate="none")
    (doc_id,) = project.document_ids()
    assert list(project.document(doc_id).tokens) == PLAIN_TOKENS
    early = tmp_path / "early.jsonl"
    early.write_text(json.dumps({"text": TEXT, "spans": [{"start": 0, "end": 5, "label": "CELL"}]}) + "\n", encoding="utf-8")
    api.import_files(project, [early], format="jsonl", preannotate="none", annotator="early")
    return project, doc_id


def _spans(project, doc_id, owner):
    return sorted((s.start, s.end, s.label) for s in project.annotation_set(doc_id, owner).spans.values())


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano"])
def test_a_later_import_splits_the_stored_tokens_at_its_span_edges(make_project, tmp_path, fmt):
    project, doc_id = _plain_project(make_project, tmp_path)
    report = api.import_files(project, [_peer_file(tmp_path, fmt)], format=fmt, preannotate="none", annotator="ann")
    assert _spans(project, doc_id, "ann") == [(*IL2R, "GENE")]
    assert list(project.document(doc_id).tokens) == SPLIT_TOKENS
    assert _spans(project, doc_id, "early") == [(0, 5, "CELL")]
    assert report.split_documents == {doc_id}
    assert "1 stored documents' tokens split at span edges" in report.summary()
    assert project.count_documents(search="IL") == 1  # the text index does not depend on tokens

    prodigy = tmp_path / "out.jsonl"
    api.export(project, prodigy, format="jsonl", owner="ann")
    task = json.loads(prodigy.read_text(encoding="utf-8").splitlines()[0])
    assert [t["text"] for t in task["tokens"]] == ["Cells", "with", "IL-2R", ".", "rose"]
    assert [(s["start"], s["end"], s["token_start"], s["token_end"]) for s in task["spans"]] == [(11, 16, 2, 2)]
    conll = tmp_path / "out.conll"
    api.export(project, conll, format="conll", owner="ann")
    rows = [line.split() for line in conll.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("-DOCSTART-")]
    assert [(r[0], r[-1]) for r in rows] == [("Cells", "O"), ("with", "O"), ("IL-2R", "B-GENE"), (".", "O"), ("rose", "O")]


def test_a_second_import_of_the_same_file_splits_nothing(make_project, tmp_path):
    project, doc_id = _plain_project(make_project, tmp_path)
    path = _peer_file(tmp_path, "doccano")
    api.import_files(project, [path], format="doccano", preannotate="none", annotator="ann")
    report = api.import_files(project, [path], format="doccano", preannotate="none", annotator="ann")
    assert report.split_documents == set()
    assert list(project.document(doc_id).tokens) == SPLIT_TOKENS


def test_a_failure_later_in_the_import_rolls_the_split_back(make_project, tmp_path):
    project, doc_id = _plain_project(make_project, tmp_path)
    before = table_dump(project.path)
    good = _peer_file(tmp_path, "doccano")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Another text.", "label": [[0, 99, "GENE"]]}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        api.import_files(project, [good, bad], format="doccano", preannotate="none", annotator="ann")
    assert list(project.document(doc_id).tokens) == PLAIN_TOKENS
    assert table_dump(project.path) == before


def test_unknown_labels_at_the_end_of_the_import_roll_the_split_back(make_project, tmp_path):
    project, doc_id = _plain_project(make_project, tmp_path)
    with pytest.raises(InputError, match="labels not in the project's scheme: THING"):
        api.import_files(project, [_peer_file(tmp_path, "doccano", label="THING")], format="doccano", preannotate="none")
    assert list(project.document(doc_id).tokens) == PLAIN_TOKENS


def test_the_store_only_splits_tokens(make_project, tmp_path):
    project, doc_id = _plain_project(make_project, tmp_path)
    merged = [Token(0, 10), Token(11, 17), Token(18, 22, False)]
    with pytest.raises(ProjectError, match="may only be split"):
        project.split_tokens(doc_id, merged)
    assert list(project.document(doc_id).tokens) == PLAIN_TOKENS
