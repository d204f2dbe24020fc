"""Import speed and memory against a floor measured in the same run.

Floor: the same texts through the same spaCy pipeline (rules) plus a plain
sqlite3 ``executemany`` of the same document and span rows. Target: import
at most 1.5x the floor, and peak memory that does not grow with the corpus.

    python tests/benchmarks/bench_import.py [N_DOCS]
    python tests/benchmarks/bench_import.py --none [N_DOCS] [REPEATS] [OTHER_TREE...]

``--none`` times whole processes instead: ``annotator import --preannotate
none`` against a script that reads the same JSONL, tokenises it with
``spacy.blank("en")`` and ``executemany``-s the same document rows; each is
run REPEATS times (default 3), alternating, and the fastest run of each counts.
Each OTHER_TREE, a source tree of another version (``git archive`` of a
commit), is timed in the same rounds, for before/after ratios from one run.
"""
from __future__ import annotations

import json
import os
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


# The floor of an import without pre-annotation, as a whole process: read the
# JSONL, tokenise, and insert the same rows an import writes for a document.
FLOOR_NONE = """
import hashlib, json, sqlite3, sys
import spacy
texts, metas = [], []
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        record = json.loads(line)
        texts.append(record["text"])
        metas.append(record.get("meta", {}))
nlp = spacy.blank("en")
rows = []
for doc, meta in zip(nlp.pipe(texts, batch_size=128), metas):
    tokens = json.dumps([[t.idx, t.idx + len(t.text), 1 if t.whitespace_ else 0] for t in doc], separators=(",", ":"))
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    rows.append((digest, doc.text[:200], doc.text, json.dumps(meta), tokens))
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, hash TEXT UNIQUE, title TEXT, text TEXT, meta TEXT, tokens TEXT)")
with conn:
    conn.executemany("INSERT INTO documents (hash, title, text, meta, tokens) VALUES (?, ?, ?, ?, ?)", rows)
conn.close()
"""


def timed(args: list[str], cwd: Path = HERE.parents[1]) -> float:
    """CPU seconds (user + system) of a whole child process: on a busy machine
    they vary far less than wall-clock time, and the child uses one core."""
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, args)
    return usage.ru_utime + usage.ru_stime


def write_and_describe(folder: Path, n: int) -> tuple[Path, list[str]]:
    """The benchmark corpus of ``n`` documents as JSONL in ``folder``, and its texts."""
    from corpus import write_corpus

    corpus = folder / "corpus.jsonl"
    texts = write_corpus(corpus, n)
    words = sum(len(t.split()) for t in texts) / n
    print(f"corpus: {n} documents, {words:.0f} words each on average")
    return corpus, texts


def import_run(tree: Path, corpus: Path, project: Path) -> float:
    """CPU seconds of ``annotator import --preannotate none`` run from ``tree``."""
    subprocess.run([sys.executable, "-m", "annotator", "init", str(project)], check=True,
                   stdout=subprocess.DEVNULL, cwd=tree)
    return timed([sys.executable, "-m", "annotator", "import", str(project), str(corpus), "--preannotate", "none"],
                 cwd=tree)


def main_none(n: int, repeats: int, others: list[Path]) -> None:
    """Whole-process timings of an import with ``--preannotate none`` and its floor."""
    trees = {"this tree": HERE.parents[1], **{str(other): other for other in others}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus, _ = write_and_describe(tmp, n)
        print(f"best of {repeats} runs each")
        floors: list[float] = []
        runs: dict[str, list[float]] = {name: [] for name in trees}
        for i in range(repeats):
            floors.append(timed([sys.executable, "-c", FLOOR_NONE, str(corpus), str(tmp / f"floor{i}.db")]))
            for j, (name, tree) in enumerate(trees.items()):
                runs[name].append(import_run(tree, corpus, tmp / f"p{i}-{j}.annotator"))
        base = min(floors)
        print(f"floor (spaCy tokenizer + sqlite3 executemany): {base:.2f} s CPU  (runs {', '.join(f'{t:.2f}' for t in floors)})")
        for name, times in runs.items():
            mine = min(times)
            print(f"import --preannotate none, {name}: {mine:.2f} s CPU  (runs {', '.join(f'{t:.2f}' for t in times)})"
                  f"  ratio to floor {mine / base:.2f}  (target <= 1.5)")


def main() -> None:
    if sys.argv[1:2] == ["--none"]:
        args = sys.argv[2:]
        n = int(args[0]) if args else 2000
        repeats = int(args[1]) if len(args) > 1 else 3
        main_none(n, repeats, [Path(a) for a in args[2:]])
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus, texts = write_and_describe(tmp, n)
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
