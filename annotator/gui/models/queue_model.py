"""The document queue as a Qt table model over document ids, paged from the store.

The model holds only ids, fetched a page at a time as the view scrolls
(``canFetchMore``/``fetchMore``); the title, status and counts of a row are
read in blocks when the view first paints them and cached until the document
changes. A project of 100,000 documents costs one page of ids to open.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from ...store.model_sets import document_confidences, uncertain_document_ids
from ...store.project import Project
from ..plain_text import tooltip

PAGE = 200
ROW_BLOCK = 64

STATUS_TEXT = {
    "new": "to do",
    "in_progress": "in progress",
    "done": "done",
    "skipped": "skipped",
    "reviewed": "reviewed",
    "rejected": "rejected",
    "ignored": "ignored",
}
STATUS_COLOR = {
    "new": "#8a8f98",
    "in_progress": "#c27c0e",
    "done": "#2e7d32",
    "skipped": "#7b61a8",
    "reviewed": "#1565c0",
}

Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractTableModel):
    """Rows are documents in import order, or least confident first under a
    model (``set_order``), filtered by the owner's status and a full-text
    search. Columns: ``#``, title, status, spans, relations, last edit, and
    the model's confidence in the document's suggestions."""

    COLUMNS = ("#", "Title", "Status", "Spans", "Rel.", "Edited", "Conf.")
    ID, TITLE, STATUS, SPANS, RELATIONS, EDITED, CONFIDENCE = range(7)
    ORDERS = ("import", "uncertain")
    DocumentIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, project: Project, owner: str, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.owner = owner
        self.status: str | None = None
        self.search: str | None = None
        self.order = "import"
        self.model_owner: str | None = None
        self._ids: list[int] = []
        self._total = 0
        self._rows: dict[int, dict[str, Any]] = {}
        self._reset_counts()

    # -- filtering -----------------------------------------------------------
    def set_filter(self, *, status: str | None, search: str | None) -> None:
        """Show only documents whose set has ``status`` (None: all) and whose
        text matches ``search`` (None or blank: all)."""
        self.beginResetModel()
        self.status = status or None
        self.search = (search or "").strip() or None
        self._reset_counts()
        self.endResetModel()

    def set_order(self, order: str, model_owner: str | None) -> None:
        """``import`` order, or ``uncertain``: the documents whose suggestions
        in ``model_owner``'s set are least confident first."""
        if order not in self.ORDERS:
            raise ValueError(f"unknown queue order {order!r}; use one of {', '.join(self.ORDERS)}")
        self.beginResetModel()
        self.order = order
        self.model_owner = model_owner
        self._reset_counts()
        self.endResetModel()

    def set_project(self, project: Project, owner: str) -> None:
        self.beginResetModel()
        self.project = project
        self.owner = owner
        self._reset_counts()
        self.endResetModel()

    def reload(self) -> None:
        """Re-read the filtered list (after an import, or a status change)."""
        self.set_filter(status=self.status, search=self.search)

    @property
    def total(self) -> int:
        """How many documents match the filter (loaded or not)."""
        return self._total

    def _reset_counts(self) -> None:
        self._ids = []
        self._rows = {}
        self._total = self.project.count_documents(owner=self.owner, status=self.status, search=self.search)

    # -- paging --------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._ids) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        filters = {"owner": self.owner, "status": self.status, "search": self.search}
        if self.order == "uncertain" and self.model_owner:
            ids = uncertain_document_ids(self.project, self.model_owner, offset=len(self._ids), limit=PAGE, **filters)
        else:
            ids = self.project.document_ids(offset=len(self._ids), limit=PAGE, **filters)
        if not ids:
            self._total = len(self._ids)
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids.extend(ids)
        self.endInsertRows()

    def row_of(self, document_id: int) -> int | None:
        """The row of a document, fetching pages until it is loaded; None when
        the filter hides it."""
        while True:
            try:
                return self._ids.index(document_id)
            except ValueError:
                if not self.canFetchMore():
                    return None
                self.fetchMore()

    def document_id(self, row: int) -> int | None:
        """The document id at ``row``, fetching more pages when ``row`` is
        just past the loaded ones; None past the end."""
        while row >= len(self._ids) and self.canFetchMore():
            self.fetchMore()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def refresh_document(self, document_id: int) -> None:
        """Forget the cached row of a document and repaint it."""
        self._rows.pop(document_id, None)
        try:
            row = self._ids.index(document_id)
        except ValueError:
            return
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        doc_id = self._ids[index.row()]
        if role == self.DocumentIdRole:
            return doc_id
        row = self._row(index.row())
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TITLE:
            return tooltip(f"{row['title']}\n{STATUS_TEXT.get(row['status'], row['status'])}")
        if role == Qt.ItemDataRole.DecorationRole and col == self.TITLE:
            return status_icon(row["status"])
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATUS:
            return QBrush(QColor(STATUS_COLOR.get(row["status"], "#555555")))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.ID, self.SPANS, self.RELATIONS, self.CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: dict[str, Any], col: int) -> Any:
        if col == self.ID:
            return row["id"]
        if col == self.TITLE:
            return " ".join(str(row["title"]).split())
        if col == self.STATUS:
            return STATUS_TEXT.get(row["status"], row["status"])
        if col == self.SPANS:
            return row["spans"]
        if col == self.RELATIONS:
            return row["relations"]
        if col == self.EDITED:
            return short_time(row["updated_at"]) if row["status"] != "new" else ""
        if col == self.CONFIDENCE:
            confidence = row.get("confidence")
            return "" if confidence is None else f"{confidence:.2f}"
        return None

    def _row(self, row: int) -> dict[str, Any]:
        doc_id = self._ids[row]
        cached = self._rows.get(doc_id)
        if cached is not None:
            return cached
        start = (row // ROW_BLOCK) * ROW_BLOCK
        block = [i for i in self._ids[start:start + ROW_BLOCK] if i not in self._rows]
        rows = self.project.queue_rows(block, self.owner)
        if self.model_owner:
            for scored, confidence in document_confidences(self.project, block, self.model_owner).items():
                if scored in rows:
                    rows[scored]["confidence"] = confidence
        self._rows.update(rows)
        return self._rows.get(doc_id) or {
            "id": doc_id, "title": "", "status": "new", "updated_at": None, "spans": 0, "relations": 0
        }


_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A small dot in the status colour: hollow for documents still to do."""
    icon = _ICONS.get(status)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(STATUS_COLOR.get(status, "#8a8f98"))
        painter.setPen(color)
        if status != "new":
            painter.setBrush(color)
        painter.drawEllipse(2, 2, 8, 8)
        painter.end()
        icon = _ICONS[status] = QIcon(pixmap)
    return icon


def short_time(stamp: str | None) -> str:
    """An ISO timestamp as local ``HH:MM`` today, else ``27 Nov``, else ``2025-11-27``."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    now = datetime.now().astimezone()
    if when.date() == now.date():
        return when.strftime("%H:%M")
    if when.year == now.year:
        return when.strftime("%d %b").lstrip("0")
    return when.strftime("%Y-%m-%d")
