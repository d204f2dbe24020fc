"""brat standoff: ``.txt`` texts with ``.ann`` annotation files beside them.

Reading (a folder, searched recursively, or one ``.ann``/``.txt`` file):

- ``T`` lines become spans; a discontinuous one (``T1 Label 0 5;10 15``) keeps
  its pieces in ``Span.fragments`` with ``start``/``end`` the outer bounds.
  The text the line records must equal the text at its offsets (pieces
  joined by a space, line breaks read as spaces).
- ``R`` lines become relations from ``Arg1`` to ``Arg2``.
- ``E`` lines: an event is its trigger span plus one relation per argument,
  from the trigger to the argument, labelled with the role exactly as written
  (``Org-Arg2`` stays ``Org-Arg2``), with attrs ``{"brat": "E", "event": "E1"}``;
  when an annotation.conf is beside the files and declares the role
  repeatable for that event type, a numbered repeat is read as its role
  (``Org-Arg2`` is an ``Org-Arg``), and the writer numbers repeats again.
  The trigger span lists its events in ``attrs["events"]`` (``{"E1": {...}}``,
  which holds the event's own attributes and notes), so an event without
  arguments survives too. An argument (or ``R`` argument) that is another
  event points to that event's trigger span, and ``child_event`` /
  ``head_event`` in the relation's attrs names the event.
- ``A``/``M`` attributes, ``N`` normalisations and ``#`` notes go into the
  attrs of the span, event or relation they are attached to, as
  ``{"attributes": {"Individual": true, "Mention": "Name"}, "norms":
  [{"type", "ref", "text"}], "notes": [{"type", "text"}]}``.
- ``*`` equivalences (``* Alias T1 T2 T3``) become relations of that type
  from the first member to each other one, with attrs ``{"brat": "*",
  "group": n}`` (``n`` counts the ``*`` lines of the file).

Offsets are Python string indices into the UTF-8 text, as brat counts them; a
byte-order mark at the start of the text counts as one character in the
offsets and is removed from the text. brat has no tokens: the importer's
alignment step (``core.alignment``) fits the spans to the project's tokens.
A line that cannot be read makes the whole
document a Problem naming the ``.ann`` file and line.

A ``.txt`` without an ``.ann`` is a document without annotations.

Writing is in ``brat_writer``. brat files carry no extension the exporter
could add, so a split export writes the folders ``train`` and ``dev``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..core.model import Problem, Record, Relation, SetData, Span
from .brat_conf import read_conf, read_scheme
from .brat_writer import field_text, write
from .registry import FormatSpec, iter_lines, register

_OFFSETS = re.compile(r"\s*(\d+)\s+(\d+)\s*")
_NUMBERED = re.compile(r"(.*\D)(\d+)")
# event type -> role -> how many times it may appear (None: no limit)
Roles = dict[str, dict[str, "int | None"]]


class _Corrupt(Exception):
    """A line of an .ann file that cannot be read."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


# -- reading -------------------------------------------------------------------
def read(path: Path) -> Iterator[Record | Problem]:
    """Records for a brat folder (every ``.txt``/``.ann`` pair below it) or one file."""
    if path.is_file() and path.suffix.lower() not in (".ann", ".txt"):
        yield Problem(str(path), "a brat file ends in .ann or .txt (or pass the folder)")
        return
    conf = read_conf(path)
    roles = {d.name: {a.role: a.high for a in d.arguments} for d in conf.sections["events"]} if conf else {}
    for txt, ann, name in _pairs(path):
        yield read_pair(txt, ann, name, roles=roles)


def _pairs(path: Path) -> Iterator[tuple[Path | None, Path | None, str]]:
    if not path.is_dir():
        stem = path.with_suffix("")
        txt, ann = stem.with_suffix(".txt"), stem.with_suffix(".ann")
        yield (txt if txt.is_file() else None), (ann if ann.is_file() else None), stem.name
        return
    found: dict[Path, dict[str, Path]] = {}
    for file in path.rglob("*"):
        if file.suffix in (".txt", ".ann") and file.is_file():
            found.setdefault(file.with_suffix(""), {})[file.suffix] = file
    for stem in sorted(found):
        yield found[stem].get(".txt"), found[stem].get(".ann"), stem.relative_to(path).as_posix()


def read_pair(txt: Path | None, ann: Path | None, name: str, *, roles: Roles | None = None) -> Record | Problem:
    """One document from its text file and (optional) annotation file."""
    if txt is None:
        return Problem(str(ann), f"no text file {Path(name).name}.txt beside it")
    data = txt.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(f"{txt}:{line}", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    shift = 1 if text.startswith("\ufeff") else 0
    text = text[shift:]
    if not text.strip():
        return Problem(str(txt), "empty text")
    record = Record(text=text, source=str(ann or txt), meta={"filename": f"{name}.txt"})
    if ann is not None:
        try:
            record.sets.append(parse_ann(ann, text, shift=shift, roles=roles))
        except _Corrupt as exc:
            return Problem(f"{ann}:{exc.line}", exc.reason)
    return record


@dataclass
class _Draft:
    """A span or relation being read, before its attrs are complete."""

    id: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)
    pieces: list[tuple[int, int]] = field(default_factory=list)
    head: int = 0
    child: int = 0


def parse_ann(ann: Path, text: str, *, shift: int = 0, roles: Roles | None = None) -> SetData:
    """The annotations of one ``.ann`` file over ``text``; ``_Corrupt`` names the bad line."""
    spans: dict[str, _Draft] = {}
    triggers: dict[str, str] = {}  # event id -> trigger T id
    later: list[tuple[int, str, list[str]]] = []  # lines that refer to other ids
    for number, line, error in iter_lines(ann):
        if error:
            raise _Corrupt(number, error)
        assert line is not None
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0].strip()
        if ident in spans or ident in triggers:
            raise _Corrupt(number, f"the id {ident} is used twice")
        if ident.startswith("T"):
            spans[ident] = _text_bound(line, number, text, shift, len(spans) + 1)
        elif ident.startswith("E"):
            items = fields[1].split() if len(fields) > 1 else []
            if not items or ":" not in items[0]:
                raise _Corrupt(number, "expected an event: E1<TAB>Type:T1 Role:T2 ...")
            triggers[ident] = items[0].partition(":")[2]
            later.append((number, "E", [ident] + items))
        elif ident[:1] in ("R", "A", "M", "N", "#", "*"):
            later.append((number, ident[:1], fields))
        else:
            raise _Corrupt(number, "unknown annotation line (brat lines start with T, R, E, A, M, N, # or *)")
    return _resolve(spans, triggers, later, roles or {})


def _text_bound(line: str, number: int, text: str, shift: int, sid: int) -> _Draft:
    fields = line.split("\t", 2)
    label, _, offsets = fields[1].partition(" ") if len(fields) > 1 else ("", "", "")
    if not label or not offsets:
        raise _Corrupt(number, "expected a text-bound annotation: T1<TAB>Label START END<TAB>text")
    pieces = []
    for piece in offsets.split(";"):
        match = _OFFSETS.fullmatch(piece)
        if match is None:
            raise _Corrupt(number, f"cannot read the offsets {offsets!r} (expected START END[;START END])")
        start, end = int(match[1]) - shift, int(match[2]) - shift
        if not 0 <= start < end <= len(text):
            bom = (
                "; the .txt starts with a byte-order mark, which brat counts as character 0:"
                " remove the mark or count it in the offsets"
                if shift and start == -1 and end > 0 else ""
            )
            raise _Corrupt(
                number,
                f"offsets {start + shift} {end + shift} are empty or outside the text ({len(text) + shift} characters){bom}",
            )
        pieces.append((start, end))
    if len(fields) > 2:
        expected = " ".join(text[s:e] for s, e in pieces)
        if fields[2] != expected and fields[2] != field_text(expected):
            raise _Corrupt(
                number, f"the line gives the text {fields[2]!r} but the text at {offsets} is {expected!r}"
            )
    return _Draft(sid, label, pieces=pieces)


def _role(role: str, event_type: str, roles: Roles) -> str:
    """A numbered repeat (``Theme2``) as its role when the conf lets the event repeat it."""
    declared = roles.get(event_type, {})
    numbered = _NUMBERED.fullmatch(role)
    if role in declared or numbered is None or numbered[1] not in declared:
        return role
    high = declared[numbered[1]]
    return numbered[1] if high is None or int(numbered[2]) <= high else role


def _resolve(spans: dict[str, _Draft], triggers: dict[str, str], later, roles: Roles) -> SetData:
    relations: list[_Draft] = []
    targets: dict[str, dict[str, Any]] = {}  # R id or E id -> the attrs dict its extras go to
    groups = 0

    def span_of(ref: str, number: int) -> _Draft:
        if ref in spans:
            return spans[ref]
        if ref in triggers and triggers[ref] in spans:
            return spans[triggers[ref]]
        raise _Corrupt(number, f"{ref} is not the id of a text-bound annotation or event in this file")

    def relate(head: _Draft, child: _Draft, label: str, attrs: dict[str, Any]) -> _Draft:
        rel = _Draft(len(relations) + 1, label, attrs, head=head.id, child=child.id)
        relations.append(rel)
        return rel

    for number, kind, fields in later:
        if kind == "E":
            eid, (etype, _, trigger), args = fields[0], fields[1].partition(":"), fields[2:]
            if trigger not in spans:
                raise _Corrupt(number, f"the trigger {trigger} of {eid} is not a text-bound annotation in this file")
            if spans[trigger].label != etype:
                raise _Corrupt(number, f"{eid} has type {etype} but its trigger {trigger} is a {spans[trigger].label}")
            targets[eid] = spans[trigger].attrs.setdefault("events", {}).setdefault(eid, {})
            for arg in args:
                role, sep, ref = arg.partition(":")
                if not sep or not role:
                    raise _Corrupt(number, f"cannot read the argument {arg!r} (expected Role:ID)")
                attrs = {"brat": "E", "event": eid, **({"child_event": ref} if ref in triggers else {})}
                relate(spans[trigger], span_of(ref, number), _role(role, etype, roles), attrs)
        elif kind == "R":
            items = fields[1].split() if len(fields) > 1 else []
            args = [item.partition(":") for item in items[1:]]
            if len(items) != 3 or any(not sep for _, sep, _ in args):
                raise _Corrupt(number, "expected a relation: R1<TAB>Type Arg1:T1 Arg2:T2")
            (role1, _, ref1), (role2, _, ref2) = args
            attrs: dict[str, Any] = {}
            if (role1, role2) != ("Arg1", "Arg2"):
                attrs["roles"] = [role1, role2]
            if ref1 in triggers:
                attrs["head_event"] = ref1
            if ref2 in triggers:
                attrs["child_event"] = ref2
            targets[fields[0].strip()] = relate(span_of(ref1, number), span_of(ref2, number), items[0], attrs).attrs
        elif kind == "*":
            items = fields[1].split() if len(fields) > 1 else []
            if len(items) < 3:
                raise _Corrupt(number, "expected an equivalence: *<TAB>Type T1 T2 ...")
            members = [spans.get(ref) for ref in items[1:]]
            missing = [ref for ref, m in zip(items[1:], members) if m is None]
            if missing:
                raise _Corrupt(number, f"{missing[0]} is not the id of a text-bound annotation in this file")
            groups += 1
            for member in members[1:]:
                relate(members[0], member, items[0], {"brat": "*", "group": groups})  # type: ignore[arg-type]
    for number, kind, fields in later:
        if kind in ("A", "M", "N", "#"):
            _attach(kind, fields, number, spans, targets)
    return SetData(
        spans=[
            Span(
                d.id, min(s for s, _ in d.pieces), max(e for _, e in d.pieces), d.label, "import",
                fragments=tuple(d.pieces) if len(d.pieces) > 1 else (), attrs=d.attrs,
            )
            for d in spans.values()
        ],
        relations=[Relation(r.id, r.head, r.child, r.label, "import", attrs=r.attrs) for r in relations],
    )


def _attach(kind: str, fields: list[str], number: int, spans: dict[str, _Draft], targets: dict) -> None:
    """Put an attribute, normalisation or note into its target's attrs."""
    items = fields[1].split() if len(fields) > 1 else []
    if len(items) < 2:
        raise _Corrupt(number, f"expected {kind}<n><TAB>Type TARGET ...")
    name, target = items[0], items[1]
    if target in spans:
        attrs = spans[target].attrs
    elif target in targets:
        attrs = targets[target]
    else:
        raise _Corrupt(number, f"{target} is not the id of an annotation in this file")
    note = fields[2] if len(fields) > 2 else ""
    if kind in ("A", "M"):
        attrs.setdefault("attributes", {})[name] = " ".join(items[2:]) or True
    elif kind == "N":
        if len(items) != 3 or ":" not in items[2]:
            raise _Corrupt(number, "expected a normalisation: N1<TAB>Type TARGET DB:ID<TAB>text")
        attrs.setdefault("norms", []).append({"type": name, "ref": items[2], "text": note})
    else:
        attrs.setdefault("notes", []).append({"type": name, "text": note})


def sniff(path: Path) -> bool:
    """An ``.ann`` file, or a folder with one somewhere below it."""
    if path.is_dir():
        return next(path.rglob("*.ann"), None) is not None
    return path.is_file() and path.suffix.lower() == ".ann"


register(
    FormatSpec(
        name="brat",
        description="brat standoff: a folder of .txt files with .ann annotations and annotation.conf",
        reader=read,
        writer=write,
        aliases=("ann", "standoff"),
        sniff=sniff,
        read_scheme=read_scheme,
        writes_folder=True,
        whole_folder=True,
    )
)
