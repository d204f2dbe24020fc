"""The shortcut cheat-sheet (F1 or ?), generated from the action table."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..core.scheme import Scheme
from .actions import SPECS, ActionSpec

MOUSE_ROWS = (
    ("Mouse", "drag over text", "select words for a new span (Alt: exact characters)"),
    ("Mouse", "click a span or tag", "select the span; while drawing a relation, link to it"),
    ("Mouse", "click an arc", "select the relation"),
    ("Mouse", "right-click a span or arc", "a menu of what can be done to it, with the keys"),
)


def shortcut_rows(specs: tuple[ActionSpec, ...] = SPECS, scheme: Scheme | None = None) -> list[tuple[str, str, str]]:
    """``(group, keys, what)`` rows: label keys first, then every action;
    an action with several shortcuts lists them one per line."""
    rows: list[tuple[str, str, str]] = []
    if scheme is not None:
        for label in scheme.labels:
            if label.key:
                rows.append(("Labels", label.key.upper(), f"{label.name}: label the selection or selected span"))
        rows.append(("Labels", "1 … 9", "with a relation selected: pick its type by number"))
    for spec in specs:
        keys = "\n".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts)
        rows.append((spec.group, keys, spec.tip or spec.text))
    rows.extend(MOUSE_ROWS)
    return rows


class CheatSheet(QDialog):
    """A non-modal list of every key; stays open beside the window."""

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatsheet")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(680, 640)
        rows = shortcut_rows(SPECS, scheme)
        table = QTableWidget(len(rows), 3)
        table.setObjectName("cheatsheet_table")
        table.setHorizontalHeaderLabels(["", "Keys", "Does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)  # "Does" wraps rather than being cut off
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for r, (group, keys, what) in enumerate(rows):
            for c, text in enumerate((group if r == 0 or rows[r - 1][0] != group else "", keys, what)):
                item = QTableWidgetItem(text)
                if c == 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.setWindowFlag(Qt.WindowType.Tool, True)
