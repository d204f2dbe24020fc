"""User text shown as plain text everywhere, including in tooltips.

Qt renders a tooltip as rich text when it merely looks like HTML, so a
document title such as ``<b>Deal</b>`` would lose its tags; tooltips built
from user text go through ``tooltip`` instead.
"""
from __future__ import annotations

from PySide6.QtGui import Qt


def tooltip(text: str) -> str:
    """``text`` escaped so a tooltip shows it literally (line breaks kept)."""
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""
