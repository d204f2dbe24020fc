"""Throughput of the rules pre-annotator: ``python tests/benchmarks/bench_rules.py [N_DOCS]``.

Builds N_DOCS (default 10,000) texts of about 500 words from the sample
article's sentences, runs ``make_rules_pipeline()`` over them with
``nlp.pipe`` and prints load time, wall and CPU time, words per second and span counts.
Not part of the test suite; run by hand.
"""
from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from annotator.nlp.rules import SPANS_KEY, make_rules_pipeline

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "foxconn-openai-partnership.txt"


def make_texts(n_docs: int, words_per_doc: int = 500, seed: int = 0) -> list[str]:
    """``n_docs`` texts of at least ``words_per_doc`` words, shuffled sample sentences."""
    sentences = [s for s in re.split(r"(?<=[.?!”])\s+", SAMPLE.read_text(encoding="utf-8")) if s.strip()]
    rng = random.Random(seed)
    texts = []
    for _ in range(n_docs):
        parts: list[str] = []
        count = 0
        while count < words_per_doc:
            sentence = rng.choice(sentences)
            parts.append(sentence)
            count += len(sentence.split())
        texts.append(" ".join(parts))
    return texts


def main(n_docs: int) -> None:
    started = time.perf_counter()
    nlp = make_rules_pipeline()
    loaded = time.perf_counter() - started
    texts = make_texts(n_docs)
    words = sum(len(t.split()) for t in texts)
    labels: Counter[str] = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(texts, batch_size=256):
        labels.update(span.label_ for span in doc.spans[SPANS_KEY])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"pipeline load: {loaded:.2f} s")
    print(f"{n_docs} docs, {words} words: {elapsed:.2f} s wall, {cpu:.2f} s CPU, {words / elapsed:,.0f} words/s")
    print("spans:", dict(sorted(labels.items())))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
