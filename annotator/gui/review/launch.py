"""Starting the review window: ``run_review`` behind ``annotator review``."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ...core.errors import AnnotatorError
from ...ops.review import check_auto, review_annotators
from ...store.project import Project
from ..app import SCREENSHOT_SIZE, create_app
from ..settings import reviewer_name, user_settings
from .window import ReviewWindow


def open_review(
    project_path: str | Path,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    *,
    reviewer: str | None = None,
    settings: QSettings | None = None,
    ask: bool = True,
) -> ReviewWindow:
    """A review window on a project file for ``reviewer`` (default: the saved
    reviewer name, else asked once, else the login name; see
    ``settings.reviewer_name``). Raises ``AnnotatorError`` when the project
    cannot be opened or the annotators or mode are wrong."""
    settings = settings if settings is not None else user_settings()
    project = Project.open(project_path)
    try:
        check_auto(auto)
        review_annotators(project, annotators)  # a wrong name fails before anyone is asked anything
        name = reviewer_name(reviewer, settings, ask=ask)
        return ReviewWindow(project, name, annotators=annotators, auto=auto, settings=settings)
    except BaseException:
        project.close()
        raise


def run_review(
    project_path: str | Path,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    screenshot: str | Path | None = None,
    reviewer: str | None = None,
) -> int:
    """Show the review window until it closes; returns the exit status.

    With ``screenshot``, open the first document to review at its first
    conflict, save the window as PNG at that path and return.
    """
    try:
        app = create_app(screenshot=screenshot is not None)
        window = open_review(project_path, annotators, auto, reviewer=reviewer, ask=screenshot is None)
    except AnnotatorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    sys.excepthook = _excepthook(window)
    if screenshot is not None:
        return _screenshot(app, window, Path(screenshot))
    window.restore_layout()
    window.show()
    window.start()
    return app.exec()


def _screenshot(app: QApplication, window: ReviewWindow, out: Path) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.start()
    if window.agreement.report is None:  # wait for the figures (at most 30 s)
        waiting = QEventLoop()
        window.agreement.ready.connect(waiting.quit)
        QTimer.singleShot(30_000, waiting.quit)
        waiting.exec()
    if window.cluster is not None:
        window.doc_view.set_current(window.cluster)
    for _ in range(5):
        app.processEvents()
    ok = window.grab().save(str(out), "PNG")
    window.close()
    if not ok:
        print(f"Error: cannot write {out}", file=sys.stderr)
        return 1
    return 0


def _excepthook(window: ReviewWindow):
    """Unexpected errors in slots go to the window's one place for errors."""

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        window.reporter.error(value)

    return hook
