"""Review window timings: ``python tests/benchmarks/bench_review.py [N_DOCS]``.

Builds a temporary project of N_DOCS (default 10,000) documents of ~400
words, each with three annotators' sets of 30 spans and about 5 relations
(85% of spans shared), then times, in the same run:

* baseline: a bare ``DocView`` of the same size showing a document's gold set
  (``set_document`` and one paint);
* the review window opening a document for the first time (making its gold
  set, loading candidates and clusters, the overlay, the conflict panel, one
  paint) and opening it again (gold exists);
* moving to the next conflict (N) and taking a version (a digit), with paint;
* ranking the whole queue by disagreement (one SQL query).

Prints medians and their ratio to the baseline. Run by hand, offscreen:

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_review.py

Target: opening a document in the review window under 150 ms.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_demo import ANNOTATORS, build_random  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import GOLD  # noqa: E402
from annotator.gui.app import apply_style  # noqa: E402
from annotator.gui.doc_view import DocView  # noqa: E402
from annotator.gui.review.window import ReviewWindow  # noqa: E402
from annotator.ops.review import documents_by_disagreement  # noqa: E402
from annotator.store.project import Project  # noqa: E402

ROUNDS = 25


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main(n_docs: int) -> None:
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.annotator"
        started = time.perf_counter()
        build_random(path, n_docs)
        print(f"built {n_docs:,} documents x {len(ANNOTATORS)} annotators x 30 spans in "
              f"{time.perf_counter() - started:.1f} s")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = ReviewWindow(Project.open(path), "bench", settings=settings)
        window.resize(1280, 800)
        window.show()
        window.start()
        window.agreement.stop()
        app.processEvents()
        model = window.queue.model
        ranked = [model.document_id(row) for row in range(model.rowCount())]
        docs = ranked[1: ROUNDS + 1]
        again = ranked[ROUNDS + 1: 2 * ROUNDS + 1]

        def paint() -> None:
            window.doc_view.viewport().repaint()

        first, reopen, step, pick = [], [], [], []
        for doc in docs:
            t = time.perf_counter()
            window.open_document(doc)
            paint()
            first.append(time.perf_counter() - t)
        for doc in again:  # give these a gold set first, then time opening them again
            window.open_document(doc)
        for doc in again:
            t = time.perf_counter()
            window.open_document(doc)
            paint()
            reopen.append(time.perf_counter() - t)
            t = time.perf_counter()
            window.step_conflict(1)
            paint()
            step.append(time.perf_counter() - t)
            t = time.perf_counter()
            window.pick(2)
            paint()
            pick.append(time.perf_counter() - t)

        view = DocView()
        view.resize(window.doc_view.size())
        view.show()
        baseline = []
        project = window.project
        for doc in again:
            document, gold = project.document(doc), project.annotation_set(doc, GOLD)
            t = time.perf_counter()
            view.set_document(document, gold, project.scheme)
            view.viewport().repaint()
            baseline.append(time.perf_counter() - t)
        view.close()

        t = time.perf_counter()
        documents_by_disagreement(project, list(ANNOTATORS))
        ranking = time.perf_counter() - t
        window.close()

    base = ms(baseline)
    rows = [
        ("baseline: DocView, gold only", base),
        ("review: open (makes gold)", ms(first)),
        ("review: open again", ms(reopen)),
        ("review: next conflict (N)", ms(step)),
        ("review: take a version (2)", ms(pick)),
    ]
    print(f"{'median of ' + str(ROUNDS) + ' documents':34} {'ms':>8} {'ratio':>7}")
    for name, value in rows:
        print(f"{name:34} {value:8.1f} {value / base:6.2f}x")
    print(f"ranking {n_docs:,} documents by disagreement: {ranking * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
