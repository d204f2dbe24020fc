"""The label palette: every span label with its colour, key and count in the document."""
from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget, QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ...core.model import AnnotationSet
from ...core.scheme import Scheme
from ..plain_text import action_text, plain_label, tooltip


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    color = QColor(background)
    luma = 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()
    return "#1d1f23" if luma > 0.55 else "#ffffff"


class PaletteDock(QDockWidget):
    """Clicking a label applies it like its key does.

    Signals:
        labelChosen(str): a label name was clicked.
    """

    labelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("palette_dock")
        self._body = QWidget()
        self._grid = QGridLayout()
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        outer = QVBoxLayout(self._body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._grid)
        self._hint = QLabel("Select text, then press a key")
        self._hint.setObjectName("hint")
        self._hint.setContentsMargins(8, 0, 8, 6)
        outer.addWidget(self._hint)
        outer.addStretch(1)
        self.setWidget(self._body)
        self.buttons: dict[str, QPushButton] = {}
        self._counts: dict[str, QLabel] = {}

    def set_scheme(self, scheme: Scheme) -> None:
        """Rebuild the buttons for a scheme's labels."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        self._counts.clear()
        for row, label in enumerate(scheme.labels):
            key = plain_label(label.key.upper() if label.key else "", selectable=False)
            key.setObjectName("keycap")
            key.setAlignment(Qt.AlignmentFlag.AlignCenter)
            key.setFixedWidth(22)
            button = QPushButton(action_text(label.name))
            button.setObjectName(f"label_{label.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(tooltip(label.description or label.name))
            button.setStyleSheet(
                f"QPushButton {{ background: {label.color}; color: {text_color(label.color)}; border: none;"
                " border-radius: 4px; padding: 4px 8px; text-align: left; font-weight: 600; }"
                f" QPushButton:hover {{ border: 1px solid {QColor(label.color).darker(150).name()}; }}"
            )
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            count = QLabel("")
            count.setObjectName("count")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setMinimumWidth(24)
            self._grid.addWidget(key, row, 0)
            self._grid.addWidget(button, row, 1)
            self._grid.addWidget(count, row, 2)
            self.buttons[label.name] = button
            self._counts[label.name] = count

    def set_counts(self, aset: AnnotationSet | None) -> None:
        """Show how many spans of each label the open document has."""
        counts = Counter(s.label for s in aset.spans.values()) if aset else Counter()
        for name, label in self._counts.items():
            label.setText(str(counts[name]) if counts[name] else "")
