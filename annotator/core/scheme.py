"""The annotation scheme: span labels, relation types and their constraints.

A scheme is a JSON document validated against ``schemas/scheme.schema.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema

from .errors import SchemeError
from .shipped import RESOURCES_DIR, SCHEMAS_DIR

# Colours handed to labels that come without one (brat, CoNLL, ...): distinct
# pastels on which black text stays readable.
PALETTE = (
    "#7aecec", "#bfeeb7", "#feca74", "#ff9561", "#aa9cfc", "#c887fb",
    "#9cc9cc", "#ffeb80", "#ff8197", "#f0d0ff", "#bfe1d9", "#e4e7d2",
    "#d6c5a8", "#a6e22d", "#ddd0ec", "#fcb3c8",
)
# Keys handed to labels that come without one; letters stay free for actions.
AUTO_KEYS = "1234567890"


_NUMBERED = re.compile(r"(?P<base>.*\D)(?P<n>\d+)")


@lru_cache(maxsize=None)
def load_json_schema(name: str) -> dict:
    """A JSON Schema document from ``schemas/`` by file name."""
    return json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str | None = None
    description: str = ""
    trigger: bool = False


@dataclass(frozen=True)
class RelationType:
    name: str
    head: tuple[str, ...] = ()
    child: tuple[str, ...] = ()
    symmetric: bool = False
    color: str | None = None
    description: str = ""
    # how many edges of this type one head may have; None is no limit. brat
    # writes repeats as numbered names (Theme, Theme2, ...), which
    # ``Scheme.relation`` resolves to this type up to the limit.
    max_count: int | None = None

    def accepts(self, head_label: str, child_label: str) -> bool:
        """Whether a relation of this type may go from ``head_label`` to ``child_label``.

        An empty allowed list accepts any label. A symmetric type also accepts
        the pair the other way round.
        """
        forward = (not self.head or head_label in self.head) and (
            not self.child or child_label in self.child
        )
        if forward or not self.symmetric:
            return forward
        return (not self.head or child_label in self.head) and (
            not self.child or head_label in self.child
        )


@dataclass(frozen=True)
class Scheme:
    name: str
    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = ()
    allow_overlap: bool = True
    description: str = ""
    guidelines: str = ""
    # the brat annotation.conf the scheme was read from, written back unchanged
    # in meaning by the brat exporter (see ``annotator.formats.brat_conf``)
    brat_conf: str = ""

    # -- construction -------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, *, source: str = "scheme") -> "Scheme":
        """Validate ``data`` against the JSON Schema and build a scheme.

        Raises ``SchemeError`` naming the JSON path of the first problem, or a
        duplicate or dangling label name.
        """
        validator = jsonschema.Draft202012Validator(load_json_schema("scheme.schema.json"))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            err = errors[0]
            raise SchemeError(f"{source}: at {err.json_path}: {err.message}")
        labels = []
        used_keys = {l["key"] for l in data["labels"] if l.get("key")}
        free_keys = [k for k in AUTO_KEYS if k not in used_keys]
        for i, item in enumerate(data["labels"]):
            key = item.get("key") or (free_keys.pop(0) if free_keys else None)
            labels.append(
                Label(
                    name=item["name"],
                    color=item.get("color") or PALETTE[i % len(PALETTE)],
                    key=key,
                    description=item.get("description", ""),
                    trigger=bool(item.get("trigger", False)),
                )
            )
        relations = tuple(
            RelationType(
                name=item["name"],
                head=tuple(item.get("head", ())),
                child=tuple(item.get("child", ())),
                symmetric=bool(item.get("symmetric", False)),
                color=item.get("color"),
                description=item.get("description", ""),
                max_count=item.get("max_count"),
            )
            for item in data.get("relations", ())
        )
        scheme = cls(
            name=data["name"],
            labels=tuple(labels),
            relations=relations,
            allow_overlap=bool(data.get("allow_overlap", True)),
            description=data.get("description", ""),
            guidelines=data.get("guidelines", ""),
            brat_conf=data.get("brat_conf", ""),
        )
        scheme._check_names(source)
        return scheme

    @classmethod
    def load(cls, path: str | Path) -> "Scheme":
        """Read and validate a scheme file."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SchemeError(f"{path}: no such scheme file") from None
        except UnicodeDecodeError as exc:
            raise SchemeError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise SchemeError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def default(cls) -> "Scheme":
        """The news scheme for investments and partnerships shipped in ``resources/``."""
        return cls.load(RESOURCES_DIR / "scheme.json")

    @classmethod
    def from_labels(cls, names: Iterable[str], *, name: str = "imported") -> "Scheme":
        """A scheme with just these span labels, colours and keys assigned."""
        return cls.from_dict({"name": name, "labels": [{"name": n} for n in dict.fromkeys(names)]})

    def _check_names(self, source: str) -> None:
        seen: set[str] = set()
        for i, label in enumerate(self.labels):
            if label.name in seen:
                raise SchemeError(f"{source}: at $.labels[{i}].name: duplicate label {label.name!r}")
            seen.add(label.name)
        keys: dict[str, str] = {}
        for i, label in enumerate(self.labels):
            if label.key and label.key in keys:
                raise SchemeError(
                    f"{source}: at $.labels[{i}].key: key {label.key!r} is already used by {keys[label.key]}"
                )
            if label.key:
                keys[label.key] = label.name
        rel_seen: set[str] = set()
        for i, rel in enumerate(self.relations):
            if rel.name in rel_seen:
                raise SchemeError(f"{source}: at $.relations[{i}].name: duplicate relation {rel.name!r}")
            rel_seen.add(rel.name)
            for side in ("head", "child"):
                for j, lab in enumerate(getattr(rel, side)):
                    if lab not in seen:
                        raise SchemeError(
                            f"{source}: at $.relations[{i}].{side}[{j}]: unknown label {lab!r}"
                        )

    def to_dict(self) -> dict:
        """The scheme as JSON-ready data; ``from_dict(to_dict())`` is the identity."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        out["allow_overlap"] = self.allow_overlap
        out["labels"] = []
        for label in self.labels:
            item: dict[str, Any] = {"name": label.name, "color": label.color}
            if label.key:
                item["key"] = label.key
            if label.description:
                item["description"] = label.description
            if label.trigger:
                item["trigger"] = True
            out["labels"].append(item)
        out["relations"] = []
        for rel in self.relations:
            ritem: dict[str, Any] = {"name": rel.name}
            if rel.head:
                ritem["head"] = list(rel.head)
            if rel.child:
                ritem["child"] = list(rel.child)
            ritem["symmetric"] = rel.symmetric
            if rel.color:
                ritem["color"] = rel.color
            if rel.description:
                ritem["description"] = rel.description
            if rel.max_count is not None:
                ritem["max_count"] = rel.max_count
            out["relations"].append(ritem)
        if self.guidelines:
            out["guidelines"] = self.guidelines
        if self.brat_conf:
            out["brat_conf"] = self.brat_conf
        return out

    # -- queries ------------------------------------------------------------
    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    @property
    def relation_names(self) -> tuple[str, ...]:
        return tuple(rel.name for rel in self.relations)

    def label(self, name: str) -> Label | None:
        return next((l for l in self.labels if l.name == name), None)

    def relation(self, name: str) -> RelationType | None:
        """The relation type called ``name``; a numbered repeat such as
        ``Theme2`` (brat's name for a second ``Theme``) resolves to its base
        type when that type allows that many edges."""
        found = next((r for r in self.relations if r.name == name), None)
        numbered = None if found is not None else _NUMBERED.fullmatch(name)
        if numbered is None:
            return found
        base = next((r for r in self.relations if r.name == numbered["base"]), None)
        count = int(numbered["n"])
        if base is not None and count >= 2 and (base.max_count is None or count <= base.max_count):
            return base
        return None

    def label_for_key(self, key: str) -> Label | None:
        return next((l for l in self.labels if l.key == key), None)

    def relation_types_for(self, head_label: str, child_label: str) -> list[RelationType]:
        """The relation types the scheme allows from a head label to a child label."""
        return [r for r in self.relations if r.accepts(head_label, child_label)]

    def with_labels(self, names: Iterable[str]) -> "Scheme":
        """A copy with the given span labels added (existing ones kept as they are)."""
        new = [n for n in dict.fromkeys(names) if self.label(n) is None]
        if not new:
            return self
        data = self.to_dict()
        data["labels"].extend({"name": n} for n in new)
        return Scheme.from_dict(data, source=self.name)

    def merged(self, other: "Scheme") -> "Scheme":
        """A copy with the labels and relation types of ``other`` that this
        scheme lacks (with their colours and constraints); existing ones win."""
        data = self.to_dict()
        have = set(self.label_names)
        keys = {l.key for l in self.labels if l.key}
        for label in other.to_dict()["labels"]:
            if label["name"] not in have:
                if label.get("key") in keys:
                    label.pop("key")
                data["labels"].append(label)
        rels = set(self.relation_names)
        data["relations"].extend(r for r in other.to_dict()["relations"] if r["name"] not in rels)
        if not self.brat_conf and other.brat_conf:
            data["brat_conf"] = other.brat_conf
        return Scheme.from_dict(data, source=self.name)

    def with_relations(self, names: Iterable[str]) -> "Scheme":
        """A copy with the given relation types added, accepting any labels."""
        new = [n for n in dict.fromkeys(names) if self.relation(n) is None]
        if not new:
            return self
        return replace(self, relations=self.relations + tuple(RelationType(name=n) for n in new))
