"""Fixtures and input functions for the labeling window tests: a small project in
tmp_path, a window on it with isolated settings, and real mouse and key input."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from annotator.api import import_files, init_project
from annotator.core.model import Span
from annotator.core.scheme import Scheme
from annotator.store.project import Project

ANNOTATOR = "ann"

SCHEME = {
    "name": "test-news",
    "labels": [
        {"name": "ORG", "key": "1", "color": "#7fe3f0"},
        {"name": "PERSON", "key": "2", "color": "#c9a8f7"},
        {"name": "MONEY", "key": "3", "color": "#d4f59e"},
        {"name": "INVESTMENT", "key": "4", "color": "#a1b8f7", "trigger": True},
        {"name": "GPE", "key": "5", "color": "#f7c796"},
    ],
    "relations": [
        {"name": "amount", "head": ["INVESTMENT"], "child": ["MONEY"]},
        {"name": "investor", "head": ["INVESTMENT"], "child": ["ORG", "PERSON"]},
        {"name": "target", "head": ["INVESTMENT"], "child": ["ORG"]},
        {"name": "partner_of", "head": ["ORG"], "child": ["ORG"]},
        {"name": "employee_of", "head": ["PERSON"], "child": ["ORG"]},
    ],
    "guidelines": "Mark names as written.",
}

TEXTS = {
    "a-foxconn.txt": "Foxconn will invest $5 billion in Ohio with OpenAI.\n\nSam Altman leads OpenAI.\n",
    "b-nvidia.txt": "Nvidia and Broadcom signed a deal in Texas.\n",
    "c-apple.txt": "Apple plans to spend $1 billion in India.\n",
}
FOX = TEXTS["a-foxconn.txt"]


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """``(start, end)`` of the ``nth`` occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


# suggestions in model:rules for the first document
SUGGESTIONS = [
    Span(1, *at(FOX, "Foxconn"), "ORG", "rule"),
    Span(2, *at(FOX, "$5 billion"), "MONEY", "rule"),
    Span(3, *at(FOX, "Ohio"), "GPE", "rule"),
    Span(4, *at(FOX, "OpenAI"), "ORG", "rule"),
]


def build_project(folder: Path, *, suggestions: bool = True) -> Path:
    """A project with three short documents and rule suggestions on the first."""
    sources = folder / "sources"
    sources.mkdir()
    for name, text in TEXTS.items():
        (sources / name).write_text(text, encoding="utf-8")
    path = folder / "news.annotator"
    with init_project(path, scheme=Scheme.from_dict(SCHEME)) as project:
        import_files(project, [sources], format="txt", preannotate="none")
        if suggestions:
            project.write_set(1, "model:rules", SUGGESTIONS, status="done", who="model:rules")
    return path


def read_set(path: Path, document_id: int = 1, owner: str = ANNOTATOR):
    """The set as the file holds it, read through a fresh connection:
    ``(status, spans, relations)`` with spans as ``(start, end, label, origin)``
    sorted, and relations as ``(head (start, end), child (start, end), label)``."""
    with Project.open(path) as project:
        aset = project.annotation_set(document_id, owner)
    if aset is None:
        return None
    spans = sorted((s.start, s.end, s.label, s.origin) for s in aset.spans.values())
    rels = sorted(
        ((aset.spans[r.head].start, aset.spans[r.head].end), (aset.spans[r.child].start, aset.spans[r.child].end), r.label)
        for r in aset.relations.values()
    )
    return aset.status, spans, rels


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def project_path(tmp_path) -> Path:
    return build_project(tmp_path)


@pytest.fixture
def make_window(qtbot, settings):
    """Factory: a shown, active window on a project file, on its first open document."""
    from annotator.gui.app import apply_style
    from annotator.gui.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

    def make(path: Path, annotator: str = ANNOTATOR):
        apply_style(QApplication.instance())
        window = MainWindow(Project.open(path), annotator, settings=settings)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.start()
        window.doc_view.setFocus()
        return window

    return make


@pytest.fixture
def window(make_window, project_path):
    return make_window(project_path)


# -- input -------------------------------------------------------------------
def point_in(view, offset: int) -> QPoint:
    rect = view.offset_rect(offset)
    return QPoint(int(rect.left()) + 2, int(rect.center().y()))


def drag(qtbot, window, start: int, end: int) -> None:
    """Select ``[start, end)`` with the mouse on the document view's viewport."""
    view = window.doc_view
    a, b = point_in(view, start), point_in(view, end - 1)
    b = QPoint(b.x() + 3, b.y())
    viewport = view.viewport()
    with qtbot.waitSignal(view.selectionMade, timeout=2000):
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        qtbot.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
        qtbot.mouseMove(viewport, b)
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A real key press on the document view."""
    qtbot.keyClick(window.doc_view, key, modifier)


def span_id(window, start: int, end: int, label: str | None = None) -> int:
    """The id of the open set's span at ``[start, end)``."""
    for span in window.session.aset.spans.values():
        if (span.start, span.end) == (start, end) and (label is None or span.label == label):
            return span.id
    raise AssertionError(f"no span at {start}-{end}")


def select(window, start: int, end: int) -> None:
    """Select a span the way a click on it would."""
    window.doc_view.spanClicked.emit(span_id(window, start, end))
