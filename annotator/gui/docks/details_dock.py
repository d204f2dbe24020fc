"""Details of the selected span or relation, and what the keys would do to it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDockWidget, QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.model import AnnotationSet, Document, Relation, Span
from ...core.scheme import Scheme
from .. import span_ops
from .palette_dock import text_color

ORIGIN_TEXT = {"human": "confirmed", "rule": "suggestion (rules)", "model": "suggestion (model)", "import": "imported"}


class WrappingLabel(QLabel):
    """A label that is never shorter than its wrapped text at its width
    (layouts otherwise size it by its one-line height and cut lines off)."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self.wordWrap():
            needed = self.heightForWidth(self.width())
            if needed > 0 and needed != self.minimumHeight():
                self.setMinimumHeight(needed)


def plain_label(text: str = "", name: str = "") -> QLabel:
    label = WrappingLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def key_hints(*items: str) -> str:
    """Hints such as ``A accept`` joined by dots; a hint never breaks inside."""
    return " · ".join(item.replace(" ", "\u00a0") for item in items)


class DetailsDock(QDockWidget):
    """Shows the selection; all text is plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Selection", parent)
        self.setObjectName("details_dock")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(6)
        self.chip = plain_label("", "chip")
        self.chip.setWordWrap(False)
        self.quote = plain_label("", "quote")
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(3)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hint = plain_label("", "hint")
        layout.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.quote)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("details_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        scroll.viewport().installEventFilter(self)
        self.setWidget(scroll)
        self.body = body
        self.show_nothing()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """Keep the content as tall as its wrapped lines need at the panel's
        width, so the panel scrolls rather than squeezing lines into each other."""
        width = self.widget().viewport().width()
        self.body.setMinimumHeight(self.body.layout().heightForWidth(width))

    # -- content -------------------------------------------------------------
    def _clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)

    def _row(self, name: str, value: str) -> None:
        key = QLabel(name)
        key.setObjectName("field")
        self.form.addRow(key, plain_label(value, f"detail_{name.lower()}"))

    def _set_chip(self, text: str, color: str | None) -> None:
        self.chip.setText(text)
        if color:
            self.chip.setStyleSheet(
                f"background: {color}; color: {text_color(color)}; border-radius: 4px; padding: 2px 8px; font-weight: 600;"
            )
        else:
            self.chip.setStyleSheet("")

    def show_nothing(self, pending: tuple[int, int] | None = None, document: Document | None = None) -> None:
        self._clear()
        if pending is not None and document is not None:
            self._set_chip("new span", "#e8eaed")
            self.quote.setText(" ".join(document.text[pending[0]:pending[1]].split()))
            self.hint.setText("Press a label key (or click a label) to make it a span.")
        else:
            self._set_chip("nothing selected", None)
            self.quote.setText("")
            self.hint.setText("Select text with the mouse, or press Tab to walk through the spans.")
        self._fit()

    def show_span(self, span: Span, aset: AnnotationSet, document: Document, scheme: Scheme) -> None:
        self._clear()
        label = scheme.label(span.label)
        self._set_chip(span.label, label.color if label else "#cccccc")
        self.quote.setText(" ".join(document.text[span.start:span.end].split()))
        self._row("Status", ORIGIN_TEXT.get(span.origin, span.origin))
        if span.score is not None:
            self._row("Score", f"{span.score:.2f}")
        self._row("Offsets", f"{span.start}–{span.end}")
        for rel in aset.relations_of(span.id):
            other = aset.spans.get(rel.child if rel.head == span.id else rel.head)
            if other is None:
                continue
            arrow = "→" if rel.head == span.id else "←"
            self._row(rel.label, f"{arrow} {other.label} “{span_ops.quote(document.text, other, 30)}”")
        if span.is_suggestion:
            self.hint.setText(key_hints("A accept", "X reject", "digit relabels", "[ ] { } bounds", "R relation", "Del delete"))
        else:
            self.hint.setText(key_hints("digit relabels", "[ ] { } bounds", "R relation", "Del delete"))
        self._fit()

    def show_relation(self, rel: Relation, aset: AnnotationSet, document: Document, scheme: Scheme) -> None:
        self._clear()
        kind = scheme.relation(rel.label)
        self._set_chip(rel.label, kind.color if kind and kind.color else "#5f6b7a")
        head, child = aset.spans.get(rel.head), aset.spans.get(rel.child)
        if head is None or child is None:
            self.quote.setText("")
            self._fit()
            return
        self.quote.setText(
            f"{span_ops.quote(document.text, head, 30)} → {span_ops.quote(document.text, child, 30)}"
        )
        self._row("Head", f"{head.label} “{span_ops.quote(document.text, head, 30)}”")
        self._row("Child", f"{child.label} “{span_ops.quote(document.text, child, 30)}”")
        if kind is not None and kind.description:
            self._row("Means", kind.description)
        allowed = span_ops.allowed_types(scheme, aset, rel.head, rel.child)
        numbered = "  ".join(f"{i + 1} {t.name}" for i, t in enumerate(allowed[:10]))
        self._row("Types", numbered or "none allowed")
        self.hint.setText(key_hints("digit or T retypes", "V reverses", "Del deletes"))
        self._fit()
