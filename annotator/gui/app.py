"""Starting the labeling window: the application, its look, and ``run``."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from ..core.errors import AnnotatorError, NoDisplayError
from ..store.project import Project
from .main_window import MainWindow
from .sample import sample_project
from .settings import APPLICATION, annotator_name, user_settings

TEST_SCRIPT_ENV = "ANNOTATOR_TEST_SCRIPT"
SCREENSHOT_SIZE = (1280, 800)

STYLE = """
QMainWindow, QDockWidget > QWidget, QScrollArea#details_scroll > QWidget > QWidget { background: #f6f7f9; }
QDockWidget { font-size: 12px; }
QDockWidget::title { padding: 6px 8px; background: #eceef2; color: #3c4350; font-weight: 600; }
QToolBar { background: #ffffff; border: none; border-bottom: 1px solid #e1e4e8; spacing: 4px; padding: 3px 6px; }
QToolBar QToolButton { padding: 4px 10px; border-radius: 4px; color: #24292f; }
QToolBar QToolButton:hover { background: #eef1f5; }
QToolBar QToolButton:disabled { color: #a0a6ae; }
QToolBar QToolButton#primary_button { background: #2f6fde; color: #ffffff; font-weight: 600; padding: 4px 14px; }
QToolBar QToolButton#primary_button:hover { background: #2a62c4; }
QWidget#doc_header { background: #ffffff; border-bottom: 1px solid #eceef1; }
QLabel#doc_title { font-size: 17px; font-weight: 600; color: #1f2328; }
QLabel#doc_meta, QLabel#hint { color: #6a737d; }
QLabel#keycap { background: #ffffff; border: 1px solid #c9ced6; border-bottom-width: 2px; border-radius: 4px;
                color: #3c4350; font-weight: 600; padding: 1px 0; }
QLabel#count { color: #6a737d; }
QLabel#field { color: #6a737d; }
QLabel#quote { font-size: 14px; color: #1f2328; }
QLabel#empty_page { color: #6a737d; font-size: 15px; background: #ffffff; }
QTableView, QTreeWidget, QPlainTextEdit#guidelines_text { background: #ffffff; border: 1px solid #e1e4e8;
    alternate-background-color: #fafbfc; selection-background-color: #dbe8fb; selection-color: #1f2328; }
QHeaderView::section { background: #f6f7f9; border: none; border-bottom: 1px solid #e1e4e8; padding: 4px 6px;
    color: #57606a; font-weight: 600; }
QLineEdit, QComboBox { padding: 4px 6px; border: 1px solid #d0d7de; border-radius: 4px; background: #ffffff; }
QStatusBar { background: #ffffff; border-top: 1px solid #e1e4e8; }
QProgressBar { border: 1px solid #d0d7de; border-radius: 4px; background: #f0f2f5; text-align: center; height: 16px; }
QProgressBar::chunk { background: #7cc68d; border-radius: 3px; }
"""


# Qt platform plugins that draw without a display server
HEADLESS_PLATFORMS = ("offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs")
# the display server each platform plugin connects to, by its variable
DISPLAY_VARIABLES = {"xcb": ("DISPLAY",), "wayland": ("WAYLAND_DISPLAY",)}


def check_display(*, screenshot: bool = False) -> None:
    """Make sure Qt has a display before it is asked for one: without one,
    creating the QApplication aborts the process (with a hint about
    ``libxcb-cursor0`` that does not apply).

    With ``screenshot`` and no display, the window is rendered offscreen.
    Raises ``NoDisplayError``, saying how to run the app, otherwise.
    """
    if not sys.platform.startswith("linux"):
        return
    setting = os.environ.get("QT_QPA_PLATFORM", "")
    platforms = [entry.split(":")[0] for entry in setting.split(";") if entry] or ["xcb", "wayland"]
    if any(p in HEADLESS_PLATFORMS for p in platforms):
        return
    variables = [v for p in platforms for v in DISPLAY_VARIABLES.get(p.split("-")[0], ("DISPLAY", "WAYLAND_DISPLAY"))]
    if any(os.environ.get(v) for v in variables):
        return
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    raise NoDisplayError(
        f"there is no display to show the window on ({' and '.join(dict.fromkeys(variables))} not set"
        + (f", QT_QPA_PLATFORM={setting}" if setting else "")
        + "). Run it on a virtual screen: xvfb-run -s \"-screen 0 1280x800x24\" annotator open ...; "
        "or render the window into a PNG without one: annotator open --screenshot window.png"
    )


def create_app(argv: list[str] | None = None, *, screenshot: bool = False) -> QApplication:
    """The QApplication (the existing one when there is one), with the house look.

    Raises ``NoDisplayError`` (see :func:`check_display`) instead of letting Qt
    abort when there is nowhere to show a window.
    """
    app = QApplication.instance()
    if app is None:
        check_display(screenshot=screenshot)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Annotator")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    """Fusion with a light palette and the stylesheet above; once per application
    (replacing the style under live widgets is not safe)."""
    if app.property("annotator_styled"):
        return
    app.setProperty("annotator_styled", True)
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f6f7f9"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#fafbfc"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fde"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#f3f4f6"))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLE)


def open_window(project_path: str | Path | None, annotator: str | None, *, settings: QSettings | None = None,
                ask: bool = True) -> MainWindow:
    """A window on a project (the sample project when ``project_path`` is None).

    Raises ``AnnotatorError`` when the project cannot be opened.
    """
    settings = settings if settings is not None else user_settings()
    path = Path(project_path) if project_path else sample_project()
    project = Project.open(path)
    name = annotator_name(annotator, settings, ask=ask)
    return MainWindow(project, name, settings=settings)


def run(project_path: str | Path | None, annotator: str | None, screenshot: str | Path | None = None) -> int:
    """Show the labeling window until it closes; returns the exit status.

    With ``screenshot``, render the window (offscreen works), save it as PNG
    at that path and return. When the environment names a Python file in
    ``ANNOTATOR_TEST_SCRIPT``, it runs once the window is shown, with
    ``window`` and ``app`` in its globals (end-to-end tests use it).
    """
    try:
        app = create_app(screenshot=screenshot is not None)
        window = open_window(project_path, annotator, ask=screenshot is None)
    except AnnotatorError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    sys.excepthook = _excepthook(window)
    if screenshot is not None:
        return _screenshot(app, window, Path(screenshot))
    window.restore_layout()
    window.show()
    window.start()
    script = os.environ.get(TEST_SCRIPT_ENV)
    if script:
        QTimer.singleShot(0, lambda: _run_script(Path(script), window, app))
    return app.exec()


def _screenshot(app: QApplication, window: MainWindow, out: Path) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.start()
    spans = window.session.aset.sorted_spans() if window.session.aset else []
    if spans:
        window.editor.select_span(spans[0].id, scroll=False)
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    ok = image.save(str(out), "PNG")
    window.close()
    if not ok:
        print(f"Error: cannot write {out}", file=sys.stderr)
        return 1
    return 0


def _run_script(path: Path, window: MainWindow, app: QApplication) -> None:
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, {"window": window, "app": app, "__name__": "__annotator_test__"})


def _excepthook(window: MainWindow):
    """Unexpected errors in slots go to the window's one place for errors."""

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        window.reporter.error(value)

    return hook
