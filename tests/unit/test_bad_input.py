"""Bad input found by fuzzing: each ends in an error naming file, line and
reason with the project unchanged, or, where it is valid data, is imported."""
from __future__ import annotations

import json

import pytest

from annotator import api
from annotator.core.errors import AnnotatorError, FormatError, InputError
from annotator.core.scheme import Scheme
from tests.conftest import table_dump

TEXT = "Zoë Ørsted joined 東京電力 🎉."


def prodigy_line(**fields) -> str:
    return json.dumps({"text": TEXT, **fields}) + "\n"


def ls_task(result) -> str:
    return json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": result}]}])


def region(rid, start, end, label):
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


SPAN = {"start": 0, "end": 3, "label": "PERSON"}
BAD = [
    # (file name, content, format, source suffix, reason)
    ("a.jsonl", prodigy_line(spans=[SPAN], _annotator_id=5), None, ":1", "_annotator_id and _session_id must be strings, not 5"),
    ("a.jsonl", prodigy_line(spans=[SPAN], _annotator_id={"name": "x"}), None, ":1", 'must be strings, not {"name": "x"}'),
    ("a.jsonl", '{"text": "Zo\\ud800 joined."}\n', None, ":1", "the text holds a lone surrogate (\\ud800)"),
    ("a.jsonl", prodigy_line(spans=[dict(SPAN, label="P\ud800")]).replace("\\ud800", "\\ud800"), None, ":1", "the label of span 1 holds a lone surrogate"),
    ("a.jsonl", prodigy_line(meta={"title": "\udfff"}), None, ":1", "meta holds a lone surrogate (\\udfff)"),
    ("a.jsonl", prodigy_line(spans=[SPAN], _annotator_id="an\ud800"), None, ":1", "the annotator name holds a lone surrogate"),
    ("a.jsonl", "[" * 2000 + "]" * 2000 + "\n", "jsonl", ":1", "nested too deeply"),
    ("a.json", "[" * 2000 + "]" * 2000, "labelstudio", "", "not readable JSON: values are nested too deeply"),
    ("a.jsonl", prodigy_line(spans=[dict(SPAN, start=0.7)]), None, ":1", "span 1: start must be a whole number, not 0.7"),
    ("a.jsonl", prodigy_line(spans=[dict(SPAN, end=float("-inf"))]), None, ":1", "span 1: end must be a whole number, not -Infinity"),
    ("a.jsonl", prodigy_line(spans=[dict(SPAN, end=float("nan"))]), None, ":1", "must be a whole number, not NaN"),
    ("a.jsonl", '{"text": "ab", "label": [[0.5, 2, "PERSON"]]}\n', "doccano", ":1", "start must be a whole number, not 0.5"),
    ("a.json", ls_task([dict(region("a", 0, 3, "PERSON"), value={"start": 0, "end": 3.2, "labels": ["PERSON"]})]), None,
     ":task 1", "value.end must be a whole number, not 3.2"),
    ("a.json", ls_task([region("a", 0, 3, "PERSON"), region("b", 18, 22, "ORG"),
                        {"type": "relation", "from_id": "a", "to_id": "b", "labels": "employee_of"}]), None,
     ":task 1", 'a relation\'s labels must be a list of names, not "employee_of"'),
    ("a.jsonl", prodigy_line(tokens=[{"start": 4, "end": 10}, {"start": 0, "end": 3}]), None, ":1",
     "token 1 [0, 3) starts before the previous token ends (10)"),
    ("a.jsonl", prodigy_line(tokens=[{"start": 0, "end": 3}, {"start": 3, "end": 3}]), None, ":1", "token 1 [3, 3) is empty"),
    ("a.jsonl", "", None, "", "the file is empty: nothing to import"),
    ("a.jsonl", "\n\n", "jsonl", "", "no documents in it (read as jsonl): nothing to import"),
    ("a.json", "[]", "labelstudio", "", "no documents in it (read as labelstudio)"),
    ("a.conll", "-DOCSTART- -X- O O\n\n", None, "", "no documents in it (read as conll)"),
    ("a.csv", "", None, "", "the file is empty"),
    ("a.csv", "title\nx\n", None, ":1", "no 'text' column (columns: title)"),
    ("a.jsonl", prodigy_line(spans=[dict(SPAN, label="two words")]), None, ":1", "cannot add 'two words' to the scheme"),
]


@pytest.mark.parametrize("name, content, fmt, where, reason", BAD, ids=[f"{i}-{b[4][:30]}" for i, b in enumerate(BAD)])
def test_bad_input_names_file_line_and_reason_and_changes_nothing(make_project, tmp_path, name, content, fmt, where, reason):
    project = make_project(scheme=Scheme.from_labels(["PERSON", "ORG"]))
    api.import_files(project, [_write(tmp_path, "good.jsonl", prodigy_line())], preannotate="none")
    before = table_dump(project.path)
    path = _write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        api.import_files(project, [path], format=fmt, preannotate="none", add_labels=True)
    assert info.value.source == f"{path}{where}"
    assert reason in info.value.reason
    assert table_dump(project.path) == before


def _write(folder, name, content):
    path = folder / name
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    return path


def test_whole_number_floats_are_offsets(make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PERSON"]))
    path = _write(tmp_path, "a.jsonl", prodigy_line(spans=[dict(SPAN, start=0.0, end=3.0)]))
    api.import_files(project, [path], preannotate="none")
    (doc_id,) = project.document_ids()
    (span,) = project.annotation_set(doc_id, "import").spans.values()
    assert (span.start, span.end) == (0, 3)


def test_a_document_over_a_million_characters_imports_whole(make_project, tmp_path):
    paragraph = "Zoë Ørsted joined 東京電力 in São Paulo 🎉.\n"
    text = paragraph * (1_100_000 // len(paragraph))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    project = make_project()
    report = api.import_files(project, [path], preannotate="none")
    assert report.documents_added == 1
    document = project.document(project.document_ids()[0])
    assert document.text == text
    assert len(document.tokens) == 10 * (len(text) // len(paragraph))
    assert all(a.end <= b.start for a, b in zip(document.tokens, document.tokens[1:]))
    assert document.tokens[-1] == (len(text) - 1, len(text), False)  # the last line break


def test_csv_cells_longer_than_the_csv_module_default_import(make_project, tmp_path):
    text = "Foxconn invests. " * 10_000  # 170,000 characters, over csv's 131,072
    path = tmp_path / "a.csv"
    path.write_text("title,text\nbig," + json.dumps(text) + "\n", encoding="utf-8")
    project = make_project()
    api.import_files(project, [path], preannotate="none")
    assert project.document(project.document_ids()[0]).text == text


def test_docbin_user_data_of_the_wrong_shape_is_refused(make_project, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    out = []
    for user in ({"relations": "abc"}, {"relations": [[1, 2]]}, {"meta": [1]}, {"owner": 3}, {"status": "maybe"}):
        doc = nlp("Zoë joined Acme.")
        doc.user_data.update(user)
        docbin = DocBin(store_user_data=True, docs=[doc])
        path = tmp_path / f"{len(out)}.spacy"
        docbin.to_disk(path)
        project = make_project(f"{len(out)}.annotator")
        with pytest.raises(InputError) as info:
            api.import_files(project, [path], preannotate="none")
        assert info.value.source == f"{path}:doc 1"
        out.append(info.value.reason)
        assert project.document_ids() == []
    assert out == [
        'user data: "relations" must be a list, not str',
        "user data: relation 1 is not [[head_start, head_end, head_label], [child_start, child_end, child_label], label]",
        'user data: "meta" must be a mapping, not tuple',  # msgpack gives tuples
        'user data: "owner" must be a non-empty string, not 3',
        "user data: \"status\" 'maybe' is not one of new, in_progress, done, skipped, reviewed, rejected, ignored",
    ]


def test_a_folder_of_mixed_files_reads_each_in_its_own_format(make_project, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("First text.", encoding="utf-8")
    (folder / "b.jsonl").write_text(prodigy_line(spans=[SPAN]), encoding="utf-8")
    (folder / "c.csv").write_text("text\nThird text.\n", encoding="utf-8")
    (folder / "d.conll").write_text("-DOCSTART- -X- O O\n\nAcme B-ORG\nrose O\n", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    project = make_project(scheme=Scheme.from_labels(["PERSON", "ORG"]))
    report = api.import_files(project, [folder], preannotate="none")
    assert (report.documents_added, report.spans) == (4, 2)
    texts = sorted(project.document(i).text for i in project.document_ids())
    assert texts == ["Acme rose", "First text.", "Third text.", TEXT]


def test_a_folder_with_files_of_no_known_format_is_refused_naming_them(make_project, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("First text.", encoding="utf-8")
    (folder / "notes.md").write_text("# notes", encoding="utf-8")
    project = make_project()
    with pytest.raises(FormatError, match=r"cannot tell how to read 1 of its files: notes\.md"):
        api.import_files(project, [folder], preannotate="none")
    assert project.document_ids() == []


def test_an_empty_folder_is_an_error(make_project, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnnotatorError, match="no files to import"):
        api.import_files(make_project(), [tmp_path / "empty"], preannotate="none")


STREAMED = [
    ('[{"a": 1}, {"b": [1, 2, 3]},\n 12345678, "東京🎉"]', [(1, {"a": 1}), (2, {"b": [1, 2, 3]}), (3, 12345678), (4, "東京🎉")]),
    ("[]", []),
    (' {"x": 1}', [(0, {"x": 1})]),
    ('[{"a": 1}, {"b": }]', [(1, {"a": 1}), "not valid JSON (Expecting value at line 1 column 18)"]),
    ("[1, 2", [(1, 1), (2, 2), "not valid JSON (expected ',' or ']' after element 2 at line 1)"]),
    ("[1] x", [(1, 1), "not valid JSON (extra data after the array at line 1)"]),
    ('\n\n[1,\n{"a": tru}]', [(1, 1), "not valid JSON (Expecting value at line 4 column 7)"]),
]


@pytest.mark.parametrize("content, expected", STREAMED)
def test_json_files_are_streamed_in_pieces_with_exact_error_places(tmp_path, monkeypatch, content, expected):
    from annotator.core.model import Problem
    from annotator.formats import json_input

    monkeypatch.setattr(json_input, "READ_CHUNK", 7)  # pieces smaller than one value
    path = tmp_path / "a.json"
    path.write_text(content, encoding="utf-8")
    got = [item.reason if isinstance(item, Problem) else item for item in json_input.stream_json(path)]
    assert got == expected
