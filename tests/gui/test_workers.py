"""Work off the GUI thread: exports in a row leave the app running and quiet,
tasks report progress, errors and cancellation on the GUI thread."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from annotator.core.errors import CancelledError

from .labeling import make_window, project_path, settings, window  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui

THREAD_WARNINGS = ("QThread", "wait on itself", "Timers cannot", "another thread")


def test_twenty_exports_in_a_row_leave_the_app_running_without_thread_warnings(qtbot, qtlog, window, tmp_path):
    from annotator.gui.file_dialogs import ExportChoice

    results = []
    for n in range(20):
        out = tmp_path / f"out{n}.jsonl"
        with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
            window.file_ops.export(ExportChoice(out, "jsonl", None, "all"))
        results.append((blocker.args[0], blocker.args[2], out.exists()))
    assert results == [("export", None, True)] * 20
    assert window.file_ops.idle() and window.isVisible()
    assert [r.message for r in qtlog.records if any(w in r.message for w in THREAD_WARNINGS)] == []


def test_a_task_reports_progress_and_its_result_on_the_gui_thread(qtbot):
    from annotator.gui.workers import Task

    threads = []

    def job(progress):
        threads.append(QThread.currentThread())
        for n in range(3):
            progress(n + 1, 3)
        return "done"

    task = Task(job)
    seen = []
    task.progress.connect(lambda done, total: seen.append((done, total, QThread.currentThread() is task.thread())))
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        task.start()
    assert blocker.args == ["done", None]
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True)]
    assert threads[0] is not task.thread() and not task.running


def test_a_cancelled_task_ends_with_cancelled_error(qtbot):
    from annotator.gui.workers import Task

    started, release = threading.Event(), threading.Event()

    def job(progress):
        started.set()
        release.wait(10)
        progress(1, None)
        return "not reached"

    task = Task(job)
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        task.start()
        assert started.wait(10)
        task.cancel()
        release.set()
    result, error = blocker.args
    assert result is None and isinstance(error, CancelledError)
    assert str(error) == "[E008] cancelled; nothing of this operation was saved"


def test_a_failing_task_hands_its_error_back(qtbot):
    from annotator.gui.workers import Task

    def job(progress):
        raise ValueError("bad input")

    task = Task(job)
    with qtbot.waitSignal(task.finished, timeout=10000) as blocker:
        task.start()
    assert blocker.args[0] is None and str(blocker.args[1]) == "bad input"
