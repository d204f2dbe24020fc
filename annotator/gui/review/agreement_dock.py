"""Agreement among the compared annotators: per label and per pair, as tables and bars.

Figures come from ``ops.agreement.agreement`` over every document the
annotators have a set for, finished or not, computed on a worker thread
with its own connection so a large project does not hold up the window.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget, QFrame, QHeaderView, QLabel, QScrollArea, QTabWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ...core.agreement_report import AgreementReport
from ...core.errors import AnnotatorError
from ...core.scheme import Scheme
from ...ops.agreement import agreement
from ..workers import Task, project_task
from .bar_chart import BarChart

LABEL_COLUMNS = ("Label", "Exact", "Overlap", "κ")
PAIR_COLUMNS = ("Pair", "Exact", "Overlap", "κ", "Rel.")
COLUMN_TIPS = {
    "Exact": "Span F1, same start, end and label (pooled over pairs on the label tab)",
    "Overlap": "Span F1, same label and overlapping",
    "κ": "Cohen's kappa on token labels (mean over pairs on the label tab)",
    "Rel.": "Relation F1",
}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def label_rows(report: AgreementReport) -> list[tuple[str, float | None, float | None, float | None]]:
    """``(label, exact F1, overlap F1, mean kappa)`` per label, pooled over pairs."""
    exact, overlap = report.pooled_exact().per_label, report.pooled_overlap().per_label
    labels = sorted(set(report.labels) | set(exact))
    return [
        (label, exact[label].f1 if label in exact else None, overlap[label].f1 if label in overlap else None,
         report.mean_kappa(label))
        for label in labels
    ]


def pair_rows(report: AgreementReport) -> list[tuple[str, float | None, float | None, float | None, float | None]]:
    """``(a–b, exact F1, overlap F1, kappa, relation F1)`` per annotator pair."""
    return [
        (f"{p.a} – {p.b}", p.spans_exact.overall.f1, p.spans_overlap.overall.f1, p.kappa, p.relations.overall.f1)
        for p in report.pairs
    ]


class AgreementDock(QDockWidget):
    """Tabs with a table per label and per pair, and a bar chart of the exact
    span F1 of the tab shown.

    Signals:
        ready(): figures arrived (or the failure message is shown).
    """

    ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Agreement", parent)
        self.setObjectName("agreement_dock")
        self.report: AgreementReport | None = None
        self.scheme: Scheme | None = None
        self._task: Task | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        self.summary = QLabel("computing…")
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agreement_tabs")
        self.labels = self._table(LABEL_COLUMNS, "agreement_labels")
        self.pairs = self._table(PAIR_COLUMNS, "agreement_pairs")
        self.tabs.addTab(self.labels, "Per label")
        self.tabs.addTab(self.pairs, "Per pair")
        self.tabs.setMinimumHeight(150)
        self.chart = BarChart()
        self.tabs.currentChanged.connect(lambda _i: self._draw_chart())
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.chart)
        scroll = QScrollArea()
        scroll.setObjectName("agreement_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)

    @staticmethod
    def _table(columns: Sequence[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(list(columns))
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        for col, name in enumerate(columns):
            if name in COLUMN_TIPS:
                table.horizontalHeaderItem(col).setToolTip(COLUMN_TIPS[name])
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # labels are never cut off
        header.setStretchLastSection(True)
        return table

    # -- computing ------------------------------------------------------------
    def compute(self, path: Path, annotators: Sequence[str], scheme: Scheme) -> None:
        """Start computing the figures for ``annotators`` in the project file at ``path``."""
        self.stop()
        self.scheme = scheme
        self.summary.setText("computing agreement…")
        names = list(annotators)
        self._task = project_task(path, lambda project, _progress: agreement(project, names, include_unfinished=True), self)
        self._task.finished.connect(self._finished)
        self._task.start()

    def stop(self) -> None:
        """Wait for a computation still running (the window is closing)."""
        if self._task is not None:
            self._task.wait()
            self._task = None

    def _finished(self, report: AgreementReport | None, error: BaseException | None) -> None:
        if self.sender() is not self._task:
            return  # a computation that was stopped for a newer one
        self._task = None
        if error is not None:
            self._failed(error)
        else:
            self.show_report(report)

    def _failed(self, exc: BaseException) -> None:
        text = exc.message if isinstance(exc, AnnotatorError) else f"{type(exc).__name__}: {exc}"
        self.summary.setText(f"No agreement figures: {text}")
        self.ready.emit()

    # -- showing ----------------------------------------------------------------
    def show_report(self, report: AgreementReport) -> None:
        """Fill the tables and the chart from a report."""
        self.report = report
        self.summary.setText(
            f"{len(report.annotators)} annotators over {report.documents:,} documents "
            f"(finished or not) · mean κ {_fmt(report.mean_kappa())}"
        )
        self._fill(self.labels, label_rows(report))
        self._fill(self.pairs, pair_rows(report))
        self._draw_chart()
        self.ready.emit()

    @staticmethod
    def _fill(table: QTableWidget, rows: Sequence[tuple]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value if c == 0 else _fmt(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)

    def _draw_chart(self) -> None:
        if self.report is None:
            return
        if self.tabs.currentIndex() == 0:
            colors = {l.name: l.color for l in self.scheme.labels} if self.scheme else {}
            bars = [(label, exact, colors.get(label)) for label, exact, _o, _k in label_rows(self.report)]
            self.chart.set_bars(bars, "Exact span F1 per label")
        else:
            bars = [(name, exact, None) for name, exact, *_rest in pair_rows(self.report)]
            self.chart.set_bars(bars, "Exact span F1 per pair")
