"""brat's ``annotation.conf`` read as brat reads it, and turned into a Scheme.

The grammar follows brat's own configuration reader:

- ``[entities]`` (alias ``[spans]``), ``[relations]``, ``[events]`` and
  ``[attributes]`` sections; other sections are ignored, as brat ignores them.
- Blank lines, ``#`` comments and lines of hyphens (separators) carry nothing.
- ``<NAME>=value`` defines a macro for the rest of its section; a reserved name
  (``<ENTITY>``, ``<EVENT>``, ``<ANY>``, ``<RELATION>``, ``<REL-TYPE>`` ...)
  cannot be redefined, and an undefined ``<NAME>`` is an error.
- A definition is ``TYPE[|alias...]`` then, after whitespace, ``KEY:TYPES``
  arguments separated by commas; indentation (one character per level) makes
  a hierarchy, ``!TYPE`` is for the hierarchy only and ``<INHERIT>`` copies
  the parent's arguments. A type name outside ``[A-Za-z0-9_-]`` is stored
  with the other characters replaced by ``_``, as brat stores it.
- An argument key may carry a count: ``?`` (0-1), ``*`` (0-n), ``+`` (1-n),
  ``{N}`` or ``{N-M}``; a key ending in a digit cannot repeat. Counts are
  kept as numbers, never expanded, so ``Arg{1-99999999}`` costs nothing.
- ``<KEY>:value`` arguments (``<REL-TYPE>:symmetric-transitive``,
  ``<OVL-TYPE>:contain|equal``, ``<NORM>``, ``<URL>``) are options.

What brat refuses (a bad argument, count or range, an undefined macro, a child
without a parent) raises ``SchemeError`` naming the file and line. Types used
in a constraint that no section declares are accepted, as brat accepts them,
and become plain labels of the scheme.

The scheme keeps the conf text (``Scheme.brat_conf``) so a brat export writes
it back; writing is in ``brat_conf_writer``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SchemeError
from ..core.scheme import Scheme

CONF = "annotation.conf"
VISUAL = "visual.conf"
SECTIONS = ("entities", "relations", "events", "attributes")
SECTION_ALIASES = {"spans": "entities"}
RESERVED = (
    "ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL", "URLBASE", "UNICODE",
    "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT",
)
RESERVED_STRINGS = frozenset(f"<{n}>" for n in RESERVED)
# relation types that say which spans may overlap, not relations
SPECIAL_RELATIONS = frozenset({"<OVERLAP>", "ENTITY-NESTING"})

_SECTION = re.compile(r"^\s*\[(.*)\]\s*$")
_MACRO = re.compile(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$")
_DEFINITION = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
_OLD_DEFINITION = re.compile(r"^(\s*)([^\t]+)(?:\t(.*))?$")
_ARGUMENT = re.compile(r"^(\S*?):(\S*)$")
_COUNT = re.compile(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$")
_RANGE = re.compile(r"\{(\d+)(?:-(\d+))?\}$")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Argument:
    """One ``Role[count]:Type|Type`` of a definition; ``high`` None is no limit."""

    role: str
    types: tuple[str, ...]
    low: int = 1
    high: int | None = 1


@dataclass
class Definition:
    """One type of one section, at its line."""

    name: str
    line: int
    depth: int = 0
    abstract: bool = False
    arguments: list[Argument] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    # the argument texts as written (after macros), for ``<INHERIT>`` below it
    items: list[str] = field(default_factory=list)


@dataclass
class Conf:
    """An annotation.conf as brat reads it: the definitions of each section."""

    source: str
    text: str
    sections: dict[str, list[Definition]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    # last line number of each section (for adding definitions to it)
    ends: dict[str, int] = field(default_factory=dict)

    def names(self, section: str, *, usable: bool = True) -> list[str]:
        return [d.name for d in self.sections[section] if not (usable and d.abstract)]

    def declared(self) -> set[str]:
        """Every type name the conf declares, abstract ones included."""
        return {d.name for defs in self.sections.values() for d in defs}


def find_conf(path: Path) -> Path | None:
    """The ``annotation.conf`` for a brat folder, one of its files, or the conf itself."""
    if path.is_file() and path.name == CONF:
        return path
    folder = path if path.is_dir() else path.parent
    conf = folder / CONF
    return conf if conf.is_file() else None


def storage_form(name: str) -> str:
    """A type name as brat stores it: characters outside ``[A-Za-z0-9_-]`` become ``_``."""
    return name if name in SPECIAL_RELATIONS else re.sub(r"[^a-zA-Z0-9_-]", "_", name)


def parse(text: str, source: str) -> Conf:
    """The definitions of an annotation.conf; ``SchemeError`` names the line brat would refuse."""
    conf = Conf(source=source, text=text)
    section = "general"
    macros: dict[str, str] = {}
    parents: dict[int, Definition] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = raw.rstrip("\r")
        header = _SECTION.match(line)
        if header:
            section = SECTION_ALIASES.get(header[1], header[1])
            macros, parents = {}, {}
            conf.ends[section] = number
            continue
        if section in conf.ends:
            conf.ends[section] = number
        definition = _definition(line, number, source, macros, parents)
        if definition is not None and section in conf.sections:
            conf.sections[section].append(definition)
    return conf


def _definition(line: str, number: int, source: str, macros: dict[str, str], parents: dict[int, Definition]):
    where = f"{source}:{number}"
    if not line.strip() or re.match(r"^\s*#", line) or re.match(r"^\s*-+\s*$", line):
        return None
    macro = _MACRO.match(line)
    if macro:
        if macro[1] in RESERVED:
            raise SchemeError(f"{where}: <{macro[1]}> is reserved by brat and cannot be redefined")
        macros[f"<{macro[1]}>"] = macro[2]
        return None
    for name, value in macros.items():
        line = line.replace(name, value)
    for used in re.findall(r"<.*?>", line):
        if used not in RESERVED_STRINGS:
            raise SchemeError(f"{where}: undefined macro {used} (macros belong to their section; define it as {used}=A|B)")
    indent, terms, args = _DEFINITION.match(line).groups()  # type: ignore[union-attr]
    items = _split_args(args)
    if "\t" in line and any(re.search(r"\s", a) for a in items):
        # old configurations allowed spaces in names, with a tab before the arguments
        indent, terms, args = _OLD_DEFINITION.match(line).groups()  # type: ignore[union-attr]
        items = _split_args(args)
    names = [t.strip() for t in terms.split("|") if t.strip()]
    if not names or any(n in ("", "!") for n in names):
        raise SchemeError(f"{where}: empty type name")
    depth = len(indent)
    if depth and depth - 1 not in parents:
        raise SchemeError(f"{where}: {names[0]} is indented but has no parent one level up")
    if "<INHERIT>" in items:
        if not depth:
            raise SchemeError(f"{where}: <INHERIT> on a type without a parent")
        at = items.index("<INHERIT>")
        items = items[:at] + parents[depth - 1].items + items[at + 1 :]
    abstract = any(n.startswith("!") for n in names)
    definition = Definition(storage_form(names[0].lstrip("!")), number, depth, abstract, items=items)
    roles: set[str] = set()
    for item in items:
        _argument(item, definition, roles, where)
    parents[depth] = definition
    for deeper in [d for d in parents if d > depth]:
        del parents[deeper]
    return definition


def _split_args(args: str | None) -> list[str]:
    return [a.strip() for a in (args or "").split(",") if a.strip()]


def _argument(item: str, definition: Definition, roles: set[str], where: str) -> None:
    match = _ARGUMENT.match(item)
    if match is None:
        raise SchemeError(f"{where}: cannot read the argument {item!r} (expected Role:Type|Type)")
    key, types = match.groups()
    if key in RESERVED_STRINGS:
        definition.options[key] = types
        return
    counted = _COUNT.match(key)
    if counted is None:
        raise SchemeError(f"{where}: cannot read the argument {key!r}")
    role, mark = counted.groups()
    low, high = {"": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}.get(mark, (0, 0))
    if mark.startswith("{"):
        bounds = _RANGE.match(mark)
        if bounds is None:
            raise SchemeError(f"{where}: cannot read the count {mark} of {role} (write {{N}} or {{MIN-MAX}})")
        low = int(bounds[1])
        high = low if bounds[2] is None else int(bounds[2])
        if bounds[2] is None and low == 0:
            raise SchemeError(f"{where}: {role}{mark}: an argument cannot appear exactly 0 times")
        if low > high:
            raise SchemeError(f"{where}: {role}{mark}: the range is empty ({low} > {high})")
    if (high is None or high > 1) and role[-1].isdigit():
        raise SchemeError(f"{where}: {role}{mark}: an argument whose name ends in a digit cannot repeat")
    if role in roles:
        raise SchemeError(f"{where}: the argument {role} appears twice")
    roles.add(role)
    names = types.split("|")
    if any(not n.strip() for n in names):
        raise SchemeError(f"{where}: the argument {role} has an empty type")
    definition.arguments.append(Argument(role, tuple(n.strip() for n in names), low, high))


# -- the scheme ----------------------------------------------------------------
def read_conf(path: Path) -> Conf | None:
    """The parsed ``annotation.conf`` next to ``path``, or None when there is none."""
    conf = find_conf(Path(path))
    if conf is None:
        return None
    try:
        text = conf.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemeError(f"{conf}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse(text.lstrip("\ufeff"), str(conf))


def read_scheme(path: Path) -> Scheme | None:
    """The scheme in the ``annotation.conf`` next to ``path``, or None when there is none.

    Entities become labels, events trigger labels with one relation type per
    role (head: the events using it, child: its types), relations relation
    types from ``Arg1`` types to ``Arg2`` types. ``<ENTITY>`` and ``<EVENT>``
    stand for the entity or event types, ``<ANY>`` for any. Colours come from
    ``visual.conf``. The scheme keeps the conf text in ``brat_conf``.
    """
    conf = read_conf(path)
    if conf is None:
        return None
    return conf_scheme(conf, _read_colors(Path(conf.source).parent / VISUAL), name=Path(conf.source).parent.name)


def conf_scheme(conf: Conf, colors: dict[str, str] | None = None, *, name: str = "") -> Scheme:
    """The Scheme for a parsed conf (see ``read_scheme``)."""
    colors = colors or {}
    entities, events = conf.names("entities"), conf.names("events")
    if not entities and not events:
        raise SchemeError(f"{conf.source}: defines no entity or event types")
    relations: dict[str, dict] = {}
    undeclared: dict[str, None] = {}

    def types(argument: Argument) -> list[str]:
        if "<ANY>" in argument.types:
            return []
        out: list[str] = []
        for t in argument.types:
            out += entities if t == "<ENTITY>" else events if t == "<EVENT>" else [t]
        for t in out:
            if t not in entities and t not in events:
                undeclared[t] = None
        return list(dict.fromkeys(out))

    def add(rel: str, head: list[str], child: list[str], high: int | None, symmetric: bool) -> None:
        item = relations.setdefault(rel, {"name": rel, "head": [], "child": [], "symmetric": False, "max": 1})
        for side, names in (("head", head), ("child", child)):
            if item[side] is not None:
                item[side] = None if not names else item[side] + [n for n in names if n not in item[side]]
        item["symmetric"] = item["symmetric"] or symmetric
        item["max"] = None if high is None or item["max"] is None else max(item["max"], high)

    for event in conf.sections["events"]:
        if event.abstract:
            continue
        for argument in event.arguments:
            add(argument.role, [event.name], types(argument), argument.high, False)
    for rel in conf.sections["relations"]:
        if rel.abstract or rel.name in SPECIAL_RELATIONS or len(rel.arguments) < 2:
            continue
        kind = rel.options.get("<REL-TYPE>", "symmetric-transitive" if rel.name == "Equiv" else "")
        add(rel.name, types(rel.arguments[0]), types(rel.arguments[1]), None, "symmetric" in kind.split("-"))
    names = list(dict.fromkeys(entities + events + list(undeclared)))
    data = {
        "name": name or "brat",
        "labels": [
            {"name": n, **({"color": colors[n]} if n in colors else {}), **({"trigger": True} if n in events else {})}
            for n in names
        ],
        "relations": [
            {
                "name": rel,
                **({"head": item["head"]} if item["head"] else {}),
                **({"child": item["child"]} if item["child"] else {}),
                "symmetric": item["symmetric"],
                **({"max_count": item["max"]} if item["max"] is not None else {}),
                **({"color": colors[rel]} if rel in colors else {}),
            }
            for rel, item in relations.items()
        ],
        "brat_conf": conf.text,
    }
    return Scheme.from_dict(data, source=conf.source)


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
        parts = line.split(None, 1)
        for item in (parts[1] if len(parts) > 1 else "").split(","):
            key, _, value = item.strip().partition(":")
            if key in ("bgColor", "color") and _HEX.fullmatch(value.strip()):
                colors[parts[0]] = value.strip().lower()
    return colors
