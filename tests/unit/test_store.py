from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from annotator.core import edits
from annotator.core.errors import EditConflictError, ProjectError, SchemaVersionError
from annotator.core.model import Relation, Span, Token, text_hash
from annotator.store.migrations import SCHEMA_VERSION
from annotator.store.project import Project

TEXT = "Foxconn will invest $5 billion in Ohio."
TOKENS = [Token(0, 7), Token(8, 12), Token(13, 19), Token(20, 21, False), Token(21, 22), Token(23, 30), Token(31, 33), Token(34, 38, False), Token(38, 39, False)]


def add_doc(project: Project, text: str = TEXT) -> int:
    with project.transaction():
        doc_id, _ = project.add_document(text=text, hash=text_hash(text), title=text[:20], tokens=TOKENS, meta={"url": "u"})
    return doc_id


def test_new_file_has_wal_foreign_keys_and_version(make_project):
    project = make_project()
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.db.execute("SELECT version, name FROM migrations").fetchall() == [(1, "initial"), (2, "set scores")]
    assert set(project.db.table_names()) >= {"documents", "annotation_sets", "spans", "relations", "journal", "project_info"}


def test_a_file_of_the_first_schema_is_upgraded_on_open_and_keeps_its_sets(make_project, tmp_path):
    project = make_project()
    doc = add_doc(project)
    project.write_set(doc, "ann", [Span(1, 0, 7, "ORG", "human")], status="done")
    with project.transaction():  # what a file written before the "set scores" migration holds
        project.db.execute("ALTER TABLE annotation_sets DROP COLUMN score")
        project.db.execute("DELETE FROM migrations WHERE version = 2")
    path = project.path
    project.close()
    with pytest.raises(ProjectError, match="older schema version 1"):
        Project.open_readonly(path)
    reopened = Project.open(path)
    assert reopened.db.execute("SELECT max(version) FROM migrations").fetchone()[0] == SCHEMA_VERSION == 2
    assert reopened.db.execute("SELECT owner, status, score FROM annotation_sets").fetchall() == [("ann", "done", None)]
    assert [s.label for s in reopened.annotation_set(doc, "ann").spans.values()] == ["ORG"]
    reopened.close()


def test_documents_are_deduplicated_by_hash(make_project):
    project = make_project()
    first = add_doc(project)
    with project.transaction():
        again, created = project.add_document(text=TEXT, hash=text_hash(TEXT), title="x", tokens=TOKENS, meta={})
    assert (again, created) == (first, False)
    assert project.count_documents() == 1
    doc = project.document(first)
    assert doc.text == TEXT and doc.tokens == tuple(TOKENS) and doc.meta == {"url": "u"}


def test_edits_are_journaled_and_undo_survives_reopen(make_project, tmp_path):
    project = make_project()
    doc = add_doc(project)
    added = project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    money = project.apply(doc, "ann", edits.AddSpan(Span(0, 20, 30, "MONEY")))
    rel = project.apply(doc, "ann", edits.AddRelation(Relation(0, added.span.id, money.span.id, "amount")))
    aset = project.annotation_set(doc, "ann")
    assert [(s.start, s.end, s.label) for s in aset.sorted_spans()] == [(0, 7, "ORG"), (20, 30, "MONEY")]
    assert [(r.head, r.child, r.label) for r in aset.relations.values()] == [(added.span.id, money.span.id, "amount")]
    assert aset.status == "in_progress"
    # delete the ORG span: its relation goes too, and undo brings both back
    deletion = project.apply(doc, "ann", edits.delete_span(aset, added.span.id))
    assert project.annotation_set(doc, "ann").relations == {}
    project.apply(doc, "ann", deletion.inverse(), action="undo")
    restored = project.annotation_set(doc, "ann")
    assert restored.spans == aset.spans and restored.relations == aset.relations
    project.close()
    reopened = Project.open(tmp_path / "test.annotator")
    undo, redo = reopened.history(doc, "ann")
    assert [e.kind for e in undo] == ["add_span", "add_span", "add_relation"]
    assert [e.kind for e in redo] == ["delete_span"]
    assert undo[-1] == rel
    reopened.close()


def test_stale_edit_conflicts_and_leaves_file_unchanged(make_project, tmp_path):
    project = make_project()
    doc = add_doc(project)
    span = project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG"))).span
    other = Project.open(tmp_path / "test.annotator")
    other.apply(doc, "ann", edits.DeleteSpan(span))
    with pytest.raises(EditConflictError):
        project.apply(doc, "ann", edits.UpdateSpan(span, replace(span, label="GPE")))
    assert project.annotation_set(doc, "ann").spans == {}
    other.close()


def test_suggestion_sets_are_read_only(make_project):
    project = make_project()
    doc = add_doc(project)
    with pytest.raises(ProjectError, match="read-only"):
        project.apply(doc, "model:rules", edits.AddSpan(Span(0, 0, 7, "ORG")))


def test_start_set_copies_suggestions_once(make_project):
    project = make_project()
    doc = add_doc(project)
    project.write_set(doc, "model:rules", [Span(1, 0, 7, "ORG", "rule"), Span(2, 20, 30, "MONEY", "rule")], [Relation(1, 1, 2, "amount", "rule")])
    aset = project.start_set(doc, "ann", copy_from="model:rules")
    assert [(s.start, s.label, s.origin) for s in aset.sorted_spans()] == [(0, "ORG", "rule"), (20, "MONEY", "rule")]
    assert len(aset.relations) == 1
    accepted = project.apply(doc, "ann", edits.accept_suggestions(aset))
    assert [e.kind for e in accepted.edits] == ["update_span", "update_span", "update_relation"]
    assert {s.origin for s in project.annotation_set(doc, "ann").spans.values()} == {"human"}
    assert {r.origin for r in project.annotation_set(doc, "ann").relations.values()} == {"human"}
    assert project.start_set(doc, "ann", copy_from="model:rules").spans == project.annotation_set(doc, "ann").spans


def test_queue_paging_search_and_status_filter(make_project):
    project = make_project()
    ids = [add_doc(project, f"Article number {i} about Foxconn{' and Ohio' if i % 2 else ''}.") for i in range(10)]
    assert project.document_ids(offset=2, limit=3) == ids[2:5]
    assert project.count_documents(search="ohio") == 5
    assert project.document_ids(search="Foxc") == ids
    project.apply(ids[3], "ann", edits.SetStatus("new", "done"))
    assert project.document_ids(owner="ann", status="done") == [ids[3]]
    assert project.count_documents(owner="ann", status="new") == 9
    rows = project.queue_rows(ids[3:5], "ann")
    assert rows[ids[3]]["status"] == "done" and rows[ids[4]]["status"] == "new"


def test_search_text_is_never_sql(make_project):
    project = make_project()
    add_doc(project)
    assert project.count_documents(search="'; DROP TABLE documents; --") == 0
    assert project.count_documents(search='" OR 1=1') == 0
    assert project.count_documents() == 1


def test_newer_schema_is_refused(make_project, tmp_path):
    project = make_project()
    project.db.execute("INSERT INTO migrations VALUES (?, 'future', 'now')", [SCHEMA_VERSION + 1])
    project.db.conn.commit()
    project.close()
    with pytest.raises(SchemaVersionError, match=f"schema version {SCHEMA_VERSION + 1}"):
        Project.open(tmp_path / "test.annotator")


@pytest.mark.parametrize("content, message", [(b"hello, not a database at all", "not an SQLite file"), (b"", "empty, not an annotator project")])
def test_foreign_files_are_refused(tmp_path, content, message):
    path = tmp_path / "x.annotator"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)


def test_plain_sqlite_file_is_not_a_project(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(path)


def test_a_stale_relabel_is_refused_not_applied_over_a_newer_one(make_project, tmp_path):
    project = make_project()
    doc = add_doc(project)
    span = project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG"))).span
    other = Project.open(tmp_path / "test.annotator")
    other.apply(doc, "ann", edits.UpdateSpan(span, replace(span, label="PERSON")))
    with pytest.raises(EditConflictError, match="changed elsewhere"):
        project.apply(doc, "ann", edits.UpdateSpan(span, replace(span, label="GPE")))
    assert [s.label for s in project.annotation_set(doc, "ann").spans.values()] == ["PERSON"]
    rel_span = project.apply(doc, "ann", edits.AddSpan(Span(0, 20, 30, "MONEY"))).span
    rel = project.apply(doc, "ann", edits.AddRelation(Relation(0, rel_span.id, span.id, "amount"))).relation
    other.apply(doc, "ann", edits.UpdateRelation(rel, replace(rel, label="investor")))
    with pytest.raises(EditConflictError, match="changed or deleted elsewhere"):
        project.apply(doc, "ann", edits.UpdateRelation(rel, replace(rel, head=rel.child, child=rel.head)))
    assert [r.label for r in project.annotation_set(doc, "ann").relations.values()] == ["investor"]
    other.close()


def test_next_unfinished_document_wraps_and_skips_closed_ones(make_project):
    project = make_project()
    ids = [add_doc(project, f"Document {i}.") for i in range(5)]
    for i, status in ((1, "done"), (2, "skipped"), (3, "in_progress")):
        project.apply(ids[i], "ann", edits.SetStatus("new", status))
    closed = ("done", "reviewed", "skipped")
    assert project.next_unfinished("ann", after=None, finished=closed) == ids[0]
    assert project.next_unfinished("ann", after=ids[0], finished=closed) == ids[3]
    assert project.next_unfinished("ann", after=ids[3], finished=closed) == ids[4]
    assert project.next_unfinished("ann", after=ids[4], finished=closed) == ids[0]  # wraps round
    assert project.next_unfinished("other", after=ids[4], finished=closed) == ids[0]
    for i, before in ((0, "new"), (3, "in_progress"), (4, "new")):
        project.apply(ids[i], "ann", edits.SetStatus(before, "done"))
    assert project.next_unfinished("ann", after=ids[4], finished=closed) is None
    assert project.count_sets("ann", ("done", "reviewed")) == 4


def test_a_write_while_another_connection_holds_the_lock_is_a_clear_error(make_project, tmp_path):
    from annotator.core.errors import ProjectBusyError

    project = make_project()
    doc = add_doc(project)
    before = project.annotation_set(doc, "ann")
    holder = sqlite3.connect(tmp_path / "test.annotator")
    holder.execute("BEGIN IMMEDIATE")
    project.db.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(ProjectBusyError, match="is busy .*nothing was changed"):
        project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    holder.rollback()
    holder.close()
    assert project.annotation_set(doc, "ann") == before
    project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    assert len(project.annotation_set(doc, "ann").spans) == 1
