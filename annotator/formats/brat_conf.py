"""brat's ``annotation.conf`` (and the colours of ``visual.conf``) as a Scheme, and back.

Reading maps ``[entities]`` to labels, ``[events]`` to trigger labels plus one
relation type per role (head: the event types using the role, child: the
argument types), and ``[relations]`` to relation types with ``Arg1`` types as
head and ``Arg2`` types as child. ``!``-prefixed nodes are hierarchy only and
skipped; ``<NAME>=A|B`` macros are expanded; ``<ENTITY>``, ``<EVENT>`` and
``<ANY>`` mean any label. A role that may repeat (``Org-Arg+``, ``Org-Arg*``,
``Person-Arg{2}``) also gets the numbered types brat writes for the repeats
(``Org-Arg2`` ...), up to ``MAX_REPEATS`` for the unbounded ones. One role
name used by several events becomes one relation type whose allowed heads and
children are the union over those events. ``[attributes]`` has no place in a
scheme and is not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SchemeError
from ..core.scheme import Scheme

CONF = "annotation.conf"
VISUAL = "visual.conf"
MAX_REPEATS = 5
ANY_TYPES = ("<ENTITY>", "<EVENT>", "<ANY>")
_ROLE = re.compile(r"^(?P<name>.+?)(?P<card>\?|\*|\+|\{(?P<low>\d+)(?:-(?P<high>\d+))?\})?$")
_MACRO = re.compile(r"^(?P<name><[^>]+>)\s*=\s*(?P<value>.+)$")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass
class _Types:
    """Allowed labels on one side of a relation type: names, or any."""

    names: list[str] = field(default_factory=list)
    any: bool = False

    def add(self, names: list[str] | None) -> None:
        if names is None:
            self.any = True
        else:
            self.names.extend(n for n in names if n not in self.names)

    def out(self) -> list[str]:
        return [] if self.any else list(self.names)


def find_conf(path: Path) -> Path | None:
    """The ``annotation.conf`` for a brat folder, one of its files, or the conf itself."""
    if path.is_file() and path.name == CONF:
        return path
    folder = path if path.is_dir() else path.parent
    conf = folder / CONF
    return conf if conf.is_file() else None


def read_scheme(path: Path) -> Scheme | None:
    """The scheme in the ``annotation.conf`` next to ``path``, or None when there is none.

    Label and relation colours come from ``visual.conf`` (``bgColor`` and
    ``color`` given as ``#rrggbb``) when it is there. Raises ``SchemeError``
    naming the file and line of a type used but never defined.
    """
    conf = find_conf(Path(path))
    if conf is None:
        return None
    try:
        lines = conf.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    except UnicodeDecodeError as exc:
        raise SchemeError(f"{conf}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    colors = _read_colors(conf.parent / VISUAL)
    macros: dict[str, str] = {}
    entities: list[str] = []
    events: list[str] = []
    # (line, relation name, head types, child types, symmetric)
    pairs: list[tuple[int, str, list[str] | None, list[str] | None, bool]] = []
    section = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        macro = _MACRO.match(line)
        if macro:
            macros[macro["name"]] = macro["value"].strip()
            continue
        name, _, rest = _split_name(line)
        if name.startswith("!") or name.startswith("<"):
            continue
        if section == "entities":
            entities.append(name)
        elif section == "relations":
            args, options = _args(rest)
            head = _expand(args[0][1], macros) if args else None
            child = _expand(args[1][1], macros) if len(args) > 1 else None
            symmetric = any(v.startswith("symmetric") for k, v in options if k == "<REL-TYPE>")
            pairs.append((number, name, head, child, symmetric))
        elif section == "events":
            events.append(name)
            for role, types in _args(rest)[0]:
                for variant in _role_variants(role, conf, number):
                    pairs.append((number, variant, [name], _expand(types, macros), False))
    return _build(conf, entities, events, pairs, colors)


def _split_name(line: str) -> tuple[str, str, str]:
    """``(name, separator, rest)`` of a definition line, split at the first whitespace."""
    parts = line.split(None, 1)
    return parts[0], " ", parts[1] if len(parts) > 1 else ""


def _args(rest: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``Role:Types`` pairs of a definition line, and the ``<OPTION>:value`` ones."""
    args, options = [], []
    for item in rest.split(","):
        item = item.strip()
        if not item:
            continue
        role, _, types = item.partition(":")
        (options if role.startswith("<") else args).append((role.strip(), types.strip()))
    return args, options


def _expand(types: str, macros: dict[str, str], depth: int = 0) -> list[str] | None:
    """Type names from ``A|B|<MACRO>``; None when any type is allowed."""
    names: list[str] = []
    for item in types.split("|"):
        item = item.strip()
        if not item:
            continue
        if item in ANY_TYPES:
            return None
        if item in macros and depth < 10:
            expanded = _expand(macros[item], macros, depth + 1)
            if expanded is None:
                return None
            names.extend(expanded)
        else:
            names.append(item)
    return names


def _role_variants(role: str, conf: Path, number: int) -> list[str]:
    """``Org-Arg+`` -> ``Org-Arg``, ``Org-Arg2`` ... (the names brat gives repeats)."""
    match = _ROLE.match(role)
    if match is None:
        raise SchemeError(f"{conf}:{number}: cannot read the role {role!r}")
    card, high, low = match["card"], match["high"], match["low"]
    if card in (None, "?"):
        count = 1
    elif card in ("*", "+"):
        count = MAX_REPEATS
    else:
        count = int(high or low)
    base = match["name"]
    return [base] + [f"{base}{i}" for i in range(2, count + 1)]


def _build(conf: Path, entities, events, pairs, colors: dict[str, str]) -> Scheme:
    names = list(dict.fromkeys(entities + events))
    if not names:
        raise SchemeError(f"{conf}: defines no entity or event types")
    heads: dict[str, _Types] = {}
    children: dict[str, _Types] = {}
    symmetric: dict[str, bool] = {}
    for number, rel, head, child, sym in pairs:
        for side in (head, child):
            unknown = [n for n in side or () if n not in names]
            if unknown:
                raise SchemeError(f"{conf}:{number}: {rel} uses {unknown[0]!r}, which is not an entity or event type")
        heads.setdefault(rel, _Types()).add(head)
        children.setdefault(rel, _Types()).add(child)
        symmetric[rel] = symmetric.get(rel, False) or sym
    data = {
        "name": conf.parent.name or "brat",
        "labels": [
            {"name": n, **({"color": colors[n]} if n in colors else {}), **({"trigger": True} if n in events else {})}
            for n in names
        ],
        "relations": [
            {
                "name": rel,
                "head": heads[rel].out(),
                "child": children[rel].out(),
                "symmetric": symmetric[rel],
                **({"color": colors[rel]} if rel in colors else {}),
            }
            for rel in heads
        ],
    }
    return Scheme.from_dict(data, source=str(conf))


def _read_colors(visual: Path) -> dict[str, str]:
    """``{type: "#rrggbb"}`` from the ``[drawing]`` section of visual.conf."""
    if not visual.is_file():
        return {}
    colors: dict[str, str] = {}
    section = ""
    for raw in visual.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        if section != "drawing":
            continue
        name, _, rest = _split_name(line)
        for item in rest.split(","):
            key, _, value = item.strip().partition(":")
            if key in ("bgColor", "color") and _HEX.fullmatch(value.strip()):
                colors[name] = value.strip().lower()
    return colors


# -- writing -------------------------------------------------------------------
def conf_text(
    scheme: Scheme,
    *,
    equivalences: set[str] = frozenset(),
    attributes: dict[str, tuple[set[str], set[str]]] | None = None,
) -> str:
    """``annotation.conf`` for ``scheme``.

    Args:
        equivalences: relation types written as ``*`` lines, declared
            ``symmetric-transitive`` as brat requires.
        attributes: ``{name: (targets, values)}`` with targets among
            ``<ENTITY>``, ``<EVENT>``, ``<RELATION>`` and the string values the
            attribute took (none for a binary attribute).

    Relation types whose heads are all trigger labels are written as event
    roles; numbered roles (``Org-Arg2`` beside ``Org-Arg``) become one
    repeatable role (``Org-Arg*``), others are optional (``Place-Arg?``).
    """
    triggers = {l.name for l in scheme.labels if l.trigger}
    roles = [r for r in scheme.relations if r.head and set(r.head) <= triggers and r.name not in equivalences]
    role_names = {r.name for r in roles}
    lines = ["[entities]", ""]
    lines += [l.name for l in scheme.labels if not l.trigger]
    lines += ["", "[relations]", ""]
    for rel in scheme.relations:
        if rel.name in role_names:
            continue
        head, child = _types_out(rel.head), _types_out(rel.child)
        line = f"{rel.name}\tArg1:{head}, Arg2:{child}"
        if rel.name in equivalences:
            line += ", <REL-TYPE>:symmetric-transitive"
        elif rel.symmetric:
            line += ", <REL-TYPE>:symmetric"
        lines.append(line)
    lines += ["", "[events]", ""]
    for label in scheme.labels:
        if not label.trigger:
            continue
        args = []
        for rel in roles:
            if label.name not in rel.head:
                continue
            base = re.sub(r"\d+$", "", rel.name)
            if base != rel.name and base in role_names:
                continue  # a numbered repeat, covered by its base role
            repeated = any(
                label.name in other.head and re.fullmatch(re.escape(rel.name) + r"\d+", other.name)
                for other in roles
            )
            args.append(f"{rel.name}{'*' if repeated else '?'}:{_types_out(rel.child)}")
        lines.append(f"{label.name}\t{', '.join(args)}" if args else label.name)
    lines += ["", "[attributes]", ""]
    for name, (targets, values) in sorted((attributes or {}).items()):
        line = f"{name}\tArg:{'|'.join(sorted(targets))}"
        if values:
            line += f", Value:{'|'.join(sorted(values))}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _types_out(names: tuple[str, ...]) -> str:
    return "|".join(names) if names else "<ENTITY>|<EVENT>"


def visual_text(scheme: Scheme) -> str:
    """``visual.conf`` giving every label and coloured relation type its colour."""
    lines = ["[labels]", ""]
    lines += [f"{l.name} | {l.name}" for l in scheme.labels]
    lines += [f"{r.name} | {r.name}" for r in scheme.relations]
    lines += ["", "[drawing]", ""]
    lines += [f"{l.name}\tbgColor:{l.color}" for l in scheme.labels]
    lines += [f"{r.name}\tcolor:{r.color}" for r in scheme.relations if r.color]
    return "\n".join(lines) + "\n"
