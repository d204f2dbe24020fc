"""Moving between documents, finishing them, undo after a restart, two
windows on one file, and the document queue; asserted on the project file."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.errors import EditConflictError
from annotator.core.model import Span
from annotator.store.project import Project

from .labeling import (  # noqa: F401 (fixtures)
    ANNOTATOR, FOX, at, build_project, drag, key, make_window, project_path, read_set, select, settings, span_id,
    window,
)

pytestmark = pytest.mark.gui

FOXCONN, OHIO, SAM = at(FOX, "Foxconn"), at(FOX, "Ohio"), at(FOX, "Sam Altman")
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def listed(model) -> list[int]:
    """Every document id the queue lists, fetching pages as a scrolling view would."""
    ids, row = [], 0
    while (doc_id := model.document_id(row)) is not None:
        ids.append(doc_id)
        row += 1
    return ids


def statuses(path, owner=ANNOTATOR):
    with Project.open(path) as project:
        return {d: (project.set_row(d, owner) or (0, "none"))[1] for d in project.document_ids()}


def test_ctrl_return_marks_done_and_opens_the_next_open_document(qtbot, window, project_path):
    key(qtbot, window, Qt.Key_Return, CTRL)
    assert read_set(project_path, 1)[0] == "done"
    assert window.session.document.id == 2
    assert window.queue.table.currentIndex().row() == 1
    assert window.status.progress.format() == "1 / 3 done"
    assert window.reporter.last_message == "marked “Foxconn will invest $5 billion in Ohio…” done"  # cut visibly
    key(qtbot, window, Qt.Key_Return, CTRL | SHIFT)  # skip
    assert statuses(project_path) == {1: "done", 2: "skipped", 3: "new"}
    assert window.session.document.id == 3
    key(qtbot, window, Qt.Key_Return, CTRL)
    assert statuses(project_path) == {1: "done", 2: "skipped", 3: "done"}
    assert window.reporter.last_message == "every document is done or skipped"
    assert window.status.progress.format() == "2 / 3 done"


def test_next_open_document_skips_finished_ones_and_wraps(qtbot, make_window, project_path):
    with Project.open(project_path) as project:
        from annotator.core.edits import SetStatus

        project.apply(2, ANNOTATOR, SetStatus("new", "done"))
    window = make_window(project_path)
    key(qtbot, window, Qt.Key_PageDown)
    key(qtbot, window, Qt.Key_PageDown)
    assert window.session.document.id == 3
    key(qtbot, window, Qt.Key_Return, CTRL)
    assert window.session.document.id == 1  # wrapped round, past the done document 2


def test_page_down_and_up_walk_the_list(qtbot, window):
    key(qtbot, window, Qt.Key_PageDown)
    assert window.session.document.id == 2
    key(qtbot, window, Qt.Key_PageDown)
    key(qtbot, window, Qt.Key_PageDown)
    assert window.session.document.id == 3
    assert window.reporter.last_message == "no more documents in the list that way"
    key(qtbot, window, Qt.Key_PageUp)
    assert window.session.document.id == 2


def test_time_spent_is_recorded_when_leaving_a_document(qtbot, window, project_path):
    qtbot.wait(30)  # let a measurable moment pass on the document
    key(qtbot, window, Qt.Key_PageDown)
    with Project.open(project_path) as project:
        assert project.set_row(1, ANNOTATOR)[4] > 0
        assert project.set_row(2, ANNOTATOR)[4] == 0


def test_undo_works_after_reopening_the_window(qtbot, make_window, project_path):
    first = make_window(project_path)
    drag(qtbot, first, *SAM)
    key(qtbot, first, Qt.Key_2)
    key(qtbot, first, Qt.Key_1)  # relabel the new span ORG
    select(first, *OHIO)
    key(qtbot, first, Qt.Key_Delete)
    first.close()
    after_edits = read_set(project_path)
    assert (*SAM, "ORG", "human") in after_edits[1] and (*OHIO, "GPE", "rule") not in after_edits[1]

    second = make_window(project_path)
    assert second.session.undo_stack.count() == 3
    key(qtbot, second, Qt.Key_Z, CTRL)  # brings Ohio back
    assert (*OHIO, "GPE", "rule") in read_set(project_path)[1]
    key(qtbot, second, Qt.Key_Z, CTRL)  # ORG -> PERSON
    assert (*SAM, "PERSON", "human") in read_set(project_path)[1]
    second.close()

    third = make_window(project_path)  # the redo side of the history survives too
    assert (third.session.undo_stack.index(), third.session.undo_stack.count()) == (1, 3)
    key(qtbot, third, Qt.Key_Z, CTRL | SHIFT)
    assert (*SAM, "ORG", "human") in read_set(project_path)[1]
    key(qtbot, third, Qt.Key_Z, CTRL)
    key(qtbot, third, Qt.Key_Z, CTRL)
    assert read_set(project_path)[1] == [
        (*FOXCONN, "ORG", "rule"), (*at(FOX, "$5 billion"), "MONEY", "rule"), (*OHIO, "GPE", "rule"),
        (*at(FOX, "OpenAI"), "ORG", "rule"),
    ]


def test_two_windows_on_one_file_refuse_the_stale_edit(qtbot, make_window, project_path):
    first = make_window(project_path)
    second = make_window(project_path)
    assert second.session.document.id == first.session.document.id == 1
    with qtbot.waitActive(first):
        first.activateWindow()
    select(first, *FOXCONN)
    key(qtbot, first, Qt.Key_Delete)
    expected = read_set(project_path)
    with qtbot.waitActive(second):
        second.activateWindow()
    select(second, *FOXCONN)  # second still shows Foxconn
    with qtbot.waitSignal(second.session.changed, timeout=2000):  # the reload after the refusal
        key(qtbot, second, Qt.Key_2)
    assert read_set(project_path) == expected
    assert "changed in another window" in second.reporter.last_message
    assert len(second.session.aset.spans) == 3  # reloaded: now shows what the file holds
    assert second.session.undo_stack.count() == 1  # the first window's deletion, from the journal
    key(qtbot, second, Qt.Key_Tab)
    key(qtbot, second, Qt.Key_2)  # after the reload, edits go through again
    assert read_set(project_path)[1][0][2:] == ("PERSON", "human")


def test_stale_undo_is_refused_too(qtbot, make_window, project_path):
    first = make_window(project_path)
    second = make_window(project_path)
    with qtbot.waitActive(first):
        first.activateWindow()
    select(first, *OHIO)
    key(qtbot, first, Qt.Key_2)  # Ohio -> PERSON
    with qtbot.waitActive(second):
        second.activateWindow()
    select(second, *OHIO)
    key(qtbot, second, Qt.Key_Delete)  # refused: the first window changed the set
    qtbot.waitUntil(lambda: second.session.aset.spans[span_id(second, *OHIO)].label == "PERSON")
    select(second, *FOXCONN)
    key(qtbot, second, Qt.Key_2)  # after the reload this goes through: Foxconn -> PERSON
    expected = read_set(project_path)
    assert [s[2] for s in expected[1]] == ["PERSON", "MONEY", "PERSON", "ORG"]
    with qtbot.waitActive(first):
        first.activateWindow()
    with qtbot.waitSignal(first.session.changed, timeout=2000):
        key(qtbot, first, Qt.Key_Z, CTRL)  # first is stale now: its undo is refused
    assert read_set(project_path) == expected
    assert "changed in another window" in first.reporter.last_message
    assert first.session.undo_stack.count() == 2  # both windows' edits, from the journal
    key(qtbot, first, Qt.Key_Z, CTRL)  # undoes the latest edit of the set: Foxconn
    assert [s[2] for s in read_set(project_path)[1]] == ["ORG", "MONEY", "PERSON", "ORG"]


def test_session_apply_raises_on_a_stale_set(qtbot, make_window, project_path):
    first = make_window(project_path)
    with Project.open(project_path) as other:
        from annotator.core.edits import SetStatus

        other.apply(1, ANNOTATOR, SetStatus("new", "skipped"))
    from annotator.core.edits import SetStatus

    with pytest.raises(EditConflictError):
        first.session.apply(SetStatus("new", "done"), action="do")
    assert statuses(project_path)[1] == "skipped"


def test_queue_pages_filters_and_searches(qtbot, tmp_path, make_window, monkeypatch):
    from annotator.gui.models import queue_model

    monkeypatch.setattr(queue_model, "PAGE", 2)
    path = build_project(tmp_path)
    window = make_window(path)
    model = window.queue.model
    assert (model.total, model.rowCount()) in ((3, 2), (3, 3))
    assert model.document_id(2) == 3 and model.rowCount() == 3
    assert [model.data(model.index(r, model.TITLE)) for r in range(3)] == [
        "Foxconn will invest $5 billion in Ohio with OpenAI.",
        "Nvidia and Broadcom signed a deal in Texas.",
        "Apple plans to spend $1 billion in India.",
    ]
    key(qtbot, window, Qt.Key_Return, CTRL)
    assert model.data(model.index(0, model.STATUS)) == "done"
    assert model.data(model.index(0, model.SPANS)) == 4
    window.queue.status.setCurrentIndex(3)  # Done
    assert (model.total, listed(model)) == (1, [1])
    window.queue.status.setCurrentIndex(1)  # To do
    assert listed(model) == [2, 3]
    window.queue.status.setCurrentIndex(0)
    window.queue.search.setText("billion")
    window.queue.apply_filter()
    assert listed(model) == [1, 3]
    assert window.queue.count.text() == "2 documents"
    window.queue.table.selectRow(1)
    assert window.session.document.id == 3


def test_empty_project_shows_the_empty_page(qtbot, tmp_path, make_window):
    from annotator.api import init_project

    init_project(tmp_path / "empty.annotator").close()
    window = make_window(tmp_path / "empty.annotator")
    assert window.pages.currentIndex() == 0
    key(qtbot, window, Qt.Key_Return, CTRL)  # nothing to mark: no error
    key(qtbot, window, Qt.Key_2)
    assert window.status.progress.format() == "0 / 0 done"


def test_first_visit_copies_another_model_set_when_there_are_no_rules(qtbot, tmp_path, make_window):
    from annotator.core.model import Span

    path = build_project(tmp_path, suggestions=False)
    with Project.open(path) as project:
        project.write_set(2, "model:ner", [Span(1, 0, 6, "ORG", "model", 0.9)], status="done", who="model:ner")
    window = make_window(path)
    assert read_set(path, 1) == ("new", [], [])
    key(qtbot, window, Qt.Key_PageDown)
    assert read_set(path, 2) == ("new", [(0, 6, "ORG", "model")], [])
    assert window.header.meta.text() == "2 of 3  ·  b-nvidia.txt  ·  1 span  ·  0 relations  ·  1 suggestion to check"


def test_markup_in_a_document_shows_as_plain_text(qtbot, tmp_path, make_window):
    from annotator.api import import_files, init_project

    text = "<b>Deal</b> & <i>Co</i> agree.\n"
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "x.txt").write_text(text, encoding="utf-8")
    with init_project(tmp_path / "m.annotator") as project:
        import_files(project, [sources], format="txt", preannotate="none")
    window = make_window(tmp_path / "m.annotator")
    assert window.header.title.text() == text.strip()
    assert window.header.title.textFormat() == Qt.TextFormat.PlainText
    model = window.queue.model
    assert model.data(model.index(0, model.TITLE)) == text.strip()
    assert model.data(model.index(0, model.TITLE), Qt.ItemDataRole.ToolTipRole).startswith("<p>&lt;b&gt;Deal&lt;/b&gt; &amp;")
    drag(qtbot, window, 0, text.index(" &"))
    start, end = window.editor.pending
    assert window.details.quote.text() == text[start:end]
    assert window.details.quote.textFormat() == Qt.TextFormat.PlainText


def test_review_mode_opens_from_the_labeling_window(qtbot, make_window, project_path, settings):
    with Project.open(project_path) as project:
        for owner, label in (("ann", "ORG"), ("bob", "GPE")):
            project.write_set(1, owner, [Span(1, 0, 7, label)], status="done", who=owner)
    settings.setValue("review/reviewer", "rita")  # else a dialog asks once
    window = make_window(project_path)
    window.action("review").trigger()
    review = window.review_window
    qtbot.addWidget(review)
    qtbot.waitUntil(lambda: review.session.document is not None)
    assert review.reviewer == "rita"  # not the annotator of the labeling window
    assert review.annotators == ["ann", "bob"]
    assert review.session.document.id == 1
    with Project.open(project_path) as project:
        gold = project.annotation_set(1, "gold")
    assert gold is not None and gold.spans == {}  # the two disagree: nothing unanimous to take
