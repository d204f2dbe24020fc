"""Writing brat's ``annotation.conf`` and ``visual.conf`` for an export.

A scheme read from an annotation.conf (``Scheme.brat_conf``) is written back
as that text, with the types the export uses and the conf lacks added at the
end of their sections, so every count, macro, option and attribute value
stays as written. Any other scheme is written from its labels and relation
types (see ``conf_text``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.scheme import Scheme
from .brat_conf import SPECIAL_RELATIONS, Conf, conf_scheme

ANY = "<ANY>"


@dataclass
class Used:
    """What the written annotations use, for annotation.conf."""

    labels: dict[str, None] = field(default_factory=dict)
    triggers: set[str] = field(default_factory=set)
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    equivalences: set[str] = field(default_factory=set)
    attributes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)

    def relation(self, label: str, head: str, child: str) -> None:
        heads, children = self.relations.setdefault(label, (set(), set()))
        heads.add(head)
        children.add(child)


def event_roles(scheme: Scheme, conf: Conf | None) -> set[str]:
    """The relation types written as event arguments: the conf's roles, or the
    scheme's types whose heads are all trigger labels."""
    if conf is not None:
        return {a.role for d in conf.sections["events"] for a in d.arguments}
    triggers = {l.name for l in scheme.labels if l.trigger}
    return {r.name for r in scheme.relations if r.head and set(r.head) <= triggers}


def extended_conf(conf: Conf, scheme: Scheme | None, used: Used) -> str:
    """The conf's own text plus definitions for what ``scheme`` and ``used`` add."""
    known = set(conf_scheme(conf).label_names) | conf.declared()
    roles = event_roles(scheme or conf_scheme(conf), conf)
    relations = set(conf.names("relations", usable=False)) | roles | SPECIAL_RELATIONS
    attributes = set(conf.names("attributes", usable=False))
    labels = dict.fromkeys([l.name for l in scheme.labels] if scheme else [])
    labels.update(used.labels)
    triggers = {l.name for l in scheme.labels if l.trigger} if scheme else set()
    triggers |= used.triggers
    added: dict[str, list[str]] = {s: [] for s in ("entities", "relations", "events", "attributes")}
    new_roles: set[str] = set()
    for name in labels:
        if name in known:
            continue
        if name in triggers:
            args = _role_args(name, scheme, used, exclude=relations)
            new_roles |= {a.partition("*")[0] for a in args}
            added["events"].append(f"{name}\t{', '.join(args)}" if args else name)
        else:
            added["entities"].append(name)
    types = {r.name: (r.head, r.child, r.symmetric) for r in scheme.relations} if scheme else {}
    for name, (heads, children) in used.relations.items():
        types.setdefault(name, (tuple(sorted(heads)), tuple(sorted(children)), False))
    for name, (head, child, symmetric) in types.items():
        if name in relations or name in new_roles or (scheme and scheme.relation(name) and scheme.relation(name).name != name):
            continue
        kind = "symmetric-transitive" if name in used.equivalences else "symmetric" if symmetric else ""
        added["relations"].append(_relation_line(name, head, child, kind))
    for name, (targets, values) in sorted(used.attributes.items()):
        if name not in attributes:
            added["attributes"].append(_attribute_line(name, targets, values))
    return _insert(conf, added, _new_roles(conf, used))


def _new_roles(conf: Conf, used: Used) -> dict[int, list[str]]:
    """``{line: ["Role*:Types", ...]}``: roles the export gives an event type
    of the conf that its definition lacks, to add to that line."""
    out: dict[int, list[str]] = {}
    for event in conf.sections["events"]:
        declared = {a.role for a in event.arguments}
        for name in sorted(used.roles - declared):
            heads, children = used.relations[name]
            if event.name in heads:
                out.setdefault(event.line, []).append(f"{name}{'?' if name[-1].isdigit() else '*'}:{_types(sorted(children))}")
    return out


def _role_args(trigger: str, scheme: Scheme | None, used: Used, *, exclude: set[str]) -> list[str]:
    """``Role*:Types`` for the roles a new trigger label has in the scheme or the export."""
    roles: dict[str, tuple[str, ...]] = {}
    for rel in scheme.relations if scheme else ():
        if trigger in rel.head and rel.name not in exclude:
            roles[rel.name] = rel.child
    for name, (heads, children) in used.relations.items():
        if trigger in heads and name in used.roles and name not in exclude:
            roles.setdefault(name, tuple(sorted(children)))
    return [f"{name}{_count(scheme.relation(name) if scheme else None, name)}:{_types(child)}" for name, child in roles.items()]


def _insert(conf: Conf, added: dict[str, list[str]], roles: dict[int, list[str]]) -> str:
    lines = conf.text.split("\n")
    for number, args in roles.items():
        line = lines[number - 1].rstrip()
        lines[number - 1] = line + (", " if ":" in line else "\t") + ", ".join(args)
    tail: list[str] = []
    for section, new in sorted(added.items(), key=lambda item: -conf.ends.get(item[0], 0)):
        if not new:
            continue
        if section in conf.ends:
            at = conf.ends[section]
            while at > 0 and not lines[at - 1].strip():
                at -= 1
            lines[at:at] = new
        else:
            tail += ["", f"[{section}]", ""] + new
    text = "\n".join(lines)
    if tail:
        text = text.rstrip("\n") + "\n" + "\n".join(tail) + "\n"
    return text


def _count(rel, name: str) -> str:
    """brat's count mark for a role: ``*`` when unlimited, ``?`` for one,
    ``{0-N}`` for at most N (a role ending in a digit cannot repeat)."""
    high = rel.max_count if rel is not None else None
    if high == 1 or name[-1:].isdigit():
        return "?"
    return "*" if high is None else f"{{0-{high}}}"


def _types(names) -> str:
    return "|".join(names) if names else ANY


def _relation_line(name: str, head, child, kind: str) -> str:
    line = f"{name}\tArg1:{_types(head)}, Arg2:{_types(child)}"
    return line + (f", <REL-TYPE>:{kind}" if kind else "")


def _attribute_line(name: str, targets: set[str], values: set[str]) -> str:
    line = f"{name}\tArg:{'|'.join(sorted(targets))}"
    return line + (f", Value:{'|'.join(sorted(values))}" if values else "")


def conf_text(scheme: Scheme, used: Used | None = None) -> str:
    """``annotation.conf`` for a scheme that did not come from one.

    Trigger labels are written as events with their roles (relation types
    whose heads are all triggers) as arguments, counted by ``max_count``;
    other relation types as relations; ``used`` adds the equivalences and
    attributes the export writes. An open side of a constraint is ``<ANY>``.
    """
    used = used or Used()
    roles = event_roles(scheme, None) - used.equivalences
    lines = ["[entities]", ""] + [l.name for l in scheme.labels if not l.trigger]
    lines += ["", "[relations]", ""]
    for rel in scheme.relations:
        if rel.name not in roles:
            kind = "symmetric-transitive" if rel.name in used.equivalences else "symmetric" if rel.symmetric else ""
            lines.append(_relation_line(rel.name, rel.head, rel.child, kind))
    lines += ["", "[events]", ""]
    for label in scheme.labels:
        if label.trigger:
            args = [
                f"{rel.name}{_count(rel, rel.name)}:{_types(rel.child)}"
                for rel in scheme.relations
                if rel.name in roles and label.name in rel.head
            ]
            lines.append(f"{label.name}\t{', '.join(args)}" if args else label.name)
    lines += ["", "[attributes]", ""]
    lines += [_attribute_line(n, t, v) for n, (t, v) in sorted(used.attributes.items())]
    return "\n".join(lines) + "\n"


def visual_text(scheme: Scheme) -> str:
    """``visual.conf`` giving every label and coloured relation type its colour."""
    lines = ["[labels]", ""]
    lines += [f"{l.name} | {l.name}" for l in scheme.labels]
    lines += [f"{r.name} | {r.name}" for r in scheme.relations]
    lines += ["", "[drawing]", ""]
    lines += [f"{l.name}\tbgColor:{l.color}" for l in scheme.labels]
    lines += [f"{r.name}\tcolor:{r.color}" for r in scheme.relations if r.color]
    return "\n".join(lines) + "\n"
