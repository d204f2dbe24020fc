"""Writing brat standoff: a folder of ``.txt``/``.ann`` pairs with annotation.conf.

The mapping of spans, relations and attrs to brat lines is the reverse of the
reader's (see ``annotator.formats.brat``). Each (document, set) becomes
``<name>.txt`` and ``<name>.ann``, where the name is the file the document was
read from (``meta["filename"]``), else its id; a second set for the same
document adds ``-<owner>``. Span ids are numbered in reading order, event ids
are kept when they are ``E<n>``. ``annotation.conf`` and ``visual.conf``
declare the scheme's types plus every label, trigger, relation type and
attribute the annotations use; a scheme read from an annotation.conf writes
that conf back (see ``brat_conf_writer``).

A span whose label is a trigger gets an ``E`` line even when no file gave it
one, and relations from a trigger of a role type (the scheme's own trigger
roles, such as ``investor`` from ``INVESTMENT``) are written as its
arguments; repeats of a role are numbered as brat numbers them (``investor``,
``investor2``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.model import AnnotationSet, Document, Relation, Span
from ..core.scheme import Scheme
from .brat_conf import CONF, VISUAL, parse
from .brat_conf_writer import Used, conf_text, event_roles, extended_conf, visual_text
from .losses import count_scores, count_suggestions
from .registry import Items, WriteReport

_EVENT_ID = re.compile(r"E([1-9]\d*)")
SPAN_KEYS = {"attributes", "notes", "norms", "events"}
RELATION_KEYS = {"attributes", "notes", "norms", "brat", "event", "group", "roles", "head_event", "child_event"}


def field_text(value: str) -> str:
    """Text as one .ann field: line breaks and tabs read as spaces."""
    return value.replace("\r", " ").replace("\n", " ").replace("\t", " ")


@dataclass(frozen=True)
class _Events:
    """Which labels are triggers and which relation types are event roles."""

    triggers: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    scheme: Scheme | None = None

    def role(self, label: str) -> str:
        """The role a relation label names (``Theme2`` -> ``Theme``)."""
        rtype = self.scheme.relation(label) if self.scheme is not None else None
        return rtype.name if rtype is not None else label


def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    """Write each (document, set) as ``<name>.txt`` + ``<name>.ann`` in the folder
    ``out``, then ``annotation.conf`` and ``visual.conf``."""
    out.mkdir(parents=True, exist_ok=True)
    report = WriteReport()
    used = Used()
    conf = parse(scheme.brat_conf, f"{scheme.name} (brat_conf)") if scheme is not None and scheme.brat_conf else None
    events = _Events(
        frozenset(l.name for l in scheme.labels if l.trigger) if scheme else frozenset(),
        frozenset(event_roles(scheme, conf)) if scheme else frozenset(),
        scheme,
    )
    names: set[str] = set()
    for document, aset in items:
        stem = _stem(document, aset, names)
        txt, ann = out / f"{stem}.txt", out / f"{stem}.ann"
        txt.parent.mkdir(parents=True, exist_ok=True)
        txt.write_bytes(document.text.encode("utf-8"))
        lines = ann_lines(document.text, aset, report=report, used=used, events=events)
        ann.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
        report.files += [txt, ann]
        report.documents += 1
    if conf is not None:
        text = extended_conf(conf, scheme, used)
        conf_scheme = scheme
    else:
        conf_scheme = _conf_scheme(scheme, used)
        text = conf_text(conf_scheme, used) if conf_scheme is not None else "[entities]\n\n[relations]\n\n[events]\n\n[attributes]\n"
    (out / CONF).write_text(text, encoding="utf-8")
    report.files.append(out / CONF)
    if conf_scheme is not None:
        (out / VISUAL).write_text(visual_text(conf_scheme), encoding="utf-8")
        report.files.append(out / VISUAL)
    return report


def _stem(document: Document, aset: AnnotationSet, used: set[str]) -> str:
    name = str(document.meta.get("filename") or "")
    path = PurePosixPath(name)
    if name.endswith(".txt") and not path.is_absolute() and ".." not in path.parts and path.stem:
        stem = name[: -len(".txt")]
    else:
        stem = f"{document.id:06d}"
    if stem in used:
        stem = f"{stem}-{re.sub(r'[^0-9A-Za-z_.-]+', '_', aset.owner)}"
    base, n = stem, 2
    while stem in used:
        stem, n = f"{base}-{n}", n + 1
    used.add(stem)
    return stem


@dataclass
class _EventOut:
    trigger: Span
    attrs: dict[str, Any]
    args: list[Relation] = field(default_factory=list)


def ann_lines(
    text: str, aset: AnnotationSet, *, report: WriteReport, used: Used, events: _Events = _Events()
) -> list[str]:
    """The ``.ann`` lines for one set over ``text``: T, E, R, ``*``, then A, N, #."""
    plan = events
    spans = aset.sorted_spans()
    tids = {s.id: f"T{i}" for i, s in enumerate(spans, start=1)}
    lines = []
    for span in spans:
        offsets = ";".join(f"{s} {e}" for s, e in span.pieces())
        lines.append(f"{tids[span.id]}\t{span.label} {offsets}\t{field_text(' '.join(text[s:e] for s, e in span.pieces()))}")
        used.labels[span.label] = None
        report.lose("span attributes brat cannot hold", int(bool(set(span.attrs) - SPAN_KEYS)))
    report.spans += len(spans)
    count_scores(report, aset, "brat")
    count_suggestions(report, aset, "brat", owner_kept=False)
    events: dict[str, _EventOut] = {}
    first_event: dict[int, str] = {}  # trigger span id -> the event its role relations join
    for span in spans:
        for key, attrs in (span.attrs.get("events") or {}).items():
            events.setdefault(str(key), _EventOut(span, dict(attrs or {})))
            first_event.setdefault(span.id, str(key))
        if span.label in plan.triggers and span.id not in first_event:
            first_event[span.id] = f"trigger {span.id}"
            events[first_event[span.id]] = _EventOut(span, {})
    plain: list[Relation] = []
    equivalences: dict[tuple[str, Any], list[int]] = {}
    for rel in aset.sorted_relations():
        if rel.head not in aset.spans or rel.child not in aset.spans:
            report.lose("relations to missing spans")
            continue
        kind = rel.attrs.get("brat")
        if kind == "E":
            event = events.setdefault(str(rel.attrs.get("event")), _EventOut(aset.spans[rel.head], {}))
            if event.trigger.id == rel.head:
                event.args.append(rel)
                report.lose("attributes of event arguments", int(bool({"attributes", "notes", "norms"} & set(rel.attrs))))
                continue
        elif (
            kind is None
            and rel.head in first_event
            and plan.role(rel.label) in plan.roles
            and not {"roles", "head_event"} & set(rel.attrs)
        ):
            events[first_event[rel.head]].args.append(rel)
            continue
        elif kind == "*":
            members = equivalences.setdefault((rel.label, rel.attrs.get("group")), [])
            members += [m for m in (rel.head, rel.child) if m not in members]
            continue
        plain.append(rel)
        report.lose("relation attributes brat cannot hold", int(bool(set(rel.attrs) - RELATION_KEYS)))
    eids = _event_ids(events)

    def ref(span_id: int, event: Any) -> str:
        if event in events and events[event].trigger.id == span_id:
            return eids[event]
        return tids[span_id]

    extras: list[tuple[str, str, Any]] = []  # (id written, target kind, attrs)
    for key, event in events.items():
        trigger = event.trigger
        counts: dict[str, int] = {}
        args = ""
        for rel in event.args:
            role = plan.role(rel.label)
            counts[role] = counts.get(role, 0) + 1
            name = role if counts[role] == 1 else f"{role}{counts[role]}"
            args += f" {name}:{ref(rel.child, rel.attrs.get('child_event'))}"
            used.relation(role, trigger.label, aset.spans[rel.child].label)
            used.roles.add(role)
        lines.append(f"{eids[key]}\t{trigger.label}:{tids[trigger.id]}{args}")
        used.triggers.add(trigger.label)
        extras.append((eids[key], "<EVENT>", event.attrs))
    for i, rel in enumerate(plain, start=1):
        role1, role2 = rel.attrs.get("roles") or ("Arg1", "Arg2")
        head, child = ref(rel.head, rel.attrs.get("head_event")), ref(rel.child, rel.attrs.get("child_event"))
        lines.append(f"R{i}\t{rel.label} {role1}:{head} {role2}:{child}\t")
        used.relation(rel.label, aset.spans[rel.head].label, aset.spans[rel.child].label)
        extras.append((f"R{i}", "<RELATION>", rel.attrs))
    for (label, _), members in equivalences.items():
        lines.append(f"*\t{label} {' '.join(tids[m] for m in members)}")
        used.equivalences.add(label)
        for member in members[1:]:
            used.relation(label, aset.spans[members[0]].label, aset.spans[member].label)
    report.relations += len(aset.relations)
    extras = [(tids[s.id], "<ENTITY>", s.attrs) for s in spans] + extras
    lines += _extra_lines(extras, used)
    return lines


def _event_ids(events: dict[str, _EventOut]) -> dict[str, str]:
    """Event ids to write: each ``E<n>`` kept, anything else given the next free number."""
    eids = {key: key for key in events if _EVENT_ID.fullmatch(key)}
    taken = {int(key[1:]) for key in eids}
    n = max(taken, default=0)
    for key in events:
        if key not in eids:
            n += 1
            eids[key] = f"E{n}"
    return eids


def _extra_lines(extras: list[tuple[str, str, Any]], used: Used) -> list[str]:
    attributes, norms, notes = [], [], []
    for target, kind, attrs in extras:
        for name, value in (attrs.get("attributes") or {}).items():
            if value is None or value is False:
                continue
            targets, values = used.attributes.setdefault(name, (set(), set()))
            targets.add(kind)
            if value is True:
                attributes.append(f"A{len(attributes) + 1}\t{name} {target}")
            else:
                values.add(str(value))
                attributes.append(f"A{len(attributes) + 1}\t{name} {target} {value}")
        for norm in attrs.get("norms") or ():
            norms.append(f"N{len(norms) + 1}\t{norm['type']} {target} {norm['ref']}\t{field_text(norm.get('text', ''))}")
        for note in attrs.get("notes") or ():
            notes.append(f"#{len(notes) + 1}\t{note['type']} {target}\t{field_text(note.get('text', ''))}")
    return attributes + norms + notes


def _conf_scheme(scheme: Scheme | None, used: Used) -> Scheme | None:
    """The scheme for annotation.conf: ``scheme`` plus the labels and relation
    types the annotations use, triggers marked, and role types given the
    trigger labels as heads when the scheme leaves them open."""
    data = scheme.to_dict() if scheme is not None else {"name": "brat", "labels": [], "relations": []}
    names = {label["name"] for label in data["labels"]}
    data["labels"] += [{"name": n} for n in used.labels if n not in names]
    for label in data["labels"]:
        if label["name"] in used.triggers:
            label["trigger"] = True
    if not data["labels"]:
        return None
    known = {rel["name"]: rel for rel in data["relations"]}
    for name, (heads, children) in used.relations.items():
        if name not in known:
            data["relations"].append({"name": name, "head": sorted(heads), "child": sorted(children)})
        elif name in used.roles and not known[name].get("head"):
            known[name]["head"] = sorted(heads)
    return Scheme.from_dict(data, source="brat export")
