"""Finding the next document to work on, page by page from the store (no Qt)."""
from __future__ import annotations

from ..store.project import Project

# a document is open for work unless the annotator finished or skipped it
CLOSED_STATUSES = ("done", "reviewed", "skipped", "rejected", "ignored")


def next_open_document(project: Project, owner: str, after: int | None) -> int | None:
    """The next document (by id, wrapping round) that ``owner`` has not
    finished: no set yet, or status ``new`` or ``in_progress``. ``after``
    itself is never returned; None when every other document is closed."""
    return project.next_unfinished(owner, after=after, finished=CLOSED_STATUSES)


FINISHED = ("done", "reviewed")


def progress(project: Project, owner: str) -> tuple[int, int]:
    """``(done, total)``: documents ``owner`` marked done (or had reviewed), and all documents."""
    return project.count_sets(owner, FINISHED), project.count_documents()


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
