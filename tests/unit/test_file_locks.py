"""The project file is opened only through SQLite (issue: edits lost after an
export, because closing a plain file descriptor dropped this process's locks
and another process deleted the WAL under the live connection)."""
from __future__ import annotations

import ast
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.core.model import Token, text_hash

ROOT = Path(__file__).resolve().parents[2]

EDITOR = r"""
import sys
from annotator.core import edits
from annotator.core.model import Span
from annotator.store.project import Project

path = sys.argv[1]
project = Project.open(path)
project.apply(1, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
Project.open(path).close()  # what an export or the review window's agreement panel does
print("first", flush=True)
sys.stdin.readline()
project.apply(1, "ann", edits.AddSpan(Span(0, 8, 12, "ORG")))
project.apply(1, "ann", edits.AddSpan(Span(0, 13, 19, "ORG")))
print("more", flush=True)
sys.stdin.readline()
"""


def test_edits_survive_a_second_open_and_another_reader_then_kill_9(make_project, tmp_path):
    project = make_project()
    text = "Foxconn will invest in Ohio."
    with project.transaction():
        project.add_document(text=text, hash=text_hash(text), title="t", tokens=[Token(0, 7)], meta={})
    path = project.path
    project.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert editor.stdout.readline() == "first\n"
        reader = sqlite3.connect(path)  # another process reads the file, then closes it
        assert reader.execute("SELECT count(*) FROM spans").fetchone() == (1,)
        reader.close()
        editor.stdin.write("go\n")
        editor.stdin.flush()
        assert editor.stdout.readline() == "more\n"
        assert Path(f"{path}-wal").exists()
    finally:
        editor.send_signal(signal.SIGKILL)
        editor.wait()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT start, end FROM spans ORDER BY start").fetchall() == [(0, 7), (8, 12), (13, 19)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


# Calls that open a file by other means than SQLite. A module that handles
# project files must not use them (the formats package reads import sources
# and writes exports, which are never project files: import and export refuse
# the project's own path).
FORBIDDEN_CALLS = {"open", "read_bytes", "read_text", "write_bytes", "write_text", "copy", "copyfile", "copy2", "copyfileobj", "file_digest"}
PROJECT_FILE_MODULES = [
    *sorted((ROOT / "annotator" / "store").glob("*.py")),
    ROOT / "annotator" / "ops" / "merging.py",
    ROOT / "annotator" / "ops" / "agreement.py",
    ROOT / "annotator" / "ops" / "review.py",
    ROOT / "annotator" / "gui" / "workers.py",
    ROOT / "annotator" / "gui" / "file_ops.py",
    ROOT / "annotator" / "gui" / "session.py",
]


def _plain_file_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        # Project.open / Project.open_readonly are the SQLite way in
        if name in FORBIDDEN_CALLS and not (isinstance(func, ast.Attribute) and name == "open"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}()")
        if isinstance(func, ast.Attribute) and name == "open" and not (
            isinstance(func.value, ast.Name) and func.value.id in ("Project", "cls", "QFileDialog")
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .open()")
    return found


def test_project_file_modules_never_open_files_except_through_sqlite():
    assert [call for path in PROJECT_FILE_MODULES for call in _plain_file_calls(path)] == []
