"""CoNLL/IOB: spaCy's IOB samples in four layouts, tag schemes, writing and the importer."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotator import api
from annotator.core.errors import FormatError, InputError
from annotator.core.model import AnnotationSet, Document, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.formats import conll, registry

from .items import read_records, to_items

ENTITIES = [
    ("Sebastian Thrun", "PERSON"), ("Google", "ORG"), ("2007", "DATE"), ("American", "NORP"),
    ("Thrun", "PERSON"), ("Recode", "ORG"), ("earlier this week", "DATE"),
]
FILES = {  # file -> documents in it
    "ner-sent-per-line.iob": 2,
    "ner-token-per-line-conll2003.iob": 1,
    "ner-token-per-line-with-pos.iob": 1,
    "ner-token-per-line.iob": 1,
}


def entities(records) -> list[tuple[str, str]]:
    return [(r.text[s.start : s.end], s.label) for r in records for s in r.sets[0].spans]


def token_tag_pairs(path: Path) -> list[tuple[str, str]]:
    """First and last column of every token line of a token-per-line file."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split()
        if columns and columns[0] != "-DOCSTART-":
            pairs.append((columns[0], columns[-1]))
    return pairs


# -- reading -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FILES))
def test_reads_every_layout(corpora, name):
    path = corpora / "iob" / name
    assert registry.detect(path).name == "conll"
    records = read_records("conll", path)
    assert len(records) == FILES[name]
    assert entities(records) == ENTITIES
    assert sum(len(r.tokens) for r in records) == 66
    assert all(r.meta == {"filename": name, "tag_scheme": "iob2"} for r in records)
    for record in records:
        assert [record.text[t.start : t.end] for t in record.tokens] == record.text.split()


def test_text_offsets_and_sentences(corpora):
    (record,) = read_records("conll", corpora / "iob" / "ner-token-per-line-conll2003.iob")
    first, second = record.text.split("\n")
    assert first.startswith("When Sebastian Thrun started") and first.endswith("took him seriously .")
    assert second.startswith("“ I can tell you") and second.endswith("earlier this week .")
    spans = record.sets[0].spans
    assert [(s.start, s.end, s.label) for s in spans[:3]] == [(5, 20, "PERSON"), (63, 69, "ORG"), (73, 77, "DATE")]
    assert record.text[63:69] == "Google" and record.text[73:77] == "2007"
    recode = spans[5]
    assert record.text[recode.start : recode.end] == "Recode"
    assert recode.start == record.text.index("Recode")
    assert record.tokens[0] == Token(0, 4, True)
    assert record.tokens[-1] == Token(len(record.text) - 1, len(record.text), False)
    assert record.source.endswith("ner-token-per-line-conll2003.iob:3")


def test_documents_are_docstart_sections_else_sentences(tmp_path):
    with_marks = tmp_path / "marks.conll"
    with_marks.write_text(
        "-DOCSTART- -X- O O\n\nA B-X\nb O\n\nc I-Y\n\n-DOCSTART- -X- O O\n\nd O\n", encoding="utf-8"
    )
    records = read_records("conll", with_marks)
    assert [r.text for r in records] == ["A b\nc", "d"]
    assert [r.source for r in records] == [f"{with_marks}:3", f"{with_marks}:10"]
    assert entities(records) == [("A", "X"), ("c", "Y")]
    without = tmp_path / "plain.conll"
    without.write_text("A B-X\nb O\n\n\nc I-Y\n\nd O\n", encoding="utf-8")
    assert [r.text for r in read_records("conll", without)] == ["A b", "c", "d"]


def test_non_ascii_tokens(tmp_path):
    path = tmp_path / "intl.iob"
    path.write_text("Zoë\tB-PER\nvisitó\tO\n東京\tB-LOC\n駅\tI-LOC\n🎉\tO\nañadió\tO\nSão\tB-LOC\nPaulo\tI-LOC\n", encoding="utf-8")
    (record,) = read_records("conll", path)
    assert record.text == "Zoë visitó 東京 駅 🎉 añadió São Paulo"
    assert [(s.start, s.end, s.label) for s in record.sets[0].spans] == [(0, 3, "PER"), (11, 15, "LOC"), (25, 34, "LOC")]
    assert entities([record]) == [("Zoë", "PER"), ("東京 駅", "LOC"), ("São Paulo", "LOC")]


# -- tag schemes ---------------------------------------------------------------
SCHEMES = {
    "iob2": ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "O", "B-ORG"],
    "iob1": ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC", "O", "I-ORG"],
    "bilou": ["B-PER", "L-PER", "O", "U-LOC", "B-LOC", "L-LOC", "O", "U-ORG"],
    "bioes": ["B-PER", "E-PER", "O", "S-LOC", "B-LOC", "E-LOC", "O", "S-ORG"],
}
SPANS = [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC"), (7, 8, "ORG")]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_tag_schemes_decode_detect_and_encode(scheme):
    tags = SCHEMES[scheme]
    assert conll.tags_to_spans(tags) == SPANS
    assert conll.detect_scheme(tags) == scheme
    assert conll.spans_to_tags(SPANS, len(tags), scheme) == tags


def test_lenient_iob2_and_bad_tags():
    assert conll.tags_to_spans(["O", "I-X", "I-Y", "B-Y", "I-Y"]) == [(1, 2, "X"), (2, 3, "Y"), (3, 5, "Y")]
    with pytest.raises(ValueError):
        conll.tags_to_spans(["O", "PER"])
    assert conll.detect_scheme(["O", "O"]) == "iob2"


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_writer_tag_scheme_round_trips(corpora, tmp_path, scheme):
    records = read_records("conll", corpora / "iob" / "ner-token-per-line-conll2003.iob")
    conll.write(to_items(records), tmp_path / "out.conll", tags=scheme)
    (again,) = read_records("conll", tmp_path / "out.conll")
    assert entities([again]) == ENTITIES
    assert again.meta["tag_scheme"] == scheme


def test_unknown_tag_scheme_is_an_error(tmp_path):
    with pytest.raises(FormatError):
        conll.write([], tmp_path / "out.conll", tags="bio3")


# -- writing -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FILES))
def test_round_trip(corpora, tmp_path, name):
    records = read_records("conll", corpora / "iob" / name)
    report = conll.write(to_items(records), tmp_path / "out.conll")
    assert (report.documents, report.spans, report.lost) == (len(records), 7, {})
    again = read_records("conll", tmp_path / "out.conll")
    assert [r.text for r in again] == [r.text for r in records]
    assert [r.tokens for r in again] == [r.tokens for r in records]
    assert entities(again) == ENTITIES


def test_written_file_has_the_original_tokens_and_tags(corpora, tmp_path):
    source = corpora / "iob" / "ner-token-per-line-conll2003.iob"
    conll.write(to_items(read_records("conll", source)), tmp_path / "out.conll")
    written = (tmp_path / "out.conll").read_text(encoding="utf-8")
    assert written.startswith("-DOCSTART- -X- O O\n\nWhen O\nSebastian B-PERSON\nThrun I-PERSON\n")
    assert written.endswith("week I-DATE\n. O\n\n")
    assert written.count("\n\n") == 3
    assert token_tag_pairs(tmp_path / "out.conll") == token_tag_pairs(source)


def test_writer_counts_what_iob_cannot_hold(tmp_path):
    text = "Big Apple Inc is in New York.\nIt grew."
    words = [(0, 3), (4, 9), (10, 13), (14, 16), (17, 19), (20, 23), (24, 28), (28, 29), (30, 32), (33, 37), (37, 38)]
    tokens = tuple(Token(s, e, text[e : e + 1] == " ") for s, e in words)
    spans = [
        Span(1, 0, 13, "ORG"),  # Big Apple Inc (kept: longest)
        Span(2, 4, 9, "LOC"),  # Apple: overlaps
        Span(3, 20, 28, "GPE", attrs={"note": "x"}),  # New York (kept; its attrs are lost)
        Span(4, 21, 23, "GPE"),  # "ew": not on token boundaries
        Span(5, 24, 32, "X"),  # York.\nIt: across the sentence break
        Span(6, 0, 16, "Y", fragments=((0, 3), (14, 16))),  # discontinuous
    ]
    aset = AnnotationSet.build(1, "ann", spans, [Relation(1, 1, 3, "located")], status="done")
    document = Document(1, text_hash(text), text, tokens)
    report = conll.write([(document, aset)], tmp_path / "out.conll")
    assert report.spans == 2
    assert report.lost == {
        "overlapping spans (IOB holds one label per token)": 1,
        "span attributes (CoNLL holds none)": 1,
        "spans not on token boundaries": 1,
        "spans across a sentence break": 1,
        "discontinuous spans (IOB holds continuous ones)": 1,
        "relations (CoNLL has no relations)": 1,
    }
    assert (tmp_path / "out.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- -X- O O\n\nBig B-ORG\nApple I-ORG\nInc I-ORG\nis O\nin O\nNew B-GPE\nYork I-GPE\n. O\n\n"
        "It O\ngrew O\n. O\n\n"
    )


def test_whitespace_tokens_split_sentences_and_are_skipped(tmp_path):
    text = "One two.\n\nThree  four"
    tokens = (Token(0, 3), Token(4, 7, False), Token(7, 8, True), Token(8, 10, False), Token(10, 15), Token(15, 16, False), Token(17, 21, False))
    # spaCy makes tokens of "\n\n" (8-10) and of the second space (15-16)
    document = Document(1, text_hash(text), text, tokens)
    aset = AnnotationSet.build(1, "ann", [Span(1, 17, 21, "NUM")], status="done")
    report = conll.write([(document, aset)], tmp_path / "out.conll")
    assert report.spans == 1
    assert (tmp_path / "out.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- -X- O O\n\nOne O\ntwo O\n. O\n\nThree O\nfour B-NUM\n\n"
    )


# -- through the project -------------------------------------------------------
def test_import_and_export_through_the_api(corpora, make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PERSON"]))
    source = corpora / "iob" / "ner-token-per-line-conll2003.iob"
    report = api.import_files(project, [source], format="conll", preannotate="none", add_labels=True)
    assert (report.documents_added, report.spans, report.labels_added) == (1, 7, ["DATE", "NORP", "ORG"])
    assert len(project.document(1).tokens) == 66
    written = api.export(project, tmp_path / "out.conll", format="conll")["all"]
    assert (written.documents, written.spans, written.lost) == (1, 7, {})
    assert token_tag_pairs(tmp_path / "out.conll") == token_tag_pairs(source)


def test_brat_project_exports_as_conll(corpora, make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["PER"]), language="es")
    api.import_files(project, [corpora / "brat" / "conll2002_esp"], format="brat", preannotate="none", add_labels=True)
    written = api.export(project, tmp_path / "out.conll", format="conll")["all"]
    assert (written.documents, written.spans) == (10, 540)
    assert written.lost == {}
    again = read_records("conll", tmp_path / "out.conll")
    assert sum(len(r.sets[0].spans) for r in again) == 540
    assert ("Viruca Atanes", "PER") == entities(again)[0]


GOOD = "-DOCSTART- -X- O O\n\nok O\n\n-DOCSTART- -X- O O\n"
BAD_FILES = [
    (GOOD + "A B-X\nb O\nc PERSON\nd O\n", 8, "tag 'PERSON'"),
    (GOOD + "A B-X\nlonely\n", 7, "expected a token and its tag"),
    ("ok|O\nA|B-X b|O\nc|O d\n", 3, "cannot read 'd'"),
]


@pytest.mark.parametrize("content, line, reason", BAD_FILES)
def test_corrupt_file_names_file_and_line_and_leaves_the_project_unchanged(tmp_path, make_project, content, line, reason):
    path = tmp_path / "bad.conll"
    path.write_text(content, encoding="utf-8")
    *good, problem = conll.read(path)
    assert all(r.text in ("ok", "A b") for r in good)
    assert problem.source == f"{path}:{line}"
    assert reason in problem.reason
    project = make_project()
    with pytest.raises(InputError) as info:
        api.import_files(project, [path], format="conll", preannotate="none", add_labels=True)
    assert info.value.source == f"{path}:{line}"
    assert project.stats()["documents"] == 0


def test_folder_reads_every_conll_file(corpora):
    records = read_records("conll", corpora / "iob")
    assert len(records) == 5
    assert entities(records) == ENTITIES * 4
