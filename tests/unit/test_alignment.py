"""The one alignment policy at the import border (core.alignment), and every
character-offset format going through it."""
from __future__ import annotations

import json

import pytest

from annotator import api
from annotator.core.alignment import AlignmentError, align, merge_duplicates, trim_span
from annotator.core.errors import InputError
from annotator.core.model import Relation, SetData, Span, Token
from annotator.core.scheme import Scheme
from tests.conftest import table_dump

TEXT = "Cells with IL-2R. rose"  # "IL-2R." is one token for spaCy's English tokenizer
IL2R = (11, 16)


def test_trim_moves_edges_off_whitespace_and_keeps_a_clean_span():
    span = Span(1, 10, 17, "X")
    assert trim_span(TEXT, span) == Span(1, 11, 17, "X")
    clean = Span(2, 11, 16, "X")
    assert trim_span(TEXT, clean) is clean


def test_trim_applies_to_every_piece_of_a_discontinuous_span():
    span = Span(1, 0, 17, "X", fragments=((0, 6), (10, 17)))
    assert trim_span(TEXT, span) == Span(1, 0, 17, "X", fragments=((0, 5), (11, 17)))


@pytest.mark.parametrize(
    "start, end, reason",
    [(5, 6, "span 'X' [5, 6): covers only whitespace (' ')"), (3, 99, "offsets outside the text (22 characters)"), (4, 4, "or empty")],
)
def test_what_trimming_cannot_fix_is_an_error(start, end, reason):
    with pytest.raises(AlignmentError, match=reason.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        trim_span(TEXT, Span(1, start, end, "X"))


def test_duplicates_are_merged_and_their_relations_follow():
    data = SetData(
        spans=[Span(1, 0, 5, "A"), Span(2, 0, 5, "A"), Span(3, 11, 16, "B"), Span(4, 0, 5, "B")],
        relations=[Relation(1, 1, 3, "r"), Relation(2, 2, 3, "r"), Relation(3, 2, 4, "s")],
    )
    assert merge_duplicates(data) == 1
    assert [s.id for s in data.spans] == [1, 3, 4]
    assert [(r.head, r.child, r.label) for r in data.relations] == [(1, 3, "r"), (1, 4, "s")]


def test_spans_with_different_attrs_are_not_duplicates():
    data = SetData(spans=[Span(1, 0, 5, "A", attrs={"note": "x"}), Span(2, 0, 5, "A")])
    assert merge_duplicates(data) == 0


def test_align_splits_tokens_and_counts_what_it_changed():
    tokens = [Token(0, 5), Token(6, 10), Token(11, 17), Token(18, 22, False)]
    data = SetData(spans=[Span(1, 11, 16, "GENE"), Span(2, 10, 16, "GENE")])
    out, counts = align(TEXT, tokens, [data])
    assert out == [Token(0, 5), Token(6, 10), Token(11, 16, False), Token(16, 17), Token(18, 22, False)]
    assert (counts.trimmed, counts.merged, counts.tokens_split) == (1, 1, 1)
    assert [(s.start, s.end) for s in data.spans] == [IL2R]


def _il2r_project(make_project):
    project = make_project(scheme=Scheme.from_labels(["GENE"]))
    return project


def _export_and_reimport(make_project, tmp_path, fmt, name):
    """Import a brat file with a span inside a token, export it, and import
    the export into a fresh project."""
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text(f"T1\tGENE {IL2R[0]} {IL2R[1]}\tIL-2R\n", encoding="utf-8")
    first = _il2r_project(make_project)
    api.import_files(first, [folder], preannotate="none", annotator="ann")
    out = tmp_path / name
    api.export(first, out, format=fmt, owner="ann")
    second = make_project("second.annotator", scheme=Scheme.from_labels(["GENE"]))
    report = api.import_files(second, [out], format=fmt, preannotate="none", annotator="ann")
    (doc_id,) = second.document_ids()
    spans = [(s.start, s.end, s.label) for s in second.annotation_set(doc_id, "ann").spans.values()]
    return report, spans


@pytest.mark.parametrize("fmt, name", [("labelstudio", "out.json"), ("doccano", "out.jsonl"), ("jsonl", "out.jsonl")])
def test_the_tool_reimports_its_own_export_of_a_span_inside_a_token(make_project, tmp_path, fmt, name):
    report, spans = _export_and_reimport(make_project, tmp_path, fmt, name)
    assert spans == [(*IL2R, "GENE")]
    assert report.spans == 1


def _record_file(tmp_path, fmt, text, spans):
    """A one-document file of ``fmt`` with ``spans`` as (start, end, label), twice each when asked."""
    if fmt == "labelstudio":
        result = [
            {"id": f"r{i}", "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
            for i, (s, e, label) in enumerate(spans)
        ]
        path = tmp_path / "ls.json"
        path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]), encoding="utf-8")
    elif fmt == "doccano":
        path = tmp_path / "d.jsonl"
        path.write_text(json.dumps({"text": text, "label": [list(s) for s in spans]}) + "\n", encoding="utf-8")
    elif fmt == "jsonl":
        path = tmp_path / "p.jsonl"
        items = [{"start": s, "end": e, "label": label} for s, e, label in spans]
        path.write_text(json.dumps({"text": text, "spans": items}) + "\n", encoding="utf-8")
    else:
        folder = tmp_path / "brat"
        folder.mkdir()
        (folder / "a.txt").write_text(text, encoding="utf-8")
        lines = [f"T{i + 1}\t{label} {s} {e}\t{text[s:e]}" for i, (s, e, label) in enumerate(spans)]
        (folder / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
        path = folder
    return path


FORMATS = ["labelstudio", "doccano", "jsonl", "brat"]
# CJK, emoji and a combining accent; the doccano-style trailing space after "Zoë"
POLICY_TEXT = "🎉 Zoe\u0308 met 東京電力 at IL-2R. today"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_character_offset_format_follows_one_policy(make_project, tmp_path, fmt):
    zoe = (2, 7)  # "Zoë " with its trailing space
    tepco = (11, 15)  # "東京電力", one token, split by the span below
    tokyo = (11, 13)  # "東京" inside that token
    gene = (19, 24)  # "IL-2R" inside "IL-2R."
    spans = [(*zoe, "PERSON"), (*tepco, "ORG"), (*tepco, "ORG"), (*tokyo, "GPE"), (*gene, "GENE")]
    path = _record_file(tmp_path, fmt, POLICY_TEXT, spans)
    project = make_project(scheme=Scheme.from_labels(["PERSON", "ORG", "GPE", "GENE"]))
    report = api.import_files(project, [path], format=fmt, preannotate="none", annotator="ann")
    (doc_id,) = project.document_ids()
    stored = sorted((s.start, s.end, s.label) for s in project.annotation_set(doc_id, "ann").spans.values())
    assert stored == [(2, 6, "PERSON"), (11, 13, "GPE"), (11, 15, "ORG"), (19, 24, "GENE")]
    assert (report.alignment.trimmed, report.alignment.merged) == (1, 1)
    texts = [POLICY_TEXT[t.start : t.end] for t in project.document(doc_id).tokens]
    assert {"Zoe\u0308", "東京", "電力", "IL-2R"} <= set(texts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_span_of_whitespace_is_an_error_with_file_and_line(make_project, tmp_path, fmt):
    path = _record_file(tmp_path, fmt, POLICY_TEXT, [(6, 7, "PERSON")])
    project = make_project(scheme=Scheme.from_labels(["PERSON"]))
    before = table_dump(project.path)
    with pytest.raises(InputError) as info:
        api.import_files(project, [path], format=fmt, preannotate="none")
    expected = {"labelstudio": f"{path}:task 1", "doccano": f"{path}:1", "jsonl": f"{path}:1", "brat": str(path / "a.ann")}
    assert info.value.source == expected[fmt]
    assert info.value.reason == "span 'PERSON' [6, 7): covers only whitespace (' ')"
    assert table_dump(project.path) == before
