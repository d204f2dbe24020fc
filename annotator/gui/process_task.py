"""Work that must not share the interpreter with the window (training a
model): ``annotator`` commands run one after another in a child process.

``ProcessTask`` has the signals of ``workers.Task``, so an ``Operation`` (one
progress dialog with Cancel) drives either. Each step is a command line of
``python -m annotator`` given ``--progress-lines``: it prints JSON lines on
stdout, ``{"progress": fraction, "message": ...}`` while it works and
``{"result": {...}}`` at the end. The child runs at a lower CPU priority
than the window (``nice``, where the system has it). A step that exits non-zero ends the task
with its error message; Cancel kills the running child, which is safe
because each step writes its files and project rows so that a kill leaves
them as they were before or as they are after (a model folder is swapped in
only when complete, each document's suggestions are one transaction).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

import annotator

from ..core.errors import BackgroundProcessError, CancelledError

STEPS = 1000  # progress resolution across all steps
# the child runs at a lower CPU priority than the window where the system has
# `nice` (on two cores a training would otherwise take turns with the window)
NICENESS = 10
# the package this window runs from comes first on the child's import path
_PACKAGE_ROOT = str(Path(annotator.__file__).resolve().parents[1])


@dataclass(frozen=True)
class Step:
    """One ``annotator`` command (its arguments after ``python -m annotator``)
    and its share of the task's progress bar."""

    args: list[str]
    weight: float = 1.0

    @property
    def command(self) -> str:
        return "annotator " + " ".join(self.args)


class ProcessTask(QObject):
    """Runs ``steps`` in turn, each in a fresh child process.

    Signals (on the GUI thread):
        progress(int, int): done and total (``STEPS``).
        step_finished(int, object): the index and ``result`` of a step that ended well.
        finished(object, object): ``(results, error)``: the list of every
            step's ``result`` or the error; a cancelled task ends with a
            ``CancelledError`` naming the step it stopped.
    """

    progress = Signal(int, int)
    step_finished = Signal(int, object)
    finished = Signal(object, object)

    def __init__(self, steps: list[Step], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.steps = steps
        self.results: list[Any] = []
        self.running = False
        self._cancelled = False
        self._buffer = b""
        self._result: Any = None
        self._process: QProcess | None = None

    def start(self) -> None:
        self.running = True
        self._next()

    def cancel(self) -> None:
        """Kill the running step; ``finished`` follows once it has exited."""
        self._cancelled = True
        if self._process is not None:
            self._process.kill()

    def wait(self) -> None:
        """Block until the running child has exited (a window closing)."""
        if self._process is not None:
            self._process.waitForFinished(-1)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else int(self._process.processId())

    def _next(self) -> None:
        step = self.steps[len(self.results)]
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        paths = [_PACKAGE_ROOT] + [p for p in env.value("PYTHONPATH", "").split(os.pathsep) if p]
        env.insert("PYTHONPATH", os.pathsep.join(paths))
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._exited)
        self._buffer = b""
        self._process = process
        command = [sys.executable, "-m", "annotator", *step.args, "--progress-lines"]
        nice = shutil.which("nice")
        if nice is not None:
            command = [nice, "-n", str(NICENESS), *command]  # nice runs the command in its own process
        process.start(command[0], command[1:])

    def _read(self) -> None:
        assert self._process is not None
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._line(line.decode("utf-8", "replace"))

    def _line(self, line: str) -> None:
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            return  # a library printing on stdout: not ours
        if not isinstance(message, dict):
            return
        if "progress" in message:
            weights = [s.weight for s in self.steps]
            before = sum(weights[: len(self.results)])
            fraction = (before + weights[len(self.results)] * float(message["progress"])) / sum(weights)
            self.progress.emit(int(STEPS * min(1.0, fraction)), STEPS)
        elif "result" in message:
            self._result = message["result"]

    def _exited(self, code: int, _status: QProcess.ExitStatus) -> None:
        process, self._process = self._process, None
        assert process is not None
        self._read_rest(process)
        step = self.steps[len(self.results)]
        stderr = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        process.deleteLater()
        if self._cancelled:
            return self._end(None, CancelledError(f"cancelled during `{step.command}`"))
        if code != 0:
            last = stderr.splitlines()[-1] if stderr else f"exit status {code}"
            return self._end(None, BackgroundProcessError(f"`{step.command}` failed: {last}"))
        result, self._result = self._result, None
        self.results.append(result)
        self.step_finished.emit(len(self.results) - 1, result)
        if len(self.results) == len(self.steps):
            return self._end(self.results, None)
        self._next()

    def _read_rest(self, process: QProcess) -> None:
        self._buffer += bytes(process.readAllStandardOutput().data())
        if self._buffer:
            self._line(self._buffer.decode("utf-8", "replace"))
            self._buffer = b""

    def _end(self, results: Any, error: BaseException | None) -> None:
        self.running = False
        self.finished.emit(results, error)
