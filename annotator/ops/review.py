"""Reviewing a project: the gold set, the queue of documents, marking them reviewed.

The reviewer's decisions go into each document's ``gold`` set. It is made
the first time the document is opened for review (``update_gold``), from
the annotators' finished sets, and the project records which sets, at which
stamp. When a later opening finds other finished sets (an annotator finished
since, or changed a finished set), what they now agree on goes into gold
where the reviewer has not decided yet, as one journaled edit by the
reviewer; nothing here ever overwrites or undoes what is in gold.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Mapping, Sequence

from ..core.agreement import DONE_STATUSES
from ..core.adjudicate import (
    AUTO_MODES, Candidates, Cluster, candidates, clusters, gold_additions, initial_gold, symmetric_relations,
)
from ..core.edits import Batch, SetStatus, add_linked
from ..core.errors import ReviewError
from ..core.model import GOLD, AnnotationSet, is_suggestion_owner
from ..store.disagreement import disagreement_counts
from ..store.project import Project
from .agreement import default_annotators

REVIEWED = "reviewed"
FINISHED = DONE_STATUSES  # the annotators' sets a review compares, as agreement does


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
    """What the reviewer decides on one document: its candidates and clusters.

    ``unfinished`` names the annotators whose set was left out because it
    is not finished, with its status. With fewer than two finished sets
    nothing is compared: every item of the one finished set is a cluster of
    its own, and nothing counts as agreed.
    """

    document_id: int
    candidates: Candidates
    clusters: tuple[Cluster, ...]
    unfinished: Mapping[str, str] = field(default_factory=dict)

    @property
    def annotators(self) -> tuple[str, ...]:
        """The annotators compared on this document (those with a finished set), in order."""
        return self.candidates.annotators

    @property
    def compared(self) -> bool:
        """At least two finished sets: agreement means something."""
        return len(self.candidates.annotators) >= 2


def load_review(
    project: Project,
    document_id: int,
    annotators: Sequence[str],
    *,
    auto: str = "unanimous",
    statuses: Collection[str] | None = FINISHED,
) -> DocumentReview:
    """The candidates and clusters of one document among ``annotators``.

    Only sets whose status is in ``statuses`` are compared (None: every
    set, finished or not). With ``auto='off'``, or fewer than two finished
    sets, unanimous items form clusters too, since the gold set does not
    start with them.
    """
    sets = project.load_sets([document_id], annotators).get(document_id, {})
    finished = {o: s for o, s in sets.items() if statuses is None or s.status in statuses}
    unfinished = {o: sets[o].status for o in annotators if o in sets and o not in finished}
    cands = candidates(finished, annotators, symmetric=symmetric_relations(project.scheme))
    everything = check_auto(auto) == "off" or len(cands.annotators) < 2
    found = clusters(cands, include_unanimous=everything)
    return DocumentReview(document_id, cands, tuple(found), unfinished)


@dataclass(frozen=True)
class GoldUpdate:
    """What ``prepare_gold`` did: the gold set, and what it brought in from
    finished sets that changed since gold was made (``from_owners``)."""

    gold: AnnotationSet
    spans: int = 0
    relations: int = 0
    from_owners: tuple[str, ...] = ()

    def describe(self) -> str:
        """A status-bar sentence, empty when nothing was brought in."""
        if not self.spans and not self.relations:
            return ""
        return (
            f"gold took {self.spans} span(s) and {self.relations} relation(s) the annotators now agree on "
            f"(finished since: {', '.join(self.from_owners)}); Ctrl+Z takes them out"
        )


def prepare_gold(
    project: Project,
    document_id: int,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    *,
    who: str | None = None,
    statuses: Collection[str] | None = FINISHED,
) -> AnnotationSet:
    """The document's gold set, made or brought up to date (see ``update_gold``)."""
    return update_gold(project, document_id, annotators, auto, who=who, statuses=statuses).gold


def update_gold(
    project: Project,
    document_id: int,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    *,
    who: str | None = None,
    statuses: Collection[str] | None = FINISHED,
) -> GoldUpdate:
    """The document's gold set: made from the annotators' sets if it has
    none, else brought up to date with finished sets that changed since.

    Args:
        project: the open project.
        document_id: the document.
        annotators: whom to compare (see ``review_annotators``).
        auto: what gold takes from the annotators: ``off`` (nothing),
            ``unanimous`` (what every annotator with a finished set made) or
            ``majority`` (what more than half of them made).
        who: recorded as the author (default ``gold``).
        statuses: the set statuses compared (default done or reviewed;
            None: every set). Unfinished sets never reach gold.

    Returns:
        A new gold set has status ``new`` (empty when fewer than two
        annotators finished the document: one person's work is nobody's
        agreement). An existing one gets, as one journaled edit by ``who``,
        the items ``gold_additions`` finds, only when the finished sets
        differ from those it was last brought up to date from and gold is
        not reviewed yet.

    Raises:
        ReviewError: an unknown mode or annotator.
        ProjectError: no such document.
    """
    check_auto(auto)
    project.document(document_id)
    with project.transaction():
        names = review_annotators(project, annotators)
        sets = project.load_sets([document_id], names).get(document_id, {})
        basis = {o: f"{s.status} {s.updated_at}" for o, s in sets.items() if statuses is None or s.status in statuses}
        existing = project.annotation_set(document_id, GOLD)
        recorded = project.gold_basis(document_id)
        if existing is not None and recorded == basis:
            return GoldUpdate(existing)
        review = load_review(project, document_id, names, auto=auto, statuses=statuses)
        mode = auto if review.compared else "off"
        project.set_gold_basis(document_id, basis)
        if existing is None:
            spans, relations = initial_gold(review.candidates, mode)
            gold = project.write_set(document_id, GOLD, spans, relations, status="new", who=who or GOLD)
            assert gold is not None
            return GoldUpdate(gold)
        if existing.status == REVIEWED:  # the reviewer decided the whole document
            return GoldUpdate(existing)
        decisions, _undone = project.history(document_id, GOLD)
        spans, relations = gold_additions(
            review.candidates, existing, decisions, mode, symmetric=symmetric_relations(project.scheme)
        )
        if not spans and not relations:
            return GoldUpdate(existing)
        edit = Batch((add_linked(spans, relations),), "take in what the annotators agreed on since")
        project.apply(document_id, GOLD, edit, who=who or GOLD)
        gold = project.annotation_set(document_id, GOLD)
        assert gold is not None
        changed = tuple(o for o in basis if (recorded or {}).get(o) != basis[o])
        return GoldUpdate(gold, len(spans), len(relations), changed)


def documents_by_disagreement(
    project: Project, annotators: Sequence[str] | None = None, *, statuses: Collection[str] | None = FINISHED
) -> list[tuple[int, int | None]]:
    """``(document_id, disagreements)`` for every document one of the
    annotators has a set for, most disagreements first, then by id;
    documents fewer than two annotators finished come last with ``None``
    (nothing to compare yet).

    Disagreements among the finished sets (``statuses``; None: every set)
    are counted as ``Candidates.disagreements`` does, in SQL.
    """
    names = review_annotators(project, annotators)
    counts = disagreement_counts(project, names, symmetric_relations(project.scheme), statuses=statuses)
    finished: dict[int, int] = {}
    listed: set[int] = set()
    for doc_id, _owner, status in project.set_rows(names):
        listed.add(doc_id)
        if statuses is None or status in statuses:
            finished[doc_id] = finished.get(doc_id, 0) + 1
    ranked = [(d, counts.get(d, 0) if finished.get(d, 0) >= 2 else None) for d in listed]
    return sorted(ranked, key=lambda item: (item[1] is None, -(item[1] or 0), item[0]))


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
