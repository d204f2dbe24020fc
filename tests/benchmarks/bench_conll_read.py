"""How fast the CoNLL reader reads one large ``-DOCSTART-`` section, against
a plain Python loop that splits the same lines (the floor for a line reader).

    python tests/benchmarks/bench_conll_read.py --mb 20 [--profile]

Both are timed in the same run, best of ``--runs``; peak memory of the reader
(tracemalloc) is printed to show it stays flat with file size.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from annotator.formats import conll

WORDS = ["The", "company", "said", "Foxconn", "will", "invest", "$", "5", "billion", "in", "Ohio", ".", "Zoë", "東京電力"]
LABELS = ["ORG", "GPE", "PERSON", "MONEY"]


def write_corpus(path: Path, megabytes: float, seed: int = 0) -> None:
    """One ``-DOCSTART-`` section of CoNLL-2003-like ``word POS CHUNK TAG`` lines."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("-DOCSTART- -X- O O\n\n")
        written = 0
        while written < target:
            lines = []
            i = 0
            length = rng.randint(5, 30)
            while i < length:
                if rng.random() < 0.15:
                    label, n = rng.choice(LABELS), rng.randint(1, 3)
                    for k in range(n):
                        lines.append(f"{rng.choice(WORDS)} NNP I-NP {'B' if k == 0 else 'I'}-{label}\n")
                    i += n
                else:
                    lines.append(f"{rng.choice(WORDS)} NN I-NP O\n")
                    i += 1
            block = "".join(lines) + "\n"
            fh.write(block)
            written += len(block.encode("utf-8"))


def plain_loop(path: Path) -> int:
    count = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            count += len(line.split())
    return count


def reader(path: Path) -> int:
    return sum(len(r.tokens or ()) for r in conll.read_file(path) if not hasattr(r, "reason"))


def best(fn, path: Path, runs: int) -> tuple[float, int]:
    times = []
    result = 0
    for _ in range(runs):
        started = time.perf_counter()
        result = fn(path)
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.conll"
        write_corpus(path, args.mb)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(reader, path)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
        floor, words = best(plain_loop, path, args.runs)
        ours, tokens = best(reader, path, args.runs)
        tracemalloc.start()
        reader(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        size = path.stat().st_size / 1e6
    print(f"{size:.1f} MB, {tokens} tokens ({words} fields)")
    print(f"plain split loop {floor:.2f}s, reader {ours:.2f}s: {ours / floor:.2f}x; reader peak {peak / 1e6:.0f} MB (tracemalloc)")


if __name__ == "__main__":
    main()
