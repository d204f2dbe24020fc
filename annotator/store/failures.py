"""What an SQLite failure means for the person using the project file.

SQLite names each failure (``SQLITE_FULL``, ``SQLITE_READONLY``...); this
module turns the ones a user can cause or fix (a full disk, a read-only file
or folder, damaged pages, a busy file) into typed errors whose message says
what happened to which file and what to do. Failures it does not know are
left alone, so programming errors keep their traceback.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NoReturn

from ..core.errors import (
    DamagedProjectError, DiskFullError, ProjectBusyError, ProjectError, ProjectReadOnlyError,
)


def explain(exc: sqlite3.Error, path: Path, doing: str) -> ProjectError | None:
    """The typed error for ``exc`` raised while ``doing`` something to ``path``,
    or None when the failure is not one a user can act on.

    ``doing`` completes "while ...", e.g. "saving the edit".
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return DiskFullError(
            f"{path}: the disk is full while {doing}; nothing of it was saved and the project is "
            "as it was. Free some disk space and try again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ProjectReadOnlyError(
            f"{path} is read-only (the file, or the folder holding it, cannot be written), so "
            f"{doing} failed and nothing was changed. Make both writable (chmod u+w), or copy "
            "the project to a folder you can write to"
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        return ProjectReadOnlyError(
            f"{path} cannot be opened for writing while {doing}: SQLite needs to create its "
            f"-wal and -shm files next to it in {path.parent}. Make that folder writable, or "
            "copy the project to a folder you can write to"
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text:
        return DamagedProjectError(
            f"{path} is damaged ({text}) while {doing}. Restore it from a backup; "
            f"`sqlite3 {path} .recover` may save what is left"
        )
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "database is locked" in text:
        return ProjectBusyError(
            f"{path} is busy ({text}): another window or command is writing to it, "
            "an import perhaps; nothing was changed, try again when it is done"
        )
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return ProjectError(
            f"{path}: the disk reported an I/O error while {doing} ({text}); nothing of it was "
            "saved. Check the disk and that the file was not moved or deleted, then reopen it"
        )
    return None


# -- reads: damaged pages met outside a check -------------------------------------
# ``PRAGMA quick_check`` runs on open only for files up to a size, so a large
# file's damaged page is first met by whatever reads it: an export, agreement,
# a merge, the window opening a document. Every project connection is a
# ``ProjectConnection`` whose cursors turn SQLite's "damaged" failures into
# ``DamagedProjectError`` naming the file; the readers need no handling of
# their own. Other failures keep their type: writes are explained by
# ``Project.transaction``, which knows what was being done.
DAMAGE_NAMES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class ProjectConnection(sqlite3.Connection):
    """An SQLite connection to a project file; see the note above.

    ``damage_path`` is None while the file is being opened (the opener judges
    those failures itself: "not an SQLite file" is not damage), then the path.
    """

    damage_path: Path | None = None

    def cursor(self, factory: type = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or ExplainingCursor)

    def execute(self, sql: str, parameters=(), /) -> sqlite3.Cursor:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters, /) -> sqlite3.Cursor:  # type: ignore[override]
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:  # type: ignore[override]
        return self.cursor().executescript(script)

    def reraise(self, exc: sqlite3.Error) -> NoReturn:
        """Raise ``DamagedProjectError`` for damage met after opening, else ``exc``."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        if self.damage_path is not None and (name.startswith(DAMAGE_NAMES) or "malformed" in str(exc)):
            raise explain(exc, self.damage_path, "reading it") from exc
        raise exc


class ExplainingCursor(sqlite3.Cursor):
    """A cursor of a ``ProjectConnection``: damage raises ``DamagedProjectError``."""

    connection: ProjectConnection

    def execute(self, sql: str, parameters=(), /) -> "ExplainingCursor":  # type: ignore[override]
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def executemany(self, sql: str, parameters, /) -> "ExplainingCursor":  # type: ignore[override]
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def executescript(self, script: str, /) -> "ExplainingCursor":  # type: ignore[override]
        try:
            return super().executescript(script)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def __next__(self):
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def fetchone(self):
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def fetchmany(self, size: int | None = None):
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def fetchall(self):
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            self.connection.reraise(exc)
