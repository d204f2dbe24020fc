"""Owners at import: --annotator wins, repeats and re-imports are reported, --replace-existing is an undoable edit."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.errors import InputError
from annotator.core.scheme import Scheme

TEXT = "Foxconn will invest $5 billion in Ohio."


def task(spans: list[tuple[int, int, str]], owner: str = "alice", text: str = TEXT) -> str:
    return json.dumps({
        "text": text,
        "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
        "_annotator_id": owner,
    }) + "\n"


def labels(project, owner: str) -> list[tuple[int, int, str]]:
    aset = project.annotation_set(1, owner)
    return [(s.start, s.end, s.label) for s in aset.sorted_spans()]


def test_a_repeated_text_and_owner_keeps_the_first_record_and_says_so(make_project, tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(task([(0, 7, "ORG")]) + task([(34, 38, "GPE")]), encoding="utf-8")
    project = make_project()
    report = api.import_files(project, [src], preannotate="none")
    assert labels(project, "alice") == [(0, 7, "ORG")]
    assert report.repeated == [f"{src}:2"]
    assert report.warnings() == [
        f"1 records repeat the text and owner of an earlier record and were not imported (the first one is kept): {src}:2"
    ]


def test_corrected_annotations_are_reported_then_replaced_as_an_undoable_edit(make_project, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(task([(0, 7, "ORG")]), encoding="utf-8")
    second.write_text(task([(0, 7, "ORG"), (34, 38, "GPE")]), encoding="utf-8")
    project = make_project()
    api.import_files(project, [first], preannotate="none")
    # the same annotations again: nothing to say
    assert api.import_files(project, [first], preannotate="none").warnings() == []
    report = api.import_files(project, [second], preannotate="none")
    assert (report.sets_kept, report.sets_replaced) == ([f"{second}:1"], 0)
    assert "import with --replace-existing to take the file's version" in report.warnings()[0]
    assert labels(project, "alice") == [(0, 7, "ORG")]

    report = api.import_files(project, [second], preannotate="none", replace_existing=True)
    assert (report.sets_kept, report.sets_replaced, report.warnings()) == ([], 1, [])
    assert labels(project, "alice") == [(0, 7, "ORG"), (34, 38, "GPE")]
    done, _ = project.history(1, "alice")
    assert [e.describe() for e in done] == ["replace"]
    project.apply(1, "alice", done[-1].inverse(), action="undo")
    assert labels(project, "alice") == [(0, 7, "ORG")]


def test_the_cli_reports_kept_sets_and_takes_replace_existing(make_project, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(task([(0, 7, "ORG")]), encoding="utf-8")
    second.write_text(task([(34, 38, "GPE")]), encoding="utf-8")
    make_project().close()
    path = str(tmp_path / "test.annotator")
    runner = CliRunner()
    assert runner.invoke(cli, ["import", path, str(first), "--preannotate", "none"]).exit_code == 0
    result = runner.invoke(cli, ["import", path, str(second), "--preannotate", "none"])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: 1 sets differ from the ones already in the project")
    result = runner.invoke(cli, ["import", path, str(second), "--preannotate", "none", "--replace-existing"])
    assert result.exit_code == 0 and result.stderr == ""
    assert "1 existing sets replaced by the file's version (undoable)" in result.output


@pytest.mark.parametrize("file_owner", ["model:rules", "bob"])
def test_annotator_wins_over_the_files_owner(make_project, tmp_path, file_owner):
    src = tmp_path / "a.jsonl"
    src.write_text(task([(0, 7, "ORG")], owner=file_owner), encoding="utf-8")
    project = make_project()
    api.import_files(project, [src], preannotate="none", annotator="x")
    assert project.owners() == ["x"]


def test_a_files_model_owner_stays_a_suggestion_without_annotator(make_project, tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(task([(0, 7, "ORG")], owner="model:rules"), encoding="utf-8")
    project = make_project()
    api.import_files(project, [src], preannotate="none")
    assert project.owners() == ["model:rules"]


def test_suggested_labels_the_scheme_lacks_follow_the_import_rule(make_project, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    project = make_project(scheme=Scheme.from_labels(["ORG"]))
    with pytest.raises(InputError) as info:
        api.import_files(project, [src])
    assert str(info.value) == (
        f"[E020] {src}: the pre-annotator 'rules' suggests labels not in the project's scheme: GPE, INVESTMENT, MONEY"
        " (import with --add-labels to add them, or choose another --preannotate, or none)"
    )
    assert project.stats()["documents"] == 0
    report = api.import_files(project, [src], add_labels=True)
    assert report.labels_added == ["GPE", "INVESTMENT", "MONEY"]
    assert sorted(s.label for s in project.annotation_set(1, "model:rules").spans.values()) == ["GPE", "INVESTMENT", "MONEY", "ORG"]


def test_a_suggested_label_that_is_no_valid_name_is_a_clear_error(make_project, tmp_path, monkeypatch):
    from dataclasses import replace

    from annotator.nlp import pipeline

    real = pipeline.analyze

    def badly_named(*args, **kwargs):
        for analysis in real(*args, **kwargs):
            analysis.spans = [replace(s, label="MY LABEL") for s in analysis.spans]
            yield analysis

    monkeypatch.setattr(pipeline, "analyze", badly_named)
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    project = make_project(scheme=Scheme.from_labels(["ORG"]))
    with pytest.raises(InputError) as info:
        api.import_files(project, [src], add_labels=True)
    assert str(info.value).startswith(
        f"[E020] {src}: the pre-annotator 'rules' suggests 'MY LABEL', which cannot be added to the scheme: "
    )
    assert "'MY LABEL' does not match" in str(info.value)
    assert project.stats()["documents"] == 0
    assert project.scheme.label_names == ("ORG",)


def test_unknown_labels_name_the_callers_options(make_project, tmp_path):
    from annotator.ops.importing import ImportWording

    src = tmp_path / "a.jsonl"
    src.write_text(task([(0, 7, "ORG"), (8, 12, "THING")]), encoding="utf-8")
    project = make_project(scheme=Scheme.from_labels(["ORG"]))
    wording = ImportWording(add_labels="tick the box", other_preannotator="pick another")
    with pytest.raises(InputError) as info:
        api.import_files(project, [src], preannotate="none", wording=wording)
    assert str(info.value) == f"[E020] {src}:1: labels not in the project's scheme: THING (add them to the scheme, or tick the box)"
