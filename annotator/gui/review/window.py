"""The review window: the queue by disagreement on the left, the gold set over
the annotators' work in the middle, the current conflict, labels and agreement
on the right.

Gold is edited with the labeling window's parts: a ``DocumentSession`` on the
``gold`` owner (every edit journaled, undo surviving a restart) and the same
``EditController`` keys, except that label keys need Alt, since digits pick
versions here.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from ...core.adjudicate import Cluster, gold_choices, resolve
from ...core.edits import SetStatus
from ...core.errors import AnnotatorError, ReviewError
from ...core.model import GOLD
from ...ops.review import (
    REVIEWED, DocumentReview, check_auto, documents_by_disagreement, load_review, review_annotators, update_gold,
)
from ...store.project import Project
from ..actions import SPEC_BY_NAME, ActionSpec, build_actions, build_toolbar, configure, make_action
from ..cheatsheet import CheatSheet
from ..editing import EditController
from ..header import DocumentHeader, plural
from ..plain_text import action_text, escape
from ..session import DocumentSession
from ..settings import user_settings
from ..status import Reporter, StatusBar
from .agreement_dock import AgreementDock
from .conflict_dock import ConflictDock
from .labels_dock import LabelsDock
from .overlay import annotator_tags
from .queue import ReviewQueueDock, ReviewQueueModel
from .review_view import ReviewDocView

EMPTY_TEXT = "Nothing to review yet.\n\nAnnotators' sets appear here once they have labelled documents."
EDIT_ACTIONS = (
    "delete", "start_left", "start_right", "end_left", "end_right", "next_span", "prev_span",
    "relation", "confirm", "cancel", "reverse", "relation_type", "next_doc", "prev_doc",
    "accept", "reject", "accept_all", "reject_all",
)
HELP_ACTIONS = ("quit", "shortcuts")
REVIEW_SPECS = (
    ActionSpec("next_conflict", "Next conflict", ("N",), "Review", "Go to the next conflict", "Next conflict ›"),
    ActionSpec("prev_conflict", "Previous conflict", ("P",), "Review", "Go to the previous conflict",
               "‹ Previous conflict"),
    ActionSpec("pick_0", "Take none", ("0",), "Review", "Remove the current conflict's items from gold"),
    ActionSpec("reviewed", "Mark reviewed and next", ("Ctrl+Return", "Ctrl+Enter"), "Documents",
               "Mark the gold set reviewed and open the next document to review", "Mark reviewed"),
)


class ReviewWindow(QMainWindow):
    """Adjudicate the annotators' sets of a project into its gold sets.

    Args:
        project: the open project (closed with the window).
        reviewer: recorded as the author of new gold sets.
        annotators: whom to compare (default: every annotator); key ``k``
            takes the ``k``-th one's version.
        auto: what a new gold set starts with (``off``, ``unanimous``, ``majority``).
        settings: where the window layout is kept (tests pass their own).

    Raises:
        ReviewError: an unknown annotator or mode, or no annotator at all.
    """

    def __init__(
        self,
        project: Project,
        reviewer: str,
        *,
        annotators: Sequence[str] | None = None,
        auto: str = "unanimous",
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("review_window")
        self.project = project
        self.reviewer = reviewer
        self.auto = check_auto(auto)
        self.annotators = review_annotators(project, annotators)
        if not self.annotators:
            raise ReviewError(f"{project.path} has no annotators' sets to review yet")
        self.tags = annotator_tags(self.annotators)
        self.settings = settings if settings is not None else user_settings()
        self.review: DocumentReview | None = None
        self.cheatsheet: CheatSheet | None = None
        self.cluster: Cluster | None = None
        self.status = StatusBar(self)
        self.status.annotator.setText(f"Reviewer: {reviewer}")  # a PlainText label
        self.setStatusBar(self.status)
        self.reporter = Reporter(self.status, self)
        self.session = DocumentSession(project, GOLD, self, who=reviewer)
        self.doc_view = ReviewDocView()
        self.doc_view.setObjectName("doc_view")
        self.editor = EditController(self.session, self.doc_view, self)
        self.header = DocumentHeader()
        self.legend = QLabel("")
        self.legend.setObjectName("review_legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # built here; every name in it goes through escape()
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(18, 0, 18, 8)
        self._build_center()
        self.queue = ReviewQueueDock(ReviewQueueModel(project, documents_by_disagreement(project, self.annotators)), self)
        self.conflict = ConflictDock(self)
        self.labels = LabelsDock(self)
        self.agreement = AgreementDock(self)
        self._build_docks()
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._build_menus()
        self._connect()
        self.labels.set_scheme(project.scheme)
        self.setWindowTitle(f"{project.path.name} — review")
        self.resize(1280, 800)
        self._sized = False

    # -- construction ----------------------------------------------------------
    def _build_center(self) -> None:
        page = QWidget()
        page.setObjectName("doc_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QWidget()
        top.setObjectName("doc_header")
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.header)
        top_layout.addWidget(self.legend)
        layout.addWidget(top)
        layout.addWidget(self.doc_view, 1)
        empty = QLabel(EMPTY_TEXT)
        empty.setObjectName("empty_page")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(empty)
        self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.addDockWidget(left, self.queue)
        self.addDockWidget(left, self.agreement)
        self.addDockWidget(right, self.conflict)
        self.addDockWidget(right, self.labels)
        self._size_docks()

    def _size_docks(self) -> None:
        self.resizeDocks([self.queue, self.conflict], [340, 310], Qt.Orientation.Horizontal)
        self.resizeDocks([self.queue, self.agreement], [260, 440], Qt.Orientation.Vertical)
        self.resizeDocks([self.conflict, self.labels], [500, 200], Qt.Orientation.Vertical)

    def _build_actions(self) -> None:
        e = self.editor
        handlers = {
            **e.handlers(),
            "next_doc": lambda: self.step_document(1),
            "prev_doc": lambda: self.step_document(-1),
            "next_conflict": lambda: self.step_conflict(1),
            "prev_conflict": lambda: self.step_conflict(-1),
            "pick_0": lambda: self.pick(0),
            "reviewed": self.mark_reviewed,
            "quit": self.close,
            "shortcuts": self.show_shortcuts,
        }
        specs = tuple(SPEC_BY_NAME[name] for name in EDIT_ACTIONS) + REVIEW_SPECS
        self.actions_by_name = build_actions(self, handlers, specs + tuple(SPEC_BY_NAME[n] for n in HELP_ACTIONS))
        picks = []
        for k, name in enumerate(self.annotators[:9], start=1):
            spec = ActionSpec(f"pick_{k}", action_text(f"Take {name}'s version"), (str(k),), "Review",
                              f"Make gold say what {name} marked in the current conflict")
            picks.append(spec)
            self.actions_by_name[spec.name] = make_action(self, spec, lambda k=k: self.pick(k))
        # what F1 lists: the review keys first, then editing, history and help
        history = tuple(SPEC_BY_NAME[n] for n in ("undo", "redo"))
        self.specs = REVIEW_SPECS[:2] + tuple(picks) + REVIEW_SPECS[2:] + specs[: len(EDIT_ACTIONS)] + history + tuple(
            SPEC_BY_NAME[n] for n in HELP_ACTIONS
        )
        for label in self.project.scheme.labels:
            if label.key:
                spec = ActionSpec(f"key_{label.key}", action_text(label.name), (f"Alt+{label.key.upper()}",), "Labels",
                                  f"Label the selection or selected gold span {label.name}")
                self.actions_by_name[spec.name] = make_action(self, spec, lambda k=label.key: self.editor.key(k))
        stack = self.session.undo_stack
        for name, make in (("undo", stack.createUndoAction), ("redo", stack.createRedoAction)):
            action = configure(make(self, SPEC_BY_NAME[name].text), SPEC_BY_NAME[name])
            self.addAction(action)
            self.actions_by_name[name] = action

    def _build_menus(self) -> None:
        a = self.actions_by_name
        picks = [f"pick_{k}" for k in range(1, min(len(self.annotators), 9) + 1)] + ["pick_0"]
        menus = (
            ("&File", ("quit",)),
            ("&Review", ("next_conflict", "prev_conflict", None, *picks, None, "reviewed")),
            ("&Edit", ("undo", "redo", None, "delete", "start_left", "start_right", "end_left", "end_right",
                       None, "relation", "reverse", "relation_type",
                       None, "accept", "reject", "accept_all", "reject_all")),
            ("&Document", ("next_doc", "prev_doc", "next_span", "prev_span")),
        )
        for title, names in menus:
            menu = self.menuBar().addMenu(title)
            for name in names:
                menu.addSeparator() if name is None else menu.addAction(a[name])
        view = self.menuBar().addMenu("&View")
        for dock in (self.queue, self.conflict, self.labels, self.agreement):
            view.addAction(dock.toggleViewAction())
        self.menuBar().addMenu("&Help").addAction(a["shortcuts"])
        build_toolbar(self, "Review", a, ("prev_doc", "next_doc", None, "prev_conflict", "next_conflict", None, "undo", "redo"),
                      ("reviewed",))

    def _connect(self) -> None:
        self.session.failed.connect(lambda exc: self.reporter.error(exc))
        self.session.changed.connect(self._on_changed)
        self.editor.message.connect(self.reporter.info)
        self.queue.documentChosen.connect(self.open_document)
        self.labels.labelChosen.connect(self.editor.apply_label)
        self.doc_view.spanClicked.connect(self._span_clicked)

    # -- documents -------------------------------------------------------------
    def start(self) -> None:
        """Open the first document in the queue that is not reviewed yet (else the first)."""
        model = self.queue.model
        first = next((model.document_id(r) for r in range(model.rowCount())
                      if model.status(model.document_id(r)) != REVIEWED), model.document_id(0))
        if first is None:
            self.pages.setCurrentIndex(0)
        else:
            self.open_document(first)
        self.agreement.compute(self.project.path, self.annotators, self.project.scheme)
        self._update_progress()

    def open_document(self, document_id: int) -> None:
        """Open a document for review, making its gold set on first visit and
        bringing in what annotators agreed on since (said in the status bar)."""
        if self.session.document is not None and self.session.document.id == document_id:
            return
        try:
            update = update_gold(self.project, document_id, self.annotators, self.auto, who=self.reviewer)
            review = load_review(self.project, document_id, self.annotators, auto=self.auto)
            self.doc_view.set_review(review, self.tags)
            self.review = review
            self.cluster = review.clusters[0] if review.clusters else None
            self.session.open(document_id)
        except AnnotatorError as exc:
            self.reporter.error(exc, context="cannot open the document for review")
            return
        self.pages.setCurrentIndex(1)
        self.queue.show_document(document_id)
        self.doc_view.set_current(self.cluster)
        self._update_progress()
        self.doc_view.setFocus()
        if update.describe():
            self.reporter.info(update.describe())

    def step_document(self, step: int) -> None:
        model = self.queue.model
        current = self.session.document.id if self.session.document else None
        row = model.row_of(current) if current is not None else None
        target = model.document_id((-1 if row is None else row) + step)
        if target is None:
            self.reporter.info("no more documents in the queue that way")
            return
        self.open_document(target)

    def mark_reviewed(self) -> None:
        """Ctrl+Enter: the gold set is reviewed; open the next document not reviewed yet."""
        aset = self.session.aset
        if aset is None:
            return
        if aset.status != REVIEWED and self.session.push(SetStatus(aset.status, REVIEWED)) is None:
            return
        current = self.session.document.id
        self.queue.model.refresh_document(current)
        self._update_progress()
        model = self.queue.model
        start = model.row_of(current) or 0
        rows = list(range(start + 1, model.rowCount())) + list(range(0, start))
        following = next((model.document_id(r) for r in rows if model.status(model.document_id(r)) != REVIEWED), None)
        if following is None:
            self.reporter.info("every document in the queue is reviewed")
            return
        self.open_document(following)
        self.reporter.info(f"marked document {current} reviewed")

    # -- conflicts -------------------------------------------------------------
    def step_conflict(self, step: int) -> None:
        """N/P: the next or previous conflict cluster of the document."""
        clusters = self.review.clusters if self.review else ()
        if not clusters:
            text = self._no_conflict_text(self.review) if self.review else "no document open"
            self.reporter.info(f"{text[:1].lower()}{text[1:]}; Ctrl+Enter marks it reviewed")
            return
        number = self.cluster.number + step if self.cluster is not None else 0
        if not 0 <= number < len(clusters):
            where = "last" if step > 0 else "first"
            self.reporter.info(f"this is the {where} conflict of {len(clusters)}")
            return
        self._go_to(clusters[number])

    def _go_to(self, cluster: Cluster, *, scroll: bool = True) -> None:
        self.cluster = cluster
        self.doc_view.set_current(cluster, scroll=scroll)
        self._show_conflict()

    def pick(self, k: int) -> None:
        """Digit ``k``: take the ``k``-th annotator's version of the current
        conflict (0: none of it), then move to the next conflict."""
        review, cluster, gold = self.review, self.cluster, self.session.aset
        name = self.annotators[k - 1] if 0 < k <= len(self.annotators) else None
        if review is not None and name in review.unfinished:
            self.reporter.info(f"{name} has not finished this document ({review.unfinished[name].replace('_', ' ')}): not compared")
            return
        if review is None or cluster is None or gold is None:
            self.reporter.info("no conflict selected (N goes to the next one)")
            return
        if k and name is None:
            self.reporter.info(f"there is no annotator {k}")
            return
        if name is not None and name not in review.annotators:
            self.reporter.info(f"{name} has no set for this document")
            return
        batch = resolve(cluster, name, gold, review.candidates)
        if batch.edits and self.session.push(batch) is None:
            return
        who = f"{name}'s version" if name else "none"
        clusters = review.clusters
        if cluster.number + 1 < len(clusters):
            self._go_to(clusters[cluster.number + 1])
            self.reporter.info(f"conflict {cluster.number + 1}: took {who}; now conflict {cluster.number + 2} of {len(clusters)}")
        else:
            self._show_conflict()
            self.reporter.info(f"conflict {cluster.number + 1}: took {who}; that was the last one, Ctrl+Enter marks reviewed")

    def _span_clicked(self, span_id: int) -> None:
        cluster = self.doc_view.cluster_at_span(span_id)
        if cluster is not None and (self.cluster is None or cluster.number != self.cluster.number):
            self._go_to(cluster, scroll=False)

    # -- refreshing ------------------------------------------------------------
    def _on_changed(self) -> None:
        doc, aset = self.session.document, self.session.aset
        if doc is None or aset is None:
            return
        model = self.queue.model
        row = model.row_of(doc.id)
        position = f"{row + 1} of {model.rowCount():,}" if row is not None else ""
        self.header.show_document(doc, aset, position)
        self._show_legend()
        self._show_conflict()
        model.refresh_document(doc.id)

    def _show_legend(self) -> None:
        review = self.review
        if review is None:
            return
        parts = []
        for k, name in enumerate(self.annotators[:9], start=1):
            muted = "" if name in review.annotators else " style='color:#a0a6ae'"
            state = f" ({escape(review.unfinished[name].replace('_', ' '))}, not compared)" if name in review.unfinished else ""
            parts.append(
                f"<span{muted}><b>{k}</b>&nbsp;{escape(self.tags[name])}&nbsp;=&nbsp;{escape(name)}{state}</span>"
            )
        if review.compared:
            summary = f"{plural(review.candidates.disagreements, 'disagreement')} in {plural(len(review.clusters), 'conflict')}"
        else:
            summary = f"{len(review.annotators)} of {len(self.annotators)} finished: nothing compared"
        self.legend.setText(
            "<span style='color:#6a737d'>Versions:</span> " + " &nbsp;·&nbsp; ".join(parts)
            + f" &nbsp;&nbsp;<span style='color:#6a737d'>{summary} · dashed: not in gold</span>"
        )

    def _show_conflict(self) -> None:
        review, cluster, gold, doc = self.review, self.cluster, self.session.aset, self.session.document
        if review is None or gold is None or doc is None:
            self.conflict.show_nothing("No document open")
            return
        if cluster is None:
            self.conflict.show_nothing(self._no_conflict_text(review))
            return
        chosen = gold_choices(cluster, gold, review.annotators, symmetric=review.candidates.symmetric)
        self.conflict.show_cluster(
            cluster, len(review.clusters), self.annotators, review.annotators, self.tags, chosen, doc,
            self.project.scheme, review.unfinished,
        )

    @staticmethod
    def _no_conflict_text(review: DocumentReview) -> str:
        if review.compared:
            return "The annotators agree on this document"
        if review.annotators:
            return f"Only {review.annotators[0]} has finished this document and marked nothing"
        return "No annotator has finished this document yet: nothing to compare"

    def _update_progress(self) -> None:
        model = self.queue.model
        total, done = model.rowCount(), model.reviewed
        self.status.progress.setRange(0, max(total, 1))
        self.status.progress.setValue(done)
        self.status.progress.setFormat(f"{done:,} / {total:,} reviewed")

    def show_shortcuts(self) -> None:
        """F1: every key of the review window, beside it."""
        if self.cheatsheet is None:
            self.cheatsheet = CheatSheet(self.project.scheme, self, specs=self.specs, label_modifier="Alt+")
        self.cheatsheet.show()
        self.cheatsheet.raise_()

    def action(self, name: str) -> QAction:
        """An action by objectName (``pick_2``, ``next_conflict``, ``key_1``...)."""
        found = self.findChild(QAction, name)
        if found is None:
            raise KeyError(f"no action {name!r}")
        return found

    # -- layout and closing ----------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._sized:  # dock sizes only stick once the window has its size
            self._sized = True
            self._size_docks()

    def restore_layout(self) -> None:
        geometry, state = self.settings.value("review/geometry"), self.settings.value("review/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.settings.setValue("review/geometry", self.saveGeometry())
        self.settings.setValue("review/state", self.saveState())
        self.agreement.stop()
        try:
            self.session.close()
        except AnnotatorError as exc:
            self.reporter.error_on_close(exc)
        finally:
            self.project.close()
        super().closeEvent(event)
