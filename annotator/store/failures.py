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
