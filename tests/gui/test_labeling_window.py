"""Working in the labeling window: where the selection goes, what the status
bar says, menus, search and a layout that stays put, through real key and
mouse events."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .labeling import (  # noqa: F401 (fixtures)
    FOX, at, drag, key, make_window, point_in, project_path, read_set, select, settings, span_id, window,
)

pytestmark = pytest.mark.gui

FOXCONN, MONEY5, OHIO, OPENAI = at(FOX, "Foxconn"), at(FOX, "$5 billion"), at(FOX, "Ohio"), at(FOX, "OpenAI")
SAM, INVEST, OPENAI2 = at(FOX, "Sam Altman"), at(FOX, "invest"), at(FOX, "OpenAI", 1)


def selected_text(window) -> str:
    span = window.editor.span
    return FOX[span.start:span.end] if span is not None else ""


def test_delete_selects_the_next_span_not_the_first(qtbot, window, project_path):
    select(window, *MONEY5)
    key(qtbot, window, Qt.Key_Delete)
    assert selected_text(window) == "Ohio"
    key(qtbot, window, Qt.Key_Delete)  # deletes Ohio, not Foxconn
    assert [s[:3] for s in read_set(project_path)[1]] == [(*FOXCONN, "ORG"), (*OPENAI, "ORG")]
    assert selected_text(window) == "OpenAI"
    key(qtbot, window, Qt.Key_Delete)  # the last span: the one before it is selected
    assert selected_text(window) == "Foxconn"


def test_export_dialog_starts_on_the_cli_default_format(qtbot, window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.cli import export as export_command

    cli_default = next(p.default for p in export_command.params if p.name == "fmt")
    seen = []

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.format.currentData())
        dialog.reject()

    QTimer.singleShot(0, inspect)
    qtbot.keyClick(window.doc_view, Qt.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert cli_default == "jsonl"
    assert seen == ["jsonl"]
