"""Agreement between the annotators of a project: loading for ``core.agreement``.

Reads the statuses of the compared annotators' sets first, picks the
documents that count, and loads tokens and annotations for those only.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..core.agreement import AgreementReport, DocumentSets, compute_agreement, select_documents
from ..core.errors import AgreementError
from ..core.model import GOLD, AnnotationSet, is_suggestion_owner
from ..store.project import Project


def default_annotators(project: Project) -> list[str]:
    """Every owner of a set except ``gold`` and pre-annotators (``model:...``), by name."""
    return [o for o in project.owners() if o != GOLD and not is_suggestion_owner(o)]


def agreement(
    project: Project,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    include_unfinished: bool = False,
) -> AgreementReport:
    """Agreement figures for ``annotators`` over the project's documents.

    Args:
        project: the open project.
        annotators: owners to compare, in pair order; default
            ``default_annotators(project)``.
        labels: span labels to compare; spans with other labels are left
            out, and so are relations that touch them. Default: all.
        include_unfinished: also compare documents not every annotator has
            finished (done or reviewed); by default only those count.

    Returns:
        The core ``AgreementReport``; ``documents_considered`` is the number
        of documents in the project, ``documents`` how many were compared.

    Raises:
        AgreementError: fewer than two annotators, an annotator without sets,
            or a label neither the scheme nor any span has.
    """
    names = list(annotators) if annotators is not None else default_annotators(project)
    wanted = _check_labels(project, labels)
    stubs: dict[int, dict[str, AnnotationSet]] = {}
    for doc_id, owner, status in project.set_rows(names):
        stubs.setdefault(doc_id, {})[owner] = AnnotationSet(doc_id, owner, status)
    candidates = [DocumentSets(doc_id, (), stubs.get(doc_id, {})) for doc_id in project.document_ids()]
    chosen = [d.document_id for d in select_documents(candidates, names, include_all=include_unfinished)]
    tokens = project.document_tokens(chosen)
    sets = project.load_sets(chosen, names)
    if wanted is not None:
        sets = {d: {o: _only_labels(s, wanted) for o, s in by_owner.items()} for d, by_owner in sets.items()}
    loaded = {d: DocumentSets(d, tokens[d], sets.get(d, {})) for d in chosen}
    documents = [loaded.get(d.document_id, d) for d in candidates]
    symmetric = [r.name for r in project.scheme.relations if r.symmetric]
    return compute_agreement(
        documents, names, include_all=include_unfinished, symmetric_relations=symmetric
    )


def _check_labels(project: Project, labels: Sequence[str] | None) -> frozenset[str] | None:
    if labels is None:
        return None
    known = set(project.scheme.label_names) | set(project.stats()["spans"])
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise AgreementError(
            f"unknown label {', '.join(map(repr, unknown))}; labels in the project: {', '.join(sorted(known))}"
        )
    return frozenset(labels)


def _only_labels(aset: AnnotationSet, labels: frozenset[str]) -> AnnotationSet:
    spans = {sid: s for sid, s in aset.spans.items() if s.label in labels}
    relations = {rid: r for rid, r in aset.relations.items() if r.head in spans and r.child in spans}
    return replace(aset, spans=spans, relations=relations)
