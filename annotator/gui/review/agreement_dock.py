"""Agreement among the compared annotators: per label and per pair, as tables and bars.

Figures come from ``ops.agreement.agreement`` with the same defaults as
``annotator agreement`` (documents every compared annotator finished), and
the summary is the report's own ``scope()`` and ``headline()``, so the panel
and the CLI show the same numbers. They are computed on a worker thread with
its own connection so a large project does not hold up the window.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget, QFrame, QHeaderView, QScrollArea, QTabWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ...core.agreement_report import AgreementReport
from ...core.errors import AnnotatorError
from ...core.scheme import Scheme
from ...ops.agreement import agreement
from ..plain_text import plain_label, tooltip
from ..workers import Task, project_task
from .bar_chart import BarChart

# overlap F1 is in the summary line (and per label and pair in ``annotator agreement``);
# the tables keep to what fits a side panel without cutting a name
LABEL_COLUMNS = ("Label", "F1", "κ ann.", "κ all")
PAIR_COLUMNS = ("Pair", "F1", "κ ann.", "κ all", "Rel.")
COLUMN_TIPS = {
    "F1": "Span F1, exact: same start, end and label (pooled over pairs on the label tab)",
    "κ ann.": "Cohen's kappa on token labels, only tokens someone labelled (INCEpTION/DKPro convention; "
              "mean over pairs on the label tab)",
    "κ all": "Cohen's kappa on token labels, every token: two unlabelled tokens count as agreement "
             "(mean over pairs on the label tab)",
    "Rel.": "Relation F1: same type, head span and child span",
}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def label_rows(report: AgreementReport) -> list[tuple[str, float | None, float | None, float | None]]:
    """``(label, exact F1, kappa on annotated tokens, kappa on all tokens)``
    per label, F1 pooled and kappa averaged over pairs."""
    exact = report.pooled_exact().per_label
    labels = sorted(set(report.labels) | set(exact))
    return [
        (label, exact[label].f1 if label in exact else None,
         report.mean_kappa(label, annotated=True), report.mean_kappa(label))
        for label in labels
    ]


def pair_rows(report: AgreementReport) -> list[tuple[str, float | None, float | None, float | None, float | None]]:
    """``(a – b, exact F1, kappa annotated, kappa all, relation F1)`` per annotator pair."""
    return [
        (f"{p.a} – {p.b}", p.spans_exact.overall.f1, p.kappa_annotated, p.kappa, p.relations.overall.f1)
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
        self.summary = plain_label("computing…", "hint")
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
                table.horizontalHeaderItem(col).setToolTip(tooltip(COLUMN_TIPS[name]))
        header = table.horizontalHeader()
        # names are never cut: the first column fits them, the figures share what is left
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(38)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    # -- computing ------------------------------------------------------------
    def compute(self, path: Path, annotators: Sequence[str], scheme: Scheme) -> None:
        """Start computing the figures for ``annotators`` in the project file at ``path``."""
        self.stop()
        self.scheme = scheme
        self.summary.setText("computing agreement…")
        names = list(annotators)
        self._task = project_task(path, lambda project, _progress: agreement(project, names), self)
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
        if report.documents:
            self.summary.setText(f"{report.scope()}.\n{report.headline()}.")
        else:
            self.summary.setText(
                f"{report.scope()}.\nNo document is finished by every annotator yet: there is no agreement to show."
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
            bars = [(label, exact, colors.get(label)) for label, exact, *_rest in label_rows(self.report)]
            self.chart.set_bars(bars, "Exact span F1 per label")
        else:
            bars = [(name, exact, None) for name, exact, *_rest in pair_rows(self.report)]
            self.chart.set_bars(bars, "Exact span F1 per pair")
