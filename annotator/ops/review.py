"""Reviewing a project: the gold set, the queue of documents, marking them reviewed.

The reviewer's decisions go into each document's ``gold`` set. It is made
once, the first time the document is opened for review (``prepare_gold``),
from the annotators' sets; after that it is only changed through edits, so
nothing here ever overwrites a gold set.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..core.adjudicate import AUTO_MODES, Candidates, Cluster, candidates, clusters, initial_gold, symmetric_relations
from ..core.edits import SetStatus
from ..core.errors import ReviewError
from ..core.model import GOLD, AnnotationSet, is_suggestion_owner
from ..store.disagreement import disagreement_counts
from ..store.project import Project
from .agreement import default_annotators

REVIEWED = "reviewed"


def review_annotators(project: Project, annotators: Sequence[str] | None = None) -> list[str]:
    """The annotators to compare: ``annotators`` as given, checked, or every
    owner except ``gold`` and pre-annotators, by name.

    Raises:
        ReviewError: a name given twice, ``gold`` or a ``model:`` set among
            them, or a name that owns no set in the project.
    """
    if annotators is None:
        return default_annotators(project)
    names = list(annotators)
    if len(set(names)) != len(names):
        raise ReviewError(f"an annotator is named twice in {names}; name each once")
    owners = set(project.owners())
    for name in names:
        if name == GOLD or is_suggestion_owner(name):
            raise ReviewError(f"{name!r} is not an annotator; compare people's sets, gold is what the review makes")
        if name not in owners:
            known = ", ".join(o for o in sorted(owners) if o != GOLD and not is_suggestion_owner(o)) or "none"
            raise ReviewError(f"no annotation sets by {name!r}; annotators in the project: {known}")
    return names


def check_auto(auto: str) -> str:
    """``auto`` if it is a known mode, else ``ReviewError`` listing them."""
    if auto not in AUTO_MODES:
        raise ReviewError(f"unknown --auto mode {auto!r}; use one of {', '.join(AUTO_MODES)}")
    return auto


@dataclass(frozen=True)
class DocumentReview:
    """What the reviewer decides on one document: its candidates and clusters."""

    document_id: int
    candidates: Candidates
    clusters: tuple[Cluster, ...]

    @property
    def annotators(self) -> tuple[str, ...]:
        """The annotators compared on this document (those with a set), in order."""
        return self.candidates.annotators


def load_review(project: Project, document_id: int, annotators: Sequence[str], *, auto: str = "unanimous") -> DocumentReview:
    """The candidates and clusters of one document among ``annotators``.

    With ``auto='off'`` unanimous items form clusters too, since the gold
    set does not start with them.
    """
    sets = project.load_sets([document_id], annotators).get(document_id, {})
    cands = candidates(sets, annotators, symmetric=symmetric_relations(project.scheme))
    found = clusters(cands, include_unanimous=check_auto(auto) == "off")
    return DocumentReview(document_id, cands, tuple(found))


def prepare_gold(
    project: Project,
    document_id: int,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    *,
    who: str | None = None,
) -> AnnotationSet:
    """The document's gold set, made from the annotators' sets if it has none.

    Args:
        project: the open project.
        document_id: the document.
        annotators: whom to compare (see ``review_annotators``).
        auto: what the new gold set starts with: ``off`` (nothing),
            ``unanimous`` (what every annotator with a set made) or
            ``majority`` (what more than half of them made).
        who: recorded as the set's author (default ``gold``).

    Returns:
        The gold set: the existing one untouched, else a new one with status
        ``new`` (empty when no annotator has a set for the document).

    Raises:
        ReviewError: an unknown mode or annotator.
        ProjectError: no such document.
    """
    check_auto(auto)
    project.document(document_id)
    with project.transaction():
        existing = project.annotation_set(document_id, GOLD)
        if existing is not None:
            return existing
        names = review_annotators(project, annotators)
        review = load_review(project, document_id, names, auto=auto)
        spans, relations = initial_gold(review.candidates, auto)
        return project.write_set(document_id, GOLD, spans, relations, status="new", who=who or GOLD)


def documents_by_disagreement(project: Project, annotators: Sequence[str] | None = None) -> list[tuple[int, int]]:
    """``(document_id, disagreements)`` for every document one of the
    annotators has a set for, most disagreements first, then by id.

    Disagreements are counted as ``Candidates.disagreements`` does, in SQL.
    """
    names = review_annotators(project, annotators)
    counts = disagreement_counts(project, names, symmetric_relations(project.scheme))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def mark_reviewed(project: Project, document_id: int, *, who: str | None = None) -> AnnotationSet:
    """Set the gold set's status to ``reviewed`` with a journaled edit.

    Returns the gold set; unchanged when it is already reviewed.

    Raises:
        ReviewError: the document has no gold set yet (open it for review first).
    """
    gold = project.annotation_set(document_id, GOLD)
    if gold is None:
        raise ReviewError(f"document {document_id} has no gold set yet; open it for review first")
    if gold.status != REVIEWED:
        project.apply(document_id, GOLD, SetStatus(gold.status, REVIEWED), who=who or GOLD)
        gold = project.annotation_set(document_id, GOLD)
        assert gold is not None
    return gold
