"""The review queue: documents by disagreement, most first, as a Qt model over ids.

The ranking (ids and counts) comes from one SQL query; titles and gold
statuses are read in blocks when rows are first painted and cached until a
document changes, as in the labeling window's queue.
"""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView, QWidget

from ...core.model import GOLD
from ...store.project import Project
from ..models.queue_model import STATUS_COLOR, STATUS_TEXT, status_icon
from ..plain_text import tooltip

ROW_BLOCK = 64
NO_GOLD = "–"
UNFINISHED = "unfinished"
UNFINISHED_TIP = "Fewer than two annotators have finished this document: nothing is compared yet"
REVIEWED = "reviewed"

Index = QModelIndex | QPersistentModelIndex


class ReviewQueueModel(QAbstractTableModel):
    """Rows are ``(document_id, disagreements)`` in the order given;
    ``None`` disagreements mark a document fewer than two annotators have
    finished. Columns: ``#``, title, disagreements, gold status."""

    COLUMNS = ("#", "Title", "Diff.", "Gold")
    ID, TITLE, DIFF, STATUS = range(4)
    DocumentIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, project: Project, ranking: Sequence[tuple[int, int | None]], parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self._ids = [doc for doc, _ in ranking]
        self._counts = dict(ranking)
        self._rows: dict[int, dict[str, Any]] = {}
        queued = set(self._ids)
        self._gold = {doc: status for doc, _owner, status in project.set_rows([GOLD]) if doc in queued}
        self._reviewed = sum(1 for status in self._gold.values() if status == REVIEWED)

    def row_of(self, document_id: int) -> int | None:
        try:
            return self._ids.index(document_id)
        except ValueError:
            return None

    def document_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def disagreements(self, document_id: int) -> int | None:
        """Disagreements among the finished sets; None when fewer than two annotators finished it."""
        return self._counts.get(document_id)

    def status(self, document_id: int) -> str | None:
        """The gold set's status (None before the document is opened for review)."""
        return self._gold.get(document_id)

    @property
    def reviewed(self) -> int:
        """How many documents of the queue have a reviewed gold set."""
        return self._reviewed

    def refresh_document(self, document_id: int) -> None:
        """Re-read a document's gold status and repaint its row."""
        if document_id not in self._counts:
            return
        self._reviewed -= self._gold.get(document_id) == REVIEWED
        row_data = self.project.set_row(document_id, GOLD)
        if row_data is None:
            self._gold.pop(document_id, None)
        else:
            self._gold[document_id] = row_data[1]
        self._reviewed += self._gold.get(document_id) == REVIEWED
        row = self.row_of(document_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # -- Qt model API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == self.DIFF:
            return "Spans and relations not every annotator made"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        doc_id = self._ids[index.row()]
        if role == self.DocumentIdRole:
            return doc_id
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.ID, self.DIFF):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        status = self._gold.get(doc_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.ID:
                return doc_id
            if col == self.TITLE:
                return " ".join(str(row["title"]).split())
            if col == self.DIFF:
                count = self._counts.get(doc_id)
                return NO_GOLD if count is None else count
            if status:
                return STATUS_TEXT.get(status, status)
            return UNFINISHED if self._counts.get(doc_id) is None else NO_GOLD
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATUS:
            return QBrush(QColor(STATUS_COLOR.get(status, "#8a8f98") if status else "#8a8f98"))
        if role == Qt.ItemDataRole.DecorationRole and col == self.TITLE:
            return status_icon(status or "new")
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TITLE:
            return tooltip(str(row["title"]))
        if role == Qt.ItemDataRole.ToolTipRole and self._counts.get(doc_id) is None:
            return tooltip(UNFINISHED_TIP)
        return None

    def _row(self, row: int) -> dict[str, Any]:
        doc_id = self._ids[row]
        cached = self._rows.get(doc_id)
        if cached is not None:
            return cached
        start = (row // ROW_BLOCK) * ROW_BLOCK
        block = [i for i in self._ids[start:start + ROW_BLOCK] if i not in self._rows]
        for got_id, got in self.project.queue_rows(block, GOLD).items():
            self._rows[got_id] = {"title": got["title"]}
        return self._rows.setdefault(doc_id, {"title": ""})


class ReviewQueueDock(QDockWidget):
    """The queue as a table; a click opens the document.

    Signals:
        documentChosen(int): a row was activated (its document id).
    """

    documentChosen = Signal(int)

    def __init__(self, model: ReviewQueueModel, parent: QWidget | None = None) -> None:
        super().__init__("Review queue", parent)
        self.setObjectName("review_queue_dock")
        self.model = model
        self.table = QTableView()
        self.table.setObjectName("review_queue")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ReviewQueueModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((ReviewQueueModel.ID, 36), (ReviewQueueModel.DIFF, 44), (ReviewQueueModel.STATUS, 74)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, width)
        self.table.clicked.connect(self._clicked)
        self.setWidget(self.table)

    def _clicked(self, index: QModelIndex) -> None:
        doc_id = self.model.document_id(index.row())
        if doc_id is not None:
            self.documentChosen.emit(doc_id)

    def show_document(self, document_id: int) -> None:
        """Select and scroll to a document's row (no signal)."""
        row = self.model.row_of(document_id)
        if row is None:
            return
        index = self.model.index(row, ReviewQueueModel.TITLE)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
