"""The document queue: search, status filter and the paged list of documents."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView,
    QVBoxLayout, QWidget,
)

from ...store.project import Project
from ..find_bar import FieldKeys
from ..models.queue_model import QueueModel

STATUS_FILTERS = (
    ("All documents", None),
    ("To do", "new"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Skipped", "skipped"),
)
SEARCH_DELAY_MS = 250


class QueueDock(QDockWidget):
    """Signals:
        documentChosen(int): the user picked a document in the list.
        searchSubmitted(): Enter in the search field (the list is filtered).
        searchLeft(): Esc in the search field.
    """

    documentChosen = Signal(int)
    searchSubmitted = Signal()
    searchLeft = Signal()

    def __init__(self, project: Project, owner: str, parent: QWidget | None = None) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("queue_dock")
        self.model = QueueModel(project, owner, self)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setObjectName("queue_search")
        self.search.setPlaceholderText("Search text…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("queue_status")
        for text, value in STATUS_FILTERS:
            self.status.addItem(text, value)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.search, 1)
        row.addWidget(self.status)
        layout.addLayout(row)
        self.table = QTableView()
        self.table.setObjectName("queue_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(QueueModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for column in (QueueModel.ID, QueueModel.STATUS, QueueModel.EDITED):
            self.table.setColumnHidden(column, True)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        self.count.setObjectName("hint")
        layout.addWidget(self.count)
        self.setWidget(body)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_keys = FieldKeys(self)
        self.search.installEventFilter(self.search_keys)
        self.search_keys.next.connect(self._submit)
        self.search_keys.escape.connect(self.searchLeft)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    def _submit(self) -> None:
        self.apply_filter()
        self.searchSubmitted.emit()

    def apply_filter(self) -> None:
        """Re-query the list with the search text and status filter."""
        self._search_timer.stop()
        self.model.set_filter(status=self.status.currentData(), search=self.search.text())

    def _update_count(self) -> None:
        total = self.model.total
        self.count.setText(f"{total:,} document{'s' if total != 1 else ''}")

    def _row_changed(self, current, _previous) -> None:
        if current.isValid():
            doc_id = self.model.document_id(current.row())
            if doc_id is not None:
                self.documentChosen.emit(doc_id)

    def show_document(self, document_id: int) -> None:
        """Select a document's row without emitting ``documentChosen``."""
        row = self.model.row_of(document_id)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
                return
            index = self.model.index(row, QueueModel.TITLE)
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.scrollTo(index)
        finally:
            selection.blockSignals(False)
        self.table.viewport().update()

    def neighbour(self, document_id: int | None, step: int) -> int | None:
        """The document ``step`` rows away from ``document_id`` in the list
        (the first row when it is not listed); None past either end."""
        row = self.model.row_of(document_id) if document_id is not None else None
        target = 0 if row is None else row + step
        if target < 0:
            return None
        return self.model.document_id(target)
