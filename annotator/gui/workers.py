"""Slow work (import, export, agreement, training) off the GUI thread.

``Task`` is the one mechanism: it runs a function on its own ``QThread``,
reports progress, can be cancelled, and hands the result or the error back
on the GUI thread only after the thread has ended. The ``QThread`` is joined
from the GUI thread, never from itself, and every widget is touched only
from the GUI thread, so a task can be started again and again (Qt aborts the
app when a running ``QThread`` is destroyed, and warns when a thread waits on
itself or a timer is stopped from another thread).

``Operation`` is a task on a fresh connection to the project file with one
progress dialog, for the File menu; it also drives a ``ProcessTask``
(``process_task``: commands in a child process, for a training), which has
the same signals.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import CancelledError
from ..store.project import Project

Progress = Callable[[int, "int | None"], None]
Job = Callable[[Project, Progress], Any]

# every started task until its thread has ended: a task whose owner is gone
# still outlives its work, and its QThread is never destroyed while running
_RUNNING: set["Task"] = set()


class _Runner(QObject):
    """Lives on the task's thread while it runs ``fn``; then moves itself back
    to the GUI thread, so it is deleted there."""

    progress = Signal(int, int)
    completed = Signal(object, object)

    def __init__(self, fn: Callable[[Progress], Any], cancelled: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.cancelled = cancelled

    def report(self, done: int, total: int | None) -> None:
        """The job's progress callback; raises ``CancelledError`` once the task
        was cancelled, so the job stops at its next report."""
        if self.cancelled.is_set():
            raise CancelledError("cancelled; nothing of this operation was saved")
        self.progress.emit(done, -1 if total is None else total)

    @Slot()
    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = self.fn(self.report)
        except Exception as exc:  # handed to the GUI thread, which reports it
            error = exc
        self.moveToThread(QCoreApplication.instance().thread())
        self.completed.emit(result, error)


class Task(QObject):
    """Runs ``fn(progress)`` on its own thread; ``progress(done, total)`` may
    be called by ``fn`` as often as it likes (``total`` None when unknown).

    Signals (all on the GUI thread):
        progress(int, int): done and total (-1 when unknown).
        finished(object, object): ``(result, error)``, exactly one of them
            None; emitted once the thread has ended. A cancelled task ends
            with a ``CancelledError``.
    """

    progress = Signal(int, int)
    finished = Signal(object, object)

    def __init__(self, fn: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancelled = threading.Event()
        self._thread = QThread()
        self._runner: _Runner | None = _Runner(fn, self._cancelled)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # the receivers live on the GUI thread: queued connections
        self._runner.progress.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        self._runner.completed.connect(self._completed, Qt.ConnectionType.QueuedConnection)
        self.running = False

    def start(self) -> None:
        self.running = True
        _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancelled.set()

    def wait(self) -> None:
        """Block until the thread has ended (a window closing); the result is
        still delivered by ``finished`` when the event loop runs again."""
        self._thread.quit()
        self._thread.wait()

    @Slot(object, object)
    def _completed(self, result: Any, error: BaseException | None) -> None:
        self._thread.quit()
        self._thread.wait()  # run() has returned: this is the thread ending
        self._runner = None
        self.running = False
        _RUNNING.discard(self)
        self.finished.emit(result, error)


class Operation(QObject):
    """A job on a fresh connection to the project file at ``path``, with one
    progress dialog (a Cancel button when ``cancellable``).

    Signals:
        finished(object, object): ``(result, error)``, exactly one of them None.
    """

    finished = Signal(object, object)

    def __init__(
        self, title: str, path: Path, job: Job | None, parent: QWidget, *, blocks_edits: bool = False,
        cancellable: bool = False, task: QObject | None = None,
    ) -> None:
        """``task``, when given, runs instead of ``job``: a ``ProcessTask`` (or
        anything with ``Task``'s signals, ``start`` and ``cancel``)."""
        super().__init__(parent)
        if task is None:
            assert job is not None
            task = project_task(path, job, self)
        else:
            task.setParent(self)
        self.task = task
        self.dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
        self.dialog.setObjectName("operation_progress")
        self.dialog.setWindowTitle(title)
        if cancellable:
            self.dialog.canceled.connect(self.task.cancel)
        else:
            self.dialog.setCancelButton(None)
        self.dialog.setMinimumDuration(300)
        # an import holds the file's write lock until it commits, so edits made
        # meanwhile would wait on it: the dialog keeps them out (the window still
        # repaints); an export only reads and leaves the window free
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal if blocks_edits else Qt.WindowModality.NonModal)
        self.task.progress.connect(self._progress)
        self.task.finished.connect(self._end)

    def start(self) -> None:
        self.task.start()

    def cancel(self) -> None:
        self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(f"{self.dialog.windowTitle()}: {done:,} records")

    def _end(self, result: Any, error: BaseException | None) -> None:
        self.dialog.reset()
        self.dialog.close()
        self.dialog.deleteLater()
        self.finished.emit(result, error)
        self.deleteLater()


def _on_project(path: Path, job: Job, progress: Progress) -> Any:
    with Project.open(path) as project:
        return job(project, progress)


def project_task(path: Path, job: Job, parent: QObject | None = None) -> Task:
    """A ``Task`` running ``job(project, progress)`` on a fresh connection to ``path``."""
    return Task(lambda progress: _on_project(path, job, progress), parent)
