"""Span backgrounds as a syntax highlighter, applied lazily per visible block.

Qt runs a highlighter over every block when text is set; this one only
formats blocks the view asked for (``ensure``), which are the blocks that
have been on screen. Formats change colours and underlines only, never the
font, so highlighting never changes where text is laid out.
"""
from __future__ import annotations

from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextDocument

from .annotation_style import unsure
from .view_state import ViewState


class SpanHighlighter(QSyntaxHighlighter):
    """Fills spans in their label colour: confirmed spans solid, suggestions
    pale with a dotted underline, the selected span (and the ends of the
    selected relation) stronger. Nested spans are painted outer first, so the
    innermost span's colour shows where they overlap."""

    def __init__(self, document: QTextDocument, state: ViewState) -> None:
        super().__init__(document)
        self.state = state
        self._done: set[int] = set()
        self._formats: dict[tuple[str, bool, bool], QTextCharFormat] = {}

    def reset(self) -> None:
        """Forget which blocks are highlighted (a new text is about to be set)."""
        self._done.clear()
        self._formats.clear()

    def is_highlighted(self, block_number: int) -> bool:
        return block_number in self._done

    def ensure(self, block: QTextBlock) -> bool:
        """Highlight a block if it has not been yet; return whether it was done now."""
        number = block.blockNumber()
        if number in self._done:
            return False
        self._done.add(number)
        if self.state.index is not None and self.state.index.spans_in(number):
            self.rehighlightBlock(block)
        return True

    def refresh(self, block: QTextBlock) -> None:
        """Re-highlight a block if it has been highlighted before."""
        if block.blockNumber() in self._done:
            self.rehighlightBlock(block)

    def format_for(self, label: str, *, suggestion: bool, strong: bool, faint: bool = False) -> QTextCharFormat:
        key = (label, suggestion, strong, faint)
        fmt = self._formats.get(key)
        if fmt is None:
            style = self.state.styles.label(label)
            fmt = QTextCharFormat()
            if strong:
                fmt.setBackground(style.strong)
            elif faint:
                fmt.setBackground(style.faint)
            elif suggestion:
                fmt.setBackground(style.soft)
            else:
                fmt.setBackground(style.fill)
            if suggestion:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(style.ink)
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        block = self.currentBlock()
        number = block.blockNumber()
        index = self.state.index
        if number not in self._done or index is None:
            return
        to_display = self.state.offsets.to_display
        bpos = block.position()
        length = block.length() - 1  # UTF-16 units, like the offsets
        strong = self.state.emphasised_spans()
        for span in index.spans_in(number):
            fmt = self.format_for(span.label, suggestion=span.is_suggestion, strong=span.id in strong, faint=unsure(span))
            for start, end in span.pieces():
                qs = max(to_display(start) - bpos, 0)
                qe = min(to_display(end) - bpos, length)
                if qe > qs:
                    self.setFormat(qs, qe - qs, fmt)
