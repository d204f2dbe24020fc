"""Painting and hit-testing of the annotation overlay: lane bars, tags, arcs.

Works from ``BlockPlan`` geometry only (see ``doc_layout``); colours and the
selection are read from the ``ViewState`` at paint time, so changing the
selection never needs a new layout.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF, QTextBlock

from ..core.model import Span
from .annotation_style import ACCENT, BASE, TEXT, Metrics
from .doc_layout import ArcPlan, BlockPlan, LinePlan
from .view_state import ViewState

_CORNER = 4.0
_ARROW = 4.0
_HIT_SLOP = 3.5
# Rendered tags and arc labels, shared by every view (the labeling and review
# windows, and each document opened): the same few labels recur everywhere.
_CHIPS: dict[tuple, QPixmap] = {}


@dataclass(frozen=True)
class Hit:
    """What is under a point: ``kind`` is "tag", "arc" or "span"."""

    kind: str
    id: int


class _Look(NamedTuple):
    """The colours of a chip, with the part of the pixmap cache key they make."""

    fill: QColor
    border: QColor | None
    text: QColor
    dashed: bool
    key: tuple


def _look(fill: QColor, border: QColor | None, text: QColor, dashed: bool) -> _Look:
    return _Look(fill, border, text, dashed, (fill.rgba(), border.rgba() if border else 0, text.rgba(), dashed))


class AnnotationPainter:
    """Draws and hit-tests the plans of visible blocks."""

    def __init__(self, state: ViewState, metrics: Metrics) -> None:
        self._state = state
        self._metrics = metrics
        self.hover_relation: int | None = None
        self._looks: dict[tuple, _Look] = {}  # by what decides the colours (the styles are the state's)
        self._font_keys: dict[int, str] = {}

    @property
    def state(self) -> ViewState:
        return self._state

    @state.setter
    def state(self, state: ViewState) -> None:
        self._state = state
        self._looks.clear()

    @property
    def metrics(self) -> Metrics:
        return self._metrics

    @metrics.setter
    def metrics(self, metrics: Metrics) -> None:
        self._metrics = metrics
        self._font_keys.clear()

    # -- painting -----------------------------------------------------------
    def fill_of(self, span: Span, emphasised: set[int]) -> tuple[QColor, bool]:
        """A span's background and whether it has a dotted underline: confirmed
        spans solid, suggestions pale and dotted, the selected span (and the
        ends of the selected relation) stronger."""
        style = self.state.styles.label(span.label)
        if span.id in emphasised:
            color = style.strong
        elif span.is_suggestion:
            color = style.soft
        else:
            color = style.fill
        return color, span.is_suggestion

    def paint_fills(self, painter: QPainter, plan: BlockPlan, origin: QPointF, clip: QRectF) -> None:
        """Paint the span backgrounds of one block, under its text. Runs come
        outer lanes first, so the innermost span's colour shows where spans nest."""
        index = self.state.index
        if index is None:
            return
        emphasised = self.state.emphasised_spans()
        for lp in plan.lines:
            top = origin.y() + lp.y
            if not lp.runs or top + lp.height < clip.top() or top > clip.bottom():
                continue
            for run in lp.runs:
                span = index.span(run.span_id)
                if span is None:
                    continue
                color, dotted = self.fill_of(span, emphasised)
                rect = QRectF(origin.x() + run.x1, top, run.x2 - run.x1, lp.height)
                painter.fillRect(rect, color)
                if dotted:
                    pen = QPen(self.state.styles.label(span.label).ink, 1.0)
                    pen.setStyle(Qt.PenStyle.DotLine)
                    painter.setPen(pen)
                    painter.drawLine(QLineF(rect.left(), rect.bottom() - 1.5, rect.right(), rect.bottom() - 1.5))

    def fills(self, block: QTextBlock) -> list[tuple[int, int, str, bool]]:
        """The fills of a block's spans as ``(start, length, colour name,
        dotted)`` in display positions within the block, in painting order."""
        index = self.state.index
        if index is None:
            return []
        to_display = self.state.offsets.to_display
        bpos, length = block.position(), block.length() - 1
        emphasised = self.state.emphasised_spans()
        out = []
        for span in index.spans_in(block.blockNumber()):
            color, dotted = self.fill_of(span, emphasised)
            for start, end in span.pieces():
                qs = max(to_display(start) - bpos, 0)
                qe = min(to_display(end) - bpos, length)
                if qe > qs:
                    out.append((qs, qe - qs, color.name(), dotted))
        return out

    def paint_block(self, painter: QPainter, plan: BlockPlan, origin: QPointF, clip: QRectF) -> None:
        """Paint one block whose top left is at ``origin`` (viewport coordinates)."""
        emphasised = self.state.emphasised_spans()
        for lp in plan.lines:
            top = origin.y() + lp.y
            if not (lp.runs or lp.arcs) or top + lp.height + 12 < clip.top() or top - 200 > clip.bottom():
                continue
            painter.save()
            painter.translate(origin.x(), top)
            self._paint_bars(painter, lp)
            self._paint_outlines(painter, lp)
            self._paint_arcs(painter, lp)
            self._paint_tags(painter, lp, emphasised)
            painter.restore()

    def _paint_bars(self, painter: QPainter, lp: LinePlan) -> None:
        index = self.state.index
        m = self.metrics
        for run in lp.runs:
            if not run.stacked:
                continue
            span = index.span(run.span_id) if index else None
            if span is None:
                continue
            pen = QPen(self.state.styles.label(span.label).ink, m.bar_width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if span.is_suggestion:
                pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            y = lp.height + 1.5 + min(run.lane, m.MAX_BAR_LANE) * m.bar_step
            painter.drawLine(QLineF(run.x1 + 1, y, run.x2 - 1, y))

    def _paint_outlines(self, painter: QPainter, lp: LinePlan) -> None:
        selected = self.state.selected_span
        if selected is None:
            return
        index = self.state.index
        span = index.span(selected) if index else None
        if span is None:
            return
        pen = QPen(self.state.styles.label(span.label).ink, 1.6)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for run in lp.runs:
            if run.span_id == selected:
                painter.drawRoundedRect(QRectF(run.x1 - 1.5, 0.5, run.x2 - run.x1 + 3, lp.height - 1), 3, 3)

    def _paint_tags(self, painter: QPainter, lp: LinePlan, emphasised: set[int]) -> None:
        index = self.state.index
        font = self.metrics.tag_font
        for tag in lp.tags:
            span = index.span(tag.span_id) if index else None
            if span is None:
                continue
            strong = tag.span_id in emphasised
            key = (span.label, strong, span.is_suggestion)
            look = self._looks.get(key)
            if look is None:
                look = self._looks[key] = self._tag_look(span, strong)
            self._chip(painter, tag.rect, tag.text, font, look)

    def _tag_look(self, span: Span, strong: bool) -> _Look:
        style = self.state.styles.label(span.label)
        border = QColor(style.ink)
        if strong:
            fill, text_color = style.ink, BASE
        elif span.is_suggestion:
            fill, text_color = style.soft, style.ink
            border.setAlphaF(0.8)
        else:
            fill, text_color = style.fill, TEXT
            border.setAlphaF(0.35)
        return _look(fill, border, text_color, span.is_suggestion and not strong)

    def _chip(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        font: QFont,
        look: _Look,
    ) -> None:
        """A rounded box with centred text, rendered once and kept as a pixmap."""
        dpr = painter.device().devicePixelRatioF()
        font_key = self._font_keys.get(id(font))
        if font_key is None:
            font_key = self._font_keys[id(font)] = font.key()
        key = (text, font_key, look.key, rect.width(), rect.height(), dpr)
        pixmap = _CHIPS.get(key)
        if pixmap is None:
            if len(_CHIPS) > 4000:
                _CHIPS.clear()
            pixmap = QPixmap(math.ceil(rect.width() * dpr), math.ceil(rect.height() * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            chip = QPainter(pixmap)
            chip.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            chip.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            if look.border is None:
                chip.setPen(Qt.PenStyle.NoPen)
            else:
                pen = QPen(look.border, 1.0)
                if look.dashed:
                    pen.setStyle(Qt.PenStyle.DashLine)
                chip.setPen(pen)
            chip.setBrush(look.fill)
            chip.drawRoundedRect(QRectF(0.5, 0.5, rect.width() - 1, rect.height() - 1), 3, 3)
            chip.setFont(font)
            chip.setPen(look.text)
            chip.drawText(QRectF(0, 0, rect.width(), rect.height()), Qt.AlignmentFlag.AlignCenter, text)
            chip.end()
            _CHIPS[key] = pixmap
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _paint_arcs(self, painter: QPainter, lp: LinePlan) -> None:
        if not lp.arcs:
            return
        index = self.state.index
        m = self.metrics
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for arc in lp.arcs:
            rel = index.relation(arc.relation_id) if index else None
            if rel is None:
                continue
            selected = arc.relation_id == self.state.selected_relation
            hovered = arc.relation_id == self.hover_relation
            color = ACCENT if selected else self.state.styles.relation(rel.label)
            pen = QPen(color, 2.0 if selected or hovered else 1.2)
            if rel.origin in ("model", "rule"):
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(arc_path(arc))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            for x, y, end in ((arc.ax, arc.ay, "a"), (arc.bx, arc.by, "b")):
                if y is not None and arc.arrow_at == end:
                    tip = QPointF(x, y)
                    left = QPointF(x - _ARROW, y - 2 * _ARROW)
                    right = QPointF(x + _ARROW, y - 2 * _ARROW)
                    painter.drawPolygon(QPolygonF([left, right, tip]))
                elif y is None:
                    painter.drawEllipse(QPointF(x, arc.y), 2.0, 2.0)
            if arc.label_rect.isNull():
                continue
            key = ("\0relation", rel.label, selected)
            look = self._looks.get(key)
            if look is None:
                label_bg = QColor(BASE)
                label_bg.setAlphaF(0.92)
                look = self._looks[key] = _look(label_bg, None, color, False)
            font = m.tag_font if selected else m.arc_font
            self._chip(painter, arc.label_rect, arc.text, font, look)

    def paint_link(self, painter: QPainter, line: QLineF) -> None:
        """The dashed line from a pending relation's head to the mouse."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(ACCENT, 1.6)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ACCENT)
        painter.drawEllipse(line.p1(), 3.0, 3.0)
        painter.drawEllipse(line.p2(), 3.0, 3.0)

    # -- hit testing --------------------------------------------------------
    def hit(self, plan: BlockPlan, origin: QPointF, point: QPointF) -> Hit | None:
        """Tag, arc or span under ``point`` in a block whose top left is ``origin``.

        Tags and arc labels win over arc lines, which win over span text; of
        several spans under the point the innermost (shortest) one is chosen.
        """
        for lp in plan.lines:
            local = point - QPointF(origin.x(), origin.y() + lp.y)
            for tag in lp.tags:
                if tag.rect.contains(local):
                    return Hit("tag", tag.span_id)
            for arc in lp.arcs:
                if arc.label_rect.contains(local):
                    return Hit("arc", arc.relation_id)
            for arc in lp.arcs:
                if _near_arc(arc, local):
                    return Hit("arc", arc.relation_id)
            if 0 <= local.y() <= lp.height:
                best = None
                index = self.state.index
                for run in lp.runs:
                    if run.x1 <= local.x() <= run.x2 and index is not None:
                        span = index.span(run.span_id)
                        if span is not None and (best is None or span.end - span.start < best.end - best.start):
                            best = span
                if best is not None:
                    return Hit("span", best.id)
        return None


def arc_path(arc: ArcPlan) -> QPainterPath:
    """The arc's line: up from its ends, across at ``arc.y``, rounded corners."""
    path = QPainterPath()
    ax, bx, y = arc.ax, arc.bx, arc.y
    sign = 1.0 if bx >= ax else -1.0
    if arc.ay is None:
        path.moveTo(ax, y)
    else:
        path.moveTo(ax, arc.ay)
        path.lineTo(ax, y + _CORNER)
        path.quadTo(ax, y, ax + sign * _CORNER, y)
    if arc.by is None:
        path.lineTo(bx, y)
    else:
        path.lineTo(bx - sign * _CORNER, y)
        path.quadTo(bx, y, bx, y + _CORNER)
        path.lineTo(bx, arc.by)
    return path


def _near_arc(arc: ArcPlan, p: QPointF) -> bool:
    lo, hi = min(arc.ax, arc.bx), max(arc.ax, arc.bx)
    if abs(p.y() - arc.y) <= _HIT_SLOP and lo - _HIT_SLOP <= p.x() <= hi + _HIT_SLOP:
        return True
    for x, end_y in ((arc.ax, arc.ay), (arc.bx, arc.by)):
        if end_y is not None and abs(p.x() - x) <= _HIT_SLOP and arc.y <= p.y() <= end_y:
            return True
    return False
