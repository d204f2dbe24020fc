from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SEED = ROOT / "resources" / "sample" / "foxconn-openai-partnership.txt"


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"the shared corpora are missing: expected them at {CORPORA}")
    return CORPORA


@pytest.fixture
def make_project(tmp_path):
    """Factory: a new project file in tmp_path, closed at the end of the test."""
    from annotator.api import init_project

    opened = []

    def make(name: str = "test.annotator", **kwargs):
        project = init_project(tmp_path / name, **kwargs)
        opened.append(project)
        return project

    yield make
    for project in opened:
        try:
            project.close()
        except Exception:
            pass


def table_dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every ordinary table of a project file, for before/after equality."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'documents_fts%' ORDER BY name"
            )
        ]
        return {n: conn.execute(f"SELECT * FROM [{n}] ORDER BY 1").fetchall() for n in names}
    finally:
        conn.close()
