"""The label buttons of the review window: in review, digits pick versions, so
label keys work with Alt held, and every button says so."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ...core.scheme import Scheme
from ..docks.palette_dock import text_color
from ..plain_text import action_text, tooltip

COLUMNS = 2


class LabelsDock(QDockWidget):
    """Clicking a label applies it to the selected text or gold span.

    Signals:
        labelChosen(str): a label name was clicked.
    """

    labelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("review_labels_dock")
        self._body = QWidget()
        self._grid = QGridLayout(self._body)
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setSpacing(4)
        self.setWidget(self._body)
        self.buttons: dict[str, QPushButton] = {}

    def set_scheme(self, scheme: Scheme) -> None:
        """One button per label, ``ORG  Alt+1``."""
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.buttons.clear()
        for i, label in enumerate(scheme.labels):
            key = f"  Alt+{label.key.upper()}" if label.key else ""
            button = QPushButton(action_text(f"{label.name}{key}"))
            button.setObjectName(f"label_{label.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(tooltip(label.description or label.name))
            button.setStyleSheet(
                f"QPushButton {{ background: {label.color}; color: {text_color(label.color)}; border: none;"
                " border-radius: 4px; padding: 3px 6px; text-align: left; font-weight: 600; }"
            )
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            self._grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons[label.name] = button
        hint = QLabel("Select text, then a label (digits alone pick versions)")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self._grid.addWidget(hint, (len(scheme.labels) + COLUMNS - 1) // COLUMNS, 0, 1, COLUMNS)
