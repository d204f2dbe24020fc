"""doccano JSONL: sequence labelling and relation projects.

Reading accepts what doccano imports and exports:

- relation projects: ``entities`` (``id``, ``start_offset``, ``end_offset``,
  ``label``) and ``relations`` (``from_id``, ``to_id``, ``type``);
- sequence labelling: ``label`` (or ``labels``, or ``column_label`` as in
  doccano's import examples) as ``[[start, end, label], ...]``;
- the text under ``text``, ``data`` (older exports) or ``column_data``;
- one record per line, or one pretty-printed JSON object, or a JSON array of
  records (doccano's examples have all three).

Offsets are code points: doccano's server is Python and counts as Python
does; the file carries no span text to check them against. Duplicate spans
(same offsets and label) are merged and counted by the importer. The owner is ``user``, ``annotator``
or ``username`` (a number ``n`` as ``doccano-user-<n>``), else none. A record
with no spans and no relations is a plain document: doccano exports every
example, annotated or not. ``meta`` and every other key go into the
document's metadata, the record's ``id`` as ``doccano_id``.

Writing always uses the relation-project shape, one line per annotation set,
so one file imports into one doccano project: ``id``, ``text``, ``entities``
with ``id``s, ``relations`` with ``id``s (``[]`` when there are none),
``user`` (the set's owner) and ``meta`` when the document has any.
Discontinuous spans, which doccano cannot hold, are not written, nor their
relations.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..core.model import Problem, Record, Relation, SetData, Span
from ..core.scheme import Scheme
from .json_input import first_record, json_lines, offset_value, stream_json
from .losses import count_extras, count_suggestions
from .registry import FormatSpec, Items, WriteReport, iter_lines, register

TEXT_KEYS = ("text", "data", "column_data")
LABEL_KEYS = ("label", "labels", "column_label")
OWNER_KEYS = ("user", "annotator", "username")
USER_PREFIX = "doccano-user-"


# -- reading -------------------------------------------------------------------
def read(path: Path) -> Iterator[Record | Problem]:
    lines = iter_lines(path)
    for number, line, error in lines:
        if error:  # not UTF-8: read on line by line to report every bad line
            yield Problem(f"{path}:{number}", error)
            yield from _read_lines(path, lines)
            return
        assert line is not None
        if not line.strip():
            continue
        try:
            first = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            first = None
        if isinstance(first, dict):  # JSON Lines
            yield _record(first, f"{path}:{number}")
            yield from _read_lines(path, lines)
        else:  # a pretty-printed object, or an array of records
            yield from _read_whole(path)
        return


def _read_lines(path: Path, lines: Iterator[tuple[int, str | None, str | None]]) -> Iterator[Record | Problem]:
    for item in json_lines(path, lines):
        yield item if isinstance(item, Problem) else _record(item[1], item[0])


def _read_whole(path: Path) -> Iterator[Record | Problem]:
    for item in stream_json(path):
        if isinstance(item, Problem):
            yield item
        elif item[0]:
            yield _record(item[1], f"{path}:record {item[0]}")
        elif isinstance(item[1], dict):
            yield _record(item[1], f"{path}:1")
        else:
            yield Problem(str(path), "expected doccano records: JSON objects, one per line")


def _record(item: Any, source: str) -> Record | Problem:
    try:
        return record_from_json(item, source)
    except ValueError as exc:
        return Problem(source, str(exc))
    except (KeyError, TypeError) as exc:
        return Problem(source, f"malformed record: {exc!r}")


def record_from_json(item: Any, source: str) -> Record:
    """A doccano record as a Record; ``ValueError`` says what is wrong."""
    if not isinstance(item, dict):
        raise ValueError("a record must be a JSON object")
    text_key = next((k for k in TEXT_KEYS if isinstance(item.get(k), str)), None)
    if text_key is None:
        raise ValueError('missing "text" string')
    text = item[text_key]
    if not text.strip():
        raise ValueError("empty text")
    label_key = next((k for k in LABEL_KEYS if k in item), None)
    owner_key = next((k for k in OWNER_KEYS if item.get(k) not in (None, "")), None)
    used = {text_key, label_key, owner_key, "entities", "relations", "meta", "id"}
    meta = dict(item["meta"]) if isinstance(item.get("meta"), dict) else {}
    if "meta" in item and not isinstance(item["meta"], dict):
        meta["meta"] = item["meta"]
    for key, value in item.items():
        if key not in used:
            meta.setdefault(key, value)
    if "id" in item:
        meta["doccano_id"] = item["id"]
    record = Record(text=text, source=source, meta=meta)
    spans: list[Span] = []
    by_id: dict[Any, Span] = {}

    def add(start: Any, end: Any, label: Any, what: str) -> Span:
        start, end = offset_value(start, f"{what}: start"), offset_value(end, f"{what}: end")
        if not isinstance(label, str) or not label:
            raise ValueError(f"{what}: the label must be a non-empty string")
        spans.append(Span(len(spans) + 1, start, end, label, "import"))
        return spans[-1]

    entities = item.get("entities") or []
    if not isinstance(entities, list):
        raise ValueError('"entities" must be a list')
    for number, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict):
            raise ValueError(f"entity {number} is not an object")
        span = add(entity.get("start_offset"), entity.get("end_offset"), entity.get("label"), f"entity {number}")
        key = entity.get("id", number - 1)
        if key in by_id:
            raise ValueError(f"entity id {key!r} is used twice")
        by_id[key] = span
    labels = item.get(label_key) if label_key else None
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError(f'"{label_key}" must be a list of [start, end, label]')
        for number, triple in enumerate(labels, start=1):
            if not isinstance(triple, list) or len(triple) != 3:
                raise ValueError(
                    f'"{label_key}" item {number} is {json.dumps(triple)[:60]}, not [start, end, label] '
                    "(a text classification file is not a span format)"
                )
            add(*triple, f'"{label_key}" item {number}')
    relations: dict[tuple[int, int, str], Relation] = {}
    links = item.get("relations") or []
    if not isinstance(links, list):
        raise ValueError('"relations" must be a list')
    for number, link in enumerate(links, start=1):
        if not isinstance(link, dict):
            raise ValueError(f"relation {number} is not an object")
        head, child = by_id.get(link.get("from_id")), by_id.get(link.get("to_id"))
        if head is None or child is None:
            raise ValueError(
                f"relation {number} from {link.get('from_id')!r} to {link.get('to_id')!r} "
                "names an entity id the record does not have"
            )
        label = link.get("type")
        if not isinstance(label, str) or not label:
            raise ValueError(f'relation {number}: "type" must be a non-empty string')
        if (head.id, child.id, label) not in relations:
            relations[head.id, child.id, label] = Relation(len(relations) + 1, head.id, child.id, label, "import")
    if spans or relations:
        owner = _owner(item.get(owner_key) if owner_key else None)
        record.sets.append(SetData(owner, None, spans, list(relations.values())))
    return record


def _owner(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{USER_PREFIX}{value}"
    if isinstance(value, dict):  # a user object
        return _owner(value.get("username") or value.get("email") or value.get("id"))
    return None


def sniff(path: Path) -> bool:
    """A JSON Lines or JSON file whose first record has a text string and
    doccano's ``entities`` or ``[[start, end, label]]`` labels (never
    Prodigy's ``spans``, nor SpERT's token lists, which have no text)."""
    if not path.is_file() or path.suffix.lower() not in (".jsonl", ".ndjson", ".json"):
        return False
    first = first_record(path)
    if not isinstance(first, dict) or not any(isinstance(first.get(k), str) for k in TEXT_KEYS):
        return False
    if isinstance(first.get("entities"), list):
        return True
    return any(
        isinstance(first.get(k), list) and all(isinstance(x, list) for x in first[k]) for k in LABEL_KEYS
    )


# -- writing -------------------------------------------------------------------
def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    report = WriteReport(files=[out])
    with open(out, "w", encoding="utf-8") as fh:
        for document, aset in items:
            count_extras(report, aset, "doccano")
            count_suggestions(report, aset, "doccano", owner_kept=True)
            entities, ids = [], {}
            for span in aset.sorted_spans():
                if span.fragments:
                    report.lose("discontinuous spans (doccano has none)")
                    continue
                ids[span.id] = len(entities)
                entities.append(
                    {"id": ids[span.id], "label": span.label, "start_offset": span.start, "end_offset": span.end}
                )
            relations = []
            for rel in aset.sorted_relations():
                if rel.head not in ids or rel.child not in ids:
                    report.lose("relations of spans not written")
                    continue
                relations.append(
                    {"id": len(relations), "from_id": ids[rel.head], "to_id": ids[rel.child], "type": rel.label}
                )
            meta = {k: v for k, v in document.meta.items() if k != "doccano_id"}
            line: dict[str, Any] = {
                "id": document.meta.get("doccano_id", document.id),
                "text": document.text,
                "entities": entities,
                "relations": relations,
                "user": aset.owner,
            }
            if meta:
                line["meta"] = meta
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            report.documents += 1
            report.spans += len(entities)
            report.relations += len(relations)
    return report


register(
    FormatSpec(
        name="doccano",
        description="doccano JSONL (relation projects with entities/relations, sequence labelling with label)",
        reader=read,
        writer=write,
        extensions=(".jsonl",),
        sniff=sniff,
    )
)
