"""The open document: its annotation set, undo stack, timer and conflict guard.

A ``DocumentSession`` is the one object in the window that writes to the
project. Every edit is applied and journaled at once (there is no save); the
set is then read back from the file, so what the window shows is what the
file holds. Before each write it checks that the set is still the one it
loaded: when another window or process changed it, the edit is refused with
``EditConflictError`` and the document is reloaded, never overwritten.
"""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from ..core.edits import Edit
from ..core.errors import AnnotatorError, EditConflictError
from ..core.model import AnnotationSet, Document, is_suggestion_owner
from ..store.project import Project
from .commands import EditCommand

PREFERRED_SUGGESTIONS = "model:rules"


def suggestion_owner(project: Project, document_id: int) -> str | None:
    """The ``model:*`` set an annotator starts from: ``model:rules`` when the
    document has it, else the first other ``model:`` set, else None."""
    owners = [o for o in project.owners(document_id) if is_suggestion_owner(o)]
    if PREFERRED_SUGGESTIONS in owners:
        return PREFERRED_SUGGESTIONS
    return owners[0] if owners else None


class DocumentSession(QObject):
    """One annotator's work on one document at a time.

    Signals:
        opened(int): a document was opened (its id).
        changed(): the set was re-read after an edit, undo, redo or reload.
        failed(object): an ``AnnotatorError`` to show; the document has been
            (or is about to be) reloaded.
        edited(str, object): an edit was written: the action (``do``,
            ``undo`` or ``redo``) and the edit as it was done.
    """

    opened = Signal(int)
    changed = Signal()
    failed = Signal(object)
    edited = Signal(str, object)

    def __init__(self, project: Project, owner: str, parent: QObject | None = None, *, who: str | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.owner = owner
        # the person the journal names: the annotator, or the reviewer editing gold
        self.who = who or owner
        self.document: Document | None = None
        self.aset: AnnotationSet | None = None
        self.undo_stack = QUndoStack(self)
        self.rebuilding = False
        self.last_applied: Edit | None = None
        self._seen: str | None = None
        self._timer = QElapsedTimer()
        self._failure: AnnotatorError | None = None

    # -- opening and leaving -------------------------------------------------
    def open(self, document_id: int) -> None:
        """Open a document: record time on the one being left, start the
        annotator's set from the suggestions on first visit, rebuild undo."""
        self.leave()
        self.document = self.project.document(document_id)
        source = None
        if self.project.set_row(document_id, self.owner) is None:
            source = suggestion_owner(self.project, document_id)
        self.aset = self.project.start_set(document_id, self.owner, copy_from=source)
        self._seen = self.aset.updated_at
        self._rebuild_stack()
        self._timer.start()
        self.opened.emit(document_id)
        self.changed.emit()

    def leave(self) -> float:
        """Add the time spent on the open document to its set; returns the seconds."""
        if self.document is None or not self._timer.isValid():
            return 0.0
        seconds = self._timer.elapsed() / 1000.0
        self._timer.invalidate()
        self.project.add_time(self.document.id, self.owner, seconds)
        return seconds

    def elapsed(self) -> float:
        """Seconds on the open document since it was opened (not yet in its set's time)."""
        return self._timer.elapsed() / 1000.0 if self.document is not None and self._timer.isValid() else 0.0

    def close(self) -> None:
        """Leave the document and forget it (the window is closing)."""
        self.leave()
        self.document = None
        self.aset = None
        self.undo_stack.clear()

    def reload(self) -> None:
        """Re-read the set and its history from the file."""
        if self.document is None:
            return
        doc_id = self.document.id
        self.aset = self.project.annotation_set(doc_id, self.owner) or self.project.start_set(doc_id, self.owner)
        self._seen = self.aset.updated_at
        self._rebuild_stack()
        self.changed.emit()

    # -- editing -------------------------------------------------------------
    def push(self, edit: Edit) -> Edit | None:
        """Apply ``edit`` as a new undoable command; returns the applied edit
        (with the ids the store gave) or None when it was refused."""
        if self.document is None:
            return None
        self._failure = None
        self.last_applied = None
        self.undo_stack.push(EditCommand(self, edit))
        return None if self._failure else self.last_applied

    def apply(self, edit: Edit, *, action: str) -> Edit:
        """Write one edit to the file after checking the set is unchanged.

        Called by the undo commands. Raises ``EditConflictError`` when another
        window or process changed the set since this window read it.
        """
        assert self.document is not None
        with self.project.transaction("saving the edit"):
            row = self.project.set_row(self.document.id, self.owner)
            stamp = row[2] if row else None
            if stamp != self._seen:
                by = f" by {row[3]}" if row and row[3] else ""
                raise EditConflictError(
                    f"“{self.document.title}” was changed in another window{by}; "
                    "reloaded it from the file, your last edit was not saved"
                )
            applied = self.project.apply(self.document.id, self.owner, edit, who=self.who, action=action)
            # read back before the commit: no other window can write in between,
            # so the set and its stamp are one state of the file
            aset = self.project.annotation_set(self.document.id, self.owner)
        assert aset is not None
        self.aset = aset
        self._seen = aset.updated_at
        self.changed.emit()
        return applied

    def edit_failed(self, exc: AnnotatorError) -> None:
        """An edit, undo or redo was refused: report it and reload (deferred,
        since the undo stack is in the middle of a call)."""
        self._failure = exc
        self.failed.emit(exc)
        QTimer.singleShot(0, self.reload)

    # -- internals -----------------------------------------------------------
    def _rebuild_stack(self) -> None:
        assert self.document is not None
        done, undone = self.project.history(self.document.id, self.owner)
        self.rebuilding = True
        try:
            self.undo_stack.clear()
            for edit in done + list(reversed(undone)):
                self.undo_stack.push(EditCommand(self, edit, journaled=True))
            self.undo_stack.setIndex(len(done))
            self.undo_stack.setClean()
        finally:
            self.rebuilding = False
