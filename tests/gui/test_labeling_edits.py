"""Editing spans, suggestions and relations in the labeling window through
real key and mouse events; every assertion reads the project file back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.project import Project

from .labeling import (  # noqa: F401 (fixtures)
    FOX, at, drag, key, make_window, point_in, project_path, read_set, select, settings, span_id, window,
)

pytestmark = pytest.mark.gui

FOXCONN, MONEY5, OHIO, OPENAI = at(FOX, "Foxconn"), at(FOX, "$5 billion"), at(FOX, "Ohio"), at(FOX, "OpenAI")
SAM, INVEST, OPENAI2 = at(FOX, "Sam Altman"), at(FOX, "invest"), at(FOX, "OpenAI", 1)
RULES = [(*FOXCONN, "ORG", "rule"), (*MONEY5, "MONEY", "rule"), (*OHIO, "GPE", "rule"), (*OPENAI, "ORG", "rule")]


def spans_of(path):
    return read_set(path)[1]


def rels_of(path):
    return read_set(path)[2]


def test_first_visit_starts_from_a_copy_of_the_rule_suggestions(window, project_path):
    assert read_set(project_path) == ("new", RULES, [])
    assert window.session.document.id == 1
    with Project.open(project_path) as project:
        assert len(project.annotation_set(1, "model:rules").spans) == 4  # the suggestions themselves stay


def test_mouse_selection_and_digit_create_a_span(qtbot, window, project_path):
    drag(qtbot, window, SAM[0] + 1, SAM[1] - 1)  # inside the words: snapped to tokens
    key(qtbot, window, Qt.Key_2)
    assert spans_of(project_path) == sorted(RULES + [(*SAM, "PERSON", "human")])
    assert read_set(project_path)[0] == "in_progress"
    assert window.editor.span.label == "PERSON"  # the new span is selected


def test_palette_click_creates_a_span(qtbot, window, project_path):
    drag(qtbot, window, *OPENAI2)
    qtbot.mouseClick(window.palette.buttons["ORG"], Qt.MouseButton.LeftButton)
    assert (*OPENAI2, "ORG", "human") in spans_of(project_path)


def test_digit_relabels_the_selected_span(qtbot, window, project_path):
    key(qtbot, window, Qt.Key_Tab)  # first span: Foxconn
    assert window.editor.span_id == span_id(window, *FOXCONN)
    key(qtbot, window, Qt.Key_2)
    assert (*FOXCONN, "PERSON", "human") in spans_of(project_path)
    assert (*FOXCONN, "ORG", "rule") not in spans_of(project_path)


def test_tab_and_shift_tab_cycle_spans_in_reading_order(qtbot, window):
    seen = []
    for _ in range(5):
        key(qtbot, window, Qt.Key_Tab)
        seen.append(window.editor.span_id)
    key(qtbot, window, Qt.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    order = [span_id(window, *r[:2]) for r in RULES]
    assert seen == order + order[:1]
    assert window.editor.span_id == order[-1]


def test_brackets_move_boundaries_by_one_token(qtbot, window, project_path):
    select(window, *MONEY5)  # "$5 billion" = "$" "5" "billion"
    key(qtbot, window, "]")
    assert (MONEY5[0] + 1, MONEY5[1], "MONEY", "human") in spans_of(project_path)
    key(qtbot, window, "[")
    key(qtbot, window, "[")  # takes in "invest"
    assert (INVEST[0], MONEY5[1], "MONEY", "human") in spans_of(project_path)
    key(qtbot, window, "}")  # takes in "in"
    key(qtbot, window, "{")
    key(qtbot, window, "{")  # gives up "billion"
    start, end = INVEST[0], FOX.index(" billion")
    assert (start, end, "MONEY", "human") in spans_of(project_path)
    assert len(spans_of(project_path)) == 4


def test_delete_removes_span_with_its_relations_and_undo_restores_both(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    qtbot.mouseClick(window.doc_view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window.doc_view, MONEY5[0] + 3))
    assert rels_of(project_path) == [(INVEST, MONEY5, "amount")]
    before = read_set(project_path)
    select(window, *MONEY5)
    key(qtbot, window, Qt.Key_Delete)
    status, spans, rels = read_set(project_path)
    assert (*MONEY5, "MONEY", "rule") not in spans and rels == []
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert read_set(project_path) == before
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert read_set(project_path)[2] == [] and len(read_set(project_path)[1]) == 4


def test_backspace_deletes_and_undo_redo_walk_the_history(qtbot, window, project_path):
    select(window, *OHIO)
    key(qtbot, window, Qt.Key_Backspace)
    assert (*OHIO, "GPE", "rule") not in spans_of(project_path)
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_of(project_path) == RULES
    key(qtbot, window, Qt.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert (*OHIO, "GPE", "rule") not in spans_of(project_path)


def test_accept_one_then_all(qtbot, window, project_path):
    key(qtbot, window, Qt.Key_A)  # nothing selected: goes to the first suggestion
    assert window.editor.span_id == span_id(window, *FOXCONN)
    assert spans_of(project_path) == RULES
    key(qtbot, window, Qt.Key_A)
    assert spans_of(project_path)[0] == (*FOXCONN, "ORG", "human")
    assert window.editor.span_id == span_id(window, *MONEY5)  # moved on to the next suggestion
    key(qtbot, window, Qt.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert spans_of(project_path) == [(s, e, label, "human") for s, e, label, _ in RULES]
    assert window.statusBar().currentMessage() == "accepted 3 spans"  # no suggested relation here


def test_reject_one_then_all(qtbot, window, project_path):
    select(window, *OHIO)
    key(qtbot, window, Qt.Key_X)
    assert spans_of(project_path) == [RULES[0], RULES[1], RULES[3]]
    assert window.editor.span_id == span_id(window, *OPENAI)
    key(qtbot, window, Qt.Key_A)  # keep OpenAI
    key(qtbot, window, Qt.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert spans_of(project_path) == [(*OPENAI, "ORG", "human")]
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo brings the batch back
    assert spans_of(project_path) == [RULES[0], RULES[1], (*OPENAI, "ORG", "human")]


def test_relation_with_one_allowed_type_is_added_at_once(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    key(qtbot, window, Qt.Key_Tab)  # Tab walks the candidates: Foxconn first
    key(qtbot, window, Qt.Key_Tab)  # then $5 billion
    assert rels_of(project_path) == []
    key(qtbot, window, Qt.Key_Return)
    assert rels_of(project_path) == [(INVEST, MONEY5, "amount")]
    assert window.editor.relation.label == "amount"


def test_relation_the_scheme_refuses_writes_nothing(qtbot, window, project_path):
    select(window, *FOXCONN)
    key(qtbot, window, Qt.Key_R)
    before = read_set(project_path)
    window.doc_view.spanClicked.emit(span_id(window, *MONEY5))
    assert window.reporter.last_message == "no relation type allows ORG -> MONEY"
    assert read_set(project_path) == before
    assert window.editor.relation_head is None


def test_relation_with_a_choice_of_types_opens_a_menu_chosen_by_number(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *FOXCONN))
    menu = window.editor.relation_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions()][1:] == ["&1  investor", "&2  target"]
    assert rels_of(project_path) == []
    qtbot.keyClick(menu, Qt.Key_2)
    assert rels_of(project_path) == [(INVEST, FOXCONN, "target")]


def test_escape_closes_the_type_menu_without_writing(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *OPENAI))
    menu = window.editor.relation_menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key_Escape)
    qtbot.waitUntil(lambda: window.editor.relation_menu is None)
    assert rels_of(project_path) == []
    assert window.editor.relation_head is None


def test_selected_relation_reverse_retype_and_delete(qtbot, window, project_path):
    select(window, *FOXCONN)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *OPENAI))
    assert rels_of(project_path) == [(FOXCONN, OPENAI, "partner_of")]
    key(qtbot, window, Qt.Key_V)
    assert rels_of(project_path) == [(OPENAI, FOXCONN, "partner_of")]
    key(qtbot, window, Qt.Key_Delete)
    assert rels_of(project_path) == []
    assert spans_of(project_path) == RULES


def test_reverse_the_scheme_refuses_is_not_written(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *MONEY5))
    key(qtbot, window, Qt.Key_V)
    assert window.reporter.last_message == "amount does not allow MONEY -> INVESTMENT"
    assert rels_of(project_path) == [(INVEST, MONEY5, "amount")]


def test_digit_retypes_the_selected_relation(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *FOXCONN))
    qtbot.waitUntil(window.editor.relation_menu.isVisible)
    qtbot.keyClick(window.editor.relation_menu, Qt.Key_1)
    assert rels_of(project_path) == [(INVEST, FOXCONN, "investor")]
    key(qtbot, window, Qt.Key_2)  # 2nd type allowed for INVESTMENT -> ORG
    assert rels_of(project_path) == [(INVEST, FOXCONN, "target")]
    key(qtbot, window, Qt.Key_5)
    assert window.reporter.last_message == "2 relation types fit this pair; press 1 to 2"
    assert rels_of(project_path) == [(INVEST, FOXCONN, "target")]


def test_relation_picked_in_the_list_is_selected(qtbot, window, project_path):
    select(window, *FOXCONN)
    key(qtbot, window, Qt.Key_R)
    window.doc_view.spanClicked.emit(span_id(window, *OPENAI))
    window.editor.select_span(None)
    tree = window.relations.tree
    assert tree.topLevelItemCount() == 1
    assert [tree.topLevelItem(0).text(c) for c in range(3)] == ["Foxconn", "partner_of", "OpenAI"]
    tree.topLevelItem(0).setSelected(True)
    assert window.editor.relation.label == "partner_of"
    key(qtbot, window, Qt.Key_Delete)
    assert rels_of(project_path) == []


def test_escape_cancels_a_relation_being_drawn(qtbot, window, project_path):
    select(window, *FOXCONN)
    key(qtbot, window, Qt.Key_R)
    key(qtbot, window, Qt.Key_Escape)
    window.doc_view.spanClicked.emit(span_id(window, *OPENAI))  # now just selects
    assert rels_of(project_path) == []
    assert window.editor.span_id == span_id(window, *OPENAI)


def test_details_show_the_selection_as_plain_text(qtbot, window):
    select(window, *FOXCONN)
    assert window.details.chip.text() == "ORG"
    assert window.details.quote.text() == "Foxconn"
    assert window.details.chip.textFormat() == Qt.TextFormat.PlainText
    assert window.palette._counts["ORG"].text() == "2"
