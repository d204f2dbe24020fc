"""The strip above the document: title, source, status and what is left to check."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..core.model import AnnotationSet, Document
from .models.queue_model import STATUS_COLOR, STATUS_TEXT


TITLE_CHARS = 90


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def headline(document: Document, limit: int = TITLE_CHARS) -> str:
    """The document's title (metadata, else its first line), cut at a word
    boundary with an ellipsis when longer than ``limit`` characters."""
    title = document.meta.get("title") if document.meta else None
    text = " ".join(str(title or document.text.strip().split("\n", 1)[0]).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


class DocumentHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doc_header")
        self.title = QLabel("")
        self.title.setObjectName("doc_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.meta = QLabel("")
        self.meta.setObjectName("doc_meta")
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)
        for label in (self.title, self.meta):
            # the header never claims the width of its text (a long file name
            # or URL, a wider status), which would squeeze the side panels
            # and move the text under the mouse; the text wraps instead
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status = QLabel("")
        self.status.setObjectName("doc_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._badge_style("#5f6b7a")
        # as wide as the widest status from the start, so a status change
        # never changes the room left to the text beside it
        widths = []
        for text in STATUS_TEXT.values():
            self.status.setText(text)
            widths.append(self.status.sizeHint().width())
        self.status.setText("")
        self.status.setMinimumWidth(max(widths))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 12, 18, 10)
        column.setSpacing(2)
        column.addLayout(top)
        column.addWidget(self.meta)  # the full width, so it stays on one line

    def show_document(self, document: Document, aset: AnnotationSet, position: str = "") -> None:
        """Title, source and counts of the open document; ``position`` like ``3 of 40``."""
        self.title.setText(headline(document))
        source = document.meta.get("filename") or document.meta.get("url") or document.meta.get("source") or ""
        suggestions = sum(1 for s in aset.spans.values() if s.is_suggestion)
        parts = [p for p in (position, str(source)) if p]
        parts.append(plural(len(aset.spans), "span"))
        parts.append(plural(len(aset.relations), "relation"))
        if suggestions:
            parts.append(f"{plural(suggestions, 'suggestion')} to check")
        self.meta.setText("  ·  ".join(parts))
        self.status.setText(STATUS_TEXT.get(aset.status, aset.status))
        self._badge_style(STATUS_COLOR.get(aset.status, "#5f6b7a"))

    def _badge_style(self, color: str) -> None:
        self.status.setStyleSheet(
            f"color: white; background: {color}; border-radius: 9px; padding: 2px 10px; font-weight: 600;"
        )
