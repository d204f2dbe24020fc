"""What ``synchronous=FULL`` costs per edit against ``NORMAL``, measured in the
same run on the same disk: one span added per edit through ``Project.apply``
(the store path every window edit takes), committed before the next.

    python tests/benchmarks/bench_durability.py [EDITS] [FOLDER]

FOLDER defaults to a temporary folder; pass one on the disk users keep their
projects on, since the cost is the disk's flush time.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def per_edit_ms(path: Path, mode: str, edits: int) -> list[float]:
    from annotator.api import init_project
    from annotator.core.edits import AddSpan
    from annotator.core.model import Span, Token, text_hash

    text = "Foxconn will invest $5 billion in Ohio with OpenAI. " * 20
    with init_project(path) as project:
        with project.transaction():
            doc, _ = project.add_document(text=text, hash=text_hash(text), title="t", tokens=[Token(0, 7)], meta={})
        project.db.execute(f"PRAGMA synchronous = {mode}")
        times = []
        for i in range(edits):
            start = (i * 7) % (len(text) - 10)
            began = time.perf_counter()
            project.apply(doc, "ann", AddSpan(Span(0, start, start + 7, "ORG")))
            times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory(dir=sys.argv[2] if len(sys.argv) > 2 else None) as folder:
        results: dict[str, list[float]] = {}
        for round_ in (1, 2):  # interleaved; the second round counts (warm caches)
            for mode in ("NORMAL", "FULL"):
                results[mode] = per_edit_ms(Path(folder) / f"{mode}{round_}.annotator", mode, edits)
        normal, full = results["NORMAL"], results["FULL"]
    for name, times in (("NORMAL", normal), ("FULL", full)):
        print(f"synchronous={name:6s}: median {statistics.median(times):.3f} ms per edit, p95 {sorted(times)[int(0.95 * len(times))]:.3f} ms ({len(times)} edits)")
    print(f"FULL / NORMAL per edit (median): {statistics.median(full) / statistics.median(normal):.2f}x")


if __name__ == "__main__":
    main()
