"""Files and disks that misbehave: a full disk during import and export, an
unwritable target, a read-only file or folder, an interrupted init, damaged
pages. Each ends in a typed error that says what happened, and the project
and any earlier output are left as they were."""
from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.errors import DamagedProjectError, DiskFullError, ExportError, ProjectError, ProjectReadOnlyError
from annotator.core.model import Token, text_hash
from annotator.formats import registry
from annotator.store.failures import explain
from annotator.store.project import Project

from ..conftest import table_dump

TEXT = "Foxconn will invest $5 billion in Ohio."


def with_documents(make_project, n: int = 40) -> Project:
    project = make_project()
    with project.transaction():
        for i in range(n):
            text = f"Document {i} " + "word " * 300
            project.add_document(text=text, hash=text_hash(text), title=f"d{i}", tokens=[Token(0, 8)], meta={})
    return project


# -- full disk -----------------------------------------------------------------
def test_import_on_a_full_disk_says_so_and_writes_nothing(make_project, tmp_path):
    project = make_project()
    sources = tmp_path / "sources"
    sources.mkdir()
    for i in range(20):
        (sources / f"{i}.txt").write_text(f"Article {i}. " + "Foxconn will invest in Ohio. " * 200, encoding="utf-8")
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFullError) as failed:
        api.import_files(project, [sources], format="txt", preannotate="none")
    assert str(failed.value) == (
        f"[E005] {project.path}: the disk is full while importing; nothing of it was saved and the project "
        "is as it was. Free some disk space and try again"
    )
    assert project.stats()["documents"] == 0
    assert project.db.execute("PRAGMA quick_check").fetchall() == [("ok",)]


def failing_writer(spec, exc: OSError):
    def write(items, out, *, scheme):
        Path(out).write_text("half a file", encoding="utf-8")
        raise exc

    return replace(spec, writer=write)


@pytest.mark.parametrize(
    "exc, reason",
    [(OSError(errno.ENOSPC, "No space left on device"), "the disk is full"), (PermissionError(errno.EACCES, "Permission denied"), "Permission denied")],
)
def test_a_failed_export_keeps_the_earlier_output_and_leaves_no_partial_file(make_project, tmp_path, monkeypatch, exc, reason):
    project = make_project()
    out = tmp_path / "out" / "train.jsonl"
    out.parent.mkdir()
    out.write_text("earlier export\n", encoding="utf-8")
    jsonl = registry.get("jsonl")
    monkeypatch.setattr(registry, "get", lambda name: failing_writer(jsonl, exc))
    with pytest.raises(ExportError) as failed:
        api.export(project, out, format="jsonl", status="all")
    assert str(failed.value) == (
        f"[E090] cannot write {out}: {reason}; nothing was exported, and any earlier train.jsonl is as it was"
    )
    assert out.read_text(encoding="utf-8") == "earlier export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["train.jsonl"]


def test_an_export_replaces_earlier_output_whole(make_project, tmp_path):
    project = make_project()
    out = tmp_path / "out.jsonl"
    out.write_text("earlier export\n", encoding="utf-8")
    reports = api.export(project, out, format="jsonl", status="all")
    assert (reports["all"].files, out.read_text(encoding="utf-8")) == ([out], "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "test.annotator", "test.annotator-shm", "test.annotator-wal"]


def test_export_into_a_path_that_is_not_a_folder_says_so(make_project, tmp_path):
    project = make_project()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot write in .*a-file: Not a directory; choose a folder you can write to"):
        api.export(project, tmp_path / "a-file" / "out.jsonl", format="jsonl", status="all")


def test_export_refuses_to_write_over_the_project_file(make_project):
    project = make_project()
    with pytest.raises(ExportError, match="is the project file itself; export to another file"):
        api.export(project, project.path, format="jsonl", status="all")
    assert Project.open(project.path).stats()["documents"] == 0


def test_import_refuses_the_project_file_itself(make_project):
    project = make_project()
    with pytest.raises(Exception, match="is this project's own file; import other files into it"):
        api.import_files(project, [project.path], preannotate="none")


# -- read-only file or folder ----------------------------------------------------
def test_sqlite_read_only_and_cannot_open_failures_are_named(tmp_path):
    path = tmp_path / "p.db"
    sqlite3.connect(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as read_only:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    error = explain(read_only.value, path, "saving the edit")
    assert isinstance(error, ProjectReadOnlyError)
    assert error.message == (
        f"{path} is read-only (the file, or the folder holding it, cannot be written), so saving the edit failed "
        "and nothing was changed. Make both writable (chmod u+w), or copy the project to a folder you can write to"
    )
    with pytest.raises(sqlite3.Error) as cannot_open:
        sqlite3.connect(tmp_path / "missing" / "p.db")
    error = explain(cannot_open.value, path, "opening it")
    assert isinstance(error, ProjectReadOnlyError) and "Make that folder writable" in error.message


# These run the check in a child process that cannot write the file or folder.
# Root writes read-only files anyway, so under root (CI) the child imports
# annotator, then drops to nobody before it opens the project: SQLite then
# meets the real EACCES. The project lives in a folder made in the system
# temporary folder, which nobody can traverse (pytest's own is root-only).
NOBODY = 65534
READ_ONLY_CHILD = """
import importlib.metadata, json, os, sys  # imported before dropping: the code tree may be root-only
from annotator.core.errors import ProjectError
from annotator.store.project import Project


class NoLateImports:  # a module imported after the drop would fail where the tree is root-only (CI)
    def find_spec(self, name, path=None, target=None):
        raise ImportError(f"{name} is imported after dropping privileges; import it before")


sys.meta_path.insert(0, NoLateImports())
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
try:
    with Project.open(sys.argv[1]) as opened, opened.transaction():
        opened._set_info("x", "y")
except ProjectError as exc:
    print(json.dumps([type(exc).__name__, exc.message]))
else:
    print(json.dumps(["saved", os.geteuid()]))
""".replace("NOBODY", str(NOBODY))


@pytest.fixture
def unwritable_place():
    """A folder the child process can reach; owned by the child's user."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    folder.chmod(0o755)
    as_root = os.geteuid() == 0
    yield folder, as_root
    folder.chmod(0o755)
    shutil.rmtree(folder)


def project_for_child(folder: Path, as_root: bool) -> Path:
    path = folder / "p.annotator"
    with Project.create(path) as project, project.transaction():
        project._set_info("x", "before")
    if as_root:
        for owned in (folder, path):
            os.chown(owned, NOBODY, NOBODY)
    return path


def in_child(path: Path) -> list:
    done = subprocess.run([sys.executable, "-c", READ_ONLY_CHILD, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_read_only_project_file_refuses_edits_with_a_message(unwritable_place):
    folder, as_root = unwritable_place
    path = project_for_child(folder, as_root)
    path.chmod(0o444)
    assert in_child(path) == [
        "ProjectReadOnlyError",
        f"{path} is read-only (the file, or the folder holding it, cannot be written), so saving the change failed "
        "and nothing was changed. Make both writable (chmod u+w), or copy the project to a folder you can write to",
    ]
    path.chmod(0o644)
    with Project.open(path) as project:
        assert project._info("x") == "before"


def test_a_project_in_a_read_only_folder_is_not_called_busy(unwritable_place):
    folder, as_root = unwritable_place
    path = project_for_child(folder, as_root)
    folder.chmod(0o555)
    assert in_child(path) == [
        "ProjectReadOnlyError",
        f"{path} is read-only (the file, or the folder holding it, cannot be written), so opening it failed "
        "and nothing was changed. Make both writable (chmod u+w), or copy the project to a folder you can write to",
    ]
    folder.chmod(0o755)
    with Project.open(path) as project:
        assert project._info("x") == "before"


# -- interrupted init ------------------------------------------------------------
def test_an_interrupted_init_leaves_nothing_that_blocks_the_next(tmp_path, monkeypatch):
    path = tmp_path / "new.annotator"

    def interrupted(self, key, value):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(Project, "_set_info", interrupted)
        with pytest.raises(KeyboardInterrupt):
            Project.create(path)
    assert list(tmp_path.iterdir()) == []
    with Project.create(path) as project:
        assert project.stats()["documents"] == 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))] == ["new.annotator"]


def test_init_never_replaces_a_file_that_appeared_meanwhile(tmp_path, monkeypatch):
    path = tmp_path / "new.annotator"
    real = Project._set_info

    def someone_else_creates_it(self, key, value):
        path.write_text("theirs", encoding="utf-8")
        real(self, key, value)

    monkeypatch.setattr(Project, "_set_info", someone_else_creates_it)
    with pytest.raises(ProjectError, match="already exists; open it, or choose another name"):
        Project.create(path)
    assert path.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["new.annotator"]


# -- damaged pages ---------------------------------------------------------------
JOURNAL_INDEX_PAGE = 18  # the journal_set index: stats never reads it


def damage_root_page(project: Project, name: str, page: int) -> Path:
    """Close ``project``, then overwrite the start of ``name``'s root page."""
    assert project.db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone() == (page,)
    path = project.path
    project.close()  # no connection is open in this process while the file is damaged
    with open(path, "r+b") as fh:
        fh.seek(4096 * (page - 1))
        fh.write(b"\x07" * 64)
    return path


def damaged(make_project) -> Path:
    return damage_root_page(with_documents(make_project), "journal_set", JOURNAL_INDEX_PAGE)


def test_a_damaged_project_is_named_as_damaged_on_open_stats_and_import(make_project, monkeypatch, tmp_path):
    path = damaged(make_project)
    expected = (
        f"[E006] {path} is damaged: *** in database main ***\nPage {JOURNAL_INDEX_PAGE}: btreeInitPage() returns "
        f"error code 11. Restore it from a backup; `sqlite3 {path} .recover` may save what is left"
    )
    with pytest.raises(DamagedProjectError) as on_open:
        Project.open(path)
    assert str(on_open.value) == expected
    monkeypatch.setattr("annotator.store.project.QUICK_CHECK_BYTES", 0)  # a large file: checked by stats and import
    with Project.open(path) as project:
        with pytest.raises(DamagedProjectError) as on_stats:
            api.stats(project)
        with pytest.raises(DamagedProjectError) as on_import:
            api.import_files(project, [tmp_path], format="txt", preannotate="none")
    assert str(on_stats.value) == str(on_import.value) == expected


def test_cli_stats_on_a_damaged_project_exits_1_with_the_message(make_project):
    path = damaged(make_project)
    result = CliRunner().invoke(cli, ["stats", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: [E006] {path} is damaged:")


def test_init_on_a_file_system_without_hard_links_renames_the_finished_file(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "new.annotator"
    with Project.create(path) as project:
        assert project.stats()["documents"] == 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))] == ["new.annotator"]


def test_an_import_stopped_by_its_progress_callback_writes_nothing(make_project, tmp_path):
    from annotator.core.errors import CancelledError

    project = make_project()
    (tmp_path / "a.txt").write_text("Foxconn will invest in Ohio.", encoding="utf-8")

    def cancelled(done, total):
        raise CancelledError("cancelled; nothing of this operation was saved")

    with pytest.raises(CancelledError):
        api.import_files(project, [tmp_path / "a.txt"], preannotate="none", progress=cancelled)
    assert project.stats()["documents"] == 0


# -- damaged pages met outside a check ---------------------------------------------
DOCUMENTS_ROOT_PAGE = 5


def damaged_documents(make_project, monkeypatch) -> Path:
    """A project whose documents table has a damaged root page, in a file taken
    as too large for the check on open: the damage is first met by a read."""
    from annotator.core.model import Span

    project = with_documents(make_project)
    for owner in ("ann", "bob"):
        for doc_id in (1, 2):
            project.write_set(doc_id, owner, [Span(1, 0, 8, "ORG", "human")], status="done", who=owner)
    path = damage_root_page(project, "documents", DOCUMENTS_ROOT_PAGE)
    monkeypatch.setattr("annotator.store.project.QUICK_CHECK_BYTES", 0)
    return path


def read_on_open(path: Path, tmp_path: Path, read) -> None:
    with Project.open(path) as project:
        read(project, tmp_path)


def merge_from(path: Path, tmp_path: Path) -> None:
    with Project.create(tmp_path / "target.annotator") as target:
        api.merge_projects(target, [path])


READ_PATHS = {
    "export": lambda path, tmp: read_on_open(path, tmp, lambda p, t: api.export(p, t / "out.jsonl", format="jsonl", status="all")),
    "agreement": lambda path, tmp: read_on_open(path, tmp, lambda p, t: api.agreement(p, include_unfinished=True)),
    "open document": lambda path, tmp: read_on_open(path, tmp, lambda p, t: p.document(1)),
    "review": lambda path, tmp: read_on_open(path, tmp, lambda p, t: api.prepare_gold(p, 1, ["ann", "bob"], "unanimous")),
    "queue": lambda path, tmp: read_on_open(path, tmp, lambda p, t: p.document_ids(limit=10)),
    "merge source": merge_from,
}


def damage_message(path: Path) -> str:
    return (
        f"[E006] {path} is damaged (database disk image is malformed) while reading it. Restore it from a backup; "
        f"`sqlite3 {path} .recover` may save what is left"
    )


@pytest.mark.parametrize("read", READ_PATHS.values(), ids=READ_PATHS.keys())
def test_damage_met_by_a_read_is_named_as_damage(make_project, monkeypatch, tmp_path, read):
    path = damaged_documents(make_project, monkeypatch)
    with pytest.raises(DamagedProjectError) as failed:
        read(path, tmp_path)
    assert str(failed.value) == damage_message(path)


@pytest.mark.parametrize("args", [["export", "{path}", "{out}", "--status", "all"], ["agreement", "{path}", "--all-documents"], ["merge", "{target}", "{path}"]], ids=["export", "agreement", "merge"])
def test_cli_reads_of_a_damaged_project_exit_1_with_the_message(make_project, monkeypatch, tmp_path, args):
    path = damaged_documents(make_project, monkeypatch)
    Project.create(tmp_path / "target.annotator").close()
    values = {"path": path, "out": tmp_path / "out.jsonl", "target": tmp_path / "target.annotator"}
    result = CliRunner().invoke(cli, [a.format(**values) for a in args])
    assert (result.exit_code, result.output) == (1, f"Error: {damage_message(path)}\n")
