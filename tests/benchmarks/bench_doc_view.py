"""Document view timings on a 100,000-character article with 3,000 spans and
500 relations, each beside a plain ``QPlainTextEdit`` holding the same text.

Run by hand (prints, never asserts):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_doc_view.py
"""
from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import article  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.core.model import AnnotationSet, Document, Relation, Span, Token, text_hash  # noqa: E402
from annotator.core.scheme import Scheme  # noqa: E402
from annotator.gui.doc_view import DocView  # noqa: E402

CHARS = 100_000
SPANS = 3_000
RELATIONS = 500
LABELS = ["ORG", "PERSON", "MONEY", "GPE", "DATE"]
WIDTH, HEIGHT = 1000, 800
ROUNDS = 40
FIRST_PAINT_ROUNDS = 7
SCROLL_ROUNDS = 5


def build() -> tuple[Document, AnnotationSet, Scheme]:
    rng = random.Random(7)
    text = ""
    while len(text) < CHARS:
        text += article(rng, 400) + "\n\n"
    text = text[:CHARS]
    tokens = [Token(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    step = len(tokens) // SPANS
    spans = []
    for i in range(SPANS):
        first = tokens[i * step]
        last = tokens[min(i * step + rng.randint(0, 2), len(tokens) - 1)]
        origin = "model" if i % 7 == 0 else "human"
        spans.append(Span(i + 1, first.start, last.end, LABELS[i % len(LABELS)], origin=origin))
    # Every tenth span also gets an outer span around it and its neighbour.
    for i in range(0, SPANS - 1, 10):
        spans[i + 1] = replace(spans[i + 1], start=spans[i].start)
    relations = [
        Relation(r + 1, spans[k].id, spans[k + rng.choice([1, 2, 5])].id, "partner")
        for r, k in enumerate(rng.sample(range(SPANS - 6), RELATIONS))
    ]
    scheme = Scheme.from_dict(
        {"name": "bench", "labels": [{"name": n} for n in LABELS], "relations": [{"name": "partner"}]}
    )
    document = Document(1, text_hash(text), text, tuple(tokens))
    return document, AnnotationSet.build(1, "bench", spans, relations), scheme


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def first_paint_plain(app: QApplication, text: str) -> tuple[QPlainTextEdit, float]:
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.resize(WIDTH, HEIGHT)
    edit.show()
    app.processEvents()

    def run() -> None:
        edit.setPlainText(text)
        edit.viewport().repaint()
        app.processEvents()

    return edit, timed(run)


def first_paint_view(app: QApplication, document, aset, scheme) -> tuple[DocView, float]:
    view = DocView()
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()

    def run() -> None:
        view.set_document(document, aset, scheme)
        view.viewport().repaint()
        app.processEvents()

    return view, timed(run)


def scroll_pages(app: QApplication, edit: QPlainTextEdit, pages: int = 7) -> float:
    """Mean time of paging down ``pages`` times from a place not yet shown
    (each call starts further down, so every page is laid out anew)."""
    bar = edit.verticalScrollBar()
    start = getattr(edit, "_bench_next_page", 0)
    bar.setValue(start)
    app.processEvents()
    total = 0.0
    for _ in range(pages):
        def run() -> None:
            bar.setValue(bar.value() + bar.pageStep())
            edit.viewport().repaint()
            app.processEvents()

        total += timed(run)
    edit._bench_next_page = bar.value() + bar.pageStep()
    return total / pages


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    document, aset, scheme = build()
    print(f"{len(document.text):,} chars, {len(document.tokens):,} tokens, "
          f"{len(aset.spans):,} spans, {len(aset.relations):,} relations, {WIDTH}x{HEIGHT}")

    # Each figure is the median of rounds that alternate between the view and
    # the plain editor, so load from other processes hits both alike.
    plain_firsts, view_firsts = [], []
    for _ in range(FIRST_PAINT_ROUNDS):
        plain, seconds = first_paint_plain(app, document.text)
        plain_firsts.append(seconds)
        view, seconds = first_paint_view(app, document, aset, scheme)
        view_firsts.append(seconds)

    # A label change on a span in view, as the undo stack would deliver it.
    visible = view.span_at(view.document_model().text.index(" ", 200))
    target = visible or next(iter(aset.spans))
    update_times, plain_times = [], []
    for i in range(ROUNDS):
        span = aset.spans[target]
        aset.replace_span(replace(span, label=LABELS[(LABELS.index(span.label) + 1) % len(LABELS)]))

        def run() -> None:
            view.update_annotations(aset)
            view.viewport().repaint()

        update_times.append(timed(run))
        plain_times.append(timed(plain.viewport().repaint))
        app.processEvents()

    view_scrolls, plain_scrolls = [], []
    for _ in range(SCROLL_ROUNDS):
        view_scrolls.append(scroll_pages(app, view))
        plain_scrolls.append(scroll_pages(app, plain))

    def row(name: str, ours: float, base: float) -> None:
        print(f"{name:<34}{ms(ours)}   plain {ms(base)}   ratio {ours / base:6.1f}x")

    median = statistics.median
    row("first paint, median", median(view_firsts), median(plain_firsts))
    row("label change + repaint, median", median(update_times), median(plain_times))
    row("label change + repaint, worst", max(update_times), max(plain_times))
    row("scroll one page + repaint, median", median(view_scrolls), median(plain_scrolls))


if __name__ == "__main__":
    main()
