"""Prodigy-style JSONL: one task per line with text, meta, tokens, spans,
relations and an answer.

Reading: ``spans`` (``start``/``end``/``label``), ``relations`` (``head_span``
and ``child_span`` with ``label``), ``tokens`` (kept as the document's
tokenisation), ``answer`` (accept -> done, reject, ignore), and
``_annotator_id`` / ``_session_id`` as the owner. A line with just ``text`` and
``meta`` is a plain document.

Writing follows Prodigy's shape so the file works in Prodigy unchanged:
``head``/``child`` of a relation are the index of the last token of each span,
``token_end`` is inclusive, and ``_input_hash``/``_task_hash`` are 32-bit
signed integers derived from the text and the annotations.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

from ..core.model import ORIGINS, AnnotationSet, Document, Problem, Record, Relation, SetData, Span, Token
from ..core.scheme import Scheme
from ..core.validate import TokenIndex
from .json_input import json_lines, offset_value
from .losses import count_extras, count_widened
from .registry import FormatSpec, Items, WriteReport, iter_lines, read_head, register

ANSWER_STATUS = {"accept": "done", "reject": "rejected", "ignore": "ignored"}
STATUS_ANSWER = {"rejected": "reject", "ignored": "ignore", "skipped": "ignore"}


def hash32(value: str) -> int:
    """A stable 32-bit signed integer hash of a string."""
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:4], "little", signed=True)


# -- reading -------------------------------------------------------------------
def read(path: Path) -> Iterator[Record | Problem]:
    for item in json_lines(path, iter_lines(path)):
        if isinstance(item, Problem):
            yield item
            continue
        source, task = item
        try:
            yield task_to_record(task, source)
        except (KeyError, TypeError, ValueError) as exc:
            yield Problem(source, str(exc) if isinstance(exc, ValueError) else f"malformed task: {exc!r}")


def task_to_record(task: Any, source: str) -> Record:
    """A Prodigy task dict as a Record; ``ValueError`` says what is wrong."""
    if not isinstance(task, dict):
        raise ValueError("a line must be a JSON object")
    text = task.get("text")
    if not isinstance(text, str):
        raise ValueError('missing "text" string')
    if not text.strip():
        raise ValueError("empty text")
    meta = task.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError('"meta" must be an object')
    tokens = _tokens(task.get("tokens"), text)
    record = Record(text=text, source=source, meta=dict(meta), tokens=tokens)
    has_annotations = "spans" in task or "relations" in task or "answer" in task
    if not has_annotations:
        return record
    spans: list[Span] = []
    listed: dict[tuple[int, int, str], Span] = {}

    def read_span(item: Any, what: str) -> tuple[int, int, str]:
        if not isinstance(item, dict) or not all(k in item for k in ("start", "end", "label")):
            raise ValueError(f"{what} needs start, end and label: {json.dumps(item)[:80]}")
        label = item["label"]
        if not isinstance(label, str) or not label:
            raise ValueError(f"{what}: the label must be a non-empty string")
        return offset_value(item["start"], f"{what}: start"), offset_value(item["end"], f"{what}: end"), label

    for number, item in enumerate(_list(task, "spans"), start=1):
        key = read_span(item, f"span {number}")
        spans.append(Span(len(spans) + 1, *key, span_origin(item)))
        listed.setdefault(key, spans[-1])
    relations = []
    for number, item in enumerate(_list(task, "relations"), start=1):
        if not isinstance(item, dict) or "head_span" not in item or "child_span" not in item:
            raise ValueError(f"relation {number} without head_span and child_span")
        ends = []
        for role in ("head_span", "child_span"):
            # a relation repeats its spans: the one listed in "spans", else a new one
            key = read_span(item[role], f"relation {number} {role}")
            if key not in listed:
                spans.append(Span(len(spans) + 1, *key, span_origin(item[role])))
                listed[key] = spans[-1]
            ends.append(listed[key])
        label = item.get("label")
        if not isinstance(label, str) or not label:
            raise ValueError(f"relation {number}: the label must be a non-empty string")
        relations.append(Relation(len(relations) + 1, ends[0].id, ends[1].id, label, "import"))
    answer = task.get("answer", "accept")
    if answer not in ANSWER_STATUS:
        raise ValueError(f'unknown answer {answer!r} (expected accept, reject or ignore)')
    owner = task.get("_annotator_id") or task.get("_session_id")
    if owner is not None and not isinstance(owner, str):
        raise ValueError(f"_annotator_id and _session_id must be strings, not {json.dumps(owner)[:40]}")
    record.sets.append(SetData(owner or None, ANSWER_STATUS[answer], spans, relations))
    return record


def _list(task: dict, key: str) -> list:
    value = task.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f'"{key}" must be a list')
    return value


def _tokens(items: Any, text: str) -> list[Token] | None:
    """The file's tokens, in order, non-empty and not overlapping; None when it has none."""
    if not items:
        return None
    if not isinstance(items, list):
        raise ValueError('"tokens" must be a list')
    tokens = []
    previous_end = 0
    for i, tok in enumerate(items):
        if not isinstance(tok, dict) or "start" not in tok or "end" not in tok:
            raise ValueError(f"token {i} needs start and end: {json.dumps(tok)[:80]}")
        start, end = offset_value(tok["start"], f"token {i}: start"), offset_value(tok["end"], f"token {i}: end")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"token {i} [{start}, {end}) is empty or lies outside the text")
        if start < previous_end:
            raise ValueError(f"token {i} [{start}, {end}) starts before the previous token ends ({previous_end})")
        previous_end = end
        tokens.append((start, end, tok.get("ws")))
    out = []
    for i, (start, end, ws) in enumerate(tokens):
        if ws is None:
            ws = i + 1 < len(tokens) and tokens[i + 1][0] > end or (i + 1 == len(tokens) and end < len(text))
        out.append(Token(start, end, bool(ws)))
    return out


def sniff(path: Path) -> bool:
    """A .jsonl file whose first record has Prodigy's keys (not doccano's)."""
    if not path.is_file() or path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    first = read_head(path, 1 << 20).lstrip("\ufeff").split("\n", 1)[0]
    try:
        task = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        return False  # a pretty-printed object (doccano's export) or not JSONL at all
    return (
        isinstance(task, dict)
        and isinstance(task.get("text"), str)
        and "entities" not in task
        and not isinstance(task.get("label"), list)
    )


# -- writing -------------------------------------------------------------------
def span_origin(item: dict) -> str:
    """A span's ``origin`` as this writer keeps it; ``import`` when the file
    gives none (Prodigy itself writes none) or one this tool does not know."""
    origin = item.get("origin")
    return origin if isinstance(origin, str) and origin in ORIGINS else "import"


def tokens_out(document: Document) -> list[dict]:
    return [
        {"text": document.text[t.start : t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
        for i, t in enumerate(document.tokens)
    ]


def span_out(span: Span, index: TokenIndex, text: str) -> dict:
    rng = index.covering(span.start, span.end)
    out: dict[str, Any] = {"text": text[span.start : span.end], "start": span.start, "end": span.end}
    if rng is not None:
        out["token_start"], out["token_end"] = rng
    out["label"] = span.label
    out["origin"] = span.origin
    return out


def set_to_task(document: Document, aset: AnnotationSet, *, with_relations: bool = False) -> dict:
    """A document and one annotation set as a Prodigy task.

    Each span carries its ``text``, as Prodigy writes it; ``relations`` is
    written, empty or not, when the set has some or ``with_relations`` is on
    (the scheme has relation types: Prodigy's relation readers need the key).
    A discontinuous span is written with its outer bounds.
    """
    index = TokenIndex(document.tokens)
    spans = aset.sorted_spans()
    span_dicts = {s.id: span_out(s, index, document.text) for s in spans}
    relations = []
    for rel in aset.sorted_relations():
        head, child = span_dicts[rel.head], span_dicts[rel.child]
        relations.append(
            {
                "head": head.get("token_end"),
                "child": child.get("token_end"),
                "head_span": head,
                "child_span": child,
                "label": rel.label,
            }
        )
    task: dict[str, Any] = {
        "text": document.text,
        "meta": dict(document.meta),
        "_input_hash": hash32(document.text),
    }
    task["_task_hash"] = hash32(
        json.dumps([document.text, list(span_dicts.values()), relations], sort_keys=True)
    )
    task["tokens"] = tokens_out(document)
    task["spans"] = list(span_dicts.values())
    if relations or with_relations:
        task["relations"] = relations
    task["answer"] = STATUS_ANSWER.get(aset.status, "accept")
    task["_view_id"] = "relations" if relations else "ner_manual"
    task["_annotator_id"] = aset.owner
    task["_session_id"] = aset.owner
    return task


def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    report = WriteReport(files=[out])
    with open(out, "w", encoding="utf-8") as fh:
        for document, aset in items:
            count_extras(report, aset, "Prodigy JSONL")
            count_widened(report, aset, "Prodigy JSONL")
            task = set_to_task(document, aset, with_relations=bool(scheme and scheme.relations))
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
            report.documents += 1
            report.spans += len(task["spans"])
            report.relations += len(task.get("relations", ()))
    return report


register(
    FormatSpec(
        name="jsonl",
        description="Prodigy-style JSONL (text, meta, tokens, spans, relations, answer)",
        reader=read,
        writer=write,
        aliases=("prodigy",),
        extensions=(".jsonl", ".ndjson"),
        sniff=sniff,
    )
)
