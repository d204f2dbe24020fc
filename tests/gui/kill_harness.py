"""Drive the kill -9 runs: editors killed at random points while another
process reads the same project; then compare what was acknowledged with what
the file holds. Used by the suite (a few hundred edits) and by the soak
benchmark (thousands)."""
from __future__ import annotations

import json
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from annotator.api import init_project
from annotator.core.model import Span, Token, text_hash

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEXT = "Foxconn will invest $5 billion in Ohio with OpenAI, and Sam Altman leads OpenAI in San Francisco."


@dataclass
class Outcome:
    acknowledged: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    extra_unacknowledged: int = 0
    reader_rounds: int = 0
    reader_errors: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    runs: int = 0


def make_project(folder: Path, documents: int) -> Path:
    path = folder / "kill.annotator"
    with init_project(path) as project:
        with project.transaction():
            for i in range(documents):
                text = f"{i}. {TEXT}"
                project.add_document(text=text, hash=text_hash(text), title=f"doc {i}", tokens=[Token(0, 2)], meta={})
        for i in range(1, documents + 1):  # a second annotator, for agreement
            project.write_set(i, "bob", [Span(1, 3, 10, "ORG")], status="done", who="bob")
            project.start_set(i, "ann")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _lines(proc: subprocess.Popen, wanted: int, deadline: float) -> list[str]:
    """Read up to ``wanted`` lines from ``proc`` or until ``deadline``."""
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    lines: list[str] = []
    while len(lines) < wanted and time.monotonic() < deadline:
        if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
    selector.close()
    return lines


def run(folder: Path, *, edits: int, documents: int = 8, seed: int, max_per_run: int = 80, timeout: float = 600) -> Outcome:
    """Kill editors after random numbers of edits until ``edits`` were
    acknowledged, with a reader process running throughout."""
    rng = random.Random(seed)
    path = make_project(folder, documents)
    scratch = folder / "scratch"
    scratch.mkdir()
    reader = subprocess.Popen(
        [sys.executable, str(HERE / "kill_reader.py"), str(path), str(scratch)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    outcome = Outcome()
    acked: dict[int, list[str]] = {}
    deadline = time.monotonic() + timeout
    try:
        while outcome.acknowledged < edits and time.monotonic() < deadline:
            document = outcome.runs % documents + 1
            outcome.runs += 1
            editor = subprocess.Popen(
                [sys.executable, str(HERE / "kill_editor.py"), str(path), str(document), "ann", str(rng.randrange(10**9))],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
            )
            try:
                ready = _lines(editor, 1, deadline)
                if ready != ["ready"]:
                    raise RuntimeError(f"the editor did not start: {ready} {editor.stderr.read() if editor.poll() is not None else ''}")
                lines = _lines(editor, rng.randint(1, max_per_run), deadline)
            finally:
                editor.send_signal(signal.SIGKILL)
                editor.wait()
            lines += editor.stdout.read().splitlines()  # printed before the kill, not read yet
            for line in lines:
                if line.startswith("ack "):
                    acked.setdefault(document, []).append(line[4:])
                    outcome.acknowledged += 1
    finally:
        reader.send_signal(signal.SIGTERM)
        out, _err = reader.communicate(timeout=30)
    outcome.reader_rounds = sum(1 for line in out.splitlines() if line.startswith("round "))
    outcome.reader_errors = [line for line in out.splitlines() if line.startswith("error ")]
    _compare(path, acked, outcome)
    return outcome


def _compare(path: Path, acked: dict[int, list[str]], outcome: Outcome) -> None:
    """Every acknowledged edit must be in the journal, in order; the file may
    hold at most one edit more per editor run (committed, killed before it
    printed)."""
    conn = sqlite3.connect(path)
    try:
        outcome.integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        for document, edits in acked.items():
            journal = [
                json.dumps(json.loads(raw), sort_keys=True)
                for (raw,) in conn.execute(
                    "SELECT j.edit FROM journal j JOIN annotation_sets s ON s.id = j.set_id "
                    "WHERE s.document_id = ? AND s.owner = 'ann' ORDER BY j.id",
                    [document],
                )
            ]
            remaining = list(journal)
            for edit in edits:
                if edit in remaining:
                    index = remaining.index(edit)
                    outcome.extra_unacknowledged += index
                    remaining = remaining[index + 1:]
                    outcome.found += 1
                else:
                    outcome.missing.append(f"document {document}: {edit}")
            outcome.extra_unacknowledged += len(remaining)
    finally:
        conn.close()
