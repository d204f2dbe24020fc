"""Finding the next document to work on, page by page from the store (no Qt)."""
from __future__ import annotations

from ..store.project import Project

OPEN_STATUSES = ("in_progress", "new")
FIRST_PAGE = 256


def _first_after(project: Project, owner: str, status: str, after: int | None) -> int | None:
    """The smallest id with ``status`` greater than ``after`` (any when None)."""
    offset, limit = 0, FIRST_PAGE
    while True:
        ids = project.document_ids(owner=owner, status=status, offset=offset, limit=limit)
        for doc_id in ids:
            if after is None or doc_id > after:
                return doc_id
        if len(ids) < limit:
            return None
        offset += len(ids)
        limit *= 4


def next_open_document(project: Project, owner: str, after: int | None) -> int | None:
    """The next document (by id, wrapping round) that ``owner`` has not
    finished: status ``new`` or ``in_progress``. ``after`` itself is never
    returned; None when every other document is done or skipped."""
    found = [d for s in OPEN_STATUSES if (d := _first_after(project, owner, s, after)) is not None]
    if found:
        return min(found)
    if after is None:
        return None
    wrapped = [d for s in OPEN_STATUSES if (d := _first_after(project, owner, s, None)) is not None and d != after]
    return min(wrapped) if wrapped else None


FINISHED = ("done", "reviewed")


def progress(project: Project, owner: str) -> tuple[int, int]:
    """``(done, total)``: documents ``owner`` marked done (or had reviewed), and all documents."""
    done = sum(project.count_documents(owner=owner, status=s) for s in FINISHED)
    return done, project.count_documents()


class Progress:
    """``(done, total)`` counted by ``recount()`` (when a project opens, after
    an import), then kept up to date from the status changes this window
    makes, so an edit does not rescan 100,000 documents."""

    def __init__(self, project: Project, owner: str) -> None:
        self.project = project
        self.owner = owner
        self.done = self.total = 0

    def recount(self) -> tuple[int, int]:
        self.done, self.total = progress(self.project, self.owner)
        return self.done, self.total

    def status_changed(self, before: str | None, after: str | None) -> tuple[int, int]:
        """Account for one document going from status ``before`` to ``after``."""
        self.done += (after in FINISHED) - (before in FINISHED)
        return self.done, self.total
