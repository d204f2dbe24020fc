"""``QUndoCommand`` over the core edits: one command per edit, calling the store.

The first ``redo`` applies the edit with ``action='do'``, later ones replay it
with ``action='redo'``; ``undo`` applies its inverse with ``action='undo'``.
Every call goes through the document session, which journals it in the
project file at once. A command that fails (the set changed in another window)
marks itself obsolete, so the stack drops it, and the session reloads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..core.edits import Edit
from ..core.errors import AnnotatorError

if TYPE_CHECKING:
    from .session import DocumentSession


class EditCommand(QUndoCommand):
    """One edit on the undo stack.

    Args:
        session: the document session that applies edits to the project.
        edit: the edit; after the first redo it holds the ids the store gave.
        journaled: True when the edit is already in the journal (the stack is
            rebuilt from ``Project.history()``), so a redo replays it as
            ``redo`` rather than doing it anew. While the session is
            rebuilding, redo and undo touch nothing.
    """

    def __init__(self, session: "DocumentSession", edit: Edit, *, journaled: bool = False) -> None:
        super().__init__(edit.describe())
        self.session = session
        self.edit = edit
        self._first = not journaled

    def redo(self) -> None:
        if self.session.rebuilding:
            return
        action = "do" if self._first else "redo"
        self._first = False
        self._run(lambda: self.session.apply(self.edit, action=action), action)

    def undo(self) -> None:
        if self.session.rebuilding:
            return
        self._run(lambda: self.session.apply(self.edit.inverse(), action="undo"), "undo")

    def _run(self, call, action: str) -> None:
        try:
            applied = call()
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.session.edit_failed(exc)
            return
        if action != "undo":
            self.edit = applied
            self.session.last_applied = applied
        self.session.edited.emit(action, self.edit)
