"""The find-in-document bar, and the keys a search field keeps for itself.

Window-wide shortcuts (Enter links a relation, Esc clears the selection)
would otherwise take Enter and Esc away from a text field; ``FieldKeys``
claims them while the field has focus.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

_FIELD_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)


class FieldKeys(QObject):
    """An event filter: Enter, Shift+Enter and Esc in a line edit reach it as
    key presses, and are reported as ``next``, ``previous`` and ``escape``."""

    next = Signal()
    previous = Signal()
    escape = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in _FIELD_KEYS:
                event.accept()
                return True
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in _FIELD_KEYS:
            if event.key() == Qt.Key.Key_Escape:
                self.escape.emit()
            elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous.emit()
            else:
                self.next.emit()
            return True
        return super().eventFilter(watched, event)


class FindBar(QWidget):
    """A bar above the text: a field, "3 of 12", and a close button.

    Signals:
        changed(str): the phrase changed (empty: nothing to find).
        stepped(int): Enter (1) or Shift+Enter (-1): go to the next or previous match.
        closed(): Esc or the close button; the bar has hidden itself.
    """

    changed = Signal(str)
    stepped = Signal(int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.field = QLineEdit()
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find in this document…  (Enter next, Shift+Enter previous, Esc closes)")
        self.count = QLabel("")
        self.count.setObjectName("find_count")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton()
        close.setObjectName("find_close")
        close.setText("✕")
        close.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 4, 12, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.keys = FieldKeys(self)
        self.field.installEventFilter(self.keys)
        self.keys.next.connect(lambda: self.stepped.emit(1))
        self.keys.previous.connect(lambda: self.stepped.emit(-1))
        self.keys.escape.connect(self.close_bar)
        close.clicked.connect(self.close_bar)
        self.field.textChanged.connect(self.changed)
        self.hide()

    def phrase(self) -> str:
        """What to find: the field's text while the bar is shown, else nothing."""
        return self.field.text() if self.isVisible() else ""

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self.changed.emit(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, current: int | None, total: int) -> None:
        if not self.field.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no match")
        else:
            self.count.setText(f"{current + 1 if current is not None else 0} of {total}")
