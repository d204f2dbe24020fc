"""Draws the learning curve of ``bench_learning_curve.py`` as a PNG with Qt's
QPainter (offscreen), so the benchmark needs no plotting library:
``python tests/benchmarks/curve_png.py curve.png curve.json [more.json ...]``
(several JSON files, such as one per order, are merged; the full-data
reference is the first one found). A point is the mean over the seeds that
reached it, so a run stopped early still draws."""
from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

WIDTH, HEIGHT = 900, 520
LEFT, RIGHT, TOP, BOTTOM = 60, 210, 50, 60
SERIES = (
    ("uncertain", "entity_f1", "#1a56db", Qt.PenStyle.SolidLine, "entities, uncertain first"),
    ("random", "entity_f1", "#1a56db", Qt.PenStyle.DashLine, "entities, random"),
    ("uncertain", "relation_f1", "#c2410c", Qt.PenStyle.SolidLine, "relations, uncertain first"),
    ("random", "relation_f1", "#c2410c", Qt.PenStyle.DashLine, "relations, random"),
)


def mean_curve(runs: dict[str, list[dict]], key: str) -> list[tuple[int, float]]:
    """``(documents, mean F1)`` at each point, over the seeds that reached it."""
    n = max(len(points) for points in runs.values())
    longest = max(runs.values(), key=len)
    return [
        (longest[i]["documents"], statistics.mean(points[i][key] for points in runs.values() if len(points) > i))
        for i in range(n)
    ]


def seeds_caption(summary: dict) -> str:
    counts = sorted({len([p for p in runs.values() if p]) for runs in summary["curves"].values()})
    lengths = {len(p) for runs in summary["curves"].values() for p in runs.values() if p}
    even = len(counts) == 1 and len(lengths) == 1
    return f"mean of {counts[0]} seeds" if even else "mean over the seeds that reached each point"


def merge(summaries: list[dict]) -> dict:
    curves: dict = {}
    for summary in summaries:
        for order, runs in summary["curves"].items():
            curves.setdefault(order, {}).update({seed: pts for seed, pts in runs.items() if pts})
    full = next(s["full"] for s in summaries if s.get("full"))
    return {"full": full, "curves": curves}


def draw(summary: dict, out: Path) -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts need it)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    full = summary["full"]
    max_docs = max(d for order, key, *_ in SERIES for d, _ in mean_curve(summary["curves"][order], key))
    plot = QRectF(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)

    def at(docs: float, f1: float) -> QPointF:
        return QPointF(plot.left() + plot.width() * docs / max_docs, plot.bottom() - plot.height() * f1 / 100)

    font = QFont()
    font.setPixelSize(13)
    p.setFont(font)
    p.setPen(QPen(QColor("#d0d4da"), 1))
    for f1 in range(0, 101, 20):
        p.drawLine(at(0, f1), at(max_docs, f1))
        p.setPen(QColor("#444"))
        p.drawText(QRectF(0, at(0, f1).y() - 9, LEFT - 8, 18), Qt.AlignmentFlag.AlignRight, str(f1))
        p.setPen(QPen(QColor("#d0d4da"), 1))
    p.setPen(QColor("#444"))
    for docs in range(0, max_docs + 1, 50):
        x = at(docs, 0).x()
        p.drawText(QRectF(x - 30, plot.bottom() + 6, 60, 18), Qt.AlignmentFlag.AlignHCenter, str(docs))
    p.drawText(QRectF(plot.left(), HEIGHT - 28, plot.width(), 20), Qt.AlignmentFlag.AlignHCenter,
               f"documents labelled (of {full['documents']} in CoNLL04 train)")
    p.drawText(QRectF(LEFT, 12, WIDTH - LEFT, 24), Qt.AlignmentFlag.AlignLeft,
               f"F1 on CoNLL04 dev while labelling 25 documents at a time ({seeds_caption(summary)})")
    share = 0.4 * full["documents"]  # the budget: 40% of the documents
    if share <= max_docs:
        p.setPen(QPen(QColor("#8a8f98"), 1, Qt.PenStyle.DashLine))
        p.drawLine(at(share, 0), at(share, 100))
        p.setPen(QColor("#444"))
        p.drawText(QRectF(at(share, 100).x() - 40, TOP - 18, 80, 16), Qt.AlignmentFlag.AlignHCenter, "40%")
    for key, color in (("entity_f1", "#1a56db"), ("relation_f1", "#c2410c")):
        pen = QPen(QColor(color), 1, Qt.PenStyle.DotLine)
        p.setPen(pen)
        p.drawLine(at(0, full[key]), at(max_docs, full[key]))
    for i, (order, key, color, style, caption) in enumerate(SERIES):
        points = mean_curve(summary["curves"][order], key)
        p.setPen(QPen(QColor(color), 2.2, style))
        for (d0, f0), (d1, f1) in zip(points, points[1:]):
            p.drawLine(at(d0, f0), at(d1, f1))
        y = TOP + 10 + 22 * i
        p.drawLine(QPointF(WIDTH - RIGHT + 12, y), QPointF(WIDTH - RIGHT + 40, y))
        p.setPen(QColor("#222"))
        small = QFont(font)
        small.setPixelSize(11)
        p.setFont(small)
        p.drawText(QRectF(WIDTH - RIGHT + 44, y - 8, RIGHT - 46, 16), Qt.AlignmentFlag.AlignLeft, caption)
        p.setFont(font)
    p.setPen(QColor("#222"))
    small = QFont(font)
    small.setPixelSize(11)
    p.setFont(small)
    p.drawText(QRectF(WIDTH - RIGHT + 12, TOP + 100, RIGHT - 14, 40), Qt.TextFlag.TextWordWrap,
               "dotted: trained on every document")
    p.end()
    image.save(str(out))


if __name__ == "__main__":
    draw(merge([json.loads(Path(name).read_text()) for name in sys.argv[2:]]), Path(sys.argv[1]))
