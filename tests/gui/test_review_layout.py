"""The review window's agreement tables show every label whole."""
from __future__ import annotations

import pytest

from .test_review import make_window, project_path  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui


def test_agreement_table_labels_are_not_cut_off(make_window, project_path):
    from PySide6.QtCore import Qt

    window = make_window(project_path)
    window.resizeDocks([window.agreement], [200], Qt.Orientation.Horizontal)  # a narrow panel
    table = window.agreement.labels
    window.agreement.tabs.setCurrentIndex(0)
    assert table.rowCount() > 0
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            text = table.item(row, column).text()
            assert table.fontMetrics().horizontalAdvance(text) < table.columnWidth(column), text


def test_stacked_arc_labels_have_room_and_no_leg_runs_through_them(qtbot, make_window, project_path):
    # "amount A·C" and "amount B" leave one trigger for two versions of the
    # MONEY span beside "investor"; under X the labels touched each other and
    # the legs of the arcs above ran through them.
    from PySide6.QtCore import Qt

    window = make_window(project_path)
    window.resize(1280, 800)
    qtbot.keyClick(window.doc_view, Qt.Key_N)  # a real key, then the layout is read back
    view = window.doc_view
    block = view.document().firstBlock()
    plan = view._layout.plan(block)
    arcs = [arc for lp in plan.lines[:1] for arc in lp.arcs]
    texts = sorted(arc.text for arc in arcs)
    assert texts == ["amount A·C", "amount B", "investor"]
    for arc in arcs:
        box = arc.label_rect
        for other in arcs:
            if other is arc:
                continue
            assert not box.adjusted(-2, -1, 2, 1).intersects(other.label_rect), (arc.text, other.text)
            if other.y < arc.y:  # an arc above: its legs come down through this label's level
                legs = [other.ax] + ([other.bx] if other.by is not None else [])
                assert all(leg <= box.left() - 4 or leg >= box.right() + 4 for leg in legs), (arc.text, other.text, legs)
