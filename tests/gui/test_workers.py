"""Work off the GUI thread: exports in a row leave the app running and quiet,
tasks report progress, errors and cancellation on the GUI thread."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import QThread

from annotator.core.errors import CancelledError

from .labeling import make_window, project_path, settings, window  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui

THREAD_WARNINGS = ("QThread", "wait on itself", "Timers cannot", "another thread")


EXPORTS = """
import os
from pathlib import Path
from PySide6.QtCore import QEventLoop
from annotator.gui.file_dialogs import ExportChoice

errors = []
for n in range(20):
    loop = QEventLoop()
    def done(kind, result, error, loop=loop):
        errors.append(error)
        loop.quit()
    window.file_ops.finished.connect(done)
    window.file_ops.export(ExportChoice(Path(os.environ["EXPORT_DIR"]) / f"out{n}.jsonl", "jsonl", None, "all"))
    loop.exec()
    window.file_ops.finished.disconnect(done)
print("exports", len(errors), "errors", sum(e is not None for e in errors), flush=True)
app.quit()
"""


@pytest.mark.slow
def test_twenty_exports_in_a_row_leave_the_app_running_without_thread_warnings(tmp_path, project_path):
    script = tmp_path / "exports.py"
    script.write_text(EXPORTS, encoding="utf-8")
    env = {
        **os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"), "ANNOTATOR_TEST_SCRIPT": str(script), "EXPORT_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "open", str(project_path), "--annotator", "ann"],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (0, "exports 20 errors 0\n"), result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if any(w in line for w in THREAD_WARNINGS)] == []
    assert sorted(p.name for p in tmp_path.glob("out*.jsonl")) == sorted(f"out{n}.jsonl" for n in range(20))


def test_an_export_in_the_window_leaves_no_thread_warnings(qtbot, qtlog, window, tmp_path):
    from annotator.gui.file_dialogs import ExportChoice

    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.export(ExportChoice(tmp_path / "out.jsonl", "jsonl", None, "all"))
    assert (blocker.args[0], blocker.args[2]) == ("export", None)
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


def test_cancelling_an_import_reports_it_and_leaves_the_window_usable(qtbot, window, monkeypatch, tmp_path):
    from annotator.gui import file_ops

    started, release = threading.Event(), threading.Event()

    def slow_import(project, sources, *, progress, **options):
        started.set()
        release.wait(10)
        progress(1, 1)
        raise AssertionError("not reached: the import was cancelled")

    monkeypatch.setattr(file_ops, "import_files", slow_import)
    with qtbot.waitSignal(window.file_ops.finished, timeout=10000) as blocker:
        window.file_ops.import_files([tmp_path])
        assert started.wait(10)
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QPushButton

        dialog = window.file_ops.running.dialog
        dialog.show()  # it shows itself after 300 ms; a test does not wait for that
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        release.set()
    assert isinstance(blocker.args[2], CancelledError)
    assert window.reporter.last_message == "import cancelled; nothing of this operation was saved"
    assert window.file_ops.idle() and window.session.document.id == 1
