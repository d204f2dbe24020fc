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
