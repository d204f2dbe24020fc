"""brat standoff: reading brat's own example corpora, writing them back, and the importer."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotator import api
from annotator.core.errors import InputError
from annotator.core.model import AnnotationSet, Problem, Record, Span
from annotator.core.scheme import Scheme
from annotator.formats import brat, registry
from annotator.formats.brat_conf import read_scheme
from annotator.formats.brat_conf_writer import conf_text

from .items import read_records, to_items

NEWS_FILES = 13
ESP_FILES = 10


# -- helpers -------------------------------------------------------------------
def canonical_lines(ann: Path) -> Counter:
    """The lines of an .ann file with every id but event ids replaced by what
    it names, so files that differ only in numbering compare equal."""
    rows = [line.rstrip("\n").split("\t") for line in ann.read_text(encoding="utf-8").splitlines() if line.strip()]
    names: dict[str, str] = {}
    for row in rows:
        if row[0].startswith("T"):
            names[row[0]] = f"[{row[1]}]"

    def name(ref: str) -> str:
        return names.get(ref, ref)

    def args(body: str) -> str:
        return " ".join(f"{role}:{name(ref)}" for role, _, ref in (a.partition(":") for a in body.split()))

    for row in rows:
        if row[0].startswith("R"):
            kind, rest = row[1].split(" ", 1)
            names[row[0]] = f"[{kind} {args(rest)}]"
    out: Counter = Counter()
    for row in rows:
        ident, body, tail = row[0], row[1], row[2:]
        head = ident[0]
        if head == "T":
            out[("T", body, *tail)] += 1
        elif head == "E":
            out[("E", ident, args(body))] += 1
        elif head == "R":
            out[("R", names[ident], *tail)] += 1
        elif head == "*":
            kind, *members = body.split()
            out[("*", kind, *map(name, members))] += 1
        else:
            kind, target, *value = body.split(" ")
            out[(head, kind, name(target), *value, *tail)] += 1
    return out


def span_key(span) -> tuple:
    return (span.start, span.end, span.label, span.fragments, repr(sorted(span.attrs.items())))


def annotation_keys(record: Record) -> tuple[list, list]:
    """Spans and relations of a record's one set, independent of ids."""
    (data,) = record.sets
    spans = {s.id: span_key(s) for s in data.spans}
    relations = sorted(
        (spans[r.head], spans[r.child], r.label, repr(sorted(r.attrs.items()))) for r in data.relations
    )
    return sorted(spans.values()), relations


def by_name(records: list[Record]) -> dict[str, Record]:
    return {r.meta["filename"]: r for r in records}


# -- reading the corpora -------------------------------------------------------
def test_news_counts_match_the_readme(corpora):
    records = read_records("brat", corpora / "brat" / "news")
    assert len(records) == NEWS_FILES
    assert all(len(r.sets) == 1 for r in records)
    spans = [s for r in records for s in r.sets[0].spans]
    relations = [rel for r in records for rel in r.sets[0].relations]
    events = [e for s in spans for e in s.attrs.get("events", {}).values()]
    targets = [s.attrs for s in spans] + events + [rel.attrs for rel in relations]
    assert len(spans) == 119
    assert len(events) == 23
    assert sum(1 for rel in relations if not rel.attrs.get("brat")) == 8
    assert sum(len(t.get("attributes", {})) for t in targets) == 11
    assert sum(len(t.get("norms", [])) for t in targets) == 1
    assert sum(len(t.get("notes", [])) for t in targets) == 4
    assert len({(r.meta["filename"], rel.attrs["group"]) for r in records for rel in r.sets[0].relations
                if rel.attrs.get("brat") == "*"}) == 2
    assert Counter(rel.attrs.get("brat", "R") for rel in relations) == {"E": 52, "R": 8, "*": 3}
    assert Counter(s.label for s in spans) == {
        "Organization": 56, "Person": 27, "Merge-org": 14, "GPE": 12, "Report": 8, "Transfer-money": 1, "Money": 1,
    }


def test_news_events_attributes_notes_and_equivalences(corpora):
    records = by_name(read_records("brat", corpora / "brat" / "news"))
    note = records["110-note_annotation.txt"]
    spans = {s.id: s for s in note.sets[0].spans}
    trigger = next(s for s in spans.values() if s.label == "Merge-org" and s.start == 495)
    assert (trigger.start, trigger.end, note.text[trigger.start : trigger.end]) == (495, 501, "merged")
    assert trigger.attrs == {"events": {"E1": {"notes": [{
        "type": "AnnotatorNotes",
        "text": "Annotate as one merge event with three participants or two events with two participants each?",
    }]}}}
    roles = [(r.label, note.text[spans[r.child].start : spans[r.child].end], r.attrs)
             for r in note.sets[0].relations if r.head == trigger.id]
    assert roles == [
        ("Org-Arg", "YouTube", {"brat": "E", "event": "E1"}),
        # the conf says Merge-org takes Org-Arg+: brat's numbered repeats are that one role
        ("Org-Arg", "DoubleClick", {"brat": "E", "event": "E1"}),
        ("Org-Arg", "Google", {"brat": "E", "event": "E1"}),
    ]
    family = next(r for r in note.sets[0].relations if r.label == "Family")
    assert family.attrs == {"notes": [{"type": "AnnotatorNotes", "text": "Should this be marked? It's not explicitly stated."}]}
    discworld = spans[1]
    assert (discworld.start, discworld.end, discworld.label) == (412, 421, "GPE")
    assert discworld.attrs["notes"][0]["text"] == "Should fictional places be annotated?"

    complete = by_name(read_records("brat", corpora / "brat" / "news"))["090-event_structures.txt"]
    cspans = {s.id: s for s in complete.sets[0].spans}
    # E2 "Report:T5 Reporter-Arg:T4 Event-Arg:E1": the event argument is E1's trigger
    report = [r for r in complete.sets[0].relations if r.attrs.get("event") == "E2"]
    assert [(r.label, complete.text[cspans[r.child].start : cspans[r.child].end], r.attrs.get("child_event"))
            for r in report] == [("Reporter-Arg", "Wikinews", None), ("Event-Arg", "merged", "E1")]

    attrs = records["100-attribute_annotation.txt"]
    triggers = {k: v for s in attrs.sets[0].spans for k, v in s.attrs.get("events", {}).items()}
    assert triggers["E1"] == {"attributes": {"Confidence": "Neutral"}}
    assert [s.attrs for s in attrs.sets[0].spans if s.id == 1] == [{"attributes": {"Individual": True}}]

    intro = records["000-introduction.txt"]
    ispans = {s.id: s for s in intro.sets[0].spans}
    norm = next(s for s in ispans.values() if "norms" in s.attrs)
    assert norm.attrs == {
        "attributes": {"Mention": "Nominal", "Individual": True},
        "norms": [{"type": "Reference", "ref": "Wikipedia:64488", "text": "Carlos Salinas de Gortari"}],
    }
    relation_lines = [(r.label, r.attrs) for r in records["060-relation_annotation.txt"].sets[0].relations]
    assert ("Alias", {"brat": "*", "group": 1}) in relation_lines


def test_spanish_corpus_counts_and_non_ascii_offsets(corpora):
    records = by_name(read_records("brat", corpora / "brat" / "conll2002_esp"))
    assert len(records) == ESP_FILES
    spans = [s for r in records.values() for s in r.sets[0].spans]
    assert len(spans) == 540
    assert Counter(s.label for s in spans) == {"ORG": 200, "PER": 178, "LOC": 100, "MISC": 62}
    assert all(r.tokens is None for r in records.values())
    doc = records["esp.train-doc-100.txt"]
    first = doc.sets[0].spans[0]
    assert (first.start, first.end, first.label, doc.text[first.start : first.end]) == (4, 17, "PER", "Viruca Atanes")
    # offsets count characters, not bytes: "undécima edición" comes before this span
    misc = doc.sets[0].spans[3]
    assert (misc.start, misc.end, doc.text[misc.start : misc.end]) == (68, 80, "Liga Mundial")
    assert len(doc.text[:68].encode("utf-8")) == 70


# -- writing -------------------------------------------------------------------
@pytest.mark.parametrize("folder", ["news", "conll2002_esp"])
def test_round_trip_keeps_spans_relations_and_attrs(corpora, tmp_path, folder):
    records = read_records("brat", corpora / "brat" / folder)
    report = brat.write(to_items(records), tmp_path / "out")
    assert report.lost == {}
    assert report.documents == len(records)
    again = read_records("brat", tmp_path / "out")
    assert [r.text for r in again] == [r.text for r in records]
    assert [r.meta for r in again] == [r.meta for r in records]
    assert [annotation_keys(r) for r in again] == [annotation_keys(r) for r in records]


@pytest.mark.parametrize("folder", ["news", "conll2002_esp"])
def test_written_ann_files_hold_the_original_lines(corpora, tmp_path, folder):
    source = corpora / "brat" / folder
    brat.write(to_items(read_records("brat", source)), tmp_path / "out")
    anns = sorted(source.glob("*.ann"))
    assert len(anns) == (NEWS_FILES if folder == "news" else ESP_FILES)
    for ann in anns:
        assert canonical_lines(tmp_path / "out" / ann.name) == canonical_lines(ann), ann.name
        assert (tmp_path / "out" / ann.with_suffix(".txt").name).read_bytes() == ann.with_suffix(".txt").read_bytes()


def test_discontinuous_and_non_ascii_spans(tmp_path):
    text = "Café Noir 🎉 abrió en 東京駅 y\nen São Paulo con Ünïcode."
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    cafe, tokyo, sao = text.index("Café"), text.index("東京駅"), text.index("São")
    lines = [
        f"T1\tORG {cafe} {cafe + 4};{cafe + 5} {cafe + 9}\tCafé Noir",
        f"T2\tLOC {tokyo} {tokyo + 3}\t東京駅",
        f"T3\tLOC {sao} {sao + 9}\tSão Paulo",
        f"T4\tORG {cafe} {cafe + 4};{tokyo} {tokyo + 2}\tCafé 東京",
        "T5\tMISC 25 29\ty en",  # the line break inside the span is written as a space
        "R1\tLocated Arg1:T1 Arg2:T2\t",
        "A1\tMention T2 Name",
        "#1\tAnnotatorNotes T3\tcontains a line break? no",
    ]
    (folder / "doc.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (record,) = read_records("brat", folder)
    spans = {s.id: s for s in record.sets[0].spans}
    assert (spans[1].start, spans[1].end, spans[1].fragments) == (0, 9, ((0, 4), (5, 9)))
    assert [(s.start, s.end, s.fragments) for s in (spans[2], spans[3], spans[4])] == [
        (21, 24, ()), (30, 39, ()), (0, 23, ((0, 4), (21, 23))),
    ]
    assert text[21:24] == "東京駅" and text[30:39] == "São Paulo"  # the emoji is one character
    brat.write(to_items([record]), tmp_path / "out")
    assert canonical_lines(tmp_path / "out" / "doc.ann") == canonical_lines(folder / "doc.ann")
    assert "\tORG 0 4;21 23\tCafé 東京\n" in (tmp_path / "out" / "doc.ann").read_text(encoding="utf-8")
    assert "\tMISC 25 29\ty en\n" in (tmp_path / "out" / "doc.ann").read_text(encoding="utf-8")


def test_a_byte_order_mark_is_character_0_as_in_brat_and_offsets_that_miss_it_say_so(tmp_path):
    # brat keeps a .txt's byte-order mark as a character; offsets counted
    # without it got "offsets 0 4 are empty or outside the text (19 characters)".
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Acme Corp invests.\n", encoding="utf-8-sig")
    (folder / "a.ann").write_text("T1\tORG 1 5\tAcme\n", encoding="utf-8")
    (record,) = read_records("brat", folder)
    assert [(s.start, s.end, s.label) for s in record.sets[0].spans] == [(0, 4, "ORG")]
    (folder / "a.ann").write_text("T1\tORG 0 4\tAcme\n", encoding="utf-8")
    (problem,) = list(registry.get("brat").reader(folder))
    assert (problem.source, problem.reason) == (
        f"{folder / 'a.ann'}:1",
        "offsets 0 4 are empty or outside the text (20 characters); the .txt starts with a byte-order mark,"
        " which brat counts as character 0: remove the mark or count it in the offsets",
    )


def test_event_ids_kept_and_unmarked_relations_written_as_r_lines(corpora, tmp_path):
    (record,) = [r for r in read_records("brat", corpora / "brat" / "news")
                 if r.meta["filename"] == "090-event_structures.txt"]
    brat.write(to_items([record]), tmp_path / "out")
    lines = (tmp_path / "out" / "090-event_structures.ann").read_text(encoding="utf-8").splitlines()
    events = {line.split("\t")[0]: line.split("\t")[1].split() for line in lines if line.startswith("E")}
    assert sorted(events) == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert events["E2"][1:] == ["Reporter-Arg:T1", "Event-Arg:E1"]
    assert events["E3"][2:] == ["Event-Arg:E4"]
    assert events["E4"][1] == "Event-Arg:E5"


# -- annotation.conf -----------------------------------------------------------
def test_read_scheme_from_annotation_conf(corpora):
    scheme = read_scheme(corpora / "brat" / "news")
    assert scheme.label_names == (
        "Person", "Organization", "GPE", "Money", "Be-born", "Marry", "Divorce", "Die",
        "Transfer-ownership", "Transfer-money", "Start-org", "Merge-org", "End-org", "Report",
    )
    assert [l.name for l in scheme.labels if l.trigger][:2] == ["Be-born", "Marry"]
    assert scheme.label("Person").color == "#ff821c"
    assert scheme.relation("Located").head == ("Person",) and scheme.relation("Located").child == ("GPE",)
    assert scheme.relation("Alias").symmetric is True
    assert scheme.relation("Org-Arg").head == ("Start-org", "Merge-org", "End-org")
    # counts are kept as numbers: Org-Arg+ repeats without limit, Person-Arg{2} twice
    assert [r for r in scheme.relation_names if r.startswith("Org-Arg")] == ["Org-Arg"]
    assert (scheme.relation("Org-Arg").max_count, scheme.relation("Person-Arg").max_count) == (None, 2)
    assert scheme.relation("Org-Arg7").name == "Org-Arg"
    assert scheme.relation("Person-Arg2").name == "Person-Arg" and scheme.relation("Person-Arg3") is None
    assert scheme.relation("Agent-Arg").child == ("Person", "Organization", "GPE")
    assert scheme.relation("Event-Arg").child == (
        "Be-born", "Marry", "Divorce", "Die", "Transfer-ownership", "Transfer-money",
        "Start-org", "Merge-org", "End-org", "Report",
    )
    assert read_scheme(corpora / "brat" / "conll2002_esp") is None
    assert registry.get("brat").read_scheme is read_scheme


def test_written_conf_reads_back_as_the_same_scheme(corpora, tmp_path):
    scheme = read_scheme(corpora / "brat" / "news")
    (tmp_path / "annotation.conf").write_text(conf_text(scheme), encoding="utf-8")
    again = read_scheme(tmp_path)
    assert [(l.name, l.trigger) for l in again.labels] == [(l.name, l.trigger) for l in scheme.labels]
    for rel in scheme.relations:
        back = again.relation(rel.name)
        assert (set(back.head), set(back.child), back.symmetric) == (set(rel.head), set(rel.child), rel.symmetric)


def test_conf_types_no_section_declares_are_accepted_as_brat_accepts_them(tmp_path):
    (tmp_path / "annotation.conf").write_text("[entities]\nPerson\n[relations]\nKnows Arg1:Person, Arg2:Robot\n")
    scheme = read_scheme(tmp_path)
    assert scheme.label_names == ("Person", "Robot")
    assert (scheme.relation("Knows").head, scheme.relation("Knows").child) == (("Person",), ("Robot",))


# -- through the project -------------------------------------------------------
def test_import_and_export_through_the_api(corpora, make_project, tmp_path):
    project = make_project(scheme=Scheme.from_labels(["Person"]))
    report = api.import_files(project, [corpora / "brat" / "news"], format="brat", preannotate="none", add_labels=True)
    assert (report.documents_added, report.spans, report.relations) == (13, 119, 63)
    # --add-labels takes the folder's annotation.conf: every type it defines, with its constraints
    assert sorted(report.labels_added) == [
        "Be-born", "Die", "Divorce", "End-org", "GPE", "Marry", "Merge-org", "Money", "Organization",
        "Report", "Start-org", "Transfer-money", "Transfer-ownership",
    ]
    located = project.scheme.relation("Located")
    assert (located.head, located.child) == (("Person",), ("GPE",))
    written = api.export(project, tmp_path / "out", format="brat")["all"]
    assert (written.documents, written.spans, written.relations, written.lost) == (13, 119, 63, {})
    for ann in sorted((corpora / "brat" / "news").glob("*.ann")):
        assert canonical_lines(tmp_path / "out" / ann.name) == canonical_lines(ann), ann.name
    conf = read_scheme(tmp_path / "out")
    assert {l.name for l in conf.labels if l.trigger} == {
        "Be-born", "Die", "Divorce", "End-org", "Marry", "Merge-org", "Report", "Start-org",
        "Transfer-money", "Transfer-ownership",
    }
    assert conf.relation("Org-Arg").head == ("Start-org", "Merge-org", "End-org")

    split = api.export(project, tmp_path / "split", format="brat", split=0.25, seed=1)
    assert {name: r.documents for name, r in split.items()} == {"train": 10, "dev": 3}
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == ["dev", "train"]
    assert (tmp_path / "split" / "dev" / "annotation.conf").is_file()

    again = make_project("again.annotator", scheme=conf)
    api.import_files(again, [tmp_path / "out"], format="brat", preannotate="none")
    assert again.stats()["spans"] == project.stats()["spans"]
    assert again.stats()["relations"] == project.stats()["relations"]


def test_import_with_the_corpus_scheme_needs_no_new_labels(corpora, make_project):
    project = make_project(scheme=read_scheme(corpora / "brat" / "news"))
    report = api.import_files(project, [corpora / "brat" / "news"], preannotate="none")
    assert (report.spans, report.relations, report.labels_added, report.relation_types_added) == (119, 63, [], [])
    stored = [aset for _, aset in project.iter_sets()]
    events = sum(len(s.attrs.get("events", {})) for aset in stored for s in aset.spans.values())
    assert events == 23


def test_spans_inside_tokens_split_the_tokens(tmp_path, make_project):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("GoogleYouTube merged.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tORG 0 6\tGoogle\nT2\tORG 6 13\tYouTube\n", encoding="utf-8")
    project = make_project()
    api.import_files(project, [folder], format="brat", preannotate="none", add_labels=True)
    document = project.document(1)
    assert [document.text[t.start : t.end] for t in document.tokens] == ["Google", "YouTube", "merged", "."]
    assert [t.ws for t in document.tokens] == [False, True, False, False]


BAD_LINES = [
    ("T1\tORG 0 6\tGoogle\nT2\tORG 50 60\tnothing\n", 2, "outside the text"),
    ("T1\tORG 0 6\tGoogle\nT2\tORG 7 14\tYoutube\n", 2, "'YouTube'"),
    ("T1\tORG 0 6\tGoogle\nR1\tOwns Arg1:T1 Arg2:T9\t\n", 2, "T9 is not the id"),
    ("T1\tORG 0 6\tGoogle\nE1\tMerge:T7 Org-Arg:T1\n", 2, "trigger T7"),
    ("T1\tORG 0 6\tGoogle\nA1\tIndividual T3\n", 2, "T3 is not the id"),
    ("T1\tORG 0 six\tGoogle\n", 1, "cannot read the offsets"),
    ("T1\tORG 0 6\tGoogle\nX1\tsomething\n", 2, "unknown annotation line"),
    ("T1\tORG 0 6\tGoogle\nT1\tORG 7 14\tYouTube\n", 2, "used twice"),
]


@pytest.mark.parametrize("ann, line, reason", BAD_LINES)
def test_corrupt_ann_names_file_and_line_and_leaves_the_project_unchanged(tmp_path, make_project, ann, line, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Google YouTube merged.", encoding="utf-8")
    (folder / "b.txt").write_text("Fine text.", encoding="utf-8")
    (folder / "b.ann").write_text("T1\tORG 0 4\tFine\n", encoding="utf-8")
    (folder / "a.ann").write_text(ann, encoding="utf-8")
    (problem,) = [item for item in brat.read(folder) if isinstance(item, Problem)]
    assert problem.source == f"{folder / 'a.ann'}:{line}"
    assert reason in problem.reason
    project = make_project()
    with pytest.raises(InputError) as info:
        api.import_files(project, [folder], format="brat", preannotate="none", add_labels=True)
    assert info.value.source == f"{folder / 'a.ann'}:{line}"
    assert project.stats()["documents"] == 0


def test_detects_folders_and_ann_files(corpora):
    assert registry.detect(corpora / "brat" / "news").name == "brat"
    assert registry.detect(corpora / "brat" / "news" / "000-introduction.ann").name == "brat"
    (record,) = list(brat.read(corpora / "brat" / "news" / "100-attribute_annotation.ann"))
    assert len(record.sets[0].spans) == 26


def test_span_starting_in_whitespace_is_trimmed_and_counted(tmp_path, make_project):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Google YouTube merged.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tORG 6 14\t YouTube\n", encoding="utf-8")
    project = make_project()
    report = api.import_files(project, [folder], format="brat", preannotate="none", add_labels=True)
    assert report.alignment.trimmed == 1
    (doc_id,) = project.document_ids()
    (span,) = project.annotation_set(doc_id, "import").spans.values()
    assert (span.start, span.end, span.label) == (7, 14, "ORG")


def test_two_sets_of_one_document_get_two_files(corpora, tmp_path):
    (record,) = list(brat.read(corpora / "brat" / "news" / "040-text_span_annotation.ann"))
    (document, aset), = to_items([record], default_owner="ann")
    other = AnnotationSet.build(document.id, "bob smith", [Span(1, 0, 4, "Thing", attrs={"score_note": "x"})])
    report = brat.write([(document, aset), (document, other)], tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "040-text_span_annotation-bob_smith.ann", "040-text_span_annotation-bob_smith.txt",
        "040-text_span_annotation.ann", "040-text_span_annotation.txt", "annotation.conf", "visual.conf",
    ]
    assert report.lost == {"span attributes brat cannot hold": 1}
    assert (tmp_path / "out" / "040-text_span_annotation-bob_smith.ann").read_text() == "T1\tThing 0 4\tText\n"
