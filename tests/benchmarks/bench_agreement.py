"""Agreement on a large project: ``python tests/benchmarks/bench_agreement.py [N_DOCS] [WORDS]``.

Builds a temporary project of N_DOCS (default 10,000) documents of WORDS
(default 300) words, each annotated by three annotators with 30 spans and 5
relations: one annotator's spans are the reference and the other two copy
them with realistic noise (shifted boundaries, swapped labels, misses and
extra spans). Then times, in the same run:

* baseline: loading the compared sets and tokens from SQLite (``Project.load_sets``
  and ``Project.document_tokens``), the least any agreement command must do;
* for reference, the raw rows alone (an ``sqlite3`` cursor, no objects built)
  and the tokens alone (``Project.document_tokens``);
* ``api.agreement``: choosing, loading and computing, end to end;
* core only: ``core.agreement.compute_agreement`` on the already loaded documents;

and prints each with its ratio to the baseline. Not part of the test suite;
run by hand. Target: ``api.agreement`` under 10 s for 10,000 documents.
"""
from __future__ import annotations

import gc
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from annotator import api
from annotator.core.agreement import DocumentSets, compute_agreement
from annotator.core.model import Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.store.project import Project

ANNOTATORS = ("alice", "bob", "carol")
LABELS = ("ORG", "PERSON", "GPE", "MONEY", "DATE")
RELATIONS = ("investor", "partner", "amount", "location")
SPANS_PER_DOC = 30
RELATIONS_PER_DOC = 5


def make_text(rng: random.Random, words: int, doc: int) -> tuple[str, list[Token]]:
    """A text of ``words`` made-up words (unique per document) and its tokens."""
    parts = [f"w{rng.randrange(5000)}" for _ in range(words - 1)] + [f"doc{doc}"]
    tokens, pos = [], 0
    for word in parts:
        tokens.append(Token(pos, pos + len(word), True))
        pos += len(word) + 1
    return " ".join(parts), tokens


def reference(rng: random.Random, tokens: list[Token]) -> tuple[list[Span], list[Relation]]:
    """30 non-overlapping spans of 1-3 tokens and 5 relations between them."""
    slots = sorted(rng.sample(range(0, len(tokens) - 3, 3), SPANS_PER_DOC))
    spans = []
    for sid, first in enumerate(slots, start=1):
        last = first + rng.randrange(3)
        spans.append(Span(sid, tokens[first].start, tokens[last].end, rng.choice(LABELS)))
    pairs = rng.sample([(h, c) for h in range(1, 31) for c in range(1, 31) if h != c], RELATIONS_PER_DOC)
    relations = [Relation(rid, h, c, rng.choice(RELATIONS)) for rid, (h, c) in enumerate(pairs, start=1)]
    return spans, relations


def noisy(rng: random.Random, tokens: list[Token], spans: list[Span], relations: list[Relation]) -> tuple[list[Span], list[Relation]]:
    """A second annotator's version: ~85% identical spans, the rest shifted,
    relabelled or missed, plus an occasional extra span."""
    by_start = {t.start: i for i, t in enumerate(tokens)}
    by_end = {t.end: i for i, t in enumerate(tokens)}
    out = []
    for span in spans:
        roll = rng.random()
        if roll < 0.85:
            out.append(span)
        elif roll < 0.91:  # boundary one token longer or shorter at the end
            last = by_end[span.end] + rng.choice((-1, 1))
            last = max(last, by_start[span.start])
            out.append(Span(span.id, span.start, tokens[min(last, len(tokens) - 1)].end, span.label))
        elif roll < 0.96:
            out.append(Span(span.id, span.start, span.end, rng.choice([l for l in LABELS if l != span.label])))
        # else: missed
    if rng.random() < 0.5:
        tok = tokens[rng.randrange(len(tokens))]
        out.append(Span(100, tok.start, tok.end, rng.choice(LABELS)))
    kept = {s.id for s in out}
    rels = [r for r in relations if r.head in kept and r.child in kept and rng.random() < 0.9]
    return out, rels


def build(path: Path, n_docs: int, words: int) -> None:
    scheme = Scheme.from_dict(
        {"name": "bench", "labels": [{"name": n} for n in LABELS], "relations": [{"name": n} for n in RELATIONS]}
    )
    rng = random.Random(0)
    with Project.create(path, scheme=scheme) as project, project.transaction():
        for doc in range(n_docs):
            text, tokens = make_text(rng, words, doc)
            doc_id, _ = project.add_document(text=text, hash=text_hash(text), title=f"doc {doc}", tokens=tokens, meta={})
            spans, relations = reference(rng, tokens)
            project.write_set(doc_id, ANNOTATORS[0], spans, relations, status="done")
            for owner in ANNOTATORS[1:]:
                project.write_set(doc_id, owner, *noisy(rng, tokens, spans, relations), status="done")


def raw_rows(path: Path) -> int:
    """Fetch the token, span and relation rows with a bare cursor; returns the row count."""
    conn = sqlite3.connect(path)
    try:
        return sum(
            len(conn.execute(sql).fetchall())
            for sql in (
                "SELECT id, tokens FROM documents",
                "SELECT set_id, id, start, end, label, origin, score, fragments, attrs FROM spans",
                "SELECT set_id, id, head_id, child_id, label, origin, attrs FROM relations",
            )
        )
    finally:
        conn.close()


def timed(fn):
    """``(fn(), cpu seconds, wall seconds)``, starting from a collected heap so
    runs do not pay for each other. CPU time of this process stays steady on a
    busy machine; wall-clock time does not."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main(n_docs: int, words: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.annotator"
        _, _, built = timed(lambda: build(path, n_docs, words))
        print(f"built {n_docs:,} documents x {len(ANNOTATORS)} annotators x {SPANS_PER_DOC} spans "
              f"({words} words each) in {built:.1f} s")
        figures = {}
        with Project.open(path) as project:
            ids = project.document_ids()

            def load():
                return project.document_tokens(ids), project.load_sets(ids, ANNOTATORS)

            _, *figures["raw rows (sqlite3, no objects)"] = timed(lambda: raw_rows(path))
            _, *figures["tokens only (document_tokens)"] = timed(lambda: project.document_tokens(ids))
            (tokens, sets), *figures["baseline: load tokens and sets"] = timed(load)
            documents = [DocumentSets(d, tokens[d], sets[d]) for d in ids]
            core_report, *figures["core only (compute_agreement)"] = timed(
                lambda: compute_agreement(documents, ANNOTATORS)
            )
            del documents, tokens, sets
            report, *figures["api.agreement (end to end)"] = timed(lambda: api.agreement(project, list(ANNOTATORS)))
        assert core_report.to_dict() == report.to_dict()
        base_cpu, base_wall = figures["baseline: load tokens and sets"]
        print(f"{'':32} {'CPU s':>7} {'ratio':>6} {'wall s':>7} {'ratio':>6}")
        for name, (cpu, wall) in figures.items():
            print(f"{name:32} {cpu:7.2f} {cpu / base_cpu:5.2f}x {wall:7.2f} {wall / base_wall:5.2f}x")
        exact = report.pooled_exact().overall
        print(f"{report.documents:,} documents, {report.tokens:,} tokens; pooled exact span F1 {exact.f1:.3f}, "
              f"Fleiss' kappa {report.fleiss_kappa:.3f}, alpha {report.alpha:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 300)
