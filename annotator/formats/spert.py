"""SpERT JSON: tokenised sentences with entities and relations by index.

A file is a JSON array of ``{"tokens": [...], "entities": [{"type", "start",
"end"}], "relations": [{"type", "head", "tail"}], "orig_id": ...}``: entity
``start``/``end`` are token indices (``end`` exclusive), relation ``head``/
``tail`` are entity indices. Its labels live in a types file,
``<dataset>_types.json``: ``{"entities": {name: {"short", "verbose"}},
"relations": {name: {"short", "verbose", "symmetric"}}}``.

Reading: the text is the tokens joined by single spaces and the document
keeps the file's tokens; every sentence is one annotated set (no owner, so the
importer's default), even with no entities, as SpERT files are training data.
``orig_id`` and any other key go into the document's metadata. ``read_scheme``
finds the types file next to the data file (``conll04_train.json`` ->
``conll04_train_types.json``, else ``conll04_types.json``): labels and relation
types with ``verbose`` as their description and ``symmetric`` kept.

Writing: one sentence per annotation set, over the document's stored tokens;
whitespace tokens (spaCy's for line breaks) are left out. Spans become
token ranges; spans that do not start and end on token boundaries (or are
discontinuous) are not written, nor their relations, and the report counts
them. ``orig_id`` is the document's, else its id. The types file
``<stem>_types.json`` is written next to the output from the scheme plus any
label the data uses that the scheme lacks, with the name as ``short`` and the
description (or the name) as ``verbose``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..core.errors import SchemeError
from ..core.model import Problem, Record, Relation, SetData, Span, Token
from ..core.scheme import Scheme
from ..core.validate import TokenIndex
from .json_input import first_record, load_json, stream_json
from .losses import count_extras, count_suggestions
from .registry import FormatSpec, Items, WriteReport, register

TYPES_SUFFIX = "_types.json"


# -- reading -------------------------------------------------------------------
def read(path: Path) -> Iterator[Record | Problem]:
    for item in stream_json(path):
        if isinstance(item, Problem):
            yield item
            return
        number, sentence = item
        if number == 0:
            yield Problem(str(path), "expected a JSON array of SpERT sentences")
            return
        source = f"{path}:sentence {number}"
        try:
            yield sentence_to_record(sentence, source)
        except ValueError as exc:
            yield Problem(source, str(exc))
        except (KeyError, TypeError) as exc:
            yield Problem(source, f"malformed sentence: {exc!r}")


def sentence_to_record(sentence: Any, source: str) -> Record:
    """A SpERT sentence as a Record; ``ValueError`` says what is wrong."""
    if not isinstance(sentence, dict):
        raise ValueError("a sentence must be a JSON object")
    words = sentence.get("tokens")
    if not isinstance(words, list) or not words:
        raise ValueError('"tokens" must be a non-empty list of strings')
    tokens: list[Token] = []
    pos = 0
    for i, word in enumerate(words):
        if not isinstance(word, str) or not word:
            raise ValueError(f"token {i} is {json.dumps(word)}: tokens must be non-empty strings")
        tokens.append(Token(pos, pos + len(word), i + 1 < len(words)))
        pos += len(word) + 1
    text = " ".join(words)
    meta = {k: v for k, v in sentence.items() if k not in ("tokens", "entities", "relations")}
    spans: list[Span] = []
    by_index: list[Span] = []
    seen: dict[tuple[int, int, str], Span] = {}
    for i, entity in enumerate(_list(sentence, "entities")):
        start, end, label = entity.get("start"), entity.get("end"), entity.get("type")
        if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(tokens)):
            raise ValueError(f"entity {i}: tokens [{start}, {end}) are not a range of the {len(tokens)} tokens")
        if not isinstance(label, str) or not label:
            raise ValueError(f'entity {i}: "type" must be a non-empty string')
        key = (tokens[start].start, tokens[end - 1].end, label)
        if key not in seen:
            seen[key] = Span(len(spans) + 1, key[0], key[1], label, "import")
            spans.append(seen[key])
        by_index.append(seen[key])
    relations: dict[tuple[int, int, str], Relation] = {}
    for i, rel in enumerate(_list(sentence, "relations")):
        head, tail, label = rel.get("head"), rel.get("tail"), rel.get("type")
        if not all(_is_int(v) and 0 <= v < len(by_index) for v in (head, tail)):
            raise ValueError(
                f"relation {i}: head {head!r} and tail {tail!r} must be indices of the {len(by_index)} entities"
            )
        if not isinstance(label, str) or not label:
            raise ValueError(f'relation {i}: "type" must be a non-empty string')
        a, b = by_index[head].id, by_index[tail].id
        relations.setdefault((a, b, label), Relation(len(relations) + 1, a, b, label, "import"))
    data = SetData(None, None, spans, list(relations.values()))
    return Record(text=text, source=source, meta=meta, tokens=tokens, sets=[data])


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _list(sentence: dict, key: str) -> list[dict]:
    items = sentence.get(key) or []
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise ValueError(f'"{key}" must be a list of objects')
    return items


def types_path(path: Path) -> Path | None:
    """The types file for a data file: ``<stem>_types.json``, else
    ``<dataset>_types.json`` for ``<dataset>_<split>.json``; None when neither exists."""
    candidates = [path.with_name(path.stem + TYPES_SUFFIX)]
    if "_" in path.stem:
        candidates.append(path.with_name(path.stem.rsplit("_", 1)[0] + TYPES_SUFFIX))
    return next((c for c in candidates if c.is_file() and c != path), None)


def read_scheme(path: Path) -> Scheme | None:
    """The scheme in the SpERT types file next to ``path``, or None without one.

    Raises ``SchemeError`` naming the types file when it is malformed.
    """
    found = types_path(path)
    if found is None:
        return None
    data, error = load_json(found)
    if error:
        raise SchemeError(f"{found}: {error}")
    if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
        raise SchemeError(f'{found}: a SpERT types file is an object with "entities" (and "relations") objects')
    relations = data.get("relations") or {}
    if not isinstance(relations, dict):
        raise SchemeError(f'{found}: "relations" must be an object')

    def description(entry: Any) -> str:
        return str(entry.get("verbose", "")) if isinstance(entry, dict) else ""

    scheme = {
        "name": found.stem[: -len("_types")] or "spert",
        "labels": [{"name": name, "description": description(e)} for name, e in data["entities"].items()],
        "relations": [
            {
                "name": name,
                "description": description(e),
                "symmetric": bool(e.get("symmetric", False)) if isinstance(e, dict) else False,
            }
            for name, e in relations.items()
        ],
    }
    return Scheme.from_dict(scheme, source=str(found))


def sniff(path: Path) -> bool:
    """A .json file whose first element has a list of ``tokens`` and ``entities``."""
    if not path.is_file() or path.suffix.lower() != ".json" or path.name.endswith(TYPES_SUFFIX):
        return False
    first = first_record(path)
    return isinstance(first, dict) and isinstance(first.get("tokens"), list) and "entities" in first


# -- writing -------------------------------------------------------------------
def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    report = WriteReport(files=[out])
    labels: dict[str, None] = {}
    relation_types: dict[str, None] = {}
    sentences = []
    for document, aset in items:
        count_extras(report, aset, "SpERT")
        count_suggestions(report, aset, "SpERT", owner_kept=False)
        words = [t for t in document.tokens if document.text[t.start : t.end].strip()]
        index = TokenIndex(words)
        entities, positions = [], {}
        for span in aset.sorted_spans():
            if span.fragments:
                report.lose("discontinuous spans (SpERT has none)")
                continue
            rng = index.token_range(span.start, span.end)
            if rng is None:
                report.lose("spans not on token boundaries")
                continue
            positions[span.id] = len(entities)
            entities.append({"type": span.label, "start": rng[0], "end": rng[1] + 1})
            labels[span.label] = None
        relations = []
        for rel in aset.sorted_relations():
            if rel.head not in positions or rel.child not in positions:
                report.lose("relations of spans not written")
                continue
            relations.append({"type": rel.label, "head": positions[rel.head], "tail": positions[rel.child]})
            relation_types[rel.label] = None
        sentences.append(
            {
                "tokens": [document.text[t.start : t.end] for t in words],
                "entities": entities,
                "relations": relations,
                "orig_id": document.meta.get("orig_id", document.id),
            }
        )
        report.documents += 1
        report.spans += len(entities)
        report.relations += len(relations)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(sentences, fh, ensure_ascii=False)
    types = out.with_name(out.stem + TYPES_SUFFIX)
    with open(types, "w", encoding="utf-8") as fh:
        json.dump(types_json(scheme, labels, relation_types), fh, ensure_ascii=False, indent=2)
    report.files.append(types)
    return report


def types_json(scheme: Scheme | None, labels: Any = (), relation_types: Any = ()) -> dict:
    """SpERT's types file for a scheme, plus labels and relation types it lacks."""
    entities: dict[str, dict] = {}
    relations: dict[str, dict] = {}
    for label in scheme.labels if scheme else ():
        entities[label.name] = {"short": label.name, "verbose": label.description or label.name}
    for rtype in scheme.relations if scheme else ():
        relations[rtype.name] = {
            "short": rtype.name, "verbose": rtype.description or rtype.name, "symmetric": rtype.symmetric,
        }
    for name in labels:
        entities.setdefault(name, {"short": name, "verbose": name})
    for name in relation_types:
        relations.setdefault(name, {"short": name, "verbose": name, "symmetric": False})
    return {"entities": entities, "relations": relations}


register(
    FormatSpec(
        name="spert",
        description="SpERT JSON (tokens, entities and relations by index) with its _types.json",
        reader=read,
        writer=write,
        extensions=(".json",),
        sniff=sniff,
        read_scheme=read_scheme,
        companions=("*" + TYPES_SUFFIX,),
    )
)
