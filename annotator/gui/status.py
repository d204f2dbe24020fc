"""The status bar and the one place where the window shows messages and errors.

Hints and refusals go to the status bar; serious errors (anything that is not
an expected ``AnnotatorError`` of an edit) also open a dialog. The last
message is kept in ``last_message`` so tests can read what the user saw.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QStatusBar, QWidget

from ..core.errors import AnnotatorError, EditConflictError, InvalidAnnotationError

MESSAGE_MS = 8000
# errors that only refuse one edit: the status bar is enough
MINOR_ERRORS = (EditConflictError, InvalidAnnotationError)


class StatusBar(QStatusBar):
    """Messages on the left; annotator name and progress on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_bar")
        self.annotator = QLabel("")
        self.annotator.setObjectName("annotator_label")
        self.annotator.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setFixedWidth(170)
        self.progress.setTextVisible(True)
        self.addPermanentWidget(self.annotator)
        self.addPermanentWidget(self.progress)

    def set_annotator(self, name: str) -> None:
        self.annotator.setText(f"Annotator: {name}")

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` documents finished."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(f"{done:,} / {total:,} done")


class Reporter(QObject):
    """Shows hints, warnings and errors: the status bar, plus a dialog for serious ones."""

    def __init__(self, status_bar: StatusBar, window: QWidget) -> None:
        super().__init__(window)
        self.status_bar = status_bar
        self.window = window
        self.last_message = ""
        self.last_dialog: QMessageBox | None = None

    def info(self, text: str) -> None:
        self._show(text, error=False)

    def error(self, exc: BaseException, *, context: str = "") -> None:
        """Report an exception; ``context`` says what was being done."""
        text = exc.message if isinstance(exc, AnnotatorError) else f"{type(exc).__name__}: {exc}"
        if context:
            text = f"{context}: {text}"
        self._show(text, error=True)
        if not isinstance(exc, MINOR_ERRORS):
            self.dialog(text)

    def dialog(self, text: str, title: str = "Something went wrong") -> None:
        """A non-blocking message box (the window stays usable)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("error_dialog")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_dialog = box

    def _show(self, text: str, *, error: bool) -> None:
        self.last_message = text
        self.status_bar.setStyleSheet("QStatusBar { color: #b3261e; }" if error else "")
        self.status_bar.showMessage(text, MESSAGE_MS * (2 if error else 1))
