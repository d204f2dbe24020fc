"""Import speed and memory against a floor measured in the same run.

Floor: the same texts through the same spaCy pipeline (rules) plus a plain
sqlite3 ``executemany`` of the same document and span rows. Target: import
at most 1.5x the floor, and peak memory that does not grow with the corpus.

    python tests/benchmarks/bench_import.py [N_DOCS]
"""
from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def floor(texts: list[str], db_path: Path) -> float:
    from annotator.nlp.pipeline import doc_spans, doc_tokens, load_pipeline
    from annotator.core.model import text_hash

    nlp = load_pipeline("rules")
    started = time.perf_counter()
    docs, spans = [], []
    for i, doc in enumerate(nlp.pipe(texts, batch_size=128)):
        toks = doc_tokens(doc)
        docs.append((i, text_hash(doc.text), doc.text, json.dumps([[t.start, t.end, int(t.ws)] for t in toks])))
        spans.extend((i, s.start, s.end, s.label) for s in doc_spans(doc, origin="rule"))
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, hash TEXT UNIQUE, text TEXT, tokens TEXT)")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, doc INTEGER, start INTEGER, end INTEGER, label TEXT)")
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", docs)
        conn.executemany("INSERT INTO spans (doc, start, end, label) VALUES (?, ?, ?, ?)", spans)
    conn.close()
    return time.perf_counter() - started


def ours(corpus: Path, project_path: Path) -> tuple[float, int]:
    from annotator import api

    project = api.init_project(project_path)
    from annotator.nlp.pipeline import load_pipeline

    load_pipeline("rules")  # warm spaCy imports and pattern files, as the floor's load is untimed
    started = time.perf_counter()
    report = api.import_files(project, [corpus], preannotate="rules")
    elapsed = time.perf_counter() - started
    spans = sum(project.stats()["spans"].values())
    project.close()
    return elapsed, spans


def peak_memory(n: int) -> float:
    """Peak RSS in MB of a child process importing ``n`` documents."""
    code = (
        "import sys, resource, tempfile; from pathlib import Path\n"
        f"sys.path.insert(0, {str(HERE.parents[1])!r}); sys.path.insert(0, {str(HERE)!r})\n"
        "from corpus import write_corpus; from annotator import api\n"
        "d = Path(tempfile.mkdtemp()); write_corpus(d / 'c.jsonl', int(sys.argv[1]))\n"
        "p = api.init_project(d / 'p.annotator'); api.import_files(p, [d / 'c.jsonl'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from corpus import write_corpus

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        texts = write_corpus(corpus, n)
        words = sum(len(t.split()) for t in texts) / n
        print(f"corpus: {n} documents, {words:.0f} words each on average")
        base = floor(texts, tmp / "floor.db")
        mine, spans = ours(corpus, tmp / "project.annotator")
        print(f"floor (spaCy pipe + sqlite3 executemany): {base:.2f} s  ({n / base:,.0f} docs/s)")
        print(f"annotator import (rules):                 {mine:.2f} s  ({n / mine:,.0f} docs/s), {spans:,} suggestions")
        print(f"ratio import / floor: {mine / base:.2f}  (target <= 1.5)")
    small, large = max(n // 5, 100), n
    m_small, m_large = peak_memory(small), peak_memory(large)
    print(f"peak RSS: {m_small:.0f} MB for {small} documents, {m_large:.0f} MB for {large}  (ratio {m_large / m_small:.2f})")


if __name__ == "__main__":
    main()
