"""The status bar and the one place where the window shows messages and errors.

Hints and refusals go to the status bar; serious errors (anything that is not
an expected ``AnnotatorError`` of an edit) also open a dialog. The last
message is kept in ``last_message`` so tests can read what the user saw.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QStatusBar, QWidget

from ..core import edits
from ..core.errors import AnnotatorError, EditConflictError, InvalidAnnotationError
from ..core.model import AnnotationSet, Span
from . import span_ops

MESSAGE_MS = 8000
# errors that only refuse one edit: the status bar is enough
MINOR_ERRORS = (EditConflictError, InvalidAnnotationError)


ACTION_PREFIX = {"do": "", "undo": "undid: ", "redo": "redid: "}


def edit_message(action: str, edit: edits.Edit, text: str, aset: AnnotationSet | None) -> str:
    """What the status bar says after an edit was done, undone or redone.

    ``edit`` is the edit as it was done (also for an undo); ``text`` is the
    document's text and ``aset`` the set now, for naming relation ends (an
    end that no longer exists is left out).
    """

    def span(s: Span) -> str:
        return f"{s.label} “{span_ops.quote(text, s, 30)}”"

    def link(rel) -> str:
        spans = aset.spans if aset is not None else {}
        head, child = spans.get(rel.head), spans.get(rel.child)
        ends = f" {span(head)} → {span(child)}" if head is not None and child is not None else ""
        return f"{rel.label} relation{ends}"

    if isinstance(edit, edits.AddSpan):
        what = f"added {span(edit.span)}"
    elif isinstance(edit, edits.DeleteSpan):
        count = len(edit.relations)
        extra = f" and its {count} relation{'' if count == 1 else 's'}" if count else ""
        what = f"deleted {span(edit.span)}{extra}"
    elif isinstance(edit, edits.UpdateSpan):
        before, after = edit.before, edit.after
        if before.label != after.label:
            what = f"relabelled “{span_ops.quote(text, after, 30)}” {before.label} → {after.label}"
        elif (before.start, before.end) != (after.start, after.end):
            what = f"moved the bounds of {after.label} to “{span_ops.quote(text, after, 30)}”"
        else:
            what = f"accepted {span(after)}"
    elif isinstance(edit, edits.AddRelation):
        what = f"added {link(edit.relation)}"
    elif isinstance(edit, edits.DeleteRelation):
        what = f"deleted {link(edit.relation)}"
    elif isinstance(edit, edits.UpdateRelation):
        before, after = edit.before, edit.after
        if before.label != after.label:
            what = f"retyped a relation {before.label} → {after.label}"
        elif (before.head, before.child) != (after.head, after.child):
            what = f"reversed {link(after)}"
        else:
            what = f"accepted {link(after)}"
    elif isinstance(edit, edits.SetStatus):
        what = f"marked the document {edit.after}"
    elif isinstance(edit, edits.Batch):
        count = len(edit.edits)
        what = f"{edit.describe()} ({count} change{'' if count == 1 else 's'})"
    else:
        what = edit.describe()
    return ACTION_PREFIX.get(action, "") + what


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss`` from an hour) for a duration."""
    whole = int(max(seconds, 0))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class StatusBar(QStatusBar):
    """Messages on the left; whether edits are saved, time on the document,
    annotator name and progress on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_bar")
        self.saved = QLabel("")
        self.saved.setObjectName("saved_label")
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        self.time = QLabel("")
        self.time.setObjectName("time_label")
        self.time.setTextFormat(Qt.TextFormat.PlainText)
        self.time.setToolTip("Time spent on this document (all your visits)")
        self.annotator = QLabel("")
        self.annotator.setObjectName("annotator_label")
        self.annotator.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setFixedWidth(170)
        self.progress.setTextVisible(True)
        self.addPermanentWidget(self.saved)
        self.addPermanentWidget(self.time)
        self.addPermanentWidget(self.annotator)
        self.addPermanentWidget(self.progress)

    def set_saved(self, saved: bool) -> None:
        """Every edit is written at once: "Saved" after it, "Not saved" when one was refused."""
        self.saved.setText("✓ Saved" if saved else "✗ Not saved")
        self.saved.setStyleSheet("color: #1a7f37;" if saved else "color: #b3261e; font-weight: 600;")

    def set_time(self, seconds: float | None) -> None:
        """Show the time spent on the open document (None: no document)."""
        self.time.setText("" if seconds is None else f"{clock(seconds)} on this document")

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
