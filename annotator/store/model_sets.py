"""Reads over the ``model:<name>`` suggestion sets: which documents no one has
opened, and how sure a model was of each document.

A document's confidence under a model is the lower of the model's score for
its whole suggestion set and the lowest score of its suggested relations
(relation scores are in the relation's ``attrs``). The set's own ``score`` is
a trained model's probability that its entities for the whole document are
right, which also falls when it weighed entities it did not suggest. A set
without its own score (a model that gives none) counts the lowest score of
its spans instead; a set without any scores counts as fully confident (1.0).
Documents without the model's set (opened before the model suggested
anything) come last in the "most uncertain first" order. Ties keep import
order, so the order is fixed for a given model.
"""
from __future__ import annotations

from typing import Sequence

from ..core.model import MODEL_PREFIX
from .project import Project
from .rows import chunks

_UNOPENED = (
    "NOT EXISTS (SELECT 1 FROM annotation_sets o WHERE o.document_id = d.id AND substr(o.owner, 1, ?) != ?)"
)
_CONFIDENCE = """coalesce(min(
    coalesce(ms.score, (SELECT min(sp.score) FROM spans sp WHERE sp.set_id = ms.id), 1.0),
    coalesce((SELECT min(json_extract(r.attrs, '$.score')) FROM relations r WHERE r.set_id = ms.id), 1.0)
), 1.0)"""


def unopened_document_ids(project: Project, document_ids: Sequence[int] | None = None) -> list[int]:
    """Documents (of ``document_ids``, else all) that have no set but
    ``model:`` suggestions: no annotator or reviewer has opened them."""
    params: list = [len(MODEL_PREFIX), MODEL_PREFIX]
    if document_ids is None:
        rows = project.db.execute(f"SELECT d.id FROM documents d WHERE {_UNOPENED} ORDER BY d.id", params)
        return [r[0] for r in rows]
    out: list[int] = []
    for chunk in chunks(document_ids):
        marks = ",".join("?" * len(chunk))
        rows = project.db.execute(f"SELECT d.id FROM documents d WHERE d.id IN ({marks}) AND {_UNOPENED}", [*chunk, *params])
        out.extend(r[0] for r in rows)
    return sorted(out)


def document_confidences(project: Project, document_ids: Sequence[int], model_owner: str) -> dict[int, float]:
    """The confidence of ``model_owner`` in each document that has its set."""
    out: dict[int, float] = {}
    for chunk in chunks(document_ids):
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT ms.document_id, {_CONFIDENCE} FROM annotation_sets ms "
            f"WHERE ms.owner = ? AND ms.document_id IN ({marks})"
        )
        out.update(dict(project.db.execute(sql, [model_owner, *chunk]).fetchall()))
    return out


def uncertain_document_ids(
    project: Project, model_owner: str, *, offset: int = 0, limit: int = -1, **filters: str | None
) -> list[int]:
    """Like ``Project.document_ids`` (the same ``owner``, ``status`` and
    ``search`` filters), least confident first."""
    clause, params = project._doc_filter(filters.get("owner"), filters.get("status"), filters.get("search"))
    sql = (
        f"SELECT d.id FROM documents d LEFT JOIN annotation_sets ms ON ms.document_id = d.id AND ms.owner = ?{clause} "
        f"ORDER BY ms.id IS NULL, {_CONFIDENCE}, d.id LIMIT ? OFFSET ?"
    )
    return [r[0] for r in project.db.execute(sql, [model_owner, *params, limit, offset])]
