"""Label Studio JSON: the list of tasks Label Studio exports and imports.

Reading. The file is a JSON array of tasks (a single task object is read as a
list of one). The text is ``data.text``, else the first string value in
``data``; a task without ``data`` is its own data, as Label Studio allows. The
other ``data`` values and the task's ``meta`` become the document's metadata,
with the task id as ``ls_task_id``.

- Each entry of ``annotations`` (``completions`` in files older than 1.0) is a
  set. Its owner is the entry's ``owner`` (which this writer adds), else its
  ``completed_by``: the ``email`` of a user object, the string itself, or
  ``ls-user-<id>`` for a bare user id (exports give ids, and the id is all the
  file says about the user). ``was_cancelled`` makes the set ``skipped``,
  anything else ``done``.
- Each prediction is a ``model:<model_version>`` set (``model:labelstudio``
  without a version). Predictions come from ``predictions`` when it holds
  objects, and from the ``prediction`` an annotation embeds (an export lists
  only prediction ids in ``predictions``); the first one per owner is kept.
- Results of type ``labels`` are spans, one per label (two regions with the
  same offsets and label are two spans here: the importer merges and counts
  them, see ``core.alignment``). In an annotation, a
  region with ``origin: prediction`` (accepted unchanged from a model) gets
  span origin ``model``, any other ``import``; in a prediction every span is
  ``model``, with the result's ``score``.
- Results of type ``relation`` are relations, one per label (labelled
  ``relation`` when they have none): direction ``right`` goes from
  ``from_id`` to ``to_id``, ``left`` the other way, ``bi`` gives both edges,
  each with ``attrs={"direction": "bi"}`` (a reader does not see the project's
  scheme, so it cannot fold them into one edge for a symmetric type).
- Other result types (choices, text areas, ratings ...) and ``drafts`` are not
  read.

Offsets. Label Studio counts code points, as Python does, since its 2022
front end (its own tests check "offsets by code points"); older versions
counted UTF-16 code units, which differ from code points after any character
outside the Basic Multilingual Plane (most emoji). Offsets are read as code
points; when a result records ``value.text`` that does not match there but
matches at the offsets read as UTF-16 units, they are converted. When neither
matches, the task is rejected: nothing is guessed.

Writing: one task per document with all its sets. ``data.text`` and ``meta``;
each person's set an annotation with ``owner``, ``was_cancelled`` for a
skipped set, ``ground_truth`` for ``gold``, and ``completed_by: {"email": ...}``
when the owner is an email address (Label Studio matches it to a member; other
owners are left to the importing user, since Label Studio rejects user ids it
does not know); each ``model:`` set a prediction with its ``model_version``.
Regions use ``from_name="label"`` and ``to_name="text"``, the names of Label
Studio's NER template, with code-point offsets and ``value.text``. A pair of
opposite edges with the same label is written as one ``bi`` relation when
both came from one (``direction: bi``) or the scheme calls the type
symmetric. Discontinuous spans, which Label Studio cannot hold, are not
written, nor their relations.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from functools import lru_cache
from itertools import count, groupby
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core.model import (
    GOLD, MODEL_PREFIX, AnnotationSet, Document, Problem, Record, Relation, SetData, Span, is_suggestion_owner,
)
from ..core.scheme import Scheme
from .json_input import first_record, offset_value, stream_json
from .losses import count_extras
from .registry import FormatSpec, Items, WriteReport, read_head, register

FROM_NAME = "label"
TO_NAME = "text"
UNLABELLED_RELATION = "relation"
DEFAULT_MODEL = "labelstudio"
USER_PREFIX = "ls-user-"
TASK_KEYS = ("id", "annotations", "completions", "predictions", "drafts", "meta")


# -- reading -------------------------------------------------------------------
def read(path: Path) -> Iterator[Record | Problem]:
    for item in stream_json(path):
        if isinstance(item, Problem):
            yield item
            return
        number, task = item
        if number == 0 and not isinstance(task, dict):
            yield Problem(str(path), "expected a JSON array of Label Studio tasks")
            return
        source = f"{path}:task {max(number, 1)}"
        try:
            yield task_to_record(task, source)
        except ValueError as exc:
            yield Problem(source, str(exc))
        except (KeyError, TypeError, AttributeError) as exc:
            yield Problem(source, f"malformed task: {exc!r}")


def task_to_record(task: Any, source: str) -> Record:
    """A Label Studio task as a Record; ``ValueError`` says what is wrong."""
    if not isinstance(task, dict):
        raise ValueError("a task must be a JSON object")
    if "data" in task:
        data = task["data"]
        if not isinstance(data, dict):
            raise ValueError('"data" must be an object')
    else:
        data = {k: v for k, v in task.items() if k not in TASK_KEYS}
    text_key = "text" if isinstance(data.get("text"), str) else next(
        (k for k, v in data.items() if isinstance(v, str)), None
    )
    if text_key is None:
        raise ValueError('no text: "data" has no string value')
    text = data[text_key]
    if not text.strip():
        raise ValueError("empty text")
    meta = {k: v for k, v in data.items() if k != text_key}
    if isinstance(task.get("meta"), dict):
        meta.update(task["meta"])
    if "data" in task and "id" in task:
        meta["ls_task_id"] = task["id"]
    record = Record(text=text, source=source, meta=meta)
    annotations = task.get("annotations", task.get("completions")) or []
    if not isinstance(annotations, list):
        raise ValueError('"annotations" must be a list')
    predictions: dict[str, SetData] = {}
    for number, annotation in enumerate(annotations, start=1):
        if not isinstance(annotation, dict):
            raise ValueError(f"annotation {number} is not an object")
        where = f"annotation {number}"
        spans, relations = _read_result(annotation.get("result"), text, where, prediction=False)
        status = "skipped" if annotation.get("was_cancelled") else "done"
        record.sets.append(SetData(annotation_owner(annotation), status, spans, relations))
        embedded = annotation.get("prediction")
        if isinstance(embedded, dict) and "result" in embedded:
            _add_prediction(predictions, embedded, text, f"{where}, its prediction")
    listed = task.get("predictions") or []
    if not isinstance(listed, list):
        raise ValueError('"predictions" must be a list')
    for number, prediction in enumerate(listed, start=1):
        if isinstance(prediction, dict):
            _add_prediction(predictions, prediction, text, f"prediction {number}")
    record.sets.extend(predictions.values())
    return record


def annotation_owner(annotation: dict) -> str | None:
    """Who made an annotation: ``owner``, else the ``completed_by`` email,
    string or ``ls-user-<id>``; None when the file does not say."""
    owner = annotation.get("owner")
    if isinstance(owner, str) and owner:
        return owner
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        email = user.get("email")
        if isinstance(email, str) and email:
            return email
        user = user.get("id")
    if isinstance(user, str) and user:
        return user
    if isinstance(user, int) and not isinstance(user, bool):
        return f"{USER_PREFIX}{user}"
    return None


def _add_prediction(predictions: dict[str, SetData], prediction: dict, text: str, where: str) -> None:
    version = prediction.get("model_version")
    owner = MODEL_PREFIX + (str(version) if version not in (None, "") else DEFAULT_MODEL)
    if owner in predictions:
        return
    spans, relations = _read_result(prediction.get("result"), text, where, prediction=True)
    score = prediction.get("score")
    valid = isinstance(score, (int, float)) and not isinstance(score, bool) and 0.0 <= score <= 1.0
    predictions[owner] = SetData(owner, "done", spans, relations, float(score) if valid else None)


def _read_result(result: Any, text: str, where: str, *, prediction: bool) -> tuple[list[Span], list[Relation]]:
    if result is None:
        return [], []
    if not isinstance(result, list):
        raise ValueError(f'{where}: "result" must be a list')
    spans: list[Span] = []
    regions: dict[str, Span] = {}
    links = []
    for number, item in enumerate(result, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"{where}, result {number}: not an object")
        kind = item.get("type")
        if kind == "relation":
            links.append(item)
            continue
        if kind != "labels":
            continue
        value = item.get("value")
        labels = value.get("labels") if isinstance(value, dict) else None
        if not labels or not isinstance(labels, list) or not all(isinstance(l, str) for l in labels):
            raise ValueError(f"{where}, result {number}: a labels region needs value.labels, a list of names")
        start, end = region_offsets(text, value, f"{where}, result {number}")
        origin = "model" if prediction or item.get("origin") == "prediction" else "import"
        score = item.get("score") if prediction and isinstance(item.get("score"), (int, float)) else None
        first = None
        for label in dict.fromkeys(labels):
            spans.append(Span(len(spans) + 1, start, end, label, origin, score=score))
            first = first or spans[-1]
        if "id" in item:
            regions.setdefault(str(item["id"]), first)
    relations: dict[tuple[int, int, str], Relation] = {}
    for item in links:
        head, child = regions.get(str(item.get("from_id"))), regions.get(str(item.get("to_id")))
        if head is None or child is None:
            raise ValueError(
                f"{where}: relation from {item.get('from_id')!r} to {item.get('to_id')!r} "
                "names a region the result does not have"
            )
        direction = item.get("direction", "right")
        if direction not in ("right", "left", "bi"):
            raise ValueError(f"{where}: relation direction {direction!r} (expected right, left or bi)")
        pairs = {"right": [(head, child)], "left": [(child, head)], "bi": [(head, child), (child, head)]}[direction]
        attrs = {"direction": "bi"} if direction == "bi" else {}
        origin = "model" if prediction else "import"
        labels = item.get("labels") or [UNLABELLED_RELATION]
        if not isinstance(labels, list) or not all(isinstance(l, str) and l for l in labels):
            raise ValueError(f"{where}: a relation's labels must be a list of names, not {json.dumps(labels)[:60]}")
        for label in labels:
            for a, b in pairs:
                key = (a.id, b.id, str(label))
                if key not in relations:
                    relations[key] = Relation(len(relations) + 1, a.id, b.id, str(label), origin, attrs)
    return spans, list(relations.values())


def region_offsets(text: str, value: dict, where: str) -> tuple[int, int]:
    """The code-point ``(start, end)`` of a region's ``value``.

    Offsets are code points unless ``value.text`` matches only when they are
    read as UTF-16 code units; ``ValueError`` when it matches neither way.
    """
    start = offset_value(value.get("start"), f"{where}: value.start")
    end = offset_value(value.get("end"), f"{where}: value.end")
    expected = value.get("text")
    if not isinstance(expected, str) or text[start:end] == expected:
        return start, end
    converted = utf16_to_index(text, start, end)
    if converted is not None and text[converted[0] : converted[1]] == expected:
        return converted
    raise ValueError(
        f"{where}: the file records {expected!r} at [{start}, {end}), but the text there is "
        f"{text[start:end]!r} (read as code points; as UTF-16 units it does not match either)"
    )


@lru_cache(maxsize=16)
def _utf16_starts(text: str) -> tuple[int, ...]:
    """The UTF-16 offset at which each code point starts, and the total length."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return tuple(offsets)


def utf16_to_index(text: str, start: int, end: int) -> tuple[int, int] | None:
    """UTF-16 code-unit offsets as code-point offsets, or None when either
    falls inside a surrogate pair or outside the text."""
    starts = _utf16_starts(text)
    out = []
    for unit in (start, end):
        i = bisect_left(starts, unit)
        if i == len(starts) or starts[i] != unit:
            return None
        out.append(i)
    return out[0], out[1]


def sniff(path: Path) -> bool:
    """A .json file whose first task has ``data`` or annotations/predictions."""
    if not path.is_file() or path.suffix.lower() != ".json":
        return False
    first = first_record(path)
    if isinstance(first, dict):
        return isinstance(first.get("data"), dict) or any(
            isinstance(first.get(k), list) for k in ("annotations", "completions", "predictions")
        )
    head = read_head(path, 4096)
    return first is None and head.lstrip().startswith("[") and '"data"' in head and '"annotations"' in head


# -- writing -------------------------------------------------------------------
def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    report = WriteReport(files=[out])
    ids = count(1)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for _, group in groupby(items, key=lambda pair: pair[0].id):
            pairs = list(group)
            task = document_to_task(pairs[0][0], [s for _, s in pairs], scheme=scheme, report=report, ids=ids)
            fh.write(("\n" if first else ",\n") + json.dumps(task, ensure_ascii=False))
            first = False
            report.documents += 1
        fh.write("\n]\n")
    return report


def document_to_task(
    document: Document,
    sets: Iterable[AnnotationSet],
    *,
    scheme: Scheme | None = None,
    report: WriteReport | None = None,
    ids: Iterator[int] | None = None,
) -> dict:
    """One Label Studio task for a document and all its sets."""
    report = report if report is not None else WriteReport()
    ids = ids if ids is not None else count(1)
    annotations, predictions = [], []
    for aset in sets:
        result = set_to_result(document.text, aset, scheme=scheme, report=report)
        if is_suggestion_owner(aset.owner):
            prediction: dict[str, Any] = {"model_version": aset.owner[len(MODEL_PREFIX) :], "result": result}
            if aset.score is not None:  # the score Label Studio sorts its tasks by
                prediction["score"] = aset.score
            predictions.append(prediction)
            continue
        annotation: dict[str, Any] = {"id": next(ids)}
        if "@" in aset.owner:
            annotation["completed_by"] = {"email": aset.owner}
        annotation["owner"] = aset.owner
        annotation["result"] = result
        annotation["was_cancelled"] = aset.status == "skipped"
        annotation["ground_truth"] = aset.owner == GOLD
        annotations.append(annotation)
    return {
        "data": {"text": document.text},
        "meta": dict(document.meta),
        "annotations": annotations,
        "predictions": predictions,
    }


def set_to_result(
    text: str, aset: AnnotationSet, *, scheme: Scheme | None = None, report: WriteReport | None = None
) -> list[dict]:
    """A set's spans as ``labels`` regions and its relations as ``relation`` items."""
    report = report if report is not None else WriteReport()
    count_extras(report, aset, "Label Studio", scores=True)
    result: list[dict] = []
    region_ids: dict[int, str] = {}
    for span in aset.sorted_spans():
        if span.fragments:
            report.lose("discontinuous spans (Label Studio has none)")
            continue
        region_ids[span.id] = f"s{span.id}"
        item: dict[str, Any] = {
            "id": region_ids[span.id],
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {
                "start": span.start, "end": span.end, "text": text[span.start : span.end], "labels": [span.label],
            },
            "origin": "prediction" if span.is_suggestion else "manual",
        }
        if span.score is not None:
            item["score"] = span.score
        result.append(item)
        report.spans += 1
    written: set[int] = set()
    relations = aset.sorted_relations()
    for rel in relations:
        if rel.id in written:
            continue
        if rel.head not in region_ids or rel.child not in region_ids:
            report.lose("relations of spans not written")
            continue
        reverse = next(
            (r for r in relations if r.id not in written and r.id != rel.id
             and (r.head, r.child, r.label) == (rel.child, rel.head, rel.label)),
            None,
        )
        both = reverse is not None and (
            _symmetric(scheme, rel.label)
            or (rel.attrs.get("direction") == "bi" and reverse.attrs.get("direction") == "bi")
        )
        written.add(rel.id)
        if both:
            written.add(reverse.id)
        result.append(
            {
                "from_id": region_ids[rel.head],
                "to_id": region_ids[rel.child],
                "type": "relation",
                "direction": "bi" if both else "right",
                "labels": [rel.label],
            }
        )
        report.relations += 2 if both else 1
    return result


def _symmetric(scheme: Scheme | None, label: str) -> bool:
    rtype = scheme.relation(label) if scheme is not None else None
    return bool(rtype and rtype.symmetric)


register(
    FormatSpec(
        name="labelstudio",
        description="Label Studio JSON tasks (data.text, annotations and predictions with labels and relations)",
        reader=read,
        writer=write,
        aliases=("label-studio", "label_studio"),
        extensions=(".json",),
        sniff=sniff,
    )
)
