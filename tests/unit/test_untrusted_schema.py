"""A crafted project file's own triggers and views are refused on open: their
SQL would otherwise run on ordinary edits and imports."""
from __future__ import annotations

import sqlite3

import pytest

from annotator.core.errors import UntrustedSchemaError
from annotator.ops.merging import merge_projects
from annotator.store.project import Project

EVIL_TRIGGER = "CREATE TRIGGER wipe AFTER INSERT ON spans BEGIN DELETE FROM spans WHERE set_id != new.set_id; END"
EVIL_VIEW = "CREATE VIEW labels AS SELECT label FROM spans"
CHANGED_FTS = (
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "UPDATE project_info SET value = '{}' WHERE key = 'scheme'; END"
)


def crafted(make_project, *statements: str):
    project = make_project()
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    if any("documents_fts_insert" in s for s in statements):
        conn.execute("DROP TRIGGER documents_fts_insert")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "statements, named, drops",
    [
        ([EVIL_TRIGGER], "trigger 'wipe'", 'DROP TRIGGER "wipe"'),
        ([EVIL_VIEW], "view 'labels'", 'DROP VIEW "labels"'),
        ([CHANGED_FTS], "trigger 'documents_fts_insert'", 'DROP TRIGGER "documents_fts_insert"'),
        ([EVIL_TRIGGER, EVIL_VIEW], "trigger 'wipe', view 'labels'", 'DROP TRIGGER "wipe"; DROP VIEW "labels"'),
    ],
)
def test_open_refuses_triggers_and_views_annotator_did_not_create(make_project, statements, named, drops):
    path = crafted(make_project, *statements)
    expected = (
        f"[E007] {path} holds SQL that annotator did not create ({named}); it would run on your edits, so the "
        f"file was not opened. If you trust it, remove them with `sqlite3 {path} '{drops}'` and open it again"
    )
    with pytest.raises(UntrustedSchemaError) as opened:
        Project.open(path)
    assert str(opened.value) == expected
    with pytest.raises(UntrustedSchemaError) as read_only:
        Project.open_readonly(path)
    assert str(read_only.value) == expected


def test_merging_from_a_crafted_file_is_refused_and_changes_nothing(make_project):
    target = make_project("target.annotator")
    source = crafted(make_project, EVIL_TRIGGER)
    with pytest.raises(UntrustedSchemaError):
        merge_projects(target, [source])
    assert target.stats()["documents"] == 0


def test_the_files_annotator_makes_open(make_project):
    path = make_project().path
    with Project.open(path) as project:
        names = [r[0] for r in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]
    assert names == ["documents_fts_delete", "documents_fts_insert"]
