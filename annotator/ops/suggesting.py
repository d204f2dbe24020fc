"""Refreshing a model's suggestions on the documents no one has opened yet."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core.model import MODEL_PREFIX, Relation, Span
from ..core.scheme import Scheme
from ..core.validate import TokenIndex
from ..store.model_sets import unopened_document_ids
from ..store.project import Project
from .importing import model_name

CHUNK = 128


@dataclass
class SuggestReport:
    """What a refresh wrote: documents, spans and relations, and the
    documents left alone because someone opened them meanwhile."""

    owner: str
    documents: int = 0
    spans: int = 0
    relations: int = 0
    skipped_opened: int = 0

    def summary(self) -> str:
        return (
            f"{self.owner}: {self.documents} documents refreshed, {self.spans} spans, {self.relations} relations"
            + (f", {self.skipped_opened} opened meanwhile and left alone" if self.skipped_opened else "")
        )


def allowed(spans: list[Span], relations: list[Relation], scheme: Scheme) -> tuple[list[Span], list[Relation]]:
    """The spans whose label the scheme has, and the relations between them
    whose type the scheme has and accepts for the two labels."""
    spans = [s for s in spans if scheme.label(s.label) is not None]
    by_id = {s.id: s for s in spans}
    kept = []
    for rel in relations:
        head, child, kind = by_id.get(rel.head), by_id.get(rel.child), scheme.relation(rel.label)
        if head is not None and child is not None and kind is not None and kind.accepts(head.label, child.label):
            kept.append(rel)
    return spans, kept


def suggest(
    project: Project,
    model: str | Path,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SuggestReport:
    """Run ``model`` on every document no one has opened and replace its
    ``model:<name>`` set with the new suggestions (spans with scores,
    relations with ``attrs["score"]``). Each document is written in its own
    transaction, so stopping between documents (``cancelled()`` turning
    true, ``progress`` raising ``CancelledError``, or the process being
    killed) leaves every document with either its old or its new set. A
    document someone opens while this runs is left as it is: each write
    checks again, in its transaction.
    """
    from ..nlp.pipeline import analyze_documents, load_pipeline

    nlp = load_pipeline(str(model), language=project.language)
    report = SuggestReport(owner=MODEL_PREFIX + model_name(str(model)))
    scheme = project.scheme
    todo = unopened_document_ids(project)
    done = 0
    for first in range(0, len(todo), CHUNK):
        documents = [project.document(doc_id) for doc_id in todo[first:first + CHUNK]]
        for document, analysis in zip(documents, analyze_documents(nlp, documents, origin="model")):
            if cancelled is not None and cancelled():
                return report
            _write_one(project, document, analysis, scheme, report)
            done += 1
            if progress is not None:
                progress(done, len(todo))
    return report


def _write_one(project: Project, document, analysis, scheme: Scheme, report: SuggestReport) -> None:
    """Replace one document's suggestion set, in one transaction, unless someone opened it."""
    with project.transaction():
        if not unopened_document_ids(project, [document.id]):
            report.skipped_opened += 1
            return
        index = TokenIndex(document.tokens)
        spans = [s for s in analysis.spans if index.is_start(s.start) and index.is_end(s.end)]
        spans, relations = allowed(spans, analysis.relations, scheme)
        project.write_set(
            document.id, report.owner, spans, relations, status="done", who=report.owner, score=analysis.score, read_back=False
        )
    report.documents += 1
    report.spans += len(spans)
    report.relations += len(relations)
