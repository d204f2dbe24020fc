"""Interchange format speed: read, import, export and read-back per format,
each figure beside a baseline measured in the same run.

Part 1, CoNLL04 (SpERT JSON, ``../shared/corpora/conll04`` from the repo
root): the reader alone on each file, the import of each file into a fresh
project, then the export of both files' sets to every writable format and the
read-back (reader alone) of each export.

Part 2, a generated news corpus (``--docs``, default 10,000, about 500 words
each): imported once with the rules, the ``model:rules`` sets copied into
``alice``'s done sets with a few ``partner_of`` relations, then exported to
every writable format, each export read back, and each imported into a fresh
project.

Baselines, so the figures are ratios:
  read    the same file's bytes read and parsed as plainly as the format
          allows: ``json.loads`` of each line (JSONL) or of the whole file
          (JSON), UTF-8 decode and line split (CoNLL, brat), zlib + msgpack
          (spaCy DocBin);
  write   ``json.dumps`` of equivalent plain dicts (text, spans, relations)
          to a JSONL file, one line per exported set;
  import  the read baseline of that file plus a plain sqlite3
          ``executemany`` of the same documents (text, tokens), spans and
          relations into a fresh database.
The import baseline does no tokenisation: formats without tokens (brat,
doccano, Label Studio) are tokenised by spaCy's blank pipeline on import, and
their ratio includes that.

    python tests/benchmarks/bench_formats.py [--docs N]
"""
from __future__ import annotations

import argparse
import gc
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

CONLL04 = ROOT.parent / "shared" / "corpora" / "conll04"
WRITABLE = ("jsonl", "spacy", "brat", "conll", "labelstudio", "doccano", "spert")
OUT_NAMES = {
    "jsonl": "export.jsonl",
    "spacy": "export.spacy",
    "brat": "export_brat",
    "conll": "export.conll",
    "labelstudio": "export_ls.json",
    "doccano": "export_doccano.jsonl",
    "spert": "export_spert.json",
}
ANNOTATOR = "alice"
MAX_RELATIONS = 3


@dataclass
class Row:
    step: str
    name: str
    records: int
    seconds: float
    baseline: float | None = None

    def line(self) -> str:
        rate = f"{self.records / self.seconds:>10,.0f}" if self.seconds else f"{'-':>10}"
        base = f"{self.baseline:>9.3f}" if self.baseline is not None else f"{'-':>9}"
        ratio = f"{self.seconds / self.baseline:>7.1f}x" if self.baseline else f"{'-':>8}"
        return f"{self.step:<8} {self.name:<22} {self.records:>8,} {self.seconds:>9.3f} {rate} {base} {ratio}"


HEADER = f"{'step':<8} {'format / file':<22} {'records':>8} {'seconds':>9} {'docs/s':>10} {'baseline':>9} {'ratio':>8}"


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows:
        print(row.line())
    sys.stdout.flush()


def timed(fn: Callable[[], Any], repeat: int = 1, *, setup: Callable[[], Any] | None = None) -> tuple[Any, float]:
    """The result of ``fn`` and its best time over ``repeat`` runs; ``setup``
    and the garbage collector run untimed before each run."""
    best, result = float("inf"), None
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return result, best


# -- baselines -----------------------------------------------------------------
def read_baseline(fmt: str, path: Path) -> int:
    """Read ``path`` as plainly as its format allows; returns a count so the work is kept."""
    if fmt in ("jsonl", "doccano"):
        with open(path, "rb") as fh:
            return sum(len(json.loads(line)) for line in fh if line.strip())
    if fmt in ("labelstudio", "spert"):
        return len(json.loads(path.read_bytes()))
    if fmt == "conll":
        return len(path.read_bytes().decode("utf-8").splitlines())
    if fmt == "brat":
        return sum(len(p.read_bytes().decode("utf-8").splitlines()) for p in sorted(path.iterdir()) if p.is_file())
    if fmt == "spacy":
        import srsly

        return len(srsly.msgpack_loads(zlib.decompress(path.read_bytes()))["lengths"])
    raise ValueError(f"no read baseline for {fmt}")


def write_baseline(plain: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for item in plain:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def sqlite_floor(rows: dict[str, list[tuple]], path: Path) -> None:
    """Insert the documents, spans and relations rows into a fresh sqlite3 file."""
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT, tokens TEXT)")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, doc INTEGER, start INTEGER, end INTEGER, label TEXT)")
    conn.execute("CREATE TABLE relations (id INTEGER PRIMARY KEY, doc INTEGER, head INTEGER, child INTEGER, label TEXT)")
    with conn:
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?)", rows["documents"])
        conn.executemany("INSERT INTO spans (doc, start, end, label) VALUES (?, ?, ?, ?)", rows["spans"])
        conn.executemany("INSERT INTO relations (doc, head, child, label) VALUES (?, ?, ?, ?)", rows["relations"])
    conn.close()


def plain_copy(project, owner: str | None) -> tuple[list[dict], dict[str, list[tuple]]]:
    """The exported sets as plain dicts (write baseline) and as sqlite rows (import baseline)."""
    from annotator.ops.exporting import select

    plain: list[dict] = []
    rows: dict[str, list[tuple]] = {"documents": [], "spans": [], "relations": []}
    for document, aset in select(project, owner=owner, status="done"):
        spans = aset.sorted_spans()
        position = {s.id: i for i, s in enumerate(spans)}
        plain.append(
            {
                "id": document.id,
                "text": document.text,
                "spans": [[s.start, s.end, s.label] for s in spans],
                "relations": [[position[r.head], position[r.child], r.label] for r in aset.sorted_relations()],
            }
        )
        doc = len(rows["documents"]) + 1
        rows["documents"].append((doc, document.text, json.dumps([[t.start, t.end, int(t.ws)] for t in document.tokens])))
        rows["spans"].extend((doc, s.start, s.end, s.label) for s in spans)
        rows["relations"].extend((doc, r.head, r.child, r.label) for r in aset.sorted_relations())
    return plain, rows


# -- the annotator's side ------------------------------------------------------
def read_all(fmt: str, path: Path) -> int:
    """Run a format's reader over ``path``; returns the records read (problems are an error)."""
    from annotator.core.model import Problem
    from annotator.formats import registry

    count = 0
    for item in registry.get(fmt).reader(path):
        if isinstance(item, Problem):
            raise SystemExit(f"{fmt} reader: {item.source}: {item.reason}")
        count += 1
    return count


def import_fresh(tmp: Path, sources: list[Path], fmt: str) -> tuple[int, float]:
    """Import ``sources`` into a new project (no pre-annotation, labels added); (records, seconds)."""
    from annotator import api

    path = tmp / "fresh.annotator"
    if path.exists():
        path.unlink()
    project = api.init_project(path)
    gc.collect()
    started = time.perf_counter()
    report = api.import_files(project, sources, format=fmt, preannotate="none", add_labels=True)
    elapsed = time.perf_counter() - started
    project.close()
    path.unlink()
    return report.records, elapsed


def remove(out: Path) -> None:
    """Remove an earlier export (a file, or brat's folder)."""
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()


def export_one(project, fmt: str, out: Path, owner: str | None) -> int:
    from annotator import api

    reports = api.export(project, out, format=fmt, owner=owner)
    return reports["all"].documents


def format_rows(project, tmp: Path, owner: str | None, *, repeat: int, imports: bool) -> list[Row]:
    """Export rows for every writable format, then read-back (and import) rows for each export."""
    from annotator.ops.exporting import select

    plain, rows = plain_copy(project, owner)
    _, write_base = timed(lambda: write_baseline(plain, tmp / "baseline.jsonl"), repeat)
    _, floor = timed(lambda: sqlite_floor(rows, tmp / "floor.db"), repeat)
    del rows
    table: list[Row] = []
    n_store, store = timed(lambda: sum(1 for _ in select(project, owner=owner, status="done")), repeat)
    table.append(Row("export", "(store: select only)", n_store, store, write_base))
    for fmt in WRITABLE:
        out = tmp / OUT_NAMES[fmt]
        written, seconds = timed(lambda: export_one(project, fmt, out, owner), repeat, setup=lambda: remove(out))
        table.append(Row("export", fmt, written, seconds, write_base))
    for fmt in WRITABLE:
        out = tmp / OUT_NAMES[fmt]
        _, base = timed(lambda: read_baseline(fmt, out), repeat)
        count, seconds = timed(lambda: read_all(fmt, out), repeat)
        table.append(Row("read", fmt, count, seconds, base))
        if imports:
            count, seconds = import_fresh(tmp, [out], fmt)
            table.append(Row("import", fmt, count, seconds, base + floor))
    print(f"  (write baseline {write_base:.3f} s, sqlite3 floor {floor:.3f} s for {len(plain):,} sets)")
    return table


# -- part 1: CoNLL04 -------------------------------------------------------------
def conll04(tmp: Path) -> None:
    from annotator import api

    files = [CONLL04 / "conll04_train.json", CONLL04 / "conll04_dev.json"]
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"CoNLL04: skipped, {', '.join(map(str, missing))} not found")
        return
    rows: list[Row] = []
    for file in files:
        _, base = timed(lambda: read_baseline("spert", file), 3)
        count, seconds = timed(lambda: read_all("spert", file), 3)
        rows.append(Row("read", file.stem, count, seconds, base))
    for file in files:
        _, read_base = timed(lambda: read_baseline("spert", file), 3)
        with_sets = tmp / "conll04_rows.annotator"
        project = api.init_project(with_sets)
        api.import_files(project, [file], format="spert", preannotate="none", add_labels=True)
        _, floor_rows = plain_copy(project, None)
        project.close()
        with_sets.unlink()
        _, floor = timed(lambda: sqlite_floor(floor_rows, tmp / "floor.db"), 3)
        count, seconds = min((import_fresh(tmp, [file], "spert") for _ in range(3)), key=lambda r: r[1])
        rows.append(Row("import", file.stem, count, seconds, read_base + floor))
    project = api.init_project(tmp / "conll04.annotator")
    api.import_files(project, files, format="spert", preannotate="none", add_labels=True)
    sets = project.stats()["sets"]["import"]["done"]
    print(
        f"\nCoNLL04: train + dev in one project, {sets:,} distinct sentences "
        "(duplicate texts are one document); best of 3 runs"
    )
    rows += format_rows(project, tmp, None, repeat=3, imports=False)
    project.close()
    print_table("CoNLL04 (SpERT JSON): read and import per file; export and read-back of train + dev", rows)


# -- part 2: the generated corpus ------------------------------------------------
def partner_relations(spans: list) -> list:
    """``partner_of`` between ORG spans that follow each other within 60 characters, at most a few."""
    from annotator.core.model import Relation

    orgs = [s for s in spans if s.label == "ORG"]
    out = []
    for a, b in zip(orgs, orgs[1:]):
        if b.start - a.end <= 60 and len(out) < MAX_RELATIONS:
            out.append(Relation(len(out) + 1, a.id, b.id, "partner_of", "human"))
    return out


def build_corpus(tmp: Path, n: int):
    """A project with ``n`` generated documents, rules suggestions copied into done sets of ``alice``."""
    from annotator import api
    from annotator.core.model import MODEL_PREFIX
    from corpus import write_corpus

    source = tmp / "corpus.jsonl"
    texts = write_corpus(source, n)
    words = sum(len(t.split()) for t in texts) / n
    del texts
    project = api.init_project(tmp / "corpus.annotator")
    started = time.perf_counter()
    api.import_files(project, [source], preannotate="rules")
    imported = time.perf_counter() - started
    started = time.perf_counter()
    ids = project.document_ids()
    spans = relations = 0
    with project.transaction():
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            sets = project.load_sets(chunk, [MODEL_PREFIX + "rules"])
            for doc_id in chunk:
                suggested = sets.get(doc_id, {}).get(MODEL_PREFIX + "rules")
                confirmed = [replace(s, origin="human") for s in suggested.sorted_spans()] if suggested else []
                rels = partner_relations(confirmed)
                spans += len(confirmed)
                relations += len(rels)
                project.write_set(doc_id, ANNOTATOR, confirmed, rels, status="done", who=ANNOTATOR)
    copied = time.perf_counter() - started
    print(
        f"\nGenerated corpus: {n:,} documents, {words:.0f} words each on average; "
        f"import with rules {imported:.1f} s, copy to {ANNOTATOR!r} {copied:.1f} s; "
        f"{ANNOTATOR!r} has {spans:,} spans and {relations:,} relations"
    )
    return project


def generated(tmp: Path, n: int) -> None:
    project = build_corpus(tmp, n)
    rows = format_rows(project, tmp, ANNOTATOR, repeat=1, imports=True)
    project.close()
    print_table(f"Generated corpus, {n:,} documents: export, read-back and import per format", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the generated corpus")
    parser.add_argument("--skip-conll04", action="store_true", help="only the generated corpus")
    args = parser.parse_args()
    from annotator.formats import registry
    from annotator.nlp.pipeline import load_pipeline

    registry.formats()
    load_pipeline("none")  # spaCy's import and blank pipeline, untimed
    load_pipeline("rules")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        if not args.skip_conll04:
            conll04(tmp)
        generated(tmp, args.docs)
        print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
