"""The Model menu: train the project's model in a child process (so the
window never waits on it, not even for the interpreter lock), retrain it
every N finished documents, and refresh its suggestions on the documents no
one has opened.

The model lives beside the project file (``ops.training.model_dir``); each
training continues from it when it exists, and the first one fine-tunes the
pipeline chosen with "Start from a pipeline…" (an installed spaCy pipeline
or a model folder) when there is one. A cancelled training leaves it as it
was. After a training, the queue can order documents by the model's
confidence and shows it.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from ..core import folder_swap
from ..core.errors import CancelledError
from ..core.model import MODEL_PREFIX
from ..ops.exporting import STATUS_FILTERS
from ..ops.suggesting import SuggestReport
from ..ops.training import base_problem, model_dir
from .actions import ActionSpec, make_action
from .process_task import ProcessTask, Step
from .workers import Operation

if TYPE_CHECKING:
    from .main_window import MainWindow

AUTO_KEY = "model/auto_retrain"
EVERY_KEY = "model/retrain_every"
BASE_KEY = "model/base"  # what the first training of a project fine-tunes ("": nothing)
MAX_EPOCHS_KEY = "model/max_epochs"  # when training from nothing (model selection may stop sooner)
DEFAULT_EVERY = 20
TRAIN_SHARE = 0.85  # of the progress bar; the rest is writing the suggestions


class ModelOps(QObject):
    """Signals:
        finished(object, object): ``(SuggestReport, error)`` after a training;
            a cancelled one ends with a ``CancelledError``.
    """

    finished = Signal(object, object)

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.running: Operation | None = None
        self.trained_at = 0
        settings = window.settings
        self.train_action = make_action(window, ActionSpec("train_model", "Train now", (), "Model",
                                        "Train the project's model on the finished documents and refresh its suggestions"),
                                        self.train)
        self.auto_action = make_action(window, ActionSpec("auto_retrain", "", (), "Model",
                                       "Train again in the background after every N documents marked done"),
                                       self._auto_toggled)
        self.auto_action.setCheckable(True)
        self.auto_action.setChecked(str(settings.value(AUTO_KEY, "true")).lower() == "true")
        self.every_action = make_action(window, ActionSpec("retrain_every", "Retrain every…", (), "Model",
                                        "How many finished documents between automatic trainings"), self.ask_every)
        self.base_action = make_action(window, ActionSpec("model_base", "", (), "Model",
                                       "An installed spaCy pipeline or a model folder that a project's first training "
                                       "fine-tunes, instead of starting from nothing"), self.ask_base)
        self._label_auto()
        self._label_base()
        window.session.changed.connect(self.document_finished)
        self.project_replaced()

    def project_replaced(self) -> None:
        """The window works on another project (or its first): count its
        finished documents afresh and show its own model in the queue, or none."""
        self.trained_at = self._finished_count()
        self.window.queue.set_model(self.owner if self.has_model() else None)

    # -- menu and settings -----------------------------------------------------
    def build_menu(self, menu: QMenu) -> None:
        for action in (self.train_action, None, self.auto_action, self.every_action, None, self.base_action):
            menu.addSeparator() if action is None else menu.addAction(action)

    @property
    def every(self) -> int:
        try:
            return max(1, int(self.window.settings.value(EVERY_KEY, DEFAULT_EVERY)))
        except (TypeError, ValueError):
            return DEFAULT_EVERY

    def set_every(self, n: int) -> None:
        self.window.settings.setValue(EVERY_KEY, max(1, n))
        self._label_auto()

    def ask_every(self) -> None:
        n, ok = QInputDialog.getInt(self.window, "Retrain automatically", "Finished documents between trainings:",
                                    self.every, 1, 100_000)
        if ok:
            self.set_every(n)

    @property
    def base(self) -> str:
        """The pipeline a project's first training fine-tunes ("" for none)."""
        return str(self.window.settings.value(BASE_KEY, "") or "").strip()

    def set_base(self, name: str) -> str | None:
        """Choose the pipeline to start from; returns why it cannot be one
        (and keeps the old choice), or None."""
        name = name.strip()
        problem = base_problem(name)
        if problem is None:
            self.window.settings.setValue(BASE_KEY, name)
            self._label_base()
        return problem

    def ask_base(self) -> None:
        name, ok = QInputDialog.getText(
            self.window, "Start from a pipeline",
            "Installed spaCy pipeline (such as en_core_web_sm) or model folder\n"
            "that a project's first training fine-tunes; empty: start from nothing.",
            QLineEdit.EchoMode.Normal, self.base,
        )
        if ok:
            problem = self.set_base(name)
            if problem is not None:
                self.window.reporter.dialog(problem, "Start from a pipeline")

    def _label_base(self) -> None:
        self.base_action.setText(f"Start from a pipeline… ({self.base or 'none'})")

    def _auto_toggled(self) -> None:
        self.window.settings.setValue(AUTO_KEY, "true" if self.auto_action.isChecked() else "false")

    def _label_auto(self) -> None:
        self.auto_action.setText(f"Retrain automatically every {self.every} finished documents")

    # -- the model ---------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return model_dir(self.window.project.path)

    @property
    def owner(self) -> str:
        return MODEL_PREFIX + self.folder.name

    def has_model(self) -> bool:
        if self.idle():  # a training killed while it swapped its model in (never one still running)
            folder_swap.settle(self.folder)
        return (self.folder / "meta.json").is_file()

    def idle(self) -> bool:
        return self.running is None

    def _finished_count(self) -> int:
        return self.window.project.count_sets(self.window.annotator, STATUS_FILTERS["done"])

    def document_finished(self) -> None:
        """After each change of the open document: start a training when
        automatic retraining is on and N more documents are finished since the
        last training (or since the window opened)."""
        if not self.auto_action.isChecked() or not self.idle():
            return
        if self._finished_count() - self.trained_at >= self.every:
            self.train()

    def steps(self) -> list[Step]:
        """``annotator train`` (continuing the project's model when there is
        one, else fine-tuning the chosen pipeline if any), then ``annotator
        suggest`` on the unopened documents."""
        project, folder = str(self.window.project.path), str(self.folder)
        max_epochs = int(self.window.settings.value(MAX_EPOCHS_KEY, 30))
        train = ["train", project, folder, "--max-epochs", str(max_epochs)]
        if self.has_model():
            train += ["--from", folder]
        elif self.base:
            train += ["--from", self.base]
        return [Step(train, TRAIN_SHARE), Step(["suggest", project, folder], 1 - TRAIN_SHARE)]

    def train(self) -> None:
        """Train and then refresh the suggestions on unopened documents, in a
        child process. Cancel kills it: during training the previous model
        stays (the new one is swapped in only when complete); while the
        suggestions are written, each document keeps its old or gets its new set."""
        if not self.idle():
            self.window.reporter.info("the model is already training")
            return
        self.trained_at = self._finished_count()
        task = ProcessTask(self.steps())
        operation = Operation("Training the model", self.window.project.path, None, self.window, cancellable=True,
                              task=task)
        operation.dialog.setAutoReset(False)
        # a training runs for a while in the background: the label keys stay with the window
        operation.dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        operation.task.progress.connect(self._progress)
        operation.finished.connect(self._done)
        self.running = operation
        self.window.reporter.info("training the model in the background…")
        operation.start()

    def _progress(self, done: int, total: int) -> None:
        if self.running is not None:
            self.running.dialog.setLabelText(f"Training the model: {100 * done // max(1, total)}%")

    def _done(self, results: Any, error: BaseException | None) -> None:
        operation, self.running = self.running, None
        trained = operation is not None and len(operation.task.results) >= 1
        result = None
        if isinstance(error, CancelledError):
            self.window.reporter.info(
                "suggestions cancelled; the new model is in use, documents not yet refreshed keep their old suggestions"
                if trained else "training cancelled; the previous model stays in use"
            )
        elif error is not None:
            self.window.reporter.error(error, context="training failed")
        else:
            result = SuggestReport(**results[-1])
            self.window.reporter.info(f"model trained; {result.summary()}")
        if trained:
            self.window.queue.set_model(self.owner)
        self.finished.emit(result, error)

