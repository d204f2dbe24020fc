"""The document view: read-only text with highlighted spans, tags and relation arcs.

``DocView`` shows one document and one annotation set. It never edits
annotations itself: it reports what the user pointed at through signals,
and the window that owns it turns those into edits and calls
``update_annotations`` with the result.

Signals
    ``selectionMade(start, end)``: the user selected text with the mouse or
    with Shift and the arrow keys (each key press); offsets are Python
    indices, snapped to token boundaries unless Alt was held. ``spanClicked(span_id)``: a click on a span's text or tag.
    ``relationClicked(relation_id)``: a click on an arc or its label.
    ``backgroundClicked()``: a click on nothing in particular (or a
    keyboard selection shrunk to nothing but whitespace).
    ``spanMenuRequested(span_id, global_pos)`` and
    ``relationMenuRequested(relation_id, global_pos)``: a right click (or the
    menu key) on a span or an arc.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QFrame, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ..core.layout import TokenIndex
from ..core.model import AnnotationSet, Document, Relation, Span
from ..core.scheme import Scheme
from .annotation_painter import AnnotationPainter, Hit
from . import span_ops, text_search
from .annotation_style import BASE, CURRENT_MATCH, MATCH, SELECTION, TEXT, Metrics
from .doc_layout import AnnotatedLayout, ArcPlan, BlockPlanner
from .plain_text import tooltip
from .view_state import ViewState

_CLICKABLE = ("tag", "arc")


class DocView(QPlainTextEdit):
    """Read-only view of one annotated document (see the module docstring)."""

    selectionMade = Signal(int, int)
    spanClicked = Signal(int)
    relationClicked = Signal(int)
    backgroundClicked = Signal()
    spanMenuRequested = Signal(int, QPoint)
    relationMenuRequested = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = ViewState()
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(18)
        self._layout = AnnotatedLayout(document)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Not a text editor: the keyboard selects from an invisible cursor.
        self.setCursorWidth(0)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # A scroll bar that came and went with the length of the text would
        # change the width, so every line would break anew and move.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, BASE)
        palette.setColor(QPalette.ColorRole.Text, TEXT)
        palette.setColor(QPalette.ColorRole.Highlight, SELECTION)
        palette.setColor(QPalette.ColorRole.HighlightedText, TEXT)
        self.setPalette(palette)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self._metrics = Metrics(self.font())
        self._planner = BlockPlanner(self._state, self._metrics)
        self._painter = AnnotationPainter(self._state, self._metrics)
        self._layout.planner = self._planner
        self._press: tuple[QPointF, Hit | None, bool] | None = None
        # (raw, snapped) (anchor, position) of the last keyboard selection
        self._key_cursor: tuple[tuple[int, int], tuple[int, int]] | None = None
        self._link_source: int | None = None  # head of a relation being drawn
        self._pointer: QPointF | None = None  # the mouse over the viewport
        self._matches: list[tuple[int, int]] = []
        self._match: int | None = None
        self._match_formats = {False: QTextCharFormat(), True: QTextCharFormat()}
        self._match_formats[False].setBackground(MATCH)
        self._match_formats[True].setBackground(CURRENT_MATCH)
        self._match_formats[True].setFontUnderline(True)
        self.viewport().setMouseTracking(True)

    # -- content ------------------------------------------------------------
    def set_document(self, document: Document, aset: AnnotationSet, scheme: Scheme) -> None:
        """Show a document with one annotation set; clears the selection.

        The text is set as plain text (markup in it shows literally). Tokens
        that are unsorted or overlap raise ``ValueError`` when first used.
        """
        state = ViewState.build(document, aset, scheme)
        self._state = state
        self._planner.state = self._painter.state = state
        self._painter.hover_relation = None
        self._layout.forget()
        self._matches, self._match = [], None
        self.setExtraSelections([])
        self.setPlainText(document.text)

    def update_annotations(self, aset: AnnotationSet) -> None:
        """Show a new state of the annotation set of the current document.

        Only paragraphs whose spans or relations changed are repainted
        and re-planned; the text is never laid out again as a whole. A
        selected span or relation that no longer exists is deselected
        (without a signal). Does nothing when no document is shown.
        """
        index = self._state.index
        if index is None:
            return
        before = self._state.emphasised_spans()
        change = index.update(aset.spans, aset.relations)
        if self._state.selected_span is not None and index.span(self._state.selected_span) is None:
            self._state.selected_span = None
        if self._state.selected_relation is not None and index.relation(self._state.selected_relation) is None:
            self._state.selected_relation = None
        paragraphs = set(change.paragraphs)
        paragraphs |= self._state.paragraphs_of_spans(before ^ self._state.emphasised_spans())
        self._refresh(paragraphs, relayout=True)

    def set_label_texts(
        self,
        span_text: Callable[[Span], str] | None = None,
        relation_text: Callable[[Relation], str] | None = None,
    ) -> None:
        """Draw tags and arc labels with these texts instead of the labels
        (``None``: the label). Paragraphs laid out from now on use them; after
        what they return changes, ``replan_spans`` redraws the spans concerned."""
        self._planner.span_text = span_text
        self._planner.relation_text = relation_text
        self._layout.plans.clear()
        self.document().markContentsDirty(0, self.document().characterCount())

    def replan_spans(self, span_ids: Iterable[int]) -> None:
        """Lay out and repaint again the paragraphs of these spans (and so
        the arcs of relations that start there); unknown ids are ignored."""
        self._refresh(self._state.paragraphs_of_spans(set(span_ids)), relayout=True)

    def document_model(self) -> Document | None:
        """The document shown, or ``None``."""
        return self._state.document

    @property
    def tokens(self) -> TokenIndex:
        """Token look-ups for the document shown (empty before ``set_document``)."""
        return self._state.tokens

    # -- selection ----------------------------------------------------------
    def selected_span(self) -> int | None:
        return self._state.selected_span

    def selected_relation(self) -> int | None:
        return self._state.selected_relation

    def select_span(self, span_id: int | None) -> None:
        """Mark a span as selected (``None`` or an unknown id deselects). Emits nothing."""
        index = self._state.index
        if span_id is not None and (index is None or index.span(span_id) is None):
            span_id = None
        before = self._state.emphasised_spans()
        self._state.selected_span = span_id
        self._refresh(self._state.paragraphs_of_spans(before ^ self._state.emphasised_spans()), relayout=False)

    def select_relation(self, relation_id: int | None) -> None:
        """Mark a relation as selected (``None`` or an unknown id deselects). Emits nothing."""
        index = self._state.index
        if relation_id is not None and (index is None or index.relation(relation_id) is None):
            relation_id = None
        before = self._state.emphasised_spans()
        self._state.selected_relation = relation_id
        self._refresh(self._state.paragraphs_of_spans(before ^ self._state.emphasised_spans()), relayout=False)

    def clear_text_selection(self) -> None:
        """Drop the mouse selection of text (annotations are untouched)."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def snap_selection(self, start: int, end: int, *, precise: bool = False) -> tuple[int, int] | None:
        """The span a selection of ``[start, end)`` stands for.

        Snapped outward to token boundaries, or exact when ``precise``; a
        document without tokens trims surrounding whitespace instead. ``None``
        when nothing but whitespace (or nothing) is selected.
        """
        if end < start:
            start, end = end, start
        if precise:
            return (start, end) if end > start else None
        if len(self._state.tokens):
            return self._state.tokens.snap(start, end)
        text = self._state.document.text if self._state.document else ""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    # -- look-ups -----------------------------------------------------------
    def span_at(self, offset: int) -> int | None:
        """Id of the innermost span containing the character at ``offset``, else ``None``."""
        index = self._state.index
        if index is None:
            return None
        spans = index.spans_at(offset)
        return spans[0].id if spans else None

    def span_at_point(self, point: QPointF) -> int | None:
        """Id of the span whose text or tag is at a viewport point, else ``None``."""
        hit = self._hit(QPointF(point))
        return hit.id if hit is not None and hit.kind in ("tag", "span") else None

    def relation_at_point(self, point: QPointF) -> int | None:
        """Id of the relation whose arc or label is at a viewport point, else ``None``."""
        hit = self._hit(QPointF(point))
        return hit.id if hit is not None and hit.kind == "arc" else None

    def offset_rect(self, offset: int) -> QRectF:
        """Viewport rectangle of the text cursor before the character at ``offset``."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._state.offsets.to_display(offset))
        return QRectF(self.cursorRect(cursor))

    def tag_rect(self, span_id: int) -> QRectF | None:
        """Viewport rectangle of a span's label tag, if it is on screen."""
        for block, geometry in self._visible_blocks():
            plan = self._layout.plan(block)
            for lp in plan.lines if plan else ():
                for tag in lp.tags:
                    if tag.span_id == span_id:
                        return tag.rect.translated(geometry.left(), geometry.top() + lp.y)
        return None

    def relation_label_rect(self, relation_id: int) -> QRectF | None:
        """Viewport rectangle of a relation's label (the first, for an arc
        split over two lines), if it is on screen."""
        rects = self.relation_label_rects(relation_id)
        return rects[0] if rects else None

    def relation_label_rects(self, relation_id: int) -> list[QRectF]:
        """Viewport rectangles of a relation's labels on screen: one per arc
        half, so two for an arc split over two lines."""
        return [rect for rect, _arc in self._arcs_on_screen(relation_id)]

    def arrowheads(self, relation_id: int) -> int:
        """How many arrowheads the relation's arc has on screen (0 for a symmetric type)."""
        return sum(1 for _rect, arc in self._arcs_on_screen(relation_id) if arc.arrow_at)

    def _arcs_on_screen(self, relation_id: int) -> Iterator[tuple[QRectF, ArcPlan]]:
        for block, geometry in self._visible_blocks():
            plan = self._layout.plan(block)
            for lp in plan.lines if plan else ():
                for arc in lp.arcs:
                    if arc.relation_id == relation_id:
                        yield arc.label_rect.translated(geometry.left(), geometry.top() + lp.y), arc

    # -- search matches --------------------------------------------------------
    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Highlight these ``(start, end)`` stretches of text (a search's
        matches, in reading order); none is current until ``step_match``."""
        self._matches = list(matches)
        self._match = None
        self._show_matches()

    def matches(self) -> list[tuple[int, int]]:
        return list(self._matches)

    def current_match(self) -> int | None:
        """Number of the current match (0-based), or None."""
        return self._match

    def step_match(self, direction: int) -> int | None:
        """Make the next (1) or previous (-1) match current, wrapping around,
        and scroll to it; returns its number, None when there is none."""
        self._match = text_search.step(len(self._matches), self._match, direction)
        self._show_matches()
        if self._match is not None:
            self.scroll_to_text(*self._matches[self._match])
        return self._match

    def _show_matches(self) -> None:
        to_display = self._state.offsets.to_display
        document = self.document()
        selections = []
        for i, (start, end) in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            cursor.setPosition(to_display(start))
            cursor.setPosition(to_display(end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = self._match_formats[i == self._match]
            selections.append(selection)
        self.setExtraSelections(selections)

    # -- drawing a relation --------------------------------------------------
    def set_link_source(self, span_id: int | None) -> None:
        """While a relation is being drawn from ``span_id``, a line follows
        the mouse from that span's tag; None ends it."""
        if span_id != self._link_source:
            self._link_source = span_id
            self.viewport().update()

    def link_line(self) -> QLineF | None:
        """The line drawn from the pending relation's head to the mouse, if any."""
        if self._link_source is None or self._pointer is None:
            return None
        rect = self.tag_rect(self._link_source)
        if rect is None:
            index = self._state.index
            span = index.span(self._link_source) if index is not None else None
            if span is None:
                return None
            rect = self.offset_rect(span.start)
        return QLineF(QPointF(rect.center().x(), rect.top()), self._pointer)

    def scroll_to_span(self, span_id: int) -> None:
        """Scroll so the span is in view (a few lines below the top); no-op
        when it is already fully visible or unknown. The selection is kept."""
        index = self._state.index
        span = index.span(span_id) if index is not None else None
        if span is not None:
            self.scroll_to_text(span.start, span.end)

    def scroll_to_text(self, start: int, end: int) -> None:
        """Scroll so ``[start, end)`` is in view (a few lines below the top);
        no-op when it is already fully visible."""
        top, bottom = self.offset_rect(start), self.offset_rect(end)
        room = self._metrics.tag_height * 2
        if top.top() - room >= 0 and bottom.bottom() <= self.viewport().height():
            return
        position = self._state.offsets.to_display(start)
        block = self.document().findBlock(position)
        self._layout.blockBoundingRect(block)
        line = block.layout().lineForTextPosition(position - block.position())
        line_number = block.firstLineNumber() + max(line.lineNumber(), 0)
        self.verticalScrollBar().setValue(max(0, line_number - 2))

    # -- painting -----------------------------------------------------------
    def _visible_blocks(self) -> Iterator[tuple[QTextBlock, QRectF]]:
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            if block.isVisible():
                yield block, geometry
            block = block.next()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        if self._state.index is None:
            super().paintEvent(event)
            return
        clip = QRectF(event.rect())
        visible = []
        plans = self._layout.plans
        for block, geometry in self._visible_blocks():
            if geometry.bottom() + 16 < clip.top():
                continue
            # _visible_blocks measured the block, which planned it if it had to be
            plan = plans.get(block.blockNumber()) or self._layout.plan(block)
            if plan is not None:
                visible.append((plan, geometry.topLeft()))
        # Span fills go under the text, which Qt draws next; tags and arcs over it.
        painter = QPainter(self.viewport())
        try:
            for plan, origin in visible:
                self._painter.paint_fills(painter, plan, origin, clip)
        finally:
            painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        try:
            for plan, origin in visible:
                self._painter.paint_block(painter, plan, origin, clip)
            line = self.link_line()
            if line is not None:
                self._painter.paint_link(painter, line)
        finally:
            painter.end()

    def span_fills(self, block_number: int) -> list[tuple[int, int, str, bool]]:
        """What the spans of a paragraph are painted with, as ``(start, length,
        colour name, dotted underline)`` in display positions within the
        paragraph, in painting order; empty for a paragraph never laid out
        (it has never been on screen)."""
        block = self.document().findBlockByNumber(block_number)
        if not block.isValid() or block_number not in self._layout.planned:
            return []
        return self._painter.fills(block)

    def _refresh(self, paragraphs: set[int], *, relayout: bool) -> None:
        """Repaint (and with ``relayout`` lay out and plan again) paragraphs: repaint
        the part of the viewport they cover."""
        document = self.document()
        offset = self.contentOffset()
        viewport = self.viewport()
        bottom_slop = self._metrics.under + 2  # lane bars hang below a block
        for number in sorted(paragraphs):
            block = document.findBlockByNumber(number)
            if not block.isValid():
                continue
            if relayout:
                self._layout.plans.pop(number, None)
                # Qt takes the length as removed and added again, so it
                # reaches twice as far: half stays in this block.
                document.markContentsDirty(block.position(), max(block.length() // 2, 1))
            if block.layout().lineCount():
                rect = self.blockBoundingGeometry(block).translated(offset)
                viewport.update(rect.adjusted(0, 0, 0, bottom_slop).toAlignedRect())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        if event.size().width() != event.oldSize().width():
            self._layout.gaps.clear()  # lines break anew
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_planner"):
            self._metrics = Metrics(self.font())
            self._planner.metrics = self._painter.metrics = self._metrics
            self._layout.forget()
        super().changeEvent(event)

    # -- mouse --------------------------------------------------------------
    def _hit(self, point: QPointF) -> Hit | None:
        if self._state.index is None:
            return None
        for block, geometry in self._visible_blocks():
            if geometry.top() <= point.y() <= geometry.bottom():
                plan = self._layout.plan(block)
                if plan is None:
                    return None
                return self._painter.hit(plan, geometry.topLeft(), point)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self._hit(event.position())
            self._press = (event.position(), hit, False)
            if hit is not None and hit.kind in _CLICKABLE:
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self._hit(event.position())
            self._press = (event.position(), hit, True)
            if hit is not None and hit.kind in _CLICKABLE:
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self._pointer = event.position()
        if self._link_source is not None:
            self.viewport().update()
        if event.buttons() == Qt.MouseButton.NoButton:
            hit = self._hit(event.position())
            clickable = hit is not None and hit.kind in _CLICKABLE
            self.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.IBeamCursor
            )
            hover = hit.id if hit is not None and hit.kind == "arc" else None
            if hover != self._painter.hover_relation:
                self._painter.hover_relation = hover
                self.viewport().update()
        elif self._press is not None and self._press[1] is not None and self._press[1].kind in _CLICKABLE:
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        pressed, self._press = self._press, None
        if pressed is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        origin, hit, double = pressed
        moved = (event.position() - origin).manhattanLength() >= QApplication.startDragDistance()
        if hit is not None and hit.kind in _CLICKABLE:
            event.accept()
            if not moved:
                if hit.kind == "tag":
                    self.spanClicked.emit(hit.id)
                else:
                    self.relationClicked.emit(hit.id)
            return
        super().mouseReleaseEvent(event)
        cursor = self.textCursor()
        if cursor.hasSelection() and (moved or double):
            precise = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            self._finish_selection(cursor, precise=precise)
        elif not moved:
            if hit is not None and hit.kind == "span":
                self.spanClicked.emit(hit.id)
            else:
                self.backgroundClicked.emit()

    # -- keyboard -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        """Shift and the arrow (Home, End, Ctrl+arrow...) keys select text
        like a mouse drag: each press shows and reports the selection snapped
        to tokens (exact with Alt); the next press goes on from where the
        keys, not the snapping, left the cursor."""
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt and shift:
            # Alt would keep Qt from reading Shift+arrow as "extend the selection".
            event = QKeyEvent(event.type(), event.key(), event.modifiers() & ~Qt.KeyboardModifier.AltModifier,
                              event.text(), event.isAutoRepeat(), event.count())
        cursor = self.textCursor()
        if self._key_cursor is not None and self._key_cursor[1] == (cursor.anchor(), cursor.position()):
            cursor.setPosition(self._key_cursor[0][0])
            cursor.setPosition(self._key_cursor[0][1], QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        self._key_cursor = None
        before = (cursor.anchor(), cursor.position())
        super().keyPressEvent(event)
        cursor = self.textCursor()
        after = (cursor.anchor(), cursor.position())
        if not shift or after == before:
            return
        if not cursor.hasSelection():
            self.backgroundClicked.emit()  # nothing selected any more
            return
        if self._finish_selection(cursor, precise=alt):
            snapped = self.textCursor()
            self._key_cursor = (after, (snapped.anchor(), snapped.position()))
        else:
            self.backgroundClicked.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt name)
        hit = self._hit(QPointF(event.pos()))  # viewport coordinates, as for the mouse
        if hit is None:
            event.ignore()  # no menu over plain text
        elif hit.kind == "arc":
            self.relationMenuRequested.emit(hit.id, event.globalPos())
        else:
            self.spanMenuRequested.emit(hit.id, event.globalPos())

    def _finish_selection(self, cursor: QTextCursor, *, precise: bool) -> bool:
        """Snap the selection of ``cursor``, show it and report it; False
        (and nothing selected) when it held only whitespace."""
        offsets = self._state.offsets
        start = offsets.to_index(cursor.selectionStart())
        end = offsets.to_index(cursor.selectionEnd())
        snapped = self.snap_selection(start, end, precise=precise)
        if snapped is None:
            self.clear_text_selection()
            return False
        anchor, position = snapped if cursor.position() >= cursor.anchor() else snapped[::-1]
        cursor.setPosition(offsets.to_display(anchor))
        cursor.setPosition(offsets.to_display(position), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.selectionMade.emit(*snapped)
        return True

    # -- tooltips -----------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ToolTip and self._state.index is not None:
            hit = self._hit(QPointF(event.pos()))
            text = self._tooltip(hit)
            if text:
                QToolTip.showText(event.globalPos(), tooltip(text, wrap=False), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, hit: Hit | None) -> str:
        index = self._state.index
        document = self._state.document
        if hit is None or index is None or document is None:
            return ""
        if hit.kind == "arc":
            rel = index.relation(hit.id)
            head = index.span(rel.head) if rel else None
            child = index.span(rel.child) if rel else None
            if rel is None or head is None or child is None:
                return ""
            return (
                f"{rel.label}: {document.text[head.start:head.end]!r} \u2192 "
                f"{document.text[child.start:child.end]!r} \u00b7 {span_ops.origin_text(rel)}"
            )
        span = index.span(hit.id)
        if span is None:
            return ""
        return f"{span.label} \u00b7 {span_ops.origin_text(span)}"
