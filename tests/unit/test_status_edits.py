"""Status changes state what they expect (a stale one is refused), and undoing
"mark done" restores the status the set had."""
from __future__ import annotations

import pytest

from annotator.core import edits
from annotator.core.errors import EditConflictError
from annotator.core.model import AnnotationSet, Span, Token, text_hash
from annotator.store.project import Project

TEXT = "Foxconn will invest in Ohio."


def add_doc(project: Project) -> int:
    with project.transaction():
        doc_id, _ = project.add_document(text=TEXT, hash=text_hash(TEXT), title="t", tokens=[Token(0, 7)], meta={})
    return doc_id


def test_a_stale_status_change_from_another_connection_is_refused(make_project):
    mine = make_project()
    doc = add_doc(mine)
    mine.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    seen = mine.annotation_set(doc, "ann").status  # this window's copy: in_progress
    with Project.open(mine.path) as other:
        other.apply(doc, "ann", edits.SetStatus("in_progress", "done"))
    with pytest.raises(EditConflictError, match="marked done elsewhere, not in_progress as this edit expects"):
        mine.apply(doc, "ann", edits.SetStatus(seen, "skipped"))
    assert mine.annotation_set(doc, "ann").status == "done"
    assert [e.to_dict() for e in mine.history(doc, "ann")[0]][-1] == {"kind": "set_status", "before": "in_progress", "after": "done"}


def test_undo_of_mark_done_on_a_fresh_document_gives_back_new(make_project):
    project = make_project()
    doc = add_doc(project)
    project.start_set(doc, "ann")
    assert project.annotation_set(doc, "ann").status == "new"
    done = project.apply(doc, "ann", edits.SetStatus("new", "done"))
    assert project.annotation_set(doc, "ann").status == "done"
    project.apply(doc, "ann", done.inverse(), action="undo")
    assert project.annotation_set(doc, "ann").status == "new"
    project.apply(doc, "ann", done, action="redo")
    assert project.annotation_set(doc, "ann").status == "done"


def test_the_first_span_still_starts_a_new_set(make_project):
    project = make_project()
    doc = add_doc(project)
    project.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    assert project.annotation_set(doc, "ann").status == "in_progress"


def test_in_memory_sets_check_the_expected_status_too():
    aset = AnnotationSet(1, "ann", "done")
    with pytest.raises(KeyError, match="status is done, not new as the edit expects"):
        edits.SetStatus("new", "skipped").apply(aset)
    assert edits.SetStatus("done", "reviewed").apply(aset) == edits.SetStatus("done", "reviewed")
    assert aset.status == "reviewed"


def test_a_stale_deletion_of_a_span_relabelled_elsewhere_is_refused(make_project):
    from dataclasses import replace

    mine = make_project()
    doc = add_doc(mine)
    added = mine.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG")))
    stale = mine.annotation_set(doc, "ann")
    with Project.open(mine.path) as other:
        other.apply(doc, "ann", edits.UpdateSpan(added.span, replace(added.span, label="GPE")))
    with pytest.raises(EditConflictError, match=f"span {added.span.id} was changed elsewhere; reload the document"):
        mine.apply(doc, "ann", edits.delete_span(stale, added.span.id))
    assert [s.label for s in mine.annotation_set(doc, "ann").spans.values()] == ["GPE"]


def test_a_stale_deletion_of_a_relation_changed_elsewhere_is_refused(make_project):
    from dataclasses import replace

    from annotator.core.model import Relation

    mine = make_project()
    doc = add_doc(mine)
    a = mine.apply(doc, "ann", edits.AddSpan(Span(0, 0, 7, "ORG"))).span
    b = mine.apply(doc, "ann", edits.AddSpan(Span(0, 8, 12, "ORG"))).span
    rel = mine.apply(doc, "ann", edits.AddRelation(Relation(0, a.id, b.id, "partner"))).relation
    with Project.open(mine.path) as other:
        other.apply(doc, "ann", edits.UpdateRelation(rel, replace(rel, label="investor")))
    with pytest.raises(EditConflictError, match=f"relation {rel.id} was changed elsewhere; reload the document"):
        mine.apply(doc, "ann", edits.DeleteRelation(rel))
    assert [r.label for r in mine.annotation_set(doc, "ann").relations.values()] == ["investor"]
