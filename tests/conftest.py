from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No test reads or writes the user's own settings or data folder (a saved
# annotator or reviewer name, window layout, the sample project): the whole
# session, and every process it starts, gets folders of its own. Qt reads
# these variables when it first needs the paths, so they are set before any
# test imports it.
_HOME = tempfile.mkdtemp(prefix="annotator-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "resources" / "sample" / "foxconn-openai-partnership.txt"

# The peer tools' own files (brat, CoNLL, Prodigy, Label Studio, doccano,
# SpERT exports): beside the repository as ../shared/corpora, or wherever
# ANNOTATOR_CORPORA points. Tests that read them use the `corpora` fixture or
# the `corpora` mark (when a module-level path or parametrize needs CORPORA);
# without the folder they are skipped, for the one reason below. Every format
# also has tests on files the tests write themselves.
CORPORA_VARIABLE = "ANNOTATOR_CORPORA"
CORPORA = Path(os.environ.get(CORPORA_VARIABLE) or ROOT.parent / "shared" / "corpora")
CORPORA_MISSING = (
    f"the peer tools' corpora are not at {CORPORA}: "
    f"set {CORPORA_VARIABLE} to their folder to run the tests that read them"
)


def pytest_configure(config) -> None:
    if os.environ.get(CORPORA_VARIABLE) and not CORPORA.is_dir():
        raise pytest.UsageError(f"{CORPORA_VARIABLE} names {CORPORA}, which is not a folder")


def pytest_runtest_setup(item) -> None:
    if not CORPORA.is_dir() and ("corpora" in item.fixturenames or item.get_closest_marker("corpora")):
        pytest.skip(CORPORA_MISSING)


@pytest.fixture
def corpora() -> Path:
    """The folder of the peer tools' files (the test is skipped without it)."""
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
