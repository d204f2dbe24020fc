"""Slow project operations (import, export) on a worker thread.

The worker opens its own connection to the project file, so the window keeps
reading (and, between the worker's transactions, writing) through its own.
One progress dialog shows how far it got; the result or the error comes back
as a signal on the GUI thread.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..store.project import Project

Job = Callable[[Project, Callable[[int, int | None], None]], Any]


class Worker(QObject):
    """Runs ``job(project, progress)`` on a fresh connection to ``path``.

    Signals:
        progress(int, int): records done and total (-1 when unknown).
        done(object): the job's return value.
        failed(object): the exception the job raised.
    """

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, path: Path, job: Job) -> None:
        super().__init__()
        self.path = path
        self.job = job

    @Slot()
    def run(self) -> None:
        try:
            with Project.open(self.path) as project:
                result = self.job(project, lambda n, total: self.progress.emit(n, -1 if total is None else total))
        except Exception as exc:  # handed to the window, which reports it
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class Operation(QObject):
    """A job on its own thread with one progress dialog.

    Signals:
        finished(object, object): ``(result, error)``, exactly one of them None.
    """

    finished = Signal(object, object)

    def __init__(self, title: str, path: Path, job: Job, parent: QWidget, *, blocks_edits: bool = False) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = Worker(path, job)
        self.worker.moveToThread(self.thread)
        self.dialog = QProgressDialog(title, "", 0, 0, parent)
        self.dialog.setObjectName("operation_progress")
        self.dialog.setWindowTitle(title)
        self.dialog.setCancelButton(None)
        self.dialog.setMinimumDuration(300)
        # an import holds the file's write lock until it commits, so edits made
        # meanwhile would wait on it: the dialog keeps them out (the window still
        # repaints); an export only reads and leaves the window free
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal if blocks_edits else Qt.WindowModality.NonModal)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.done.connect(lambda result: self._end(result, None))
        self.worker.failed.connect(lambda exc: self._end(None, exc))

    def start(self) -> None:
        self.thread.start()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(f"{self.dialog.windowTitle()}: {done:,} records")

    def _end(self, result: Any, error: BaseException | None) -> None:
        self.thread.quit()
        self.thread.wait()
        self.dialog.reset()
        self.dialog.close()
        self.finished.emit(result, error)
        self.deleteLater()
