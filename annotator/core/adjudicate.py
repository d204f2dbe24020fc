"""Adjudication: what annotators agree on, where they differ, and the gold set.

The input is one document's annotation sets by annotator. ``candidates``
lists every distinct span ``(start, end, label)`` and every distinct relation
``(head span key, child span key, label)`` with the annotators who made it;
for a symmetric relation type the two ends are put in a fixed order, so
either direction is the same relation. An item is *unanimous* when every
compared annotator made it; the others are disagreements.

Disagreeing items are grouped into *clusters* the reviewer decides one at a
time (``clusters``): spans that overlap are in one cluster (other bounds,
another label, or a span some annotators lack), and a relation joins the
cluster of a disputed span it touches. Relations between undisputed spans
form clusters of their own, joined where they share a span. An annotator's
*version* of a cluster is the part of it they made; ``resolve`` turns the
choice of a version (or of none) into the edits that make the gold set say
exactly that on the cluster's items, leaving everything else alone.

``initial_gold`` builds the starting gold set: empty (``off``), the
unanimous items (``unanimous``) or the items more than half the annotators
made (``majority``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Collection, Mapping, Sequence

from .edits import (
    AddRelation, AddSpan, Batch, DeleteRelation, DeleteSpan, Edit, UpdateRelation, UpdateSpan, add_linked, delete_spans,
)
from .errors import InvalidAnnotationError
from .model import AnnotationSet, Relation, Span
from .scheme import Scheme

AUTO_MODES = ("off", "unanimous", "majority")

SpanKey = tuple[int, int, str]
RelationKey = tuple[SpanKey, SpanKey, str]


def span_key(span: Span) -> SpanKey:
    """What makes two spans the same: ``(start, end, label)``."""
    return (span.start, span.end, span.label)


def relation_key(head: SpanKey, child: SpanKey, label: str, symmetric: Collection[str] = ()) -> RelationKey:
    """What makes two relations the same; for a ``symmetric`` label the
    smaller span key comes first, whichever end was the head."""
    if label in symmetric and child < head:
        head, child = child, head
    return (head, child, label)


def symmetric_relations(scheme: Scheme) -> frozenset[str]:
    """The names of the scheme's symmetric relation types."""
    return frozenset(r.name for r in scheme.relations if r.symmetric)


@dataclass(frozen=True)
class SpanCandidate:
    """A distinct span and who made it (in the order annotators were compared).

    ``span`` is the first maker's span (the first who confirmed it, when
    some left it an unconfirmed suggestion): its fragments and attributes go
    into the gold set.
    """

    key: SpanKey
    annotators: tuple[str, ...]
    span: Span

    @property
    def start(self) -> int:
        return self.key[0]

    @property
    def end(self) -> int:
        return self.key[1]

    @property
    def label(self) -> str:
        return self.key[2]


@dataclass(frozen=True)
class RelationCandidate:
    """A distinct relation and who made it; ``relation`` is the first maker's."""

    key: RelationKey
    annotators: tuple[str, ...]
    relation: Relation

    @property
    def head(self) -> SpanKey:
        return self.key[0]

    @property
    def child(self) -> SpanKey:
        return self.key[1]

    @property
    def label(self) -> str:
        return self.key[2]


@dataclass(frozen=True)
class Candidates:
    """Every distinct item of one document's compared sets.

    ``annotators`` are the compared annotators (those with a set), in the
    order given; spans are in reading order (start, longer first, label),
    relations by key.
    """

    annotators: tuple[str, ...]
    spans: tuple[SpanCandidate, ...]
    relations: tuple[RelationCandidate, ...]
    symmetric: frozenset[str] = frozenset()
    _span_by_key: dict[SpanKey, SpanCandidate] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._span_by_key.update((c.key, c) for c in self.spans)

    def span(self, key: SpanKey) -> SpanCandidate | None:
        return self._span_by_key.get(key)

    def is_unanimous(self, item: SpanCandidate | RelationCandidate) -> bool:
        """Every compared annotator made the item."""
        return len(item.annotators) == len(self.annotators)

    @property
    def disagreements(self) -> int:
        """How many distinct spans and relations not every annotator made
        (0 with fewer than two annotators)."""
        return sum(1 for c in (*self.spans, *self.relations) if not self.is_unanimous(c))


def candidates(
    sets: Mapping[str, AnnotationSet],
    annotators: Sequence[str] | None = None,
    *,
    symmetric: Collection[str] = (),
) -> Candidates:
    """The distinct spans and relations of one document's sets.

    Args:
        sets: the document's sets by owner.
        annotators: whom to compare, in order; default every owner in
            ``sets`` by name. Names without a set are left out.
        symmetric: relation labels whose direction does not count.

    Returns:
        ``Candidates``; a span or relation an annotator made twice counts once.

    Raises:
        InvalidAnnotationError: a relation points at a span missing from its set.
    """
    names = tuple(a for a in (annotators if annotators is not None else sorted(sets)) if a in sets)
    symmetric = frozenset(symmetric)
    span_makers: dict[SpanKey, list[str]] = {}
    span_first: dict[SpanKey, Span] = {}
    rel_makers: dict[RelationKey, list[str]] = {}
    rel_first: dict[RelationKey, Relation] = {}
    for name in names:
        aset = sets[name]
        for span in aset.sorted_spans():
            key = span_key(span)
            makers = span_makers.setdefault(key, [])
            if name not in makers:
                makers.append(name)
                _keep_confirmed(span_first, key, span)
        for rel in aset.sorted_relations():
            head, child = aset.spans.get(rel.head), aset.spans.get(rel.child)
            if head is None or child is None:
                raise InvalidAnnotationError(
                    f"{name}'s relation {rel.id} ({rel.label}) in document {aset.document_id} points at a "
                    "span that is not in the set; repair the set before reviewing it"
                )
            key = relation_key(span_key(head), span_key(child), rel.label, symmetric)
            makers = rel_makers.setdefault(key, [])
            if name not in makers:
                makers.append(name)
                _keep_confirmed(rel_first, key, rel)
    spans = tuple(
        SpanCandidate(k, tuple(span_makers[k]), span_first[k])
        for k in sorted(span_makers, key=lambda k: (k[0], -k[1], k[2]))
    )
    relations = tuple(RelationCandidate(k, tuple(rel_makers[k]), rel_first[k]) for k in sorted(rel_makers))
    return Candidates(names, spans, relations, symmetric)


def _keep_confirmed(first: dict, key, item: Span | Relation) -> None:
    """Keep the first maker's item, unless it is an unconfirmed suggestion
    and this maker confirmed theirs."""
    held = first.get(key)
    if held is None or (held.is_suggestion and not item.is_suggestion):
        first[key] = item


# -- clusters -----------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    """What one annotator (``None``: nobody) made of a cluster's items."""

    annotator: str | None
    spans: frozenset[SpanKey]
    relations: frozenset[RelationKey]

    @property
    def empty(self) -> bool:
        return not self.spans and not self.relations


@dataclass(frozen=True)
class Cluster:
    """Items the reviewer decides together, with the text they cover.

    ``start``/``end`` span the cluster's spans and the ends of its relations.
    """

    number: int
    start: int
    end: int
    spans: tuple[SpanCandidate, ...]
    relations: tuple[RelationCandidate, ...]

    def version(self, annotator: str | None) -> Version:
        """The items of the cluster ``annotator`` made (none for ``None``)."""
        return Version(
            annotator,
            frozenset(c.key for c in self.spans if annotator in c.annotators),
            frozenset(c.key for c in self.relations if annotator in c.annotators),
        )

    def span_keys(self) -> frozenset[SpanKey]:
        return frozenset(c.key for c in self.spans)

    def relation_keys(self) -> frozenset[RelationKey]:
        return frozenset(c.key for c in self.relations)


class _Groups:
    """Union-find over hashable nodes."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, node):
        parent = self.parent.setdefault(node, node)
        if parent != node:
            parent = self.parent[node] = self.find(parent)
        return parent

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def clusters(cands: Candidates, *, include_unanimous: bool = False) -> list[Cluster]:
    """The clusters of disagreeing items, in reading order.

    Args:
        cands: one document's candidates.
        include_unanimous: also put unanimous items in clusters (when the
            gold set starts empty, so the reviewer confirms everything).

    Returns:
        Clusters numbered from 0, ordered by ``(start, end)``; a document
        whose annotators agree on everything has none.
    """
    keep = (lambda c: True) if include_unanimous else (lambda c: not cands.is_unanimous(c))
    spans = [c for c in cands.spans if keep(c)]
    relations = [c for c in cands.relations if keep(c)]
    groups = _Groups()
    disputed = {c.key for c in spans}
    anchor: SpanKey | None = None
    reach = 0
    for c in sorted(spans, key=lambda c: (c.start, c.end, c.label)):
        groups.find(("s", c.key))
        if anchor is not None and c.start < reach:
            groups.union(("s", anchor), ("s", c.key))
            reach = max(reach, c.end)
        else:
            anchor, reach = c.key, c.end
    for c in relations:
        node = ("r", c.key)
        groups.find(node)
        ends = [k for k in (c.head, c.child) if k in disputed]
        for k in ends:
            groups.union(("s", k), node)
        if not ends:
            for k in (c.head, c.child):
                groups.union(("end", k), node)
    members: dict = {}
    for c in spans:
        members.setdefault(groups.find(("s", c.key)), ([], []))[0].append(c)
    for c in relations:
        members.setdefault(groups.find(("r", c.key)), ([], []))[1].append(c)
    out = []
    for group_spans, group_rels in members.values():
        bounds = [(c.start, c.end) for c in group_spans]
        bounds += [(k[0], k[1]) for c in group_rels for k in (c.head, c.child)]
        start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
        out.append(Cluster(0, start, end, tuple(group_spans), tuple(group_rels)))
    out.sort(key=lambda c: (c.start, c.end, [s.key for s in c.spans], [r.key for r in c.relations]))
    return [replace(c, number=i) for i, c in enumerate(out)]


# -- gold -----------------------------------------------------------------------
def initial_gold(cands: Candidates, auto: str = "unanimous") -> tuple[list[Span], list[Relation]]:
    """The spans and relations a new gold set starts with.

    Args:
        cands: one document's candidates.
        auto: ``off`` (nothing), ``unanimous`` (items every annotator made)
            or ``majority`` (items more than half of them made).

    Returns:
        ``(spans, relations)`` with ids 1, 2, ... that the relations use;
        spans keep the first maker's fragments and attributes. An item some
        annotator confirmed has origin ``human`` and no score; one that every
        maker left as an unconfirmed suggestion keeps its suggestion origin
        (and score), so gold never claims a person checked it. Both empty
        without annotators.

    Raises:
        ValueError: an unknown ``auto`` mode.
    """
    if auto not in AUTO_MODES:
        raise ValueError(f"unknown auto mode {auto!r}; use one of {', '.join(AUTO_MODES)}")
    total = len(cands.annotators)
    if auto == "off" or total == 0:
        return [], []
    need = total if auto == "unanimous" else total // 2 + 1
    spans: list[Span] = []
    ids: dict[SpanKey, int] = {}
    for c in cands.spans:
        if len(c.annotators) >= need:
            ids[c.key] = len(spans) + 1
            spans.append(_gold_span(c, ids[c.key]))
    relations: list[Relation] = []
    for c in cands.relations:
        if len(c.annotators) >= need and c.head in ids and c.child in ids:
            relations.append(_gold_relation(c, len(relations) + 1, ids[c.head], ids[c.child]))
    return spans, relations


def _gold_span(c: SpanCandidate, span_id: int) -> Span:
    if c.span.is_suggestion:  # no maker confirmed it: gold says so
        return replace(c.span, id=span_id)
    return replace(c.span, id=span_id, origin="human", score=None)


def _gold_relation(c: RelationCandidate, rel_id: int, head: int, child: int) -> Relation:
    origin = c.relation.origin if c.relation.is_suggestion else "human"
    return replace(c.relation, id=rel_id, head=head, child=child, label=c.label, origin=origin)


def _gold_index(gold: AnnotationSet, symmetric: Collection[str]) -> tuple[dict[SpanKey, list[Span]], dict[RelationKey, list[Relation]]]:
    spans: dict[SpanKey, list[Span]] = {}
    for span in gold.sorted_spans():
        spans.setdefault(span_key(span), []).append(span)
    relations: dict[RelationKey, list[Relation]] = {}
    for rel in gold.sorted_relations():
        head, child = gold.spans.get(rel.head), gold.spans.get(rel.child)
        if head is not None and child is not None:
            key = relation_key(span_key(head), span_key(child), rel.label, symmetric)
            relations.setdefault(key, []).append(rel)
    return spans, relations


def gold_choices(cluster: Cluster, gold: AnnotationSet, annotators: Sequence[str], *, symmetric: Collection[str] = ()) -> tuple[str | None, ...]:
    """The versions the gold set currently says for a cluster.

    Returns the annotators (in ``annotators`` order) whose version equals
    what gold holds of the cluster's items, then ``None`` when gold holds
    none of them; empty when gold matches no version (it was edited by hand,
    or mixes versions).
    """
    spans, relations = _gold_index(gold, symmetric)
    held = Version(
        None,
        frozenset(k for k in cluster.span_keys() if k in spans),
        frozenset(k for k in cluster.relation_keys() if k in relations),
    )
    out: list[str | None] = [
        a for a in annotators
        if (v := cluster.version(a)).spans == held.spans and v.relations == held.relations
    ]
    if held.empty:
        out.append(None)
    return tuple(out)


def resolve(
    cluster: Cluster,
    annotator: str | None,
    gold: AnnotationSet,
    cands: Candidates,
) -> Batch:
    """The edits that make ``gold`` hold ``annotator``'s version of a cluster.

    Cluster items outside the version are deleted from gold (a span with
    every relation that touches it), items of the version gold lacks are
    added; spans and relations that are not among the cluster's items are
    left alone, except that a relation of the version whose end is missing
    from gold brings that span along. ``annotator=None`` removes every item
    of the cluster.

    Returns:
        A ``Batch`` labelled like ``take bob's version``; empty when gold
        already holds the version.

    Raises:
        ValueError: ``annotator`` is not one of the compared annotators.
    """
    if annotator is not None and annotator not in cands.annotators:
        raise ValueError(f"{annotator!r} is not among the compared annotators {list(cands.annotators)}")
    version = cluster.version(annotator)
    gold_spans, gold_relations = _gold_index(gold, cands.symmetric)
    removed_spans = [s for k in sorted(cluster.span_keys() - version.spans) for s in gold_spans.get(k, ())]
    removed_ids = {s.id for s in removed_spans}
    removed_rels = [r.id for k in sorted(cluster.relation_keys() - version.relations) for r in gold_relations.get(k, ())]
    edits: list[Edit] = list(delete_spans(gold, removed_ids, removed_rels))
    new_spans: list[Span] = []
    ids: dict[SpanKey, int] = {k: v[0].id for k, v in gold_spans.items() if v[0].id not in removed_ids}

    def ensure(key: SpanKey) -> int:
        if key not in ids:
            ids[key] = -(len(new_spans) + 1)
            candidate = cands.span(key)
            span = _gold_span(candidate, ids[key]) if candidate else Span(ids[key], key[0], key[1], key[2])
            new_spans.append(span)
        return ids[key]

    for c in cluster.spans:
        if c.key in version.spans:
            ensure(c.key)
    new_relations = [
        _gold_relation(c, 0, ensure(c.head), ensure(c.child))
        for c in cluster.relations
        if c.key in version.relations and c.key not in gold_relations
    ]
    if new_spans or new_relations:
        edits.append(add_linked(new_spans, new_relations))
    who = "none" if annotator is None else f"{annotator}'s version"
    return Batch(tuple(edits), f"take {who}")



def gold_additions(
    cands: Candidates,
    gold: AnnotationSet,
    decisions: Sequence[Edit],
    auto: str = "unanimous",
    *,
    symmetric: Collection[str] = (),
) -> tuple[list[Span], list[Relation]]:
    """What ``initial_gold`` would start with now that gold does not have
    and the reviewer has not decided on: the items annotators agreed on
    after the gold set was made.

    A span is left out when gold has a span overlapping it, or when one of
    the reviewer's ``decisions`` (the gold set's journaled edits) added,
    changed or deleted a span overlapping it; a relation is left out when
    gold has it or a decision touched a relation with the same key.

    Returns:
        ``(spans, relations)`` for ``add_linked``: new spans have ids -1,
        -2, ...; a relation end is such an id or the id of a span already in
        gold.
    """
    spans, relations = initial_gold(cands, auto)
    seen: dict[int, Span] = dict(gold.spans)
    touched_spans: list[Span] = []
    touched_relations: list[Relation] = []
    for edit in _flatten(decisions):
        for span in _edit_spans(edit):
            seen.setdefault(span.id, span)
            touched_spans.append(span)
        touched_relations.extend(_edit_relations(edit))
    decided_keys = set()
    for rel in touched_relations:
        head, child = seen.get(rel.head), seen.get(rel.child)
        if head is not None and child is not None:
            decided_keys.add(relation_key(span_key(head), span_key(child), rel.label, symmetric))
    taken = [(s.start, s.end) for s in gold.spans.values()] + [(s.start, s.end) for s in touched_spans]
    gold_spans, gold_relations = _gold_index(gold, symmetric)
    ids: dict[int, int] = {}  # initial_gold's id -> id in the answer (new or in gold)
    keys: dict[int, SpanKey] = {}
    added: list[Span] = []
    for span in spans:
        keys[span.id] = span_key(span)
        if span_key(span) in gold_spans:
            ids[span.id] = gold_spans[span_key(span)][0].id
        elif not any(start < span.end and span.start < end for start, end in taken):
            ids[span.id] = -(len(added) + 1)
            added.append(replace(span, id=ids[span.id]))
    linked: list[Relation] = []
    for rel in relations:
        key = relation_key(keys[rel.head], keys[rel.child], rel.label, symmetric)
        if key in gold_relations or key in decided_keys or rel.head not in ids or rel.child not in ids:
            continue
        linked.append(replace(rel, id=-(len(linked) + 1), head=ids[rel.head], child=ids[rel.child]))
    return added, linked


def _flatten(edits: Sequence[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for edit in edits:
        out.extend(_flatten(edit.edits) if isinstance(edit, Batch) else [edit])
    return out


def _edit_spans(edit: Edit) -> list[Span]:
    if isinstance(edit, (AddSpan, DeleteSpan)):
        return [edit.span]
    if isinstance(edit, UpdateSpan):
        return [edit.before, edit.after]
    return []


def _edit_relations(edit: Edit) -> list[Relation]:
    if isinstance(edit, (AddSpan, DeleteSpan)):
        return list(edit.relations)
    if isinstance(edit, (AddRelation, DeleteRelation)):
        return [edit.relation]
    if isinstance(edit, UpdateRelation):
        return [edit.before, edit.after]
    return []
