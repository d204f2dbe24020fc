"""Disagreement counts for the review queue, computed in SQL.

Counts the same thing as ``core.adjudicate.Candidates.disagreements``, for
every document at once without building a span object: the distinct spans
``(start, end, label)`` and relations ``(head span, child span, label)`` of
the compared annotators' sets that not every one of those sets has. A
symmetric relation's ends are put in the same order as ``relation_key`` does
(the smaller ``(start, end, label)`` first).
"""
from __future__ import annotations

from typing import Collection, Sequence

from .project import Project

# One small GROUP BY per document (correlated subqueries) is about twice as
# fast as one GROUP BY over every span of the project, which sorts them all.
_SQL = """
WITH sizes AS (
    SELECT document_id, count(*) AS k FROM annotation_sets WHERE owner IN ({owners}){finished} GROUP BY document_id
)
SELECT z.document_id,
    (SELECT count(*) FROM (
        SELECT count(DISTINCT c.id) AS n
        FROM annotation_sets c JOIN spans s ON s.set_id = c.id
        WHERE c.document_id = z.document_id AND c.owner IN ({owners}){finished_c}
        GROUP BY s.start, s.end, s.label
    ) WHERE n < z.k)
    +
    (SELECT count(*) FROM (
        SELECT count(DISTINCT set_id) AS n FROM (
            SELECT c.id AS set_id, r.label AS label,
                   h.start AS hs, h.end AS he, h.label AS hl, t.start AS ts, t.end AS te, t.label AS tl,
                   (r.label IN ({symmetric}) AND (t.start, t.end, t.label) < (h.start, h.end, h.label)) AS swap
            FROM annotation_sets c
            JOIN relations r ON r.set_id = c.id
            JOIN spans h ON h.id = r.head_id
            JOIN spans t ON t.id = r.child_id
            WHERE c.document_id = z.document_id AND c.owner IN ({owners}){finished_c}
        )
        GROUP BY label,
                 CASE WHEN swap THEN ts ELSE hs END, CASE WHEN swap THEN te ELSE he END,
                 CASE WHEN swap THEN tl ELSE hl END, CASE WHEN swap THEN hs ELSE ts END,
                 CASE WHEN swap THEN he ELSE te END, CASE WHEN swap THEN hl ELSE tl END
    ) WHERE n < z.k)
FROM sizes z
"""


def disagreement_counts(
    project: Project,
    owners: Sequence[str],
    symmetric: Collection[str] = (),
    *,
    statuses: Collection[str] | None = None,
) -> dict[int, int]:
    """Disagreements per document among ``owners``' sets.

    Only sets whose status is in ``statuses`` are compared (None: every
    set). Returns ``{document_id: count}`` for every document at least one
    such set belongs to (a document with one set counts 0); empty when
    ``owners`` is empty.
    """
    if not owners:
        return {}
    symmetric = sorted(symmetric)
    wanted = sorted(statuses) if statuses is not None else []
    marks = ",".join("?" * len(wanted))
    sql = _SQL.format(
        owners=",".join("?" * len(owners)),
        symmetric=",".join("?" * len(symmetric)) or "NULL",
        finished=f" AND status IN ({marks})" if statuses is not None else "",
        finished_c=f" AND c.status IN ({marks})" if statuses is not None else "",
    )
    params = [*owners, *wanted, *owners, *wanted, *symmetric, *owners, *wanted]
    return dict(project.db.execute(sql, params).fetchall())
