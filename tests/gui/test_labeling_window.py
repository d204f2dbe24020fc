"""Working in the labeling window: where the selection goes, what the status
bar says, menus, search and a layout that stays put, through real key and
mouse events."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from .labeling import (  # noqa: F401 (fixtures)
    FOX, at, drag, key, make_window, point_in, project_path, read_set, select, settings, span_id, window,
)

pytestmark = pytest.mark.gui

FOXCONN, MONEY5, OHIO, OPENAI = at(FOX, "Foxconn"), at(FOX, "$5 billion"), at(FOX, "Ohio"), at(FOX, "OpenAI")
SAM, INVEST, OPENAI2 = at(FOX, "Sam Altman"), at(FOX, "invest"), at(FOX, "OpenAI", 1)


def selected_text(window) -> str:
    span = window.editor.span
    return FOX[span.start:span.end] if span is not None else ""


def test_delete_selects_the_next_span_not_the_first(qtbot, window, project_path):
    select(window, *MONEY5)
    key(qtbot, window, Qt.Key_Delete)
    assert selected_text(window) == "Ohio"
    key(qtbot, window, Qt.Key_Delete)  # deletes Ohio, not Foxconn
    assert [s[:3] for s in read_set(project_path)[1]] == [(*FOXCONN, "ORG"), (*OPENAI, "ORG")]
    assert selected_text(window) == "OpenAI"
    key(qtbot, window, Qt.Key_Delete)  # the last span: the one before it is selected
    assert selected_text(window) == "Foxconn"


def test_export_dialog_starts_on_the_cli_default_format(qtbot, window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.cli import export as export_command

    cli_default = next(p.default for p in export_command.params if p.name == "fmt")
    seen = []

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.format.currentData())
        dialog.reject()

    QTimer.singleShot(0, inspect)
    qtbot.keyClick(window.doc_view, Qt.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert cli_default == "jsonl"
    assert seen == ["jsonl"]


def link(qtbot, window, head, child) -> None:
    """Draw a relation with real keys and a click: select head, R, click child."""
    select(window, *head)
    key(qtbot, window, Qt.Key_R)
    qtbot.mouseClick(window.doc_view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window.doc_view, child[0] + 1))


def click_arc(qtbot, window, relation_id: int) -> None:
    rect = window.doc_view.relation_label_rect(relation_id)
    qtbot.mouseClick(window.doc_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_a_digit_labels_text_selected_after_a_relation(qtbot, window, project_path):
    link(qtbot, window, FOXCONN, OPENAI)
    assert read_set(project_path)[2] == [(FOXCONN, OPENAI, "partner_of")]
    rel = window.editor.relation_id
    click_arc(qtbot, window, rel)
    assert window.editor.relation_id == rel
    drag(qtbot, window, *SAM)  # the most recent selection: the text
    key(qtbot, window, Qt.Key_2)
    status, spans, rels = read_set(project_path)
    assert (*SAM, "PERSON", "human") in spans
    assert rels == [(FOXCONN, OPENAI, "partner_of")]  # not retyped
    assert window.reporter.last_message == "added PERSON “Sam Altman”"


def test_a_digit_labels_text_selected_with_shift_arrows_after_a_relation(qtbot, window, project_path):
    link(qtbot, window, FOXCONN, OPENAI)
    rel = window.editor.relation_id
    view = window.doc_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, SAM[0]))  # the cursor
    click_arc(qtbot, window, rel)
    assert window.editor.relation_id == rel
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    key(qtbot, window, Qt.Key_Right, ctrl_shift)  # "Sam "
    key(qtbot, window, Qt.Key_Right, ctrl_shift)  # "Sam Altman ", snapped to the tokens
    assert window.editor.relation_id is None
    assert window.editor.pending == SAM
    cursor = view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == SAM
    key(qtbot, window, Qt.Key_2)
    status, spans, rels = read_set(project_path)
    assert (*SAM, "PERSON", "human") in spans
    assert rels == [(FOXCONN, OPENAI, "partner_of")]  # not retyped
    assert window.reporter.last_message == "added PERSON “Sam Altman”"


def test_a_digit_retypes_a_relation_selected_after_text(qtbot, window, project_path):
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    link(qtbot, window, INVEST, OPENAI)  # INVESTMENT -> ORG: investor (1) or target (2)
    qtbot.waitUntil(lambda: window.editor.relation_menu is not None and window.editor.relation_menu.isVisible())
    qtbot.keyClick(window.editor.relation_menu, Qt.Key_1)
    qtbot.waitUntil(lambda: read_set(project_path)[2] == [(INVEST, OPENAI, "investor")])
    drag(qtbot, window, *SAM)
    rel = next(iter(window.session.aset.relations))
    click_arc(qtbot, window, rel)  # the most recent selection: the relation
    assert not window.doc_view.textCursor().hasSelection()  # the older text selection is dropped
    key(qtbot, window, Qt.Key_2)
    assert read_set(project_path)[2] == [(INVEST, OPENAI, "target")]
    assert (*SAM, "PERSON", "human") not in read_set(project_path)[1]
    assert window.reporter.last_message == "retyped a relation investor → target"


def test_the_status_bar_says_what_every_edit_undo_and_redo_did(qtbot, window, project_path):
    say = lambda: window.reporter.last_message  # noqa: E731
    assert window.status.saved.text() == "✓ Saved"
    drag(qtbot, window, *SAM)
    key(qtbot, window, Qt.Key_2)
    assert say() == "added PERSON “Sam Altman”"
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert say() == "undid: added PERSON “Sam Altman”"
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert say() == "redid: added PERSON “Sam Altman”"
    select(window, *OHIO)
    key(qtbot, window, Qt.Key_1)
    assert say() == "relabelled “Ohio” GPE → ORG"
    key(qtbot, window, Qt.Key_BracketLeft)
    assert say() == "moved the bounds of ORG to “in Ohio”"
    link(qtbot, window, FOXCONN, OPENAI)
    assert say() == "added partner_of relation ORG “Foxconn” → ORG “OpenAI”"
    key(qtbot, window, Qt.Key_V)
    assert say() == "reversed partner_of relation ORG “OpenAI” → ORG “Foxconn”"
    select(window, *FOXCONN)
    key(qtbot, window, Qt.Key_Delete)
    assert say() == "deleted ORG “Foxconn” and its 1 relation"
    key(qtbot, window, Qt.Key_Y, Qt.KeyboardModifier.ControlModifier)  # nothing to redo: nothing happens
    assert say() == "deleted ORG “Foxconn” and its 1 relation"
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert say() == "undid: deleted ORG “Foxconn” and its 1 relation"
    assert window.status.saved.text() == "✓ Saved"


def test_a_refused_edit_shows_not_saved_and_the_time_on_the_document_counts(qtbot, make_window, project_path):
    first, second = make_window(project_path), make_window(project_path)
    assert re.fullmatch("0:0[0-4] on this document", second.status.time.text())
    with qtbot.waitActive(first):
        first.activateWindow()
    select(first, *FOXCONN)
    key(qtbot, first, Qt.Key_Delete)
    with qtbot.waitActive(second):
        second.activateWindow()
    select(second, *OHIO)
    with qtbot.waitSignal(second.session.changed, timeout=2000):
        key(qtbot, second, Qt.Key_2)
    assert second.status.saved.text() == "✗ Not saved"
    key(qtbot, second, Qt.Key_Tab)
    key(qtbot, second, Qt.Key_2)
    assert second.status.saved.text() == "✓ Saved"
    second.session.aset.seconds = 125.0  # as if earlier visits took two minutes and five seconds
    with qtbot.waitSignal(second.clock.timeout, timeout=3000):
        pass
    assert re.fullmatch("2:0[5-9] on this document", second.status.time.text())  # plus the seconds of this visit


def geometry(window) -> dict[str, tuple[int, int, int, int]]:
    """Where the docks and the document view are, in window coordinates."""
    out = {}
    for name in ("queue_dock", "palette_dock", "details_dock", "relations_dock", "doc_view"):
        widget = window.findChild(QWidget, name)
        top_left = widget.mapTo(window, QPoint(0, 0))
        out[name] = (top_left.x(), top_left.y(), widget.width(), widget.height())
    return out


def test_the_layout_stays_put_while_labeling_and_linking(qtbot, window, project_path):
    view = window.doc_view
    qtbot.waitUntil(lambda: window.status.time.text() != "")
    before = geometry(window)
    first_par, second_par = view.offset_rect(OHIO[0]), view.offset_rect(SAM[0])
    drag(qtbot, window, *SAM)  # the first span on its line
    key(qtbot, window, Qt.Key_2)
    assert read_set(project_path)[1][-1] == (*SAM, "PERSON", "human")
    assert geometry(window) == before  # the side panels kept their size
    assert (view.offset_rect(OHIO[0]), view.offset_rect(SAM[0])) == (first_par, second_par)
    link(qtbot, window, FOXCONN, OPENAI)  # the first arc on its line
    assert read_set(project_path)[2] == [(FOXCONN, OPENAI, "partner_of")]
    assert (view.offset_rect(OHIO[0]), view.offset_rect(SAM[0])) == (first_par, second_par)
    assert geometry(window) == before
    moved = view.offset_rect(SAM[0])
    key(qtbot, window, Qt.Key_Delete)  # deleting the arc does not pull the text up either
    assert read_set(project_path)[2] == []
    assert view.offset_rect(SAM[0]) == moved


def test_selection_undo_redo_and_the_next_document_never_resize_the_panels(qtbot, window, project_path):
    # Under X at 1280x800 the docks changed width by 4-5 px whenever the
    # Selection panel's content changed (another span, a relation, Ctrl+Z),
    # moving the text sideways under the mouse.
    from PySide6.QtWidgets import QApplication

    window.resize(1280, 800)
    QApplication.processEvents()
    link(qtbot, window, FOXCONN, OPENAI)
    rel = window.editor.relation_id
    QApplication.processEvents()
    before = geometry(window)
    viewport = window.doc_view.viewport().geometry()

    def unchanged(step: str) -> None:
        QApplication.processEvents()
        assert (step, geometry(window), window.doc_view.viewport().geometry()) == (step, before, viewport)

    qtbot.mouseClick(window.doc_view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window.doc_view, MONEY5[0] + 1))
    assert selected_text(window) == "$5 billion"
    unchanged("click a span")
    for n in range(5):
        key(qtbot, window, Qt.Key_Tab)
        unchanged(f"Tab {n + 1}")
    click_arc(qtbot, window, rel)
    assert window.editor.relation_id == rel
    unchanged("select a relation")
    key(qtbot, window, Qt.Key_A)  # accept the selected suggestion
    unchanged("accept")
    key(qtbot, window, Qt.Key_X)
    unchanged("reject")
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    unchanged("undo")
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    unchanged("redo")
    key(qtbot, window, Qt.Key_PageDown)
    assert window.session.document.id == 2
    unchanged("next document")


def test_a_long_source_name_and_a_wider_status_never_move_the_side_panels(qtbot, make_window, tmp_path):
    # Under X at 1280x800 the seed article's first label widened the header
    # ("to do" -> "in progress" beside an unwrapped meta line) and both side
    # panels shrank, moving the text under the mouse.
    from PySide6.QtWidgets import QApplication

    from annotator.api import import_files, init_project
    from annotator.core.scheme import Scheme
    from .labeling import SCHEME

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / ("a-" + "very-long-source-file-name-" * 6 + ".txt")).write_text(FOX, encoding="utf-8")
    path = tmp_path / "long.annotator"
    with init_project(path, scheme=Scheme.from_dict(SCHEME)) as project:
        import_files(project, [sources], format="txt", preannotate="none")
    window = make_window(path)
    window.resize(1280, 800)
    QApplication.processEvents()
    before, least = geometry(window), window.header.minimumSizeHint().width()
    assert least < 300  # the header wraps; it never claims the width of its text
    drag(qtbot, window, *SAM)
    key(qtbot, window, Qt.Key_2)
    QApplication.processEvents()
    assert read_set(path)[:2] == ("in_progress", [(*SAM, "PERSON", "human")])
    assert window.header.status.text() == "in progress"
    assert (geometry(window), window.header.minimumSizeHint().width()) == (before, least)


def test_drawing_a_relation_shows_a_line_from_the_head_to_the_mouse(qtbot, window, project_path):
    view = window.doc_view
    select(window, *FOXCONN)
    assert view.link_line() is None
    key(qtbot, window, Qt.Key_R)
    target = point_in(view, OPENAI[0] + 1)
    qtbot.mouseMove(view.viewport(), target)
    tag = view.tag_rect(span_id(window, *FOXCONN))
    line = view.link_line()
    assert (line.p1().x(), line.p1().y()) == (tag.center().x(), tag.top())
    assert (line.p2().x(), line.p2().y()) == (target.x(), target.y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert read_set(project_path)[2] == [(FOXCONN, OPENAI, "partner_of")]
    assert view.link_line() is None
    select(window, *OHIO)
    key(qtbot, window, Qt.Key_R)
    assert view.link_line() is not None
    key(qtbot, window, Qt.Key_Escape)
    assert view.link_line() is None


def right_click(qtbot, widget, pos: QPoint) -> None:
    """A right click as a platform delivers it: the button, then the context-menu event."""
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    qtbot.mouseClick(widget, Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)


def menu_texts(menu) -> list[str]:
    return [
        f"{a.text()} [{a.shortcut().toString()}]" if a.shortcut().toString() else a.text()
        for a in menu.actions() if not a.isSeparator()
    ]


def click_menu(qtbot, menu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_right_click_on_a_span_offers_its_actions_with_their_keys(qtbot, window, project_path):
    view = window.doc_view
    right_click(qtbot, view.viewport(), point_in(view, OHIO[0] + 1))
    menu = window.context_menu
    qtbot.waitUntil(menu.isVisible)
    assert selected_text(window) == "Ohio"
    assert menu_texts(menu) == [
        "GPE “Ohio”", "Accept suggestion [A]", "Reject suggestion [X]", "Label as", "Start relation [R]",
        "Start one token left [[]", "Start one token right []]", "End one token left [{]", "End one token right [}]",
        "Delete [Del]",
    ]
    assert menu_texts(window.findChild(type(menu), "label_menu")) == [
        "ORG [1]", "PERSON [2]", "MONEY [3]", "INVESTMENT [4]", "GPE [5]",
    ]
    click_menu(qtbot, menu, "Delete")
    assert (*OHIO, "GPE", "rule") not in read_set(project_path)[1]
    assert selected_text(window) == "OpenAI"


def test_right_click_on_an_arc_offers_the_relation_actions(qtbot, window, project_path):
    link(qtbot, window, FOXCONN, OPENAI)
    rel = window.editor.relation_id
    window.editor.clear_selection()
    rect = window.doc_view.relation_label_rect(rel)
    right_click(qtbot, window.doc_view.viewport(), rect.center().toPoint())
    menu = window.context_menu
    qtbot.waitUntil(menu.isVisible)
    assert window.editor.relation_id == rel
    assert menu_texts(menu) == ["partner_of relation", "Change relation type… [T]", "Reverse relation [V]", "Delete [Del]"]
    click_menu(qtbot, menu, "Reverse relation")
    assert read_set(project_path)[2] == [(OPENAI, FOXCONN, "partner_of")]


APPLE = "Apple plans to spend $1 billion in India.\n"


def test_search_enter_opens_the_hit_at_its_highlighted_match(qtbot, window):
    qtbot.keyClick(window.doc_view, Qt.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.queue.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "india")
    qtbot.keyClick(search, Qt.Key_Return)
    assert window.queue.model.total == 1
    assert window.session.document.text == APPLE
    assert window.doc_view.matches() == [(35, 40)]
    assert window.doc_view.current_match() == 0
    assert window.doc_view.hasFocus()
    assert window.reporter.last_message == "match 1 of 1 · F3 next, Shift+F3 previous"
    assert read_set(window.project.path, 3) is not None  # opened, so its set exists


def test_f3_and_shift_f3_step_through_the_matches(qtbot, window):
    qtbot.keyClick(window.doc_view, Qt.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.queue.search, "openai")
    qtbot.keyClick(window.queue.search, Qt.Key_Return)
    view = window.doc_view
    assert window.session.document.id == 1
    assert view.matches() == [OPENAI, OPENAI2]
    steps = []
    for key_, modifier in ((Qt.Key_F3, Qt.KeyboardModifier.NoModifier),) * 2 + ((Qt.Key_F3, Qt.KeyboardModifier.ShiftModifier),):
        qtbot.keyClick(view, key_, modifier)
        steps.append(view.current_match())
    assert steps == [1, 0, 1]
    assert window.reporter.last_message == "match 2 of 2 · F3 next, Shift+F3 previous"


def test_find_in_document_keeps_typed_digits_and_steps_with_enter(qtbot, window, project_path):
    before = read_set(project_path)
    qtbot.keyClick(window.doc_view, Qt.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    field = window.find_bar.field
    assert window.find_bar.isVisible() and field.hasFocus()
    qtbot.keyClicks(field, "5 billion")
    assert field.text() == "5 billion"
    assert read_set(project_path) == before  # the digit typed text, it labeled nothing
    assert window.doc_view.matches() == [(MONEY5[0] + 1, MONEY5[1])]
    qtbot.keyClick(field, Qt.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "openai")
    assert window.find_bar.count.text() == "1 of 2"
    qtbot.keyClick(field, Qt.Key_Return)
    assert window.find_bar.count.text() == "2 of 2"
    qtbot.keyClick(field, Qt.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.count.text() == "1 of 2"
    qtbot.keyClick(field, Qt.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.doc_view.matches() == []
    assert window.doc_view.hasFocus()


def wrapped_height(widget, text: str, width: int) -> int:
    """The height ``text`` needs in ``widget``'s font when wrapped at ``width``."""
    from PySide6.QtCore import QRect

    flags = Qt.TextFlag.TextWordWrap
    return widget.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags, text).height()


def test_cheat_sheet_text_fits_its_cells(qtbot, window):
    key(qtbot, window, Qt.Key_F1)
    table = window.cheatsheet.table
    qtbot.waitUntil(table.isVisible)
    keys_width, does_width = table.columnWidth(1), table.columnWidth(2)
    assert table.horizontalHeader().length() <= table.viewport().width()  # no column runs off the right
    for row in range(table.rowCount()):
        keys, does = table.item(row, 1), table.item(row, 2)
        for line in keys.text().split("\n"):
            assert table.fontMetrics().horizontalAdvance(line) < keys_width, line
        assert wrapped_height(table, does.text(), does_width - 8) <= table.rowHeight(row), does.text()
    assert table.item(0, 2).text() == "ORG: label the selection or selected span"


def test_selection_panel_and_relations_list_text_fits(qtbot, window):
    link(qtbot, window, FOXCONN, OPENAI)
    drag(qtbot, window, *INVEST)
    key(qtbot, window, Qt.Key_4)
    link(qtbot, window, INVEST, MONEY5)  # INVESTMENT -> MONEY: amount
    assert read_set(window.project.path)[2] == [(FOXCONN, OPENAI, "partner_of"), (INVEST, MONEY5, "amount")]
    form = window.details.form
    labels = [window.details.quote, window.details.hint]
    labels += [form.itemAt(row, form.ItemRole.FieldRole).widget() for row in range(form.rowCount())]
    assert [label.text() for label in labels] == [
        "invest → $5 billion", "digit\u00a0or\u00a0T\u00a0retypes · V\u00a0reverses · Del\u00a0deletes",
        "INVESTMENT “invest”", "MONEY “$5 billion”", "confirmed", "1 amount",
    ]
    qtbot.waitUntil(lambda: all(label.height() >= label.heightForWidth(label.width()) for label in labels))  # after layout
    tree = window.relations.tree
    assert tree.topLevelItemCount() == 2
    assert tree.textElideMode() == Qt.TextElideMode.ElideRight  # a word wider than its column shows it is cut

    def fits() -> bool:
        for row in range(2):
            item = tree.topLevelItem(row)
            for column in range(3):
                rect = tree.visualItemRect(item)
                if wrapped_height(tree, item.text(column), tree.columnWidth(column) - 8) > rect.height():
                    return False
        return True

    assert fits()
    window.resizeDocks([window.relations], [150], Qt.Orientation.Horizontal)  # narrower
    qtbot.waitUntil(lambda: tree.width() < 210)
    # every column stays inside the list (text past the edge would be cut off unseen)
    qtbot.waitUntil(lambda: sum(tree.columnWidth(c) for c in range(3)) <= tree.viewport().width())
    assert tree.columnWidth(1) >= tree.sizeHintForColumn(1)  # the type names are whole
