"""Data is text: the one way strings from files and projects reach a widget.

Titles, annotator names, labels, descriptions, metadata, guidelines and
messages may hold anything, including ``<img src=...>`` or ``&amp;``. Qt
renders a QLabel, a tooltip or a message box as rich text when the string
merely looks like HTML, and takes ``&`` in a button, action or menu text as a
mnemonic. Every such string goes through this module instead:

* ``plain_label`` / ``set_plain``: a QLabel in ``Qt.PlainText`` format;
* ``escape``: a piece of data inside rich text that the code itself builds
  (chips, legends); the rest of that rich text is constant markup;
* ``tooltip``: a tooltip that shows the data literally;
* ``action_text``: button, action and menu texts (``&`` doubled).

Item views (``QTableWidgetItem``, models' ``DisplayRole``), ``setWindowTitle``,
``QPlainTextEdit.setPlainText`` and ``QPainter.drawText`` never interpret
markup and need nothing.
"""
from __future__ import annotations

import html

from PySide6.QtGui import QResizeEvent, Qt
from PySide6.QtWidgets import QLabel


def escape(text: object) -> str:
    """``text`` escaped for a place inside rich text: ``<b>&amp;</b>`` shows as typed."""
    return html.escape(str(text), quote=True)


def tooltip(text: str, *, wrap: bool = True) -> str:
    """``text`` escaped so a tooltip shows it literally (line breaks kept;
    ``wrap=False`` keeps each line on one line)."""
    if not text:
        return ""
    mode = Qt.WhiteSpaceMode.WhiteSpaceNormal if wrap else Qt.WhiteSpaceMode.WhiteSpacePre
    return Qt.convertFromPlainText(text, mode)


def action_text(text: str) -> str:
    """``text`` for a button, action or menu item: ``&`` is not a mnemonic."""
    return text.replace("&", "&&")


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` literally, whatever its format was."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


class WrappingLabel(QLabel):
    """A label that is never shorter than its wrapped text at its width
    (layouts otherwise size it by its one-line height and cut lines off)."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self.wordWrap():
            needed = self.heightForWidth(self.width())
            if needed > 0 and needed != self.minimumHeight():
                self.setMinimumHeight(needed)


def plain_label(text: str = "", name: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    """A label that shows ``text`` literally (and, wrapped, all of it);
    ``name`` is its objectName."""
    label = WrappingLabel()
    set_plain(label, text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label
