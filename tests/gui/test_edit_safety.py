"""The window under conditions that lose work elsewhere: undoing a status, the
read-back after a commit, a full disk in the middle of editing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.project import Project

from .labeling import (  # noqa: F401 (fixtures)
    ANNOTATOR, FOX, at, drag, key, make_window, project_path, read_set, settings, window,
)

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def fill_the_disk(project: Project, document_id: int = 3) -> None:
    """Stop the file from growing, then add spans (to another set) until it is
    full: the next edit of the same size or larger fails as on a full disk."""
    from annotator.core.edits import AddSpan
    from annotator.core.errors import DiskFullError
    from annotator.core.model import Span

    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError):
        for _ in range(10_000):
            project.apply(document_id, "filler", AddSpan(Span(0, 0, 5, "ORG")))


def add_time_on_a_full_disk(project: Project):
    """A stand-in for ``project.add_time`` after ``fill_the_disk``: its write
    needs a page, as a time row that grows does, so SQLite reports the disk full."""
    from annotator.core.edits import AddSpan
    from annotator.core.model import Span

    def add_time(document_id, owner, seconds):
        with project.transaction("saving the time spent"):
            project.apply(document_id, "filler", AddSpan(Span(0, 0, 5, "ORG")))

    return add_time


def test_undo_of_mark_done_on_a_fresh_document_restores_new(qtbot, window, project_path):
    key(qtbot, window, Qt.Key_PageDown)  # document 2: no suggestions, status new
    assert window.session.document.id == 2 and window.session.aset.status == "new"
    key(qtbot, window, Qt.Key_Return, CTRL)  # mark done, opens document 3
    assert read_set(project_path, 2)[0] == "done"
    key(qtbot, window, Qt.Key_PageUp)
    assert window.session.document.id == 2
    key(qtbot, window, Qt.Key_Z, CTRL)
    assert read_set(project_path, 2) == ("new", [], [])
    assert window.session.aset.status == "new"


def test_the_read_back_after_a_commit_is_one_read_inside_the_transaction(qtbot, window, monkeypatch):
    project = window.session.project
    reads = []
    original = project.annotation_set

    def recording(document_id, owner):
        reads.append(project.db.conn.in_transaction)
        return original(document_id, owner)

    monkeypatch.setattr(project, "annotation_set", recording)
    drag(qtbot, window, *at(FOX, "Sam Altman"))
    key(qtbot, window, Qt.Key_2)
    assert reads == [True]
    row = Project.set_row(project, 1, ANNOTATOR)
    assert window.session.aset.updated_at == row[2]


def test_a_full_disk_refuses_the_edit_keeps_the_undo_stack_and_says_so(qtbot, window, project_path):
    project = window.session.project
    before = read_set(project_path)
    count = window.session.undo_stack.count()
    fill_the_disk(project)
    with qtbot.waitSignal(window.session.failed, timeout=5000):
        drag(qtbot, window, *at(FOX, "Sam Altman"))
        key(qtbot, window, Qt.Key_2)
    assert window.session.undo_stack.count() == count
    assert window.reporter.last_message == (
        f"{project_path}: the disk is full while saving the edit; nothing of it was saved and the "
        "project is as it was. Free some disk space and try again"
    )
    assert read_set(project_path) == before
    project.db.execute("PRAGMA max_page_count = 1073741823")
    key(qtbot, window, Qt.Key_Z, CTRL)  # undoes the last edit that was saved, if any: nothing here
    assert read_set(project_path) == before


def test_a_failed_export_is_reported_once_and_keeps_earlier_output(qtbot, window, tmp_path, monkeypatch):
    import errno
    from dataclasses import replace

    from annotator.core.errors import ExportError
    from annotator.formats import registry
    from annotator.gui.file_dialogs import ExportChoice

    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n", encoding="utf-8")
    jsonl = registry.get("jsonl")

    def full_disk(items, target, *, scheme):
        target.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(registry, "get", lambda name: replace(jsonl, writer=full_disk))
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.export(ExportChoice(out, "jsonl", None, "all"))
    assert isinstance(blocker.args[2], ExportError)
    assert window.reporter.last_message == (
        f"export failed: cannot write {out}: the disk is full; nothing was exported, and any earlier out.jsonl is as it was"
    )
    assert window.reporter.last_dialog.text() == window.reporter.last_message
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert window.file_ops.idle() and window.session.document.id == 1


def test_closing_on_a_full_disk_says_the_time_was_not_saved_and_closes(qtbot, window, project_path, monkeypatch, capsys):
    project = window.session.project
    fill_the_disk(project)
    monkeypatch.setattr(project, "add_time", add_time_on_a_full_disk(project))
    monkeypatch.setattr(window.session, "elapsed", lambda: 42.4)
    row_before = project.set_row(1, ANNOTATOR)
    assert window.close()
    message = (
        f"{project_path}: the disk is full while saving the time spent; nothing of it was saved and the project "
        "is as it was. Free some disk space and try again. The 42 s spent on document 1 were not added to its time"
    )
    assert window.reporter.last_message == message
    assert capsys.readouterr().err == f"Error: [E005] {message}\n"
    assert not window.isVisible() and window.session.document is None
    with Project.open(project_path) as reopened:
        assert reopened.set_row(1, ANNOTATOR) == row_before
