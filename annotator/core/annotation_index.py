"""Spans and relations of one annotation set, bucketed by paragraph.

The document view asks "what is in paragraph 12?" for every visible
paragraph on every paint, and "what changed?" after every edit; this index
answers both without scanning the whole set. It holds its own copy of the
span and relation mappings, so an ``AnnotationSet`` that is edited in place
can be diffed against it.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Iterable, Mapping, Sequence

from .layout import paragraph_of, span_stacking
from .model import Relation, Span

# What of a span or relation shows in the view; a change elsewhere redraws nothing.
_SPAN_KEY = attrgetter("start", "end", "label", "origin", "score", "fragments")
_RELATION_KEY = attrgetter("head", "child", "label", "origin")
_ID = attrgetter("id")
_START = attrgetter("start")


def _differs(old, new, key) -> bool:
    """Whether ``new`` draws differently from ``old`` (``None``: it is new)."""
    return old is not new and (old is None or key(old) != key(new))


@dataclass
class IndexChange:
    """What an ``AnnotationIndex.update`` changed.

    ``paragraphs`` holds every paragraph whose drawing may differ (old and new
    places of changed spans, both ends of changed relations, spans whose lane
    moved); ``spans`` and ``relations`` hold the ids added, removed or changed.
    """

    paragraphs: set[int] = field(default_factory=set)
    spans: set[int] = field(default_factory=set)
    relations: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.paragraphs or self.spans or self.relations)


class AnnotationIndex:
    """Spans and relations by paragraph, with a stacking lane per span.

    ``starts`` are the paragraph start offsets (see ``layout.paragraph_starts``).
    Spans are placed in every paragraph they touch; a relation is placed in
    the paragraphs where its head and child spans start. Relations whose head
    or child is not in the set are kept but placed nowhere.
    """

    def __init__(self, starts: Sequence[int]) -> None:
        if not starts or starts[0] != 0:
            raise ValueError("paragraph starts must begin with 0")
        self._starts = list(starts)
        self._spans: dict[int, Span] = {}
        self._relations: dict[int, Relation] = {}
        self._par_spans: dict[int, set[int]] = {}
        self._par_relations: dict[int, set[int]] = {}
        self._span_relations: dict[int, set[int]] = {}
        self._rel_pars: dict[int, set[int]] = {}
        self._lanes: dict[int, int] = {}
        self._stacked: set[int] = set()

    # -- building -----------------------------------------------------------
    def reset(self, spans: Iterable[Span], relations: Iterable[Relation]) -> None:
        """Replace the whole content."""
        self._spans = {s.id: s for s in spans}
        self._relations = {r.id: r for r in relations}
        self._par_spans.clear()
        self._par_relations.clear()
        self._span_relations.clear()
        self._rel_pars.clear()
        # One walk over the spans in order of start and the paragraphs beside
        # it (a span of 3,000 rarely leaves its paragraph).
        starts, par_spans = self._starts, self._par_spans
        bounds = starts[1:] + [float("inf")]
        first_par: dict[int, int] = {}
        p = 0
        for span in sorted(self._spans.values(), key=_START):
            while span.start >= bounds[p]:
                p += 1
            first_par[span.id] = p
            if span.end <= bounds[p]:
                par_spans.setdefault(p, set()).add(span.id)
            else:
                for q in self.paragraphs_of(span):
                    par_spans.setdefault(q, set()).add(span.id)
        span_relations, par_relations, rel_pars = self._span_relations, self._par_relations, self._rel_pars
        for rel in self._relations.values():
            span_relations.setdefault(rel.head, set()).add(rel.id)
            span_relations.setdefault(rel.child, set()).add(rel.id)
            pars = {first_par[sid] for sid in (rel.head, rel.child) if sid in first_par}
            rel_pars[rel.id] = pars
            for q in pars:
                par_relations.setdefault(q, set()).add(rel.id)
        # Lanes are worked out a paragraph at a time when first asked for
        # (most paragraphs of a long text are never shown).
        self._lanes.clear()
        self._stacked.clear()

    def update(self, spans: Mapping[int, Span], relations: Mapping[int, Relation]) -> IndexChange:
        """Bring the index in line with new mappings and say what changed.

        A span or relation counts as changed when anything that is drawn
        differs (bounds, label, origin, score; ends and label of a relation);
        other changes (``attrs``) are taken over silently. The mappings may be
        new objects on every call (a set re-read from the store): comparing
        costs one tuple comparison per item, and only changed items are
        re-placed.
        """
        change = IndexChange()
        old_spans = self._spans
        # The same object is the same span: only new objects are compared.
        get = old_spans.get
        changed = [sid for sid, span in spans.items() if get(sid) is not span]  # most are the same object
        changed = [sid for sid in changed if _differs(get(sid), spans[sid], _SPAN_KEY)]
        changed.extend(old_spans.keys() - spans.keys())
        self._spans = dict(spans)
        for sid in changed:
            old, new = old_spans.get(sid), spans.get(sid)
            change.spans.add(sid)
            if old is not None:
                change.paragraphs.update(self.paragraphs_of(old))
                self._unplace_span(old)
            if new is not None:
                self._place_span(new)
                change.paragraphs.update(self.paragraphs_of(new))
            else:
                self._lanes.pop(sid, None)
                self._stacked.discard(sid)
        old_relations = self._relations
        get = old_relations.get
        changed = [rid for rid, rel in relations.items() if get(rid) is not rel]
        changed = [rid for rid in changed if _differs(get(rid), relations[rid], _RELATION_KEY)]
        changed.extend(old_relations.keys() - relations.keys())
        self._relations = dict(relations)
        for rid in changed:
            old_rel, new_rel = old_relations.get(rid), relations.get(rid)
            change.relations.add(rid)
            if old_rel is not None:
                change.paragraphs.update(self._rel_pars.get(rid, ()))
                self._unplace_relation(old_rel)
            if new_rel is not None:
                self._place_relation(new_rel)
        # Arcs follow their spans: a moved or relabelled span redraws the
        # arcs hanging from it, wherever their other end is.
        for sid in change.spans:
            for rid in list(self._span_relations.get(sid, ())):
                rel = self._relations.get(rid)
                if rel is None:
                    continue
                change.paragraphs.update(self._rel_pars.get(rid, ()))
                self._unplace_relation(rel)
                self._place_relation(rel)
                change.paragraphs.update(self._rel_pars.get(rid, ()))
        for rid in change.relations:
            change.paragraphs.update(self._rel_pars.get(rid, ()))
        if change.spans:
            for sid in self._restack(change.paragraphs):
                change.paragraphs.update(self.paragraphs_of(self._spans[sid]))
        return change

    # -- queries ------------------------------------------------------------
    @property
    def paragraph_count(self) -> int:
        return len(self._starts)

    def paragraph_of(self, offset: int) -> int:
        """Number of the paragraph holding ``offset``."""
        return paragraph_of(self._starts, offset)

    def paragraphs_of(self, span: Span) -> range:
        """Numbers of the paragraphs a span touches (its start's one for an empty span)."""
        first = max(bisect_right(self._starts, span.start) - 1, 0)
        last = max(bisect_right(self._starts, span.end - 1) - 1, first)
        return range(first, last + 1)

    def span(self, span_id: int) -> Span | None:
        return self._spans.get(span_id)

    def relation(self, relation_id: int) -> Relation | None:
        return self._relations.get(relation_id)

    def __len__(self) -> int:
        return len(self._spans)

    def lane(self, span_id: int) -> int:
        """Stacking lane of a span (0 when unknown)."""
        lane = self._lanes.get(span_id)
        if lane is None:
            self._stack_around(span_id)
            lane = self._lanes.get(span_id, 0)
        return lane

    def is_stacked(self, span_id: int) -> bool:
        """Whether the span overlaps another span of the set."""
        if span_id not in self._lanes:
            self._stack_around(span_id)
        return span_id in self._stacked

    def _stack_around(self, span_id: int) -> None:
        span = self._spans.get(span_id)
        if span is not None:
            self._restack(self.paragraphs_of(span))

    def spans_in(self, paragraph: int) -> list[Span]:
        """Spans touching a paragraph, outer lanes first, then by start: the
        order in which to paint fills so inner spans end up on top."""
        ids = self._par_spans.get(paragraph, ())
        lanes = self._lanes
        if any(i not in lanes for i in ids):
            self._restack((paragraph,))
        spans = [self._spans[i] for i in ids]
        spans.sort(key=lambda s: (-lanes.get(s.id, 0), s.start, s.end, s.id))
        return spans

    def relations_in(self, paragraph: int) -> list[Relation]:
        """Relations with an end (head or child start) in a paragraph, by id."""
        ids = self._par_relations.get(paragraph, ())
        return [self._relations[i] for i in sorted(ids)]

    def relations_of(self, span_id: int) -> list[Relation]:
        """Relations whose head or child is the span, by id."""
        return [self._relations[i] for i in sorted(self._span_relations.get(span_id, ()))]

    def spans_at(self, offset: int) -> list[Span]:
        """Spans containing the character at ``offset``, innermost (shortest) first."""
        found = [
            s
            for s in (self._spans[i] for i in self._par_spans.get(self.paragraph_of(offset), ()))
            if any(a <= offset < b for a, b in s.pieces())
        ]
        found.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return found

    # -- internals ----------------------------------------------------------
    def _place_span(self, span: Span) -> None:
        for p in self.paragraphs_of(span):
            self._par_spans.setdefault(p, set()).add(span.id)

    def _unplace_span(self, span: Span) -> None:
        for p in self.paragraphs_of(span):
            bucket = self._par_spans.get(p)
            if bucket is not None:
                bucket.discard(span.id)

    def _relation_paragraphs(self, rel: Relation) -> set[int]:
        out = set()
        for sid in (rel.head, rel.child):
            span = self._spans.get(sid)
            if span is not None:
                out.add(self.paragraph_of(span.start))
        return out

    def _place_relation(self, rel: Relation) -> None:
        for sid in (rel.head, rel.child):
            self._span_relations.setdefault(sid, set()).add(rel.id)
        pars = self._relation_paragraphs(rel)
        self._rel_pars[rel.id] = pars
        for p in pars:
            self._par_relations.setdefault(p, set()).add(rel.id)

    def _unplace_relation(self, rel: Relation) -> None:
        for sid in (rel.head, rel.child):
            self._span_relations.get(sid, set()).discard(rel.id)
        for p in self._rel_pars.pop(rel.id, ()):
            self._par_relations.get(p, set()).discard(rel.id)

    def _restack(self, paragraphs: Iterable[int]) -> set[int]:
        """Recompute the lanes of the spans in ``paragraphs`` and everything
        they overlap; return ids whose lane or stacked flag changed (a span
        whose lane was never worked out has not been drawn: it is not listed).

        Spans that overlap share a paragraph, so closing the paragraph set
        over spans that reach outside it yields whole overlap groups, whose
        lanes do not depend on any other span.
        """
        ids: set[int] = set()
        todo = set(paragraphs)
        seen: set[int] = set()
        while todo:
            p = todo.pop()
            seen.add(p)
            for sid in self._par_spans.get(p, ()):
                if sid not in ids:
                    ids.add(sid)
                    todo.update(q for q in self.paragraphs_of(self._spans[sid]) if q not in seen)
        spans = [self._spans[i] for i in sorted(ids)]  # equal spans stack by id
        lanes, flags = span_stacking([(s.start, s.end) for s in spans])
        moved = set()
        old_lanes, old_stacked = self._lanes, self._stacked
        for span, lane, flag in zip(spans, lanes, flags):
            sid = span.id
            known = sid in old_lanes
            if old_lanes.get(sid) != lane:
                if known:
                    moved.add(sid)
                old_lanes[sid] = lane
            if flag != (sid in old_stacked):
                if known:
                    moved.add(sid)
                if flag:
                    old_stacked.add(sid)
                else:
                    old_stacked.discard(sid)
        return moved
