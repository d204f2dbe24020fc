from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCharFormat

from annotator.core.layout import paragraph_starts
from annotator.core.model import AnnotationSet, Document, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.gui.annotation_style import label_style
from annotator.gui.doc_view import DocView

pytestmark = pytest.mark.gui

ORG = "#7aecec"
MONEY = "#e4e7d2"
SCHEME = Scheme.from_dict(
    {
        "name": "news",
        "labels": [{"name": "ORG", "color": ORG}, {"name": "MONEY", "color": MONEY}],
        "relations": [{"name": "amount"}],
    }
)
TEXT = "Foxconn will invest      $5 billion in Wisconsin, said Hon Hai Precision Industry Co. today."
#       Foxconn(0,7) will(8,12) invest(13,19) $(25,26) 5(26,27) billion(28,35) in(36,38)
#       Wisconsin(39,48) ,(48,49) said(50,54) Hon(55,58) Hai(59,62) ... Co.(82,85)? see tokens()


def tokens(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.start(), m.end()) for m in re.finditer(r"\w+\.?|[^\w\s]", text))


def document(text: str = TEXT) -> Document:
    return Document(1, text_hash(text), text, tokens(text))


def annotations() -> AnnotationSet:
    hon = TEXT.index("Hon Hai")
    co = TEXT.index("Co.") + 3
    return AnnotationSet.build(
        1,
        "alice",
        [
            Span(1, 0, 7, "ORG"),
            Span(2, 25, 35, "MONEY"),
            Span(3, hon, co, "ORG"),
            Span(4, hon, hon + 7, "ORG", origin="model"),
        ],
        [Relation(1, 1, 2, "amount")],
    )


@pytest.fixture
def make_view(qtbot):
    def make(text: str = TEXT, aset: AnnotationSet | None = None, *, width: int = 900, height: int = 500) -> DocView:
        view = DocView()
        qtbot.addWidget(view)
        view.resize(width, height)
        view.set_document(document(text), aset if aset is not None else annotations(), SCHEME)
        view.show()
        qtbot.waitExposed(view)
        view.viewport().repaint()
        return view

    return make


def point_in(view: DocView, offset: int) -> QPoint:
    """A viewport point over the character at ``offset`` (just right of its left edge)."""
    rect = view.offset_rect(offset)
    return QPoint(int(rect.left()) + 2, int(rect.center().y()))


def drag(qtbot, view: DocView, start: int, end: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    a, b = point_in(view, start), point_in(view, end)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, a)
    qtbot.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, b)


def formats(view: DocView, block_number: int = 0) -> list[tuple[int, int, str, QTextCharFormat.UnderlineStyle]]:
    """The span fills the view paints in a paragraph, by start, with the
    underline as a text format would name it."""
    dot, none = QTextCharFormat.UnderlineStyle.DotLine, QTextCharFormat.UnderlineStyle.NoUnderline
    fills = sorted(view.span_fills(block_number), key=lambda f: (f[0], -f[1]))  # outer before inner
    return [(start, length, color, dot if dotted else none) for start, length, color, dotted in fills]


def test_token_fixture():
    assert [(t.start, t.end) for t in tokens(TEXT)][:9] == [
        (0, 7), (8, 12), (13, 19), (25, 26), (26, 27), (28, 35), (36, 38), (39, 48), (48, 49)
    ]


# -- mouse -------------------------------------------------------------------
def test_drag_emits_selection_snapped_to_tokens(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.selectionMade, timeout=1000) as blocker:
        drag(qtbot, view, 3, 16)  # from inside "Foxconn" to inside "invest"
    assert blocker.args == [0, 19]
    cursor = view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (0, 19)


def test_drag_backwards_snaps_the_same(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.selectionMade, timeout=1000) as blocker:
        drag(qtbot, view, 44, 26)  # from inside "Wisconsin" back to before "5"
    assert blocker.args == [26, 48]


def test_alt_drag_is_character_precise(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.selectionMade, timeout=1000) as blocker:
        drag(qtbot, view, 3, 16, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [3, 16]


def test_whitespace_only_selection_emits_nothing(qtbot, make_view):
    view = make_view()
    with qtbot.assertNotEmitted(view.selectionMade):
        drag(qtbot, view, 20, 24)  # inside the run of spaces
    assert not view.textCursor().hasSelection()


def test_click_on_span_text_and_tag(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 30))
    assert blocker.args == [2]
    # Inside both Hon Hai spans, the innermost wins.
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, TEXT.index("Hai")))
    assert blocker.args == [4]
    # The outer one is reached through its tag.
    tag = view.tag_rect(3)
    assert tag is not None
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=tag.center().toPoint())
    assert blocker.args == [3]


def test_click_on_plain_text_is_background(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.backgroundClicked, timeout=1000):
        with qtbot.assertNotEmitted(view.spanClicked):
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 9))


def test_click_on_relation_label(qtbot, make_view):
    view = make_view()
    label = view.relation_label_rect(1)
    assert label is not None
    # The label floats above the text, between its two spans.
    assert label.bottom() < view.offset_rect(0).top()
    assert view.offset_rect(0).left() < label.center().x() < view.offset_rect(35).left()
    with qtbot.waitSignal(view.relationClicked, timeout=1000) as blocker:
        with qtbot.assertNotEmitted(view.selectionMade):
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    assert blocker.args == [1]


def test_relation_across_paragraphs_is_drawn_and_clickable(qtbot, make_view):
    text = "Foxconn will invest heavily.\n\nThe money goes to $5 billion of plants."
    money = text.index("$5 billion")
    aset = AnnotationSet.build(
        1, "alice", [Span(1, 0, 7, "ORG"), Span(2, money, money + 10, "MONEY")], [Relation(7, 1, 2, "amount")]
    )
    view = make_view(text, aset)
    label = view.relation_label_rect(7)
    assert label is not None
    # The half leaving Foxconn carries the label, above the first line.
    assert label.bottom() < view.offset_rect(0).top()
    with qtbot.waitSignal(view.relationClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=label.center().toPoint())
    assert blocker.args == [7]


def test_lookups(make_view):
    view = make_view()
    assert [view.span_at(i) for i in (0, 6, 7, 25, TEXT.index("Hai"), TEXT.index("Precision"))] == [
        1, 1, None, 2, 4, 3
    ]
    assert view.span_at_point(QPointF(point_in(view, 1))) == 1
    assert view.relation_at_point(view.relation_label_rect(1).center()) == 1
    assert view.span_at_point(QPointF(point_in(view, 9))) is None


# -- text and highlighting -----------------------------------------------------
def test_markup_in_the_text_stays_literal(make_view):
    text = '<b>bold</b> <img src="logo.png"> <script>alert(1)</script> &amp; <a href="x">x</a>'
    view = make_view(text, AnnotationSet.build(1, "alice", [Span(1, 3, 7, "ORG")]))
    assert view.toPlainText() == text
    assert view.document().toRawText() == text
    assert view.document().blockCount() == 1
    block = view.document().firstBlock()
    it = block.begin()
    while not it.atEnd():
        assert not it.fragment().charFormat().isImageFormat()
        it += 1
    assert "\ufffc" not in view.document().toRawText()
    assert formats(view) == [(3, 4, ORG, QTextCharFormat.UnderlineStyle.NoUnderline)]


def test_highlight_formats_exact_ranges(make_view):
    view = make_view()
    hon = TEXT.index("Hon Hai")
    co = TEXT.index("Co.") + 3
    soft = label_style(ORG).soft.name()
    dot = QTextCharFormat.UnderlineStyle.DotLine
    none = QTextCharFormat.UnderlineStyle.NoUnderline
    assert formats(view) == [
        (0, 7, ORG, none),
        (25, 10, MONEY, none),
        (hon, co - hon, ORG, none),
        (hon, 7, soft, dot),  # the nested suggestion, painted over its outer span
    ]
    view.select_span(2)
    strong = label_style(MONEY).strong.name()
    assert formats(view)[1] == (25, 10, strong, none)
    assert view.selected_span() == 2
    view.select_span(None)
    assert formats(view)[1] == (25, 10, MONEY, none)


def test_selected_relation_strengthens_both_ends(make_view):
    view = make_view()
    view.select_relation(1)
    assert [f[2] for f in formats(view)[:2]] == [label_style(ORG).strong.name(), label_style(MONEY).strong.name()]
    view.select_relation(99)
    assert view.selected_relation() is None
    assert [f[2] for f in formats(view)[:2]] == [ORG, MONEY]


def test_update_annotations_rehighlights_changed_spans(make_view):
    aset = annotations()
    view = make_view(aset=aset)
    view.select_span(2)
    aset.replace_span(replace(aset.spans[1], label="MONEY"))
    aset.remove_span(2)
    aset.remove_relation(1)
    view.update_annotations(aset)
    assert view.selected_span() is None
    assert formats(view)[:1] == [(0, 7, MONEY, QTextCharFormat.UnderlineStyle.NoUnderline)]
    assert [f[0] for f in formats(view)].count(25) == 0
    assert view.relation_label_rect(1) is None
    assert view.tag_rect(2) is None


def test_offsets_survive_astral_characters_and_crlf(qtbot, make_view):
    text = "Emoji \U0001f600 Foxconn\r\nThen \U0001f680 OpenAI and Nvidia"
    fox = text.index("Foxconn")
    openai = text.index("OpenAI")
    aset = AnnotationSet.build(1, "alice", [Span(1, fox, fox + 7, "ORG"), Span(2, openai, openai + 6, "ORG")])
    view = make_view(text, aset)
    assert view.document().blockCount() == len(paragraph_starts(text)) == 2
    assert (fox, openai) == (8, 24)
    # Display positions count the emoji twice and "\r\n" once: Foxconn at 9,
    # the second paragraph at 17, OpenAI at 8 within it ("Then " + 2 + " ").
    none = QTextCharFormat.UnderlineStyle.NoUnderline
    assert formats(view, 0) == [(9, 7, ORG, none)]
    assert view.document().findBlockByNumber(1).position() == 17
    assert formats(view, 1) == [(8, 6, ORG, none)]
    with qtbot.waitSignal(view.selectionMade, timeout=1000) as blocker:
        drag(qtbot, view, openai + 2, text.index("Nvidia") + 2)
    assert blocker.args == [openai, len(text)]
    assert text[blocker.args[0]:blocker.args[1]] == "OpenAI and Nvidia"


# -- a long article ------------------------------------------------------------
def long_article() -> tuple[str, AnnotationSet]:
    paragraph = (
        "Foxconn and OpenAI announced a broad partnership to co-design and manufacture servers "
        "and other data center hardware in the U.S., and Foxconn will invest $5 billion."
    )
    text = "\n\n".join([paragraph] * 700)[:100_000]
    spans, relations = [], []
    for i, start in enumerate(m.start() for m in re.finditer("Foxconn", text)):
        spans.append(Span(i + 1, start, start + 7, "ORG"))
        if i % 2:
            relations.append(Relation(len(relations) + 1, i, i + 1, "amount"))
    return text, AnnotationSet.build(1, "alice", spans, relations)


def test_a_100k_character_article_loads_and_highlights_lazily(make_view):
    text, aset = long_article()
    view = make_view(text, aset)
    assert len(text) == 100_000
    assert view.toPlainText() == text
    assert view.document().blockCount() == len(paragraph_starts(text))
    assert formats(view, 0)[0] == (0, 7, ORG, QTextCharFormat.UnderlineStyle.NoUnderline)
    middle = view.document().blockCount() // 2
    assert formats(view, middle) == []  # never on screen, never laid out or painted


def test_scroll_to_span_brings_it_into_view(make_view):
    text, aset = long_article()
    view = make_view(text, aset)
    last = max(aset.spans)
    span = aset.spans[last]
    view.scroll_to_span(last)
    view.viewport().repaint()
    rect = view.offset_rect(span.start)
    assert 0 <= rect.top() and rect.bottom() <= view.viewport().height()
    assert view.tag_rect(last) is not None
    assert formats(view, view.document().findBlock(span.start).blockNumber())[0][1:3] == (7, ORG)


# -- arcs split over lines, symmetric types ------------------------------------------
def split_view(make_view, scheme_relations):
    hon = TEXT.index("Hon Hai")
    aset = AnnotationSet.build(
        1, "alice", [Span(1, 0, 7, "ORG"), Span(3, hon, hon + 7, "ORG")], [Relation(1, 1, 3, "partner")]
    )
    scheme = Scheme.from_dict({"name": "news", "labels": [{"name": "ORG", "color": ORG}], "relations": scheme_relations})
    view = make_view(aset=AnnotationSet(1, "alice"), width=420)
    view.set_document(document(), aset, scheme)
    view.viewport().repaint()
    assert view.offset_rect(0).top() < view.offset_rect(hon).top()  # the ends are on different lines
    return view


def test_both_halves_of_a_split_arc_carry_the_label_and_select_it(qtbot, make_view):
    view = split_view(make_view, [{"name": "partner"}])
    first, second = view.relation_label_rects(1)
    assert first.top() < second.top()
    assert view.arrowheads(1) == 1
    with qtbot.waitSignal(view.relationClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=second.center().toPoint())
    assert blocker.args == [1]


def test_a_symmetric_relation_has_no_arrowhead(make_view):
    view = split_view(make_view, [{"name": "partner", "symmetric": True}])
    assert len(view.relation_label_rects(1)) == 2
    assert view.arrowheads(1) == 0


def test_a_long_text_does_not_narrow_the_view(make_view):
    view = make_view()  # one short paragraph: nothing to scroll
    width = view.viewport().width()
    text, aset = long_article()
    view.set_document(document(text), aset, SCHEME)
    view.viewport().repaint()
    assert view.verticalScrollBar().maximum() > 0
    assert view.viewport().width() == width  # the scroll bar was there all along: no line breaks anew


# -- keyboard ----------------------------------------------------------------
def shift_select(qtbot, view: DocView, start: int, key, presses: int, modifier=Qt.KeyboardModifier.NoModifier):
    """Put the (invisible) cursor at ``start`` and press ``key`` with Shift
    ``presses`` times (qtbot presses and lets go of Shift each time); returns
    every ``selectionMade``."""
    made: list[tuple[int, int]] = []
    view.selectionMade.connect(lambda a, b: made.append((a, b)))
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(start)
    view.setTextCursor(cursor)
    for _ in range(presses):
        qtbot.keyClick(view, key, Qt.KeyboardModifier.ShiftModifier | modifier)
    return made


def test_shift_arrows_select_snapped_to_tokens_like_the_mouse(qtbot, make_view):
    view = make_view()
    made = shift_select(qtbot, view, 0, Qt.Key.Key_Right, 9)  # "Foxconn w"
    assert made == [(0, 7)] * 8 + [(0, 12)]
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (0, 12)  # shown snapped, as a drag


def test_shift_left_selects_backwards_and_keeps_the_direction(qtbot, make_view):
    view = make_view()
    made = shift_select(qtbot, view, 19, Qt.Key.Key_Left, 2)  # "st" of "invest"
    assert made == [(13, 19), (13, 19)]
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (19, 13)


def test_alt_shift_arrows_are_character_precise(qtbot, make_view):
    view = make_view()
    made = shift_select(qtbot, view, 2, Qt.Key.Key_Right, 3, Qt.KeyboardModifier.AltModifier)
    assert made == [(2, 3), (2, 4), (2, 5)]
    cursor = view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (2, 5)


def test_keyboard_selection_of_whitespace_reports_nothing_selected(qtbot, make_view):
    view = make_view()
    with qtbot.waitSignal(view.backgroundClicked, timeout=1000):
        made = shift_select(qtbot, view, 20, Qt.Key.Key_Right, 2)  # two of the spaces
    assert made == []
    assert not view.textCursor().hasSelection()


def test_no_text_cursor_is_drawn(qtbot, make_view):
    view = make_view("plain words here", AnnotationSet.build(1, "alice", [], []))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert view.cursorWidth() == 0
    rect = view.cursorRect()
    image = view.viewport().grab().toImage()
    column = {image.pixelColor(rect.left(), y).name() for y in range(rect.top() + 2, rect.bottom() - 2)}
    assert column == {view.palette().color(view.palette().ColorRole.Base).name()}


def test_a_short_split_half_at_the_right_edge_has_its_label_beside_its_leg(make_view):
    view = make_view(aset=AnnotationSet(1, "alice"), width=420)
    tops = [view.offset_rect(t.start).top() for t in tokens(TEXT)]
    last = max(i for i, top in enumerate(tops) if top == tops[0])  # the last token of the first line
    head = tokens(TEXT)[last]
    child = tokens(TEXT)[last + 2]
    aset = AnnotationSet.build(
        1, "alice", [Span(1, head.start, head.end, "ORG"), Span(2, child.start, child.end, "MONEY")],
        [Relation(1, 1, 2, "amount"), Relation(2, 1, 2, "location")],
    )
    scheme = Scheme.from_dict({
        "name": "news", "labels": [{"name": "ORG", "color": ORG}, {"name": "MONEY", "color": MONEY}],
        "relations": [{"name": "amount"}, {"name": "location"}],
    })
    view.set_document(document(), aset, scheme)
    view.viewport().repaint()
    right = view.viewport().width() - view.document().documentMargin()
    first = {rel: next(view._arcs_on_screen(rel)) for rel in (1, 2)}  # (label rect, arc) on the first line
    for rect, arc in first.values():
        assert arc.by is None and 0 < arc.bx - arc.ax < rect.width()  # a half too short for its label, running off right
        assert rect.right() <= right
        assert rect.right() <= round(arc.ax - 4 - rect.width()) + rect.width()  # at least 4 px left of its leg
    # "location" first had the leg of "amount" through its label, so the label
    # stepped 4 px left of that leg, which put the arc above "amount"
    legs = sorted(arc.ax for _rect, arc in first.values())
    assert first[2][0].right() == round(legs[0] - 4 - first[2][0].width()) + first[2][0].width()
    assert [rect.getRect() for rect, _arc in first.values()] == [(312, 43, 51, 12), (310, 29, 54, 12)]
    assert not first[1][0].intersects(first[2][0])
