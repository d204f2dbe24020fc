"""The labeling window: the queue on the left, the document in the middle,
labels, selection details, relations and guidelines on the right.

The window only assembles parts: the document session writes edits, the
edit controller turns keys into edits, the docks show state, and the File
menu's operations live in ``file_ops``.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStackedWidget, QVBoxLayout, QWidget

from ..core.edits import SetStatus
from ..core.errors import AnnotatorError
from ..store.project import Project
from . import navigation, span_ops, text_search
from .actions import (
    SPEC_BY_NAME, SPECS, build_actions, build_toolbar, configure, context_menu, key_spec, make_action,
)
from .cheatsheet import CheatSheet
from .doc_view import DocView
from .docks.details_dock import DetailsDock
from .docks.guidelines_dock import GuidelinesDock
from .docks.palette_dock import PaletteDock
from .docks.queue_dock import QueueDock
from .docks.relations_dock import RelationsDock
from .editing import EditController
from .file_ops import FileOps
from .find_bar import FindBar
from .header import DocumentHeader
from .model_ops import ModelOps
from .session import DocumentSession
from .settings import user_settings
from .status import Reporter, StatusBar, edit_message

EMPTY_TEXT = "No documents yet.\n\nFile ▸ Import… adds news articles (text, JSONL, CSV, brat, …)."


class MainWindow(QMainWindow):
    """The labeling window for one project and one annotator.

    Args:
        project: the open project (the window closes it when it closes).
        annotator: the name every edit is recorded under.
        settings: where the window layout is kept (tests pass their own).
    """

    def __init__(self, project: Project, annotator: str, *, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.project = project
        self.annotator = annotator
        self.settings = settings if settings is not None else user_settings()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.set_annotator(annotator)
        self.status.set_saved(True)
        self.reporter = Reporter(self.status, self)
        self.session = DocumentSession(project, annotator, self)
        self.doc_view = DocView()
        self.doc_view.setObjectName("doc_view")
        self.header = DocumentHeader()
        self.find_bar = FindBar()
        self.editor = EditController(self.session, self.doc_view, self)
        self.file_ops = FileOps(self)
        self.cheatsheet: CheatSheet | None = None
        self.context_menu: QMenu | None = None
        self._build_center()
        self._build_docks()
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self.model_ops = ModelOps(self)
        self._build_menus()
        self._connect()
        self.key_actions: list[QAction] = []
        self.progress = navigation.Progress(project, annotator)
        self._shown: tuple[int, str] | None = None  # (document id, status) the progress counted
        self.load_scheme()
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._show_time)
        self.clock.start()
        self.resize(1280, 800)

    # -- construction ----------------------------------------------------------
    def _build_center(self) -> None:
        page = QWidget()
        page.setObjectName("doc_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.doc_view, 1)
        empty = QLabel(EMPTY_TEXT)
        empty.setObjectName("empty_page")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(empty)
        self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

    def _build_docks(self) -> None:
        self.queue = QueueDock(self.project, self.annotator, self)
        self.palette = PaletteDock(self)
        self.details = DetailsDock(self)
        self.relations = RelationsDock(self)
        self.guidelines = GuidelinesDock(self)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.addDockWidget(left, self.queue)
        self.addDockWidget(right, self.palette)
        self.addDockWidget(right, self.details)
        self.addDockWidget(right, self.relations)
        self.tabifyDockWidget(self.relations, self.guidelines)
        self.relations.raise_()
        self.resizeDocks([self.queue, self.palette], [330, 280], Qt.Orientation.Horizontal)
        self.resizeDocks([self.palette, self.details, self.relations], [290, 250, 200], Qt.Orientation.Vertical)

    def _build_actions(self) -> None:
        e, f = self.editor, self.file_ops
        handlers = {
            **e.handlers(),
            "done": lambda: self.finish("done"),
            "skip": lambda: self.finish("skipped"),
            "next_doc": lambda: self.step_document(1),
            "prev_doc": lambda: self.step_document(-1),
            "find": self._focus_search,
            "find_in_doc": self.find_bar.open_bar,
            "find_next": lambda: self.step_match(1),
            "find_prev": lambda: self.step_match(-1),
            "open_project": f.ask_open_project,
            "import": f.ask_import,
            "export": f.ask_export,
            "quit": self.close,
            "review": self.open_review,
            "shortcuts": self.show_shortcuts,
        }
        specs = tuple(s for s in SPECS if s.name not in ("undo", "redo"))
        self.actions_by_name = build_actions(self, handlers, specs)
        stack = self.session.undo_stack
        for name, make in (("undo", stack.createUndoAction), ("redo", stack.createRedoAction)):
            action = configure(make(self, SPEC_BY_NAME[name].text), SPEC_BY_NAME[name])
            self.addAction(action)
            self.actions_by_name[name] = action

    def open_review(self) -> None:
        """Open the review window on this project file, beside this window."""
        from .review.launch import open_review

        try:
            window = open_review(self.project.path, settings=self.settings)
        except AnnotatorError as exc:
            self.reporter.error(exc, context="cannot open the review window")
            return
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.review_window = window
        window.show()
        window.start()

    def _build_menus(self) -> None:
        a = self.actions_by_name
        menus = (
            ("&File", ("open_project", "import", "export", None, "review", None, "quit")),
            ("&Edit", ("undo", "redo", None, "delete", "start_left", "start_right", "end_left", "end_right",
                       None, "relation", "reverse", "relation_type")),
            ("&Suggestions", ("accept", "reject", None, "accept_all", "reject_all")),
            ("&Document", ("done", "skip", None, "next_doc", "prev_doc", "next_span", "prev_span", None, "find",
                           "find_in_doc", "find_next", "find_prev")),
        )
        for title, names in menus:
            menu = self.menuBar().addMenu(title)
            for name in names:
                menu.addSeparator() if name is None else menu.addAction(a[name])
        self.model_ops.build_menu(self.menuBar().addMenu("&Model"))
        view = self.menuBar().addMenu("&View")
        for dock in (self.queue, self.palette, self.details, self.relations, self.guidelines):
            view.addAction(dock.toggleViewAction())
        self.menuBar().addMenu("&Help").addAction(a["shortcuts"])
        build_toolbar(self, "Main", a, ("prev_doc", "next_doc", None, "undo", "redo", None, "accept_all", "reject_all"),
                      ("skip", "done"))

    def _connect(self) -> None:
        self.session.failed.connect(self._on_failed)
        self.session.edited.connect(self._on_edited)
        self.session.changed.connect(self._on_changed)
        self.editor.message.connect(self.reporter.info)
        self.editor.selectionChanged.connect(self._show_selection)
        self.queue.documentChosen.connect(self.open_document)
        self.palette.labelChosen.connect(self.editor.apply_label)
        self.relations.relationChosen.connect(self.editor.select_relation)
        self.queue.searchSubmitted.connect(self.open_first_hit)
        self.queue.searchLeft.connect(self.doc_view.setFocus)
        self.queue.search.textChanged.connect(lambda _text: self.show_matches())
        self.find_bar.changed.connect(lambda _text: self.show_matches(step=True))
        self.find_bar.stepped.connect(self.step_match)
        self.find_bar.closed.connect(self._find_bar_closed)
        self.doc_view.spanMenuRequested.connect(self._span_menu)
        self.doc_view.relationMenuRequested.connect(self._relation_menu)

    def load_scheme(self) -> None:
        """(Re)build what depends on the scheme: label keys, palette, guidelines."""
        scheme = self.project.scheme
        for action in self.key_actions:
            self.removeAction(action)
            action.deleteLater()
        reserved = {str(k).upper() for s in SPECS for k in s.shortcuts}
        keys = {label.key: label.name for label in scheme.labels if label.key}
        for digit in "1234567890":
            keys.setdefault(digit, f"relation type {digit}")
        self.key_actions = []
        for key, text in keys.items():
            if key.upper() in reserved:
                self.reporter.info(f"label key {key} is taken by another command; click the label instead")
                continue
            self.key_actions.append(make_action(self, key_spec(key, text), lambda k=key: self.editor.key(k)))
        self.palette.set_scheme(scheme)
        self.guidelines.set_scheme(scheme)
        self.setWindowTitle(f"{self.project.path.name} — annotator")

    # -- documents -------------------------------------------------------------
    def start(self) -> None:
        """Open the first document the annotator has not finished (else the first)."""
        self.status.set_progress(*self.progress.recount())
        self.reporter.info("Select text and press a label key · Tab walks the spans · F1 lists every key")
        first = navigation.next_open_document(self.project, self.annotator, None)
        if first is None:
            ids = self.project.document_ids(limit=1)
            first = ids[0] if ids else None
        if first is None:
            self.pages.setCurrentIndex(0)
            return
        self.open_document(first)

    def open_document(self, document_id: int) -> None:
        if self.session.document is not None and self.session.document.id == document_id:
            return
        try:
            self.session.open(document_id)
        except AnnotatorError as exc:
            self.reporter.error(exc, context="cannot open the document")
            return
        self.pages.setCurrentIndex(1)
        self.queue.show_document(document_id)
        self.show_matches()
        self.doc_view.setFocus()

    def reload_document(self) -> None:
        """Read the open document again from the project (an import split its tokens)."""
        if self.session.document is not None:
            self.session.open(self.session.document.id)

    def step_document(self, step: int) -> None:
        current = self.session.document.id if self.session.document else None
        target = self.queue.neighbour(current, step)
        if target is None:
            self.reporter.info("no more documents in the list that way")
            return
        self.open_document(target)

    def finish(self, status: str) -> None:
        """Mark the open document ``done`` or ``skipped`` and open the next open one."""
        aset = self.session.aset
        if aset is None:
            return
        if aset.status != status and self.session.push(SetStatus(aset.status, status)) is None:
            return
        current = self.session.document.id
        self.queue.model.refresh_document(current)
        following = navigation.next_open_document(self.project, self.annotator, current)
        if following is None:
            self.reporter.info("every document is done or skipped")
            return
        self.open_document(following)
        self.reporter.info(f"marked “{span_ops.shorten(self.project.document(current).title)}” {status}")

    # -- refreshing ------------------------------------------------------------
    def _on_edited(self, action: str, edit) -> None:
        """Say what an edit, undo or redo did; it is in the file now."""
        doc = self.session.document
        self.reporter.info(edit_message(action, edit, doc.text if doc else "", self.session.aset))
        self.status.set_saved(True)

    def _on_failed(self, exc) -> None:
        self.status.set_saved(False)
        self.reporter.error(exc)

    def _show_time(self) -> None:
        aset = self.session.aset
        self.status.set_time(aset.seconds + self.session.elapsed() if aset is not None else None)

    def _on_changed(self) -> None:
        doc, aset = self.session.document, self.session.aset
        if doc is None or aset is None:
            return
        row = self.queue.model.row_of(doc.id)
        position = f"{row + 1} of {self.queue.model.total:,}" if row is not None else ""
        self.header.show_document(doc, aset, position)
        self.palette.set_counts(aset)
        self.relations.show_relations(aset, doc, self.editor.relation_id)
        self.queue.model.refresh_document(doc.id)
        if self._shown is not None and self._shown[0] == doc.id and self._shown[1] != aset.status:
            self.status.set_progress(*self.progress.status_changed(self._shown[1], aset.status))
        self._shown = (doc.id, aset.status)
        self._show_time()
        self._show_selection()

    def _show_selection(self) -> None:
        doc, aset, scheme = self.session.document, self.session.aset, self.project.scheme
        if doc is None or aset is None:
            return
        e = self.editor
        if e.relation is not None:
            self.details.show_relation(e.relation, aset, doc, scheme)
        elif e.span is not None:
            self.details.show_span(e.span, aset, doc, scheme)
        else:
            self.details.show_nothing(e.pending, doc)
        self.relations.mark_selected(e.relation_id)

    # -- right-click menus -----------------------------------------------------
    def _span_menu(self, span_id: int, where: QPoint) -> None:
        """Select the span and offer what the keys do to it."""
        if self.editor.relation_head is not None:
            self.editor.cancel()
        self.editor.select_span(span_id, scroll=False)
        span, doc = self.editor.span, self.session.document
        if span is None or doc is None:
            return
        a = self.actions_by_name
        relabel = QMenu("Label as", self)
        relabel.setObjectName("label_menu")
        keys = {label.key for label in self.project.scheme.labels if label.key}
        for action in self.key_actions:
            if action.objectName().removeprefix("key_") in keys:
                relabel.addAction(action)
        suggestion = [a["accept"], a["reject"], None] if span.is_suggestion else []
        items = [*suggestion, relabel, a["relation"], None, a["start_left"], a["start_right"], a["end_left"],
                 a["end_right"], None, a["delete"]]
        self._popup(context_menu(self, f"{span.label} “{span_ops.quote(doc.text, span, 30)}”", items), where)

    def _relation_menu(self, relation_id: int, where: QPoint) -> None:
        """Select the relation and offer what the keys do to it."""
        self.editor.on_relation_clicked(relation_id)
        rel = self.editor.relation
        if rel is None:
            return
        a = self.actions_by_name
        suggestion = [a["accept"], a["reject"], None] if rel.is_suggestion else []
        items = [*suggestion, a["relation_type"], a["reverse"], None, a["delete"]]
        self._popup(context_menu(self, f"{rel.label} relation", items), where)

    def _popup(self, menu: QMenu, where: QPoint) -> None:
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(where)

    # -- search ----------------------------------------------------------------
    def show_matches(self, *, step: bool = False) -> None:
        """Highlight in the text what is searched: the find bar's phrase while
        it is open, else the words of the document list's search."""
        doc = self.session.document
        if doc is None:
            return
        phrase = self.find_bar.phrase()
        if phrase:
            matches = text_search.phrase_matches(doc.text, phrase)
        else:
            matches = text_search.query_matches(doc.text, self.queue.search.text())
        self.doc_view.set_matches(matches)
        if step and matches:
            self.doc_view.step_match(1)
        self.find_bar.show_count(self.doc_view.current_match(), len(matches))

    def step_match(self, direction: int) -> None:
        """F3 / Shift+F3: the next or previous match in the text."""
        current = self.doc_view.step_match(direction)
        total = len(self.doc_view.matches())
        self.find_bar.show_count(current, total)
        if current is None:
            self.reporter.info("no match in this document (Ctrl+F searches the documents, Ctrl+Shift+F this one)")
        else:
            self.reporter.info(f"match {current + 1} of {total} · F3 next, Shift+F3 previous")

    def open_first_hit(self) -> None:
        """Enter in the document search: open the first document found, at its first match."""
        query = self.queue.search.text().strip()
        first = self.queue.model.document_id(0) if self.queue.model.total else None
        if first is None:
            self.reporter.info(f"no document contains “{query}”" if query else "no documents")
            return
        self.open_document(first)
        self.queue.show_document(first)
        self.doc_view.setFocus()
        if query:
            self.step_match(1)

    def _find_bar_closed(self) -> None:
        self.show_matches()
        self.doc_view.setFocus()

    def _focus_search(self) -> None:
        self.queue.show()
        self.queue.search.setFocus()
        self.queue.search.selectAll()

    def show_shortcuts(self) -> None:
        if self.cheatsheet is None:
            self.cheatsheet = CheatSheet(self.project.scheme, self)
        self.cheatsheet.show()
        self.cheatsheet.raise_()

    def action(self, name: str) -> QAction:
        """An action by objectName (``accept``, ``key_5``, ``undo``...)."""
        found = self.findChild(QAction, name)
        if found is None:
            raise KeyError(f"no action {name!r}")
        return found

    # -- project ---------------------------------------------------------------
    def replace_project(self, project: Project) -> None:
        """Work on another project file in this window."""
        self.session.close()
        self.project.close()
        self.project = project
        self.session.project = project
        self.queue.model.set_project(project, self.annotator)
        self.progress = navigation.Progress(project, self.annotator)
        self._shown = None
        self.cheatsheet = None
        self.load_scheme()
        self.model_ops.project_replaced()
        self.start()

    def restore_layout(self) -> None:
        geometry, state = self.settings.value("window/geometry"), self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if not self.file_ops.idle() or not self.model_ops.idle():
            self.reporter.info("an import, export or training is still running; close again when it is done")
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        try:
            self.session.close()
        except AnnotatorError as exc:
            self.reporter.error_on_close(exc)
        finally:
            self.project.close()
        super().closeEvent(event)

    @property
    def project_path(self) -> Path:
        return self.project.path
