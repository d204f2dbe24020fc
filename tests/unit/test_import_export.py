from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.errors import InputError
from annotator.core.scheme import Scheme
from tests.conftest import SEED, table_dump



def texts(project, doc_id, owner, label=None):
    aset = project.annotation_set(doc_id, owner)
    doc = project.document(doc_id)
    return [doc.text[s.start : s.end] for s in aset.sorted_spans() if label is None or s.label == label]


def test_seed_article_is_preannotated_by_rules(make_project):
    project = make_project()
    report = api.import_files(project, [SEED])
    assert (report.records, report.documents_added) == (1, 1)
    doc_id = project.document_ids()[0]
    assert project.owners(doc_id) == ["model:rules"]
    assert texts(project, doc_id, "model:rules", "MONEY") == ["$5 billion", "$1 billion to $5 billion"]
    orgs = set(texts(project, doc_id, "model:rules", "ORG"))
    assert {"Foxconn", "OpenAI"} <= orgs
    assert set(texts(project, doc_id, "model:rules", "GPE")) >= {"U.S.", "Wisconsin", "Ohio", "Texas", "Virginia", "Indiana"}
    spans = project.annotation_set(doc_id, "model:rules").spans.values()
    assert {s.origin for s in spans} == {"rule"}


def test_reimporting_the_same_text_is_a_no_op(make_project, tmp_path):
    project = make_project()
    api.import_files(project, [SEED])
    before = table_dump(project.path)
    report = api.import_files(project, [SEED])
    assert (report.documents_added, report.duplicates) == (0, 1)
    assert table_dump(project.path) == before


def test_docbin_export_loads_in_spacy_with_the_same_entities(make_project, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    project = make_project()
    api.import_files(project, [SEED])
    doc_id = project.document_ids()[0]
    aset = project.annotation_set(doc_id, "model:rules")
    out = tmp_path / "seed.spacy"
    reports = api.export(project, out, format="spacy", owner="model:rules")
    assert reports["all"].documents == 1
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    text = project.document(doc_id).text
    assert doc.text == text
    expected = sorted((s.start, s.end, s.label) for s in aset.spans.values())
    assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]) == expected
    ents = [(e.text, e.label_) for e in doc.ents if e.label_ == "MONEY"]
    assert ents == [("$5 billion", "MONEY"), ("$1 billion to $5 billion", "MONEY")]


BAD_RECORDS = [
    ('{"text": "Foxconn invests.", "spans": [{"start": 0, "end": 7, "label": "ORG"}]}\n{"text": broken\n', 2, "not valid JSON"),
    (b'{"text": "Foxconn invests."}\n{"text": "caf\xe9"}\n', 2, "not valid UTF-8"),
    ('{"text": "   "}\n', 1, "empty text"),
    ('{"text": "Foxconn invests.", "spans": [{"start": 8, "end": 40, "label": "ORG"}]}\n', 1, "offsets outside the text"),
    (
        '{"text": "Foxconn invests.", "tokens": [{"start": 0, "end": 7}, {"start": 8, "end": 15}], '
        '"spans": [{"start": 8, "end": 16, "label": "ORG"}]}\n',
        1,
        "span 'ORG' [8, 16): 'invests.' cannot be aligned: an edge falls in text no token covers",
    ),
    ('{"text": "Foxconn invests.", "spans": [{"start": 7, "end": 8, "label": "ORG"}]}\n', 1, "span 'ORG' [7, 8): covers only whitespace (' ')"),
    ('{"text": "Foxconn invests.", "spans": [{"start": 0, "end": 7, "label": "COMPANY"}]}\n', 1, "COMPANY"),
    ('{"text": "Foxconn invests.", "answer": "maybe"}\n', 1, "unknown answer"),
]


@pytest.mark.parametrize("content, line, reason", BAD_RECORDS, ids=[r[2] for r in BAD_RECORDS])
def test_bad_input_names_file_and_line_and_changes_nothing(make_project, tmp_path, content, line, reason):
    project = make_project()
    api.import_files(project, [SEED], preannotate="none")
    before = table_dump(project.path)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(InputError) as info:
        api.import_files(project, [bad], preannotate="none")
    assert info.value.source == f"{bad}:{line}"
    assert reason in info.value.reason
    assert table_dump(project.path) == before


def test_cli_reports_bad_input_and_exits_non_zero(make_project, tmp_path):
    project = make_project()
    project.close()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"nope": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(project.path), str(bad), "--preannotate", "none"])
    assert result.exit_code == 1
    assert f"{bad}:2: missing \"text\" string" in result.output


def test_skip_invalid_imports_the_good_records_and_lists_the_rest(make_project, tmp_path):
    project = make_project()
    bad = tmp_path / "mixed.jsonl"
    bad.write_text(
        '{"text": "Foxconn invests in Ohio.", "spans": [{"start": 0, "end": 7, "label": "ORG"}]}\n'
        '{"text": ""}\n'
        '{"text": "Apple buys.", "spans": [{"start": 0, "end": 5, "label": "FRUIT"}]}\n'
        '{"text": "Nvidia grows."}\n',
        encoding="utf-8",
    )
    report = api.import_files(project, [bad], preannotate="none", skip_invalid=True)
    assert [(p.source, p.reason) for p in report.rejected] == [
        (f"{bad}:2", "empty text"),
        (f"{bad}:3", "span 'FRUIT' [0, 5): label 'FRUIT' is not in the scheme"),
    ]
    assert report.documents_added == 2
    assert project.stats()["spans"] == {"ORG": 1}


def test_unknown_labels_are_listed_or_added(make_project, corpora):
    project = make_project()
    source = corpora / "prodigy" / "news_headlines_ner.jsonl"
    with pytest.raises(InputError, match=r"news_headlines_ner.jsonl:1: labels not in the project's scheme: LOCATION \(add"):
        api.import_files(project, [source], preannotate="none")
    report = api.import_files(project, [source], preannotate="none", add_labels=True)
    assert report.labels_added == ["LOCATION"]
    assert project.reload_scheme().label("LOCATION") is not None


def test_prodigy_file_imports_with_exact_counts(make_project, corpora):
    project = make_project()
    report = api.import_files(project, [corpora / "prodigy" / "news_headlines_ner.jsonl"], preannotate="none", add_labels=True)
    assert (report.records, report.documents_added, report.spans) == (373, 373, 303)
    stats = project.stats()
    assert stats["sets"] == {"import": {"done": 372, "ignored": 1}}
    assert stats["spans"] == {"LOCATION": 121, "ORG": 136, "PERSON": 38, "PRODUCT": 8}


def test_jsonl_round_trip_gives_the_same_records(make_project, corpora, tmp_path):
    first = make_project("a.annotator")
    api.import_files(first, [corpora / "prodigy" / "news_headlines_ner.jsonl"], preannotate="none", add_labels=True, annotator="alice")
    out1 = tmp_path / "one.jsonl"
    api.export(first, out1, status="all")
    second = make_project("b.annotator", scheme=first.scheme)
    api.import_files(second, [out1], preannotate="none")
    out2 = tmp_path / "two.jsonl"
    api.export(second, out2, status="all")
    one = out1.read_text(encoding="utf-8").splitlines()
    assert len(one) == 373
    assert one == out2.read_text(encoding="utf-8").splitlines()
    task = json.loads(one[0])
    assert task["spans"] == [
        {"text": "Uber", "start": 0, "end": 4, "token_start": 0, "token_end": 0, "label": "ORG", "origin": "import"},
        {"text": "Silicon Valley", "start": 15, "end": 29, "token_start": 4, "token_end": 5, "label": "LOCATION", "origin": "import"},
    ]
    assert (task["answer"], task["_annotator_id"]) == ("accept", "alice")
    assert sum(json.loads(l)["answer"] == "ignore" for l in one) == 1


def test_relations_export_in_prodigy_shape(make_project, tmp_path):
    project = make_project()
    src = tmp_path / "rel.jsonl"
    src.write_text(json.dumps({
        "text": "Foxconn will invest $5 billion in Ohio.",
        "spans": [{"start": 13, "end": 19, "label": "INVESTMENT"}, {"start": 20, "end": 30, "label": "MONEY"}],
        "relations": [{"head_span": {"start": 13, "end": 19, "label": "INVESTMENT"}, "child_span": {"start": 20, "end": 30, "label": "MONEY"}, "label": "amount"}],
        "_annotator_id": "bob",
    }) + "\n", encoding="utf-8")
    api.import_files(project, [src], preannotate="none")
    out = tmp_path / "out.jsonl"
    api.export(project, out)
    task = json.loads(out.read_text(encoding="utf-8"))
    assert task["relations"] == [{
        "head": 2, "child": 5,
        "head_span": {"text": "invest", "start": 13, "end": 19, "token_start": 2, "token_end": 2, "label": "INVESTMENT", "origin": "import"},
        "child_span": {"text": "$5 billion", "start": 20, "end": 30, "token_start": 3, "token_end": 5, "label": "MONEY", "origin": "import"},
        "label": "amount",
    }]
    assert [t["text"] for t in task["tokens"]] == ["Foxconn", "will", "invest", "$", "5", "billion", "in", "Ohio", "."]
    assert task["_annotator_id"] == "bob"


def test_csv_and_txt_folder_import(make_project, tmp_path):
    project = make_project()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "docs" / "a.txt").write_text("First article.", encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text('text,url\n"Third, with a comma.",http://x\nFirst article.,\n', encoding="utf-8")
    report = api.import_files(project, [tmp_path / "docs", table], preannotate="none")
    assert (report.records, report.documents_added, report.duplicates) == (4, 3, 1)
    docs = [project.document(i) for i in project.document_ids()]
    assert [d.text for d in docs] == ["First article.", "Second article.", "Third, with a comma."]
    assert docs[2].meta == {"url": "http://x"}


def test_split_is_by_document_and_deterministic(make_project, corpora, tmp_path):
    project = make_project()
    api.import_files(project, [corpora / "prodigy" / "news_headlines_ner.jsonl"], preannotate="none", add_labels=True)
    a = api.export(project, tmp_path / "a", format="jsonl", split=0.25, seed=7)
    b = api.export(project, tmp_path / "b", format="jsonl", split=0.25, seed=7)
    assert (a["train"].documents, a["dev"].documents) == (279, 93)
    assert (tmp_path / "a" / "dev.jsonl").read_text() == (tmp_path / "b" / "dev.jsonl").read_text()


def test_stats_json(make_project, corpora):
    project = make_project()
    project.close()
    runner = CliRunner()
    runner.invoke(cli, ["import", str(project.path), str(corpora / "prodigy" / "news_headlines_ner.jsonl"), "--preannotate", "none", "--add-labels"])
    result = runner.invoke(cli, ["stats", str(project.path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 373 and data["spans"]["ORG"] == 136




@pytest.mark.slow
def test_exported_docbin_trains_with_spacy_train(make_project, corpora, tmp_path):
    project = make_project()
    api.import_files(project, [corpora / "prodigy" / "news_headlines_ner.jsonl"], preannotate="none", add_labels=True)
    reports = api.export(project, tmp_path / "corpus", format="spacy", split=0.2, seed=1)
    assert reports["train"].documents == 298
    config = tmp_path / "config.cfg"
    made = subprocess.run(
        [sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "en", "--pipeline", "ner"],
        capture_output=True, text=True, timeout=300,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(config), "--output", str(tmp_path / "model"),
         "--paths.train", str(tmp_path / "corpus" / "train.spacy"), "--paths.dev", str(tmp_path / "corpus" / "dev.spacy"),
         "--training.max_steps", "20", "--training.eval_frequency", "10"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (tmp_path / "model" / "model-last" / "meta.json").is_file()
    meta = json.loads((tmp_path / "model" / "model-last" / "meta.json").read_text())
    assert sorted(meta["labels"]["ner"]) == ["LOCATION", "ORG", "PERSON", "PRODUCT"]


@pytest.mark.slow
def test_train_then_preannotate_with_the_trained_model(make_project, corpora, tmp_path):
    project = make_project()
    api.import_files(project, [corpora / "prodigy" / "news_headlines_ner.jsonl"], preannotate="none", add_labels=True)
    best = api.train_model(project, tmp_path / "news-model", max_epochs=2, seed=1)
    assert best == tmp_path / "news-model"
    fresh = make_project("fresh.annotator")
    article = tmp_path / "a.txt"
    article.write_text("Apple and Google meet in London.", encoding="utf-8")
    report = api.import_files(fresh, [article], preannotate=str(best), add_labels=True)
    doc_id = fresh.document_ids()[0]
    assert fresh.owners(doc_id) == ["model:news-model"]
    labels = {s.label for s in fresh.annotation_set(doc_id, "model:news-model").spans.values()}
    assert labels <= {"LOCATION", "ORG", "PERSON", "PRODUCT"}
    assert report.suggestions == len(fresh.annotation_set(doc_id, "model:news-model").spans)
    score = fresh.db.execute("SELECT score FROM annotation_sets WHERE owner = 'model:news-model'").fetchone()[0]
    assert 1 / 8 <= score <= 1.0  # the share of the 8-parse beam held by its most likely parse


def test_unknown_preannotator_lists_the_choices(make_project):
    from annotator.core.errors import PipelineError

    project = make_project()
    with pytest.raises(PipelineError, match="no pre-annotator 'nosuchmodel': use one of rules, none"):
        api.import_files(project, [SEED], preannotate="nosuchmodel")


def test_bidirectional_relation_folds_to_one_edge_for_a_symmetric_type(make_project, tmp_path):
    text = "Foxconn and OpenAI agreed."
    region = lambda rid, start, end: {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
                                      "value": {"start": start, "end": end, "text": text[start:end], "labels": ["ORG"]}}
    task = {"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "completed_by": 1, "result": [
        region("a", 0, 7), region("b", 12, 18),
        {"type": "relation", "from_id": "a", "to_id": "b", "direction": "bi", "labels": ["partner_of"]},
        {"type": "relation", "from_id": "a", "to_id": "b", "direction": "bi", "labels": ["employee_of"]},
    ]}]}
    source = tmp_path / "ls.json"
    source.write_text(json.dumps([task]), encoding="utf-8")
    project = make_project(scheme=Scheme.from_dict({"name": "t", "labels": [{"name": "ORG"}], "relations": [
        {"name": "partner_of", "symmetric": True}, {"name": "employee_of"}]}))
    api.import_files(project, [source], preannotate="none")
    aset = project.annotation_set(project.document_ids()[0], "ls-user-1")
    edges = sorted((aset.spans[r.head].start, aset.spans[r.child].start, r.label) for r in aset.relations.values())
    assert edges == [(0, 12, "employee_of"), (0, 12, "partner_of"), (12, 0, "employee_of")]


@pytest.mark.parametrize("name, expected", [
    ("doccano/data_export__pipeline__examples__relation_extraction__example.jsonl", "doccano"),
    ("doccano/data_import__tests__data__relation_extraction__example.jsonl", "doccano"),
    ("prodigy/news_headlines_ner.jsonl", "jsonl"),
])
def test_jsonl_flavours_are_told_apart(corpora, name, expected):
    from annotator.formats import registry

    assert registry.detect(corpora / name).name == expected


@pytest.mark.parametrize(
    "name, content, fmt, source, reason",
    [
        ("bad.spacy", b"\x93NUMPY not a docbin", "spacy", "bad.spacy", "not a spaCy DocBin file"),
        ("bad.csv", b"title,body\nx,y\n", "csv", "bad.csv:1", "no 'text' column (columns: title, body)"),
        ("bad2.csv", b'text\n"one"\n"two",extra\n', "csv", "bad2.csv:3", "more fields than the header has columns"),
        ("bad.txt", b"Caf\xe9 au lait\n", "txt", "bad.txt", "not valid UTF-8 at line 1"),
    ],
)
def test_corrupt_files_of_the_other_formats(make_project, tmp_path, name, content, fmt, source, reason):
    project = make_project()
    api.import_files(project, [SEED], preannotate="none")
    before = table_dump(project.path)
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(InputError) as info:
        api.import_files(project, [bad], format=fmt, preannotate="none")
    assert info.value.source == str(tmp_path / source)
    assert info.value.reason.startswith(reason)
    assert table_dump(project.path) == before


def test_gold_sets_no_one_finished_do_not_hide_the_annotators_work(make_project, tmp_path):
    # Opening the review window leaves gold sets with status new; export and
    # train without --set then picked gold and found nothing ("no finished
    # documents to train on") although every annotator was done.
    from annotator.core.model import Span
    from annotator.ops.training import finished_items

    project = make_project()
    (tmp_path / "a.txt").write_text("Acme Corp will invest in Berlin.\n", encoding="utf-8")
    api.import_files(project, [tmp_path / "a.txt"], preannotate="none")
    project.write_set(1, "alice", [Span(1, 0, 9, "ORG", "human")], status="done", who="alice")
    project.write_set(1, "gold", [], status="new", who="rita")
    report = api.export(project, tmp_path / "out.jsonl", format="jsonl")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["_annotator_id"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in records] == [
        ("alice", [(0, 9, "ORG")])
    ]
    assert report["all"].documents == 1
    assert [aset.owner for _, aset in finished_items(project)] == ["alice"]
    project.write_set(1, "gold", [Span(1, 0, 4, "ORG", "human")], status="reviewed", who="rita")
    assert [aset.owner for _, aset in finished_items(project)] == ["gold"]
    api.export(project, tmp_path / "gold.jsonl", format="jsonl")
    assert json.loads((tmp_path / "gold.jsonl").read_text(encoding="utf-8"))["_annotator_id"] == "gold"


@pytest.mark.parametrize(
    "name, encoding, fmt, wide",
    [
        ("a.txt", "utf-16", None, "UTF-16"),
        ("a.jsonl", "utf-16", None, "UTF-16"),
        ("a.jsonl", "utf-16-be", "jsonl", "UTF-16"),
        ("a.csv", "utf-32", "csv", "UTF-32"),
    ],
)
def test_a_utf16_or_utf32_file_is_named_as_such_and_changes_nothing(make_project, tmp_path, name, encoding, fmt, wide):
    # Windows editors save "Unicode" text as UTF-16 with a byte-order mark; the
    # import said "not valid UTF-8 at byte 0" or that the format cannot be told.
    project = make_project()
    api.import_files(project, [SEED], preannotate="none")
    before = table_dump(project.path)
    path = tmp_path / name
    text = "text\nAcme Corp\n" if name.endswith(".csv") else '{"text": "Acme Corp"}\n' if ".json" in name else "Acme Corp\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        api.import_files(project, [path], format=fmt, preannotate="none")
    assert (info.value.source, info.value.reason) == (
        str(path),
        f"the file is {wide} text (it starts with a {wide} byte-order mark); save it as UTF-8 and import it again",
    )
    assert table_dump(project.path) == before


def test_a_utf16_file_in_a_folder_is_named_with_its_encoding(make_project, tmp_path):
    from annotator.core.errors import FormatError

    project = make_project()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Acme Corp\n", encoding="utf-8")
    (folder / "b.txt").write_text("Acme Corp\n", encoding="utf-16")
    with pytest.raises(FormatError) as info:
        api.import_files(project, [folder], preannotate="none")
    assert str(info.value).endswith(
        f"{folder}: cannot tell how to read 1 of its files: b.txt (the file is UTF-16 text "
        "(it starts with a UTF-16 byte-order mark)); move them out or pass --format"
    )
    assert project.stats()["documents"] == 0


def test_export_says_how_many_sets_it_left_out_for_not_being_finished(make_project, tmp_path):
    # `export --set alice` wrote 0 documents and exited 0 while alice's sets
    # were still in progress, with no hint why.
    from annotator.core.model import Span

    project = make_project()
    for name, text in (("a.txt", "Acme Corp will invest in Berlin.\n"), ("b.txt", "Globex opened in Oslo.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    api.import_files(project, [tmp_path / "a.txt", tmp_path / "b.txt"], preannotate="none")
    project.write_set(1, "alice", [Span(1, 0, 9, "ORG", "human")], status="in_progress", who="alice")
    project.write_set(2, "alice", [Span(1, 0, 6, "ORG", "human")], status="in_progress", who="alice")
    project.write_set(2, "bob", [Span(1, 0, 6, "ORG", "human")], status="done", who="bob")
    report = api.export(project, tmp_path / "alice.jsonl", format="jsonl", owner="alice")
    assert (report["all"].documents, report.warnings()) == (0, [
        "2 sets of alice are not finished (not marked done or reviewed) and were not exported; "
        "export with status 'all' to include them"
    ])
    project.close()
    result = CliRunner().invoke(cli, ["export", str(project.path), str(tmp_path / "all.jsonl")])
    assert result.exit_code == 0, result.output
    assert (
        "warning: 2 sets are not finished (not marked done or reviewed) and were not exported; "
        "export with status 'all' to include them"
    ) in result.output
    result = CliRunner().invoke(cli, ["export", str(project.path), str(tmp_path / "every.jsonl"), "--status", "all"])
    assert "not finished" not in result.output
