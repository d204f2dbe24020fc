"""Starting the review window: ``run_review`` behind ``annotator review``."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ...core.errors import AnnotatorError
from ...store.project import Project
from ..app import SCREENSHOT_SIZE, create_app
from ..settings import annotator_name, user_settings
from .window import ReviewWindow


def open_review(
    project_path: str | Path,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    *,
    settings: QSettings | None = None,
) -> ReviewWindow:
    """A review window on a project file; the reviewer is the saved user name
    (else the login name). Raises ``AnnotatorError`` when the project cannot be
    opened or the annotators or mode are wrong."""
    settings = settings if settings is not None else user_settings()
    project = Project.open(project_path)
    try:
        return ReviewWindow(project, annotator_name(None, settings, ask=False), annotators=annotators,
                            auto=auto, settings=settings)
    except BaseException:
        project.close()
        raise


def run_review(
    project_path: str | Path,
    annotators: Sequence[str] | None = None,
    auto: str = "unanimous",
    screenshot: str | Path | None = None,
) -> int:
    """Show the review window until it closes; returns the exit status.

    With ``screenshot``, open the first document to review at its first
    conflict, save the window as PNG at that path and return.
    """
    try:
        app = create_app(screenshot=screenshot is not None)
        window = open_review(project_path, annotators, auto)
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
    window.agreement.stop()
    for _ in range(20):
        app.processEvents()
        if window.agreement.report is not None:
            break
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
