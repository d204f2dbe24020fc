"""The relations of the open document as a list; picking one selects it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ...core.model import AnnotationSet, Document
from .. import span_ops
from ..plain_text import tooltip


class RelationsDock(QDockWidget):
    """Head, type and child of every relation, in reading order of the head.

    Signals:
        relationChosen(int): the user picked a relation in the list.
    """

    relationChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Relations", parent)
        self.setObjectName("relations_dock")
        self.tree = QTreeWidget()
        self.tree.setObjectName("relations_list")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Head", "Relation", "Child"])
        self.tree.setRootIsDecorated(False)
        # Quotes wrap in the columns they are listed in; what is still wider
        # than its column ends in an ellipsis (the tooltip has it all).
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)  # a type name is one word
        header.setStretchLastSection(False)  # the columns share the width: none runs past the edge
        header.setMinimumSectionSize(24)
        self.tree.itemSelectionChanged.connect(self._picked)
        self.setWidget(self.tree)

    def show_relations(self, aset: AnnotationSet | None, document: Document | None, selected: int | None) -> None:
        """Fill the list from a set and mark the selected relation."""
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            if aset is None or document is None:
                return
            order = {s.id: i for i, s in enumerate(aset.sorted_spans())}
            rels = sorted(aset.relations.values(), key=lambda r: (order.get(r.head, 0), order.get(r.child, 0), r.id))
            for rel in rels:
                head, child = aset.spans.get(rel.head), aset.spans.get(rel.child)
                if head is None or child is None:
                    continue
                item = QTreeWidgetItem([
                    span_ops.quote(document.text, head, 28),
                    rel.label,
                    span_ops.quote(document.text, child, 28),
                ])
                item.setToolTip(0, tooltip(f"{head.label}: {document.text[head.start:head.end]}"))
                item.setToolTip(2, tooltip(f"{child.label}: {document.text[child.start:child.end]}"))
                item.setData(0, Qt.ItemDataRole.UserRole, rel.id)
                self.tree.addTopLevelItem(item)
                if rel.id == selected:
                    item.setSelected(True)
                    self.tree.scrollToItem(item)
            self.setWindowTitle(f"Relations ({len(rels)})" if rels else "Relations")
        finally:
            self.tree.blockSignals(False)

    def mark_selected(self, relation_id: int | None) -> None:
        """Highlight a relation's row (none for None) without emitting ``relationChosen``."""
        self.tree.blockSignals(True)
        try:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                chosen = item.data(0, Qt.ItemDataRole.UserRole) == relation_id
                if item.isSelected() != chosen:
                    item.setSelected(chosen)
                if chosen:
                    self.tree.scrollToItem(item)
        finally:
            self.tree.blockSignals(False)
        self.tree.viewport().update()

    def _picked(self) -> None:
        items = self.tree.selectedItems()
        if items:
            self.relationChosen.emit(int(items[0].data(0, Qt.ItemDataRole.UserRole)))
