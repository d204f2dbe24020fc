"""brat's annotation.conf as brat reads it: what it accepts, what it refuses, and writing it back."""
from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest

from annotator import api
from annotator.core.errors import SchemeError
from annotator.core.model import AnnotationSet, Document, Relation, Span, Token
from annotator.core.scheme import Scheme
from annotator.formats import brat_writer
from annotator.formats.brat_conf import parse, read_scheme
from annotator.formats.brat_conf_writer import conf_text

BIO_CONF = """\
# a conf written the way brat's own examples are
[spans]
Protein
Entity|Ent
!Abstract
\tChild-type
-----
Non-ASCII_é

[relations]
<ARG>=Protein|Entity
Equiv     Arg1:Protein, Arg2:Protein
Binds     Arg1:<ARG>, Arg2:<ARG>, <REL-TYPE>:symmetric
<OVERLAP> Arg1:Protein, Arg2:Entity, <OVL-TYPE>:contain|equal
Mentions  Arg1:<ANY>, Arg2:Undeclared

[events]
Binding     Theme+:Protein, Site*:Entity
Expression  Theme:Protein, Cause?:<ENTITY>|<EVENT>
Complex     Part{2}:Protein, Member{1-99999999}:Protein, Arg1:Protein, Arg2?:Entity
Regulation  Theme:<EVENT>, Cause?:<ANY>

[attributes]
Negation     Arg:<EVENT>
Confidence   Arg:<EVENT>, Value:High|Neutral|Low|Unknown
"""


def write_conf(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.conf").write_text(text, encoding="utf-8")
    return folder


def test_everything_brat_accepts_is_read(tmp_path):
    scheme = read_scheme(write_conf(tmp_path, BIO_CONF))
    assert scheme.label_names == (
        "Protein", "Entity", "Child-type", "Non-ASCII__", "Binding", "Expression", "Complex", "Regulation",
        "Undeclared",
    )
    assert [l.name for l in scheme.labels if l.trigger] == ["Binding", "Expression", "Complex", "Regulation"]
    rel = {r.name: (r.head, r.child, r.symmetric, r.max_count) for r in scheme.relations}
    events = ("Binding", "Expression", "Complex", "Regulation")
    assert rel == {
        "Theme": (("Binding", "Expression", "Regulation"), ("Protein",) + events, False, None),
        "Site": (("Binding",), ("Entity",), False, None),
        "Cause": (("Expression", "Regulation"), (), False, 1),
        "Part": (("Complex",), ("Protein",), False, 2),
        "Member": (("Complex",), ("Protein",), False, 99999999),
        "Arg1": (("Complex",), ("Protein",), False, 1),
        "Arg2": (("Complex",), ("Entity",), False, 1),
        "Equiv": ((("Protein",), ("Protein",), True, None)),
        "Binds": (("Protein", "Entity"), ("Protein", "Entity"), True, None),
        "Mentions": ((), ("Undeclared",), False, None),
    }
    # numbered repeats resolve to their role within its count, never beyond
    assert scheme.relation("Member12345").name == "Member"
    assert scheme.relation("Part2").name == "Part" and scheme.relation("Part3") is None
    assert scheme.brat_conf == BIO_CONF


def test_a_huge_range_is_kept_as_a_number(tmp_path):
    conf = "[entities]\nA\n[relations]\n[events]\nE Arg{1-99999999}:A, Other{99999999}:A\n[attributes]\n"
    tracemalloc.start()
    started = time.perf_counter()
    scheme = read_scheme(write_conf(tmp_path, conf))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scheme.relation("Arg").max_count == 99999999
    assert scheme.relation("Arg99999999").name == "Arg" and scheme.relation("Arg100000000") is None
    assert peak < 5_000_000 and seconds < 1


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Binding Theme", "cannot read the argument 'Theme'"),
        ("Binding Theme{0}:A", "Theme{0}: an argument cannot appear exactly 0 times"),
        ("Binding Theme{5-2}:A", "Theme{5-2}: the range is empty (5 > 2)"),
        ("Binding Theme{x}:A", "cannot read the count {x} of Theme"),
        ("Binding Arg1+:A", "Arg1+: an argument whose name ends in a digit cannot repeat"),
        ("Binding Arg2{2}:A", "Arg2{2}: an argument whose name ends in a digit cannot repeat"),
        ("Binding Theme:A, Theme?:A", "the argument Theme appears twice"),
        ("Binding Theme:A||A", "the argument Theme has an empty type"),
        ("Binding Theme:<PROTEIN>", "undefined macro <PROTEIN>"),
        ("<ENTITY>=A", "<ENTITY> is reserved"),
        ("\t\tDeep Theme:A", "Deep is indented but has no parent"),
        ("Binding Theme:A, <INHERIT>", "<INHERIT> on a type without a parent"),
        ("Binding Theme:A Site:A", "cannot read the argument 'Theme:A Site:A'"),
    ],
)
def test_what_brat_refuses_is_an_error_with_file_and_line(tmp_path, line, reason):
    folder = write_conf(tmp_path, f"[entities]\nA\n[relations]\n[events]\n{line}\n[attributes]\n")
    with pytest.raises(SchemeError) as info:
        read_scheme(folder)
    assert f"annotation.conf:5: {reason}" in str(info.value)


def test_macros_belong_to_their_section(tmp_path):
    folder = write_conf(tmp_path, "[entities]\nA\n[relations]\n<X>=A\n[events]\nE Theme:<X>\n")
    with pytest.raises(SchemeError, match=r"annotation.conf:6: undefined macro <X>"):
        read_scheme(folder)


def test_inherit_copies_the_parent_arguments_and_other_sections_are_ignored(tmp_path):
    conf = "[entities]\nA\nB\n[events]\n!Parent Theme:A\n\tKid <INHERIT>, Site?:B\n[options]\nTokens tokenizer:whitespace\n"
    scheme = read_scheme(write_conf(tmp_path, conf))
    assert [l.name for l in scheme.labels if l.trigger] == ["Kid"]
    assert scheme.relation("Theme").head == ("Kid",) and scheme.relation("Site").child == ("B",)


# -- brat's checks on an export -------------------------------------------------
def brat_problems(folder: Path) -> list[str]:
    """What brat's own checks say about an exported folder: every T type is
    declared, every E type is an event with declared roles (numbered repeats
    within their count), every R type is a relation, every trigger has an E."""
    conf = parse((folder / "annotation.conf").read_text(encoding="utf-8"), "annotation.conf")
    entities, events = set(conf.names("entities")), {d.name: d for d in conf.sections["events"]}
    relations = set(conf.names("relations"))
    problems = []
    for ann in sorted(folder.glob("*.ann")):
        triggers, with_event = {}, set()
        for line in ann.read_text(encoding="utf-8").splitlines():
            ident, body = line.split("\t")[:2]
            if ident[0] == "T":
                label = body.split(" ")[0]
                if label in events:
                    triggers[ident] = label
                elif label not in entities:
                    problems.append(f"{ann.name}: undeclared type {label}")
            elif ident[0] == "E":
                etype, _, trigger = body.split()[0].partition(":")
                with_event.add(trigger)
                roles = {a.role: a.high for a in events[etype].arguments} if etype in events else {}
                for arg in body.split()[1:]:
                    role = arg.partition(":")[0]
                    base = re.fullmatch(r"(.*\D)(\d+)", role)
                    ok = role in roles or (
                        base is not None and base[1] in roles and (roles[base[1]] is None or int(base[2]) <= roles[base[1]])
                    )
                    if not ok:
                        problems.append(f"{ann.name}: {etype} has no role {role}")
            elif ident[0] == "R" and body.split()[0] not in relations:
                problems.append(f"{ann.name}: undeclared relation type {body.split()[0]}")
        problems += [f"{ann.name}: trigger {t} without an event" for t in triggers if t not in with_event]
    return problems


def news_items() -> list[tuple[Document, AnnotationSet]]:
    text = "Foxconn and SoftBank invest $5 billion in Ohio."
    words = re.finditer(r"\w+|\$|\.", text)
    tokens = tuple(Token(m.start(), m.end(), text[m.end() : m.end() + 1] == " ") for m in words)
    spans = {
        1: Span(1, 0, 7, "ORG"), 2: Span(2, 12, 20, "ORG"), 3: Span(3, 21, 27, "INVESTMENT"),
        4: Span(4, 28, 38, "MONEY"), 5: Span(5, 42, 46, "GPE"),
    }
    relations = {
        1: Relation(1, 3, 1, "investor"), 2: Relation(2, 3, 2, "investor"),
        3: Relation(3, 3, 4, "amount"), 4: Relation(4, 3, 5, "location"),
    }
    document = Document(1, "h", text, tokens)
    return [(document, AnnotationSet(1, "ann", "done", spans=spans, relations=relations))]


def test_the_news_scheme_exports_events_that_pass_brats_checks(tmp_path):
    report = brat_writer.write(news_items(), tmp_path / "out", scheme=Scheme.default())
    assert brat_problems(tmp_path / "out") == []
    assert report.lost == {}
    lines = (tmp_path / "out" / "000001.ann").read_text(encoding="utf-8").splitlines()
    assert [l for l in lines if l.startswith(("E", "R"))] == ["E1\tINVESTMENT:T3 investor:T1 investor2:T2 amount:T4 location:T5"]
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert "INVESTMENT\tinvestor*:ORG|PERSON|GPE, amount*:MONEY, location*:GPE|LOC" in conf


def test_the_brat_news_corpus_exports_pass_brats_checks(corpora, make_project, tmp_path):
    project = make_project(scheme=read_scheme(corpora / "brat" / "news"))
    api.import_files(project, [corpora / "brat" / "news"], preannotate="none")
    api.export(project, tmp_path / "out", format="brat")
    assert brat_problems(tmp_path / "out") == []
    # the conf comes back as it was written: counts, macros, attribute values
    assert (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8") == (
        corpora / "brat" / "news" / "annotation.conf"
    ).read_text(encoding="utf-8")


def same_meaning(a: str, b: str) -> None:
    """Two confs define the same types with the same arguments, counts and options."""
    def meaning(text: str):
        conf = parse(text, "conf")
        return {
            s: sorted((d.name, d.abstract, sorted(map(repr, d.arguments)), sorted(d.options.items())) for d in defs)
            for s, defs in conf.sections.items()
        }
    assert meaning(a) == meaning(b)


def test_conf_scheme_conf_round_trip_keeps_the_meaning(tmp_path, make_project):
    scheme = read_scheme(write_conf(tmp_path / "in", BIO_CONF))
    project = make_project(scheme=scheme)  # stored in the project file and read back
    out = tmp_path / "out"
    api.export(project, out, format="brat", status="all")
    assert (out / "annotation.conf").read_text(encoding="utf-8") == BIO_CONF
    # labels added to the project later are added to their sections, nothing else changes
    project.set_scheme(project.scheme.with_labels(["Gene"]))
    api.export(project, tmp_path / "out2", format="brat", status="all")
    written = (tmp_path / "out2" / "annotation.conf").read_text(encoding="utf-8")
    assert written.splitlines()[:9] == BIO_CONF.splitlines()[:8] + ["Gene"]
    same_meaning(written, BIO_CONF.replace("Non-ASCII_é\n", "Non-ASCII_é\nGene\n"))
    again = read_scheme(tmp_path / "out2")
    assert again.relation_names == scheme.relation_names
    assert [(r.head, r.child, r.max_count) for r in again.relations] == [
        (r.head, r.child, r.max_count) for r in scheme.relations
    ]


def test_conf_from_a_plain_scheme_reads_back_as_the_same_scheme(tmp_path):
    scheme = Scheme.default()
    (tmp_path / "annotation.conf").write_text(conf_text(scheme), encoding="utf-8")
    again = read_scheme(tmp_path)
    assert [(l.name, l.trigger) for l in again.labels] == [(l.name, l.trigger) for l in scheme.labels]
    for rel in scheme.relations:
        back = again.relation(rel.name)
        assert (back.head, back.child, back.symmetric, back.max_count) == (rel.head, rel.child, rel.symmetric, rel.max_count)


def test_the_news_scheme_export_reads_back_with_its_own_role_names(tmp_path, make_project):
    brat_writer.write(news_items(), tmp_path / "out", scheme=Scheme.default())
    project = make_project()
    api.import_files(project, [tmp_path / "out"], preannotate="none")
    (_, aset), = project.iter_sets()
    assert sorted(r.label for r in aset.relations.values()) == ["amount", "investor", "investor", "location"]
    assert [s.attrs for s in aset.sorted_spans()][2] == {"events": {"E1": {}}}


def test_without_a_conf_numbered_roles_stay_as_written(tmp_path):
    from annotator.formats.brat import read

    (tmp_path / "a.txt").write_text("A met B.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tMeet 2 5\tmet\nT2\tP 0 1\tA\nT3\tP 6 7\tB\nE1\tMeet:T1 Who:T2 Who2:T3\n", encoding="utf-8")
    (record,) = read(tmp_path)
    assert [r.label for r in record.sets[0].relations] == ["Who", "Who2"]


def test_a_role_an_event_type_lacks_in_the_conf_is_added_to_its_line(tmp_path):
    scheme = read_scheme(write_conf(tmp_path / "in", BIO_CONF))
    text = "P binds E."
    tokens = (Token(0, 1), Token(2, 7), Token(8, 9, False), Token(9, 10, False))
    spans = {1: Span(1, 0, 1, "Protein"), 2: Span(2, 2, 7, "Binding"), 3: Span(3, 8, 9, "Entity")}
    relations = {1: Relation(1, 2, 1, "Theme"), 2: Relation(2, 2, 3, "Cause")}
    aset = AnnotationSet(1, "ann", "done", spans=spans, relations=relations)
    brat_writer.write([(Document(1, "h", text, tokens), aset)], tmp_path / "out", scheme=scheme)
    assert brat_problems(tmp_path / "out") == []
    written = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert written == BIO_CONF.replace(
        "Binding     Theme+:Protein, Site*:Entity", "Binding     Theme+:Protein, Site*:Entity, Cause*:Entity"
    )


def test_old_confs_with_spaces_in_names_before_a_tab_are_read_as_brat_reads_them(tmp_path):
    scheme = read_scheme(write_conf(tmp_path, "[entities]\nGene\n[events]\nBe born\tPerson-Arg:Gene, Place-Arg?:Gene\n"))
    assert scheme.label_names == ("Gene", "Be_born")
    assert scheme.relation("Person-Arg").head == ("Be_born",)
