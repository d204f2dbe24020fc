"""Accepting and rejecting suggested spans and relations on the seed article,
through real keys, clicks on arcs and the toolbar; assertions read the file back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from annotator.api import import_files, init_project
from annotator.store.project import Project
from tests.conftest import SEED

from .labeling import ANNOTATOR, key, make_window, settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui


@pytest.fixture
def seed_path(tmp_path):
    path = tmp_path / "seed.annotator"
    with init_project(path) as project:
        import_files(project, [SEED], preannotate="rules")
    return path


def origins(path):
    """``(span origins, relation origins)`` of the annotator's set, as sorted lists."""
    with Project.open(path) as project:
        aset = project.annotation_set(1, ANNOTATOR)
    return sorted(s.origin for s in aset.spans.values()), sorted(r.origin for r in aset.relations.values())


def rules_counts(path):
    with Project.open(path) as project:
        rules = project.annotation_set(1, "model:rules")
    return len(rules.spans), len(rules.relations)


def click_arc(qtbot, window, relation_id: int) -> None:
    view = window.doc_view
    view.scroll_to_span(window.session.aset.relations[relation_id].head)
    rect = view.relation_label_rect(relation_id)
    assert rect is not None
    with qtbot.waitSignal(view.relationClicked, timeout=2000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def toolbar_button(window, name: str):
    toolbar = window.findChild(QToolBar, "main_toolbar")
    return toolbar.widgetForAction(window.actions_by_name[name])


def test_reject_all_on_the_seed_article_removes_every_suggestion_and_undo_restores_them(qtbot, make_window, seed_path):
    spans, rels = rules_counts(seed_path)
    assert rels > 0
    window = make_window(seed_path)
    key(qtbot, window, Qt.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert origins(seed_path) == ([], [])
    assert window.statusBar().currentMessage() == f"rejected {spans} spans and {rels} relations"
    key(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert origins(seed_path) == (["rule"] * spans, ["rule"] * rels)


def test_reject_all_toolbar_button_on_the_seed_article(qtbot, make_window, seed_path):
    window = make_window(seed_path)
    qtbot.mouseClick(toolbar_button(window, "reject_all"), Qt.MouseButton.LeftButton)
    assert origins(seed_path) == ([], [])


def test_accept_all_confirms_spans_and_relations(qtbot, make_window, seed_path):
    spans, rels = rules_counts(seed_path)
    window = make_window(seed_path)
    key(qtbot, window, Qt.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert origins(seed_path) == (["human"] * spans, ["human"] * rels)
    assert window.statusBar().currentMessage() == f"accepted {spans} spans and {rels} relations"
    key(qtbot, window, Qt.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "no suggestions left"


def test_a_on_a_clicked_suggested_relation_accepts_it_and_its_ends(qtbot, make_window, seed_path):
    spans, rels = rules_counts(seed_path)
    window = make_window(seed_path)
    aset = window.session.aset
    first = min(aset.relations)
    rel = aset.relations[first]
    click_arc(qtbot, window, first)
    assert window.editor.relation_id == first
    key(qtbot, window, Qt.Key_A)
    with Project.open(seed_path) as project:
        stored = project.annotation_set(1, ANNOTATOR)
    assert stored.relations[first].origin == "human"
    assert (stored.spans[rel.head].origin, stored.spans[rel.child].origin) == ("human", "human")
    assert sorted(r.origin for r in stored.relations.values()) == ["human"] + ["rule"] * (rels - 1)
    assert window.statusBar().currentMessage() == f"accepted {rel.label} relation"
    assert window.editor.relation_id == sorted(aset.relations)[1]  # the next suggested relation


def test_x_on_a_clicked_suggested_relation_deletes_only_it(qtbot, make_window, seed_path):
    spans, rels = rules_counts(seed_path)
    window = make_window(seed_path)
    first = min(window.session.aset.relations)
    click_arc(qtbot, window, first)
    key(qtbot, window, Qt.Key_X)
    with Project.open(seed_path) as project:
        stored = project.annotation_set(1, ANNOTATOR)
    assert first not in stored.relations
    assert (len(stored.spans), len(stored.relations)) == (spans, rels - 1)


def test_a_suggested_relation_shows_its_source_in_the_selection_panel(qtbot, make_window, seed_path):
    from PySide6.QtWidgets import QLabel

    window = make_window(seed_path)
    first = min(window.session.aset.relations)
    click_arc(qtbot, window, first)
    status = window.details.findChild(QLabel, "detail_status")
    assert status.text() == "suggestion (rules)"
    assert window.details.hint.text().startswith("A\u00a0accept · X\u00a0reject · ")
    key(qtbot, window, Qt.Key_A)
    click_arc(qtbot, window, first)
    assert window.details.findChild(QLabel, "detail_status").text() == "confirmed"


def test_tooltips_name_a_suggestion_source_and_score(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from annotator.core.model import Span

    from .labeling import FOX, at, build_project, point_in

    path = build_project(tmp_path)
    with Project.open(path) as project:
        project.write_set(2, "model:ner", [Span(1, 0, 6, "ORG", "model", 0.87)], status="done")
    window = make_window(path)
    window.session.open(2)
    view = window.doc_view
    pos = point_in(view, 2)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    from PySide6.QtGui import Qt as GuiQt

    expected = GuiQt.convertFromPlainText("ORG · suggestion (model), score 0.87", GuiQt.WhiteSpaceMode.WhiteSpacePre)
    assert QToolTip.text() == expected == "<p>ORG\xa0·\xa0suggestion\xa0(model),\xa0score\xa00.87</p>"


def test_right_click_on_a_suggested_relation_offers_accept_and_reject(qtbot, make_window, seed_path):
    from .test_labeling_window import click_menu, menu_texts, right_click

    window = make_window(seed_path)
    first = min(window.session.aset.relations)
    rel = window.session.aset.relations[first]
    view = window.doc_view
    view.scroll_to_span(rel.head)
    right_click(qtbot, view.viewport(), view.relation_label_rect(first).center().toPoint())
    menu = window.context_menu
    qtbot.waitUntil(menu.isVisible)
    assert menu_texts(menu) == [
        f"{rel.label} relation", "Accept suggestion [A]", "Reject suggestion [X]",
        "Change relation type… [T]", "Reverse relation [V]", "Delete [Del]",
    ]
    click_menu(qtbot, menu, "Accept suggestion")
    with Project.open(seed_path) as project:
        assert project.annotation_set(1, ANNOTATOR).relations[first].origin == "human"
