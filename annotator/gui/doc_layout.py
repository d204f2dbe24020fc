"""Text layout with room above each line for span tags and relation arcs.

``QPlainTextDocumentLayout`` (the fast, lazy layout of ``QPlainTextEdit``)
ignores block formats such as line height and margins. ``AnnotatedLayout``
lets it break a paragraph into lines as usual and then moves each line down
by the gap its annotations need. The gaps and the positions of every tag,
lane bar and arc are computed once per paragraph layout (``BlockPlan``), for
the paragraphs Qt actually lays out, i.e. the visible ones; painting and
hit-testing only read plans.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument, QTextLine
from PySide6.QtWidgets import QPlainTextDocumentLayout

from ..core.layout import arc_levels, label_clear_of_legs
from ..core.model import Relation, Span
from .annotation_style import Metrics
from .view_state import ViewState


@dataclass
class RunPlan:
    """The part of a span on one line: ``x1``..``x2`` within the line."""

    span_id: int
    x1: float
    x2: float
    lane: int
    stacked: bool


@dataclass
class TagPlan:
    """A span's label tag; ``rect`` is relative to the line's top left."""

    span_id: int
    text: str
    rect: QRectF
    lane: int = 0


@dataclass
class ArcPlan:
    """One relation arc, or half of one that continues on another line.

    The arc rises from ``(ax, ay)``, runs at height ``y`` and descends to
    ``(bx, by)``; a ``None`` ``ay``/``by`` means that end runs off the line's
    edge at ``ax``/``bx``. ``arrow_at`` names the end that is the relation's
    child ("a", "b", or "" when the child is on another line or the relation
    is symmetric). Coordinates are relative to the line's top left; both
    halves of a split arc have a label.
    """

    relation_id: int
    text: str
    ax: float
    ay: float | None
    bx: float
    by: float | None
    y: float
    arrow_at: str
    label_rect: QRectF


@dataclass
class LinePlan:
    """Everything drawn with one visual line; ``y`` is the line's top in the block."""

    y: float
    height: float
    left: float
    right: float
    runs: list[RunPlan] = field(default_factory=list)
    tags: list[TagPlan] = field(default_factory=list)
    arcs: list[ArcPlan] = field(default_factory=list)


@dataclass
class BlockPlan:
    lines: list[LinePlan]


Planner = Callable[[QTextBlock], "tuple[list[float], BlockPlan]"]


_BASE_RECT = QPlainTextDocumentLayout.blockBoundingRect


class AnnotatedLayout(QPlainTextDocumentLayout):
    """A plain-text layout that opens a gap above each line, as its planner says.

    Qt calls ``blockBoundingRect`` before it paints or measures a block; a
    freshly laid-out block still has its first line at y = 0 (every gap is at
    least one pixel), which is when the block is planned and its lines moved.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.planner: Planner | None = None
        self.plans: dict[int, BlockPlan] = {}
        self.planned: set[int] = set()  # every block planned since the text was set
        # The largest gap each line has had: a gap never shrinks while the
        # text and width stay, so deleting or undoing does not move text.
        self.gaps: dict[tuple[int, int], float] = {}

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:  # noqa: N802 (Qt name)
        # Qt asks this hundreds of times per paint: the fast path is one
        # call into Qt and two look-ups on the block's layout.
        rect = _BASE_RECT(self, block)
        layout = block.layout()
        if self.planner is None or layout.lineCount() == 0 or layout.lineAt(0).y() > 0:
            return rect
        self._apply_plan(block)
        return _BASE_RECT(self, block)

    def forget(self) -> None:
        """Drop every plan and kept gap (new text, or a new width)."""
        self.plans.clear()
        self.planned.clear()
        self.gaps.clear()

    def plan(self, block: QTextBlock) -> BlockPlan | None:
        """The plan of a block, laying it out and planning it first if needed."""
        self.blockBoundingRect(block)
        plan = self.plans.get(block.blockNumber())
        if plan is None and self.planner is not None and block.layout().lineCount():
            plan = self._apply_plan(block)
        return plan

    def _apply_plan(self, block: QTextBlock) -> BlockPlan:
        assert self.planner is not None
        layout = block.layout()
        gaps, plan = self.planner(block)
        number = block.blockNumber()
        kept = self.gaps
        y = 0.0
        for i, line_plan in enumerate(plan.lines):
            line = layout.lineAt(i)
            gap = max(1.0, gaps[i], kept.get((number, i), 0.0))
            kept[number, i] = gap
            y += gap
            line.setPosition(QPointF(line.x(), y))
            line_plan.y = y
            y += line.height()
        self.plans[number] = plan
        self.planned.add(number)
        return plan


class BlockPlanner:
    """Computes the gaps and the annotation geometry of one laid-out block."""

    def __init__(self, state: ViewState, metrics: Metrics) -> None:
        self.state = state
        self.metrics = metrics
        # Texts for tags and arc labels other than the label (the review
        # window adds who made each item); None draws the label.
        self.span_text: Callable[[Span], str] | None = None
        self.relation_text: Callable[[Relation], str] | None = None

    def __call__(self, block: QTextBlock) -> tuple[list[float], BlockPlan]:
        layout = block.layout()
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        plan = BlockPlan(
            [LinePlan(0.0, ln.height(), ln.x(), ln.x() + ln.width()) for ln in lines]
        )
        index = self.state.index
        m = self.metrics
        reserved = m.reserved if block.length() > 1 else 0.0  # not over empty paragraphs
        if index is None or not lines:
            return [m.under + reserved] * len(lines), plan
        number = block.blockNumber()
        self._runs_and_tags(block, lines, plan)
        rows = [self._place_tags(lp) for lp in plan.lines]
        anchors = {tag.span_id: (li, tag.rect) for li, lp in enumerate(plan.lines) for tag in lp.tags}
        self._arcs(number, plan, anchors, rows)
        gaps = []
        for lp, row_count in zip(plan.lines, rows):
            room = row_count * (m.tag_height + m.tag_spacing)
            if lp.arcs:
                room = max(room, 1 - min(a.y - m.arc_step / 2 for a in lp.arcs))
            gaps.append(m.under + max(room, reserved))
        return gaps, plan

    # -- spans and tags -----------------------------------------------------
    def _runs_and_tags(self, block: QTextBlock, lines: list[QTextLine], plan: BlockPlan) -> None:
        """Fill each line's runs, and its tags with their span-start x (placed later)."""
        state = self.state
        index = state.index
        assert index is not None
        to_display = state.offsets.to_display
        number = block.blockNumber()
        bpos = block.position()
        blen = block.length() - 1
        starts = [ln.textStart() for ln in lines]
        ends = [start + ln.textLength() for start, ln in zip(starts, lines)]
        line_plans = plan.lines
        xs: dict[tuple[int, int], float] = {}  # x of (line, position), computed once

        def x_at(li: int, pos: int) -> float:
            x = xs.get((li, pos))
            if x is None:
                x = xs[li, pos] = lines[li].cursorToX(pos)[0]
            return x

        single = len(lines) == 1
        for span in index.spans_in(number):
            lane = index.lane(span.id)
            stacked = index.is_stacked(span.id)
            for ps, pe in span.pieces():
                qs = max(to_display(ps) - bpos, 0)
                qe = min(to_display(pe) - bpos, blen)
                if qe <= qs:
                    continue
                if single:
                    first = last = 0
                else:
                    first = bisect_right(starts, qs) - 1
                    last = bisect_right(starts, qe - 1) - 1
                for li in range(first, last + 1):
                    s = qs if qs > starts[li] else starts[li]
                    e = qe if qe < ends[li] else ends[li]
                    x1, x2 = x_at(li, s), x_at(li, e)
                    if x2 < x1:
                        x1, x2 = x2, x1
                    line_plans[li].runs.append(RunPlan(span.id, x1, x2, lane, stacked))
            if index.paragraph_of(span.start) == number:
                qs = min(max(to_display(span.start) - bpos, 0), blen)
                li = 0 if single else max(bisect_right(starts, qs) - 1, 0)
                text = self.span_text(span) if self.span_text is not None else span.label
                width = self.metrics.tag_width(text)
                line_plans[li].tags.append(TagPlan(span.id, text, QRectF(x_at(li, qs), 0, width, 0), lane))

    def _place_tags(self, lp: LinePlan) -> int:
        """Give each tag of a line its final rect; return the number of tag rows.

        Tags sit left-aligned over their span's start in the row just above
        the text; one that would overlap the tag before it moves up a row
        (inner spans first, so outer spans' tags end up higher), and when
        every row is taken it shifts right in the least full row.
        """
        m = self.metrics
        if not lp.tags:
            return 0
        lp.tags.sort(key=lambda t: (t.rect.x(), t.lane, t.span_id))
        right_edges: list[float] = []
        for tag in lp.tags:
            width = tag.rect.width()
            x = round(max(lp.left, min(tag.rect.x(), lp.right - width)))
            row = next((r for r, edge in enumerate(right_edges) if edge + m.tag_gap <= x), None)
            if row is None:
                if len(right_edges) < m.MAX_TAG_ROWS:
                    row = len(right_edges)
                    right_edges.append(x + width)
                else:
                    row = min(range(len(right_edges)), key=right_edges.__getitem__)
                    x = right_edges[row] + m.tag_gap
            right_edges[row] = x + width
            top = -(row + 1) * (m.tag_height + m.tag_spacing)
            tag.rect = QRectF(x, top, width, m.tag_height)
        return len(right_edges)

    # -- arcs ---------------------------------------------------------------
    def _arcs(
        self,
        number: int,
        plan: BlockPlan,
        anchors: dict[int, tuple[int, QRectF]],
        rows: list[int],
    ) -> None:
        """Plan the arcs of the relations with an end in this block.

        An arc whose ends are on one line is drawn whole; otherwise each end's
        line gets half an arc that runs off towards the other end (right from
        the earlier end, left into the later one).
        """
        index = self.state.index
        assert index is not None
        m = self.metrics
        pending: list[list[_Arc]] = [[] for _ in plan.lines]
        for rel in index.relations_in(number):
            head, child = index.span(rel.head), index.span(rel.child)
            if head is None or child is None:
                continue
            h, c = anchors.get(head.id), anchors.get(child.id)
            symmetric = rel.label in self.state.symmetric
            if h is not None and c is not None and h[0] == c[0]:
                hx, cx = h[1].center().x(), c[1].center().x()
                if head.id == child.id:
                    cx += 14
                arrow = "" if symmetric else "b"
                pending[h[0]].append(_Arc(rel, head.id, hx, h[1].top(), child.id, cx, c[1].top(), arrow))
                continue
            for end, other, anchor, is_child in ((head, child, h, False), (child, head, c, True)):
                if anchor is None:
                    continue
                lp = plan.lines[anchor[0]]
                earlier = (end.start, end.id) < (other.start, other.id)
                edge = lp.right if earlier else lp.left
                x, top = anchor[1].center().x(), anchor[1].top()
                arrow = "a" if is_child and not symmetric else ""
                pending[anchor[0]].append(_Arc(rel, end.id, x, top, None, edge, None, arrow))
        for li, items in enumerate(pending):
            if not items:
                continue
            lp = plan.lines[li]
            _spread_ends(items, anchors)
            base = -rows[li] * (m.tag_height + m.tag_spacing) - m.arc_pad
            texts = [self.relation_text(a.rel) if self.relation_text is not None else a.rel.label for a in items]
            widths = [m.arc_label_width(text) for text in texts]
            lefts = [_label_left(a, width, lp) for a, width in zip(items, widths)]
            levels = _levels(items, widths, lefts, lp, m.MAX_ARC_LEVELS)
            for a, text, left, level in zip(items, texts, lefts, levels):
                y = base - (level + 0.5) * m.arc_step
                label = QRectF(round(left), round(y - m.arc_step / 2 + 1), m.arc_label_width(text), m.arc_step - 2)
                lp.arcs.append(ArcPlan(a.rel.id, text, a.ax, a.ay, a.bx, a.by, y, a.arrow, label))


#: Room left between a label beside an arc's leg and the leg.
_LABEL_GAP = 4


def _levels(items: list[_Arc], widths: list[float], lefts: list[float], lp: LinePlan, most: int) -> list[int]:
    """Levels of a line's arcs; moves labels in ``lefts`` off the legs of
    higher arcs.

    An arc's level keeps its label clear of the arcs beside it, and a label
    steps sideways off a leg that descends through it from an arc above (two
    annotators' versions of one relation, arcs meeting at one span). A moved
    label can change the levels, so this repeats a few times.
    """
    levels: list[int] = []
    for _ in range(3):
        spans = [(min(a.ax, a.bx, left), max(a.ax, a.bx, left + width)) for a, width, left in zip(items, widths, lefts)]
        levels = [min(level, most - 1) for level in arc_levels(spans)]
        moved = [
            label_clear_of_legs(left, width, [x for b, high in zip(items, levels) if high > level for x in _legs(b)],
                                lp.left, lp.right, _LABEL_GAP)
            for left, width, level in zip(lefts, widths, levels)
        ]
        if moved == lefts:
            break
        lefts[:] = moved
    return levels


def _legs(arc: _Arc) -> list[float]:
    """x of the legs an arc puts down on this line (a half that runs off the edge has one)."""
    return [arc.ax] if arc.by is None else [arc.ax, arc.bx]


def _label_left(arc: _Arc, width: float, lp: LinePlan) -> float:
    """Left edge of an arc's label: centred over the arc, inside the line.

    Both halves of an arc split over two lines carry the label; a half too
    short for it has it beside its leg, on the side away from the edge, so
    it is neither squeezed against the edge nor drawn over the leg.
    """
    if arc.by is None and abs(arc.bx - arc.ax) < width + 2 * _LABEL_GAP:
        left = arc.ax - _LABEL_GAP - width if arc.bx > arc.ax else arc.ax + _LABEL_GAP
    else:
        left = (arc.ax + arc.bx - width) / 2
    return max(lp.left, min(left, lp.right - width))


@dataclass
class _Arc:
    """An arc being planned: end ``a`` is on this line, end ``b`` may be an edge."""

    rel: Relation
    a_span: int
    ax: float
    ay: float
    b_span: int | None
    bx: float
    by: float | None
    arrow: str


def _spread_ends(items: list[_Arc], anchors: dict[int, tuple[int, QRectF]]) -> None:
    """Spread the ends of arcs that meet at one tag across its top, so their
    legs do not overlap: arcs leaving to the left on the left, the shortest
    outermost (it will be lowest, so it passes under the longer ones' legs),
    and mirrored on the right."""
    ends: dict[int, list[tuple[_Arc, str]]] = {}
    for arc in items:
        ends.setdefault(arc.a_span, []).append((arc, "a"))
        if arc.b_span is not None and arc.b_span != arc.a_span:
            ends.setdefault(arc.b_span, []).append((arc, "b"))
    for span_id, uses in ends.items():
        if len(uses) < 2:
            continue
        rect = anchors[span_id][1]
        centre = rect.center().x()

        def reach(use: tuple[_Arc, str]) -> float:
            arc, side = use
            return (arc.bx if side == "a" else arc.ax) - centre

        left = sorted((u for u in uses if reach(u) < 0), key=lambda u: -reach(u))
        right = sorted((u for u in uses if reach(u) >= 0), key=lambda u: -reach(u))
        order = left + right
        step = min(max(rect.width() - 8, 0) / (len(order) - 1), 7.0)
        x = centre - step * (len(order) - 1) / 2
        for arc, side in order:
            if side == "a":
                arc.ax = x
            else:
                arc.bx = x
            x += step
