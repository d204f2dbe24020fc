"""The review document view: gold with every annotator's other items, and the conflicts.

A ``DocView`` that is given the gold set (by the edit controller, as in the
labeling window) and draws it through an ``Overlay``: gold spans solid,
annotator items gold lacks as pale dashed ghosts (relations only for the
current conflict), and the tags of disputed items with who made them. Conflict clusters get an amber mark in the left
margin; the current one is also outlined in the text.
"""
from __future__ import annotations

from typing import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextLine
from PySide6.QtWidgets import QWidget

from ...core.adjudicate import Cluster, SpanKey
from ...core.model import AnnotationSet, Document
from ...core.scheme import Scheme
from ...ops.review import DocumentReview
from ..doc_view import DocView
from .overlay import Overlay, build_overlay

CONFLICT = QColor("#e8a317")
CONFLICT_SOFT = QColor(232, 163, 23, 90)
MARK_X = 5.0


class ReviewDocView(DocView):
    """Shows a gold set over a document's candidates (see the module docstring).

    Call ``set_review`` before the document is opened; ``set_document`` and
    ``update_annotations`` take the gold set, as in ``DocView``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review: DocumentReview | None = None
        self.tags: Mapping[str, str] = {}
        self.overlay = Overlay()
        self.current: Cluster | None = None
        self._gold: AnnotationSet | None = None
        self.set_label_texts(
            lambda s: self.overlay.span_text.get(s.id, s.label),
            lambda r: self.overlay.relation_text.get(r.id, r.label),
        )

    # -- content --------------------------------------------------------------
    def set_review(self, review: DocumentReview, tags: Mapping[str, str]) -> None:
        """The candidates and clusters of the document about to be shown;
        its first cluster becomes the current one."""
        self.review = review
        self.tags = tags
        self.current = review.clusters[0] if review.clusters else None

    def set_document(self, document: Document, aset: AnnotationSet, scheme: Scheme) -> None:
        self._gold = aset
        self.overlay = self._build(aset)
        super().set_document(document, self.overlay.as_set(aset), scheme)

    def update_annotations(self, aset: AnnotationSet) -> None:
        self._gold = aset
        before = self.overlay
        self.overlay = self._build(aset)
        super().update_annotations(self.overlay.as_set(aset))
        changed = {i for i in set(before.span_text) | set(self.overlay.span_text)
                   if before.span_text.get(i) != self.overlay.span_text.get(i)}
        for rid in set(before.relation_text) | set(self.overlay.relation_text):
            if before.relation_text.get(rid) != self.overlay.relation_text.get(rid):
                rel = self.overlay.relations.get(rid) or before.relations.get(rid)
                if rel is not None:
                    changed.update((rel.head, rel.child))
        if changed:
            self.replan_spans(changed)

    def _build(self, gold: AnnotationSet) -> Overlay:
        if self.review is None:
            return Overlay(dict(gold.spans), dict(gold.relations))
        shown = self.current.relation_keys() if self.current is not None else frozenset()
        return build_overlay(gold, self.review.candidates, self.tags, shown)

    # -- conflicts ------------------------------------------------------------
    def set_current(self, cluster: Cluster | None, *, scroll: bool = True) -> None:
        """Outline a cluster (None: none), draw the arcs of its relations
        gold lacks, and scroll it into view."""
        self.current = cluster
        if self._gold is not None and self.document_model() is not None:
            self.update_annotations(self._gold)
        if cluster is not None and scroll:
            self._scroll_to(cluster)
        self.viewport().update()

    def _scroll_to(self, cluster: Cluster) -> None:
        target = self._span_with_key(cluster_keys(cluster)[0]) if cluster_keys(cluster) else None
        if target is not None:
            self.scroll_to_span(target)

    def _span_with_key(self, key: SpanKey) -> int | None:
        for sid, span in self.overlay.spans.items():
            if (span.start, span.end, span.label) == key:
                return sid
        return None

    def cluster_at_span(self, span_id: int) -> Cluster | None:
        """The cluster a drawn span (gold or ghost) belongs to, if any."""
        key = self.overlay.key_of(span_id)
        if key is None or self.review is None:
            return None
        for cluster in self.review.clusters:
            if key in cluster_keys(cluster):
                return cluster
        return None

    # -- painting -------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        if self.review is None or not self.review.clusters or self.document_model() is None:
            return
        lines = self._visible_lines()
        if not lines:
            return
        first, last = lines[0][0], lines[-1][1]
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for cluster in self.review.clusters:
                ranges = [r for r in cluster_ranges(cluster) if r[0] <= last and r[1] >= first]
                if not ranges:
                    continue
                current = self.current is not None and cluster.number == self.current.number
                rects = [rect for s, e in ranges for rect in self._rects(lines, s, e)]
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(CONFLICT if current else CONFLICT_SOFT)
                width = 5.0 if current else 3.0
                for rect in rects:
                    painter.drawRoundedRect(QRectF(MARK_X, rect.top(), width, rect.height()), 1.5, 1.5)
                if current:
                    painter.setPen(QPen(CONFLICT, 2.0))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    for rect in rects:
                        painter.drawRoundedRect(rect.adjusted(-3, -1, 3, 1), 4, 4)
        finally:
            painter.end()

    def _visible_lines(self) -> list[tuple[int, int, QTextLine, QPointF]]:
        """``(start, end, line, block top left)`` of every visual line on
        screen, ``start``/``end`` as document offsets (Python indices)."""
        to_index = self._state.offsets.to_index
        out = []
        for block, geometry in self._visible_blocks():
            layout, bpos = block.layout(), block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                start = to_index(bpos + line.textStart())
                end = to_index(bpos + line.textStart() + line.textLength())
                out.append((start, end, line, geometry.topLeft()))
        return out

    def _rects(self, lines: list[tuple[int, int, QTextLine, QPointF]], start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of the text ``[start, end)`` on the visible lines."""
        to_display = self._state.offsets.to_display
        out = []
        for ls, le, line, origin in lines:
            s, e = max(start, ls), min(end, le)
            if e <= s:
                continue
            base = to_display(ls) - line.textStart()
            x1, x2 = line.cursorToX(to_display(s) - base)[0], line.cursorToX(to_display(e) - base)[0]
            out.append(QRectF(origin.x() + min(x1, x2), origin.y() + line.y(), abs(x2 - x1), line.height()))
        return out

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of the text ``[start, end)`` on each visual
        line it covers, for the lines that are on screen."""
        return self._rects(self._visible_lines(), start, end)


def cluster_keys(cluster: Cluster) -> list[SpanKey]:
    """The span keys a cluster is about: its spans, then its relations' ends."""
    keys = [c.key for c in cluster.spans]
    for rel in cluster.relations:
        for key in (rel.head, rel.child):
            if key not in keys:
                keys.append(key)
    return keys


def cluster_ranges(cluster: Cluster) -> list[tuple[int, int]]:
    """The text ranges to outline for a cluster."""
    return sorted({(k[0], k[1]) for k in cluster_keys(cluster)})
