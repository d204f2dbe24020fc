"""A small horizontal bar chart of values between 0 and 1, painted with QPainter."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW = 18.0
GAP = 3.0
DEFAULT_BAR = "#8fb3f0"
TRACK = QColor("#eef1f5")
TEXT = QColor("#3c4350")
MUTED = QColor("#8a8f98")


class BarChart(QWidget):
    """One bar per ``(name, value, colour)``; a value of None shows ``–`` and no bar.

    Values are clipped to ``[0, 1]`` for the bar; the text shows two decimals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bar_chart")
        self.bars: list[tuple[str, float | None, str]] = []
        self.title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[tuple[str, float | None, str | None]], title: str = "") -> None:
        self.bars = [(name, value, color or DEFAULT_BAR) for name, value, color in bars]
        self.title = title
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        top = ROW if self.title else 0.0
        return QSize(220, int(top + len(self.bars) * (ROW + GAP) + GAP))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            metrics = QFontMetricsF(self.font())
            y = 0.0
            if self.title:
                painter.setPen(MUTED)
                painter.drawText(QRectF(0, 0, self.width(), ROW), Qt.AlignmentFlag.AlignVCenter, self.title)
                y = ROW
            names = max((metrics.horizontalAdvance(n) for n, _v, _c in self.bars), default=0.0)
            label_w = min(names + 8, self.width() * 0.42)
            value_w = metrics.horizontalAdvance("0.00") + 8
            track_w = max(self.width() - label_w - value_w, 10.0)
            for name, value, color in self.bars:
                row = QRectF(0, y + GAP / 2, self.width(), ROW)
                painter.setPen(TEXT)
                shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w - 6)
                painter.drawText(QRectF(0, row.top(), label_w - 6, ROW), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, shown)
                track = QRectF(label_w, row.top() + 4, track_w, ROW - 8)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(TRACK)
                painter.drawRoundedRect(track, 3, 3)
                if value is not None:
                    fill = QRectF(track.left(), track.top(), track_w * max(0.0, min(value, 1.0)), track.height())
                    painter.setBrush(QColor(color).darker(115))
                    painter.drawRoundedRect(fill, 3, 3)
                painter.setPen(TEXT if value is not None else MUTED)
                text = f"{value:.2f}" if value is not None else "–"
                painter.drawText(QRectF(label_w + track_w + 6, row.top(), value_w, ROW), Qt.AlignmentFlag.AlignVCenter, text)
                y += ROW + GAP
        finally:
            painter.end()
