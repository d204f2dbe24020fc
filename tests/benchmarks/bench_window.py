"""How the labeling window scales with the number of documents.

Builds projects of 1,000 and N documents (default 100,000; ~60 words each,
with suggestions on every document) and times, offscreen: building the window
and opening the first document, one edit (create span + journal), mark done
and open the next, and a full-text search in the queue. The figures should
not grow with N except the search, which FTS keeps small.

    python tests/benchmarks/bench_window.py [N_DOCS]
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

WORDS = ("Foxconn will invest $5 billion in Ohio with OpenAI as partner while analysts "
         "expect more deals in Texas and Virginia next year according to people familiar").split()


def build(path: Path, n: int) -> None:
    from annotator.api import init_project
    from annotator.core.model import Span, Token, text_hash

    with init_project(path) as project:
        with project.transaction():
            for i in range(n):
                words = [f"Doc{i}"] + WORDS * 4
                text = " ".join(words) + "."
                tokens, pos = [], 0
                for w in words:
                    tokens.append(Token(pos, pos + len(w)))
                    pos += len(w) + 1
                doc_id, _ = project.add_document(
                    text=text, hash=text_hash(text), title=text[:60], tokens=tokens, meta={}
                )
                start = len(words[0]) + 1
                project.write_set(doc_id, "model:rules", [Span(1, start, start + 7, "ORG", "rule")],
                                  status="done", who="model:rules")


def timed(label: str, fn) -> None:
    started = time.perf_counter()
    fn()
    print(f"  {label:<34} {1000 * (time.perf_counter() - started):8.1f} ms")


def measure(path: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.gui.app import create_app
    from annotator.gui.main_window import MainWindow
    from annotator.store.project import Project

    app = create_app()
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    holder = {}

    def open_window() -> None:
        window = MainWindow(Project.open(path), "bench", settings=settings)
        window.show()
        window.start()
        QApplication.processEvents()
        holder["w"] = window

    timed("window + first document", open_window)
    window = holder["w"]
    editor = window.editor

    def edit() -> None:
        editor.on_text_selected(0, 4)
        editor.key("2")

    timed("one edit (span + journal)", edit)
    timed("mark done + open next", lambda: window.finish("done"))
    timed("page down", lambda: window.step_document(1))

    def search() -> None:
        window.queue.search.setText("Doc7")
        window.queue.apply_filter()
        QApplication.processEvents()

    timed("queue search", search)
    window.close()
    app.processEvents()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'process peak memory':<34} {peak:8.1f} MB")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))  # in its own process, so peak memory is this size's alone
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        for size in (1_000, n):
            path = Path(tmp) / f"bench-{size}.annotator"
            started = time.perf_counter()
            build(path, size)
            print(f"{size:,} documents (built in {time.perf_counter() - started:.1f} s):", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
