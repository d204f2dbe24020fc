"""Data is text: markup in every string a project or file brings (titles,
metadata, annotator names, labels, descriptions, relation types, guidelines,
messages) shows literally in both windows. A plain-text widget shows the raw
string; rich text built by the code renders the raw string; a tooltip is the
escaped form; a button or menu text doubles ``&`` so it is no mnemonic."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QToolTip

from annotator.core.errors import AnnotatorError
from annotator.core.model import Relation, Span, text_hash
from annotator.core.scheme import Scheme
from annotator.store.project import Project

from .labeling import make_window, point_in, settings  # noqa: F401 (fixtures)
from .test_review import tokens

pytestmark = pytest.mark.gui

IMG = "<img src=x><h1>x</h1>"
AMP = "<b>&amp;</b>"
LABEL = "<b>R&amp;D</b>"  # a label name (no whitespace, as the scheme requires)
REL = "<h1>rel</h1>"
NAME = "<img/src=x>&amp;"  # an annotator name
TEXT = "Foxconn will invest in Ohio ."
TITLE = f"{IMG} deal"
SOURCE = f"{AMP}.txt"
SCHEME = {
    "name": "markup",
    "labels": [
        {"name": LABEL, "key": "1", "color": "#7fe3f0", "description": IMG},
        {"name": "GPE", "key": "2", "color": "#f7c796", "description": AMP},
    ],
    "relations": [
        {"name": REL, "head": [LABEL], "child": ["GPE"], "description": IMG},
        {"name": "located", "head": [LABEL], "child": ["GPE"]},
    ],
    "guidelines": f"{IMG}\n{AMP}",
}


def rendered(rich: str) -> str:
    """What a rich-text label shows, as plain text."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def escaped_tooltip(text: str, *, wrap: bool = True) -> str:
    mode = Qt.WhiteSpaceMode.WhiteSpaceNormal if wrap else Qt.WhiteSpaceMode.WhiteSpacePre
    return GuiQt.convertFromPlainText(text, mode)


@pytest.fixture
def path(tmp_path):
    """One document by two annotators named with markup, both done, and a
    relation typed ``REL`` between a ``LABEL`` span and a GPE span."""
    file = tmp_path / "<b>&amp;.annotator"
    spans = [Span(1, 0, 7, LABEL), Span(2, 23, 27, "GPE")]
    with Project.create(file, scheme=Scheme.from_dict(SCHEME)) as project:
        doc, _ = project.add_document(
            text=TEXT, hash=text_hash(TEXT), title=TITLE, tokens=tokens(TEXT), meta={"title": TITLE, "filename": SOURCE},
        )
        project.write_set(doc, NAME, spans, [Relation(1, 1, 2, REL)], status="done")
        project.write_set(doc, "bob", spans[:1], status="done")
    return file


@pytest.fixture
def labeling(make_window, path):
    return make_window(path, NAME)


def assert_plain(label: QLabel, text: str) -> None:
    assert (label.textFormat(), label.text()) == (Qt.TextFormat.PlainText, text)


def test_the_labeling_window_shows_data_literally(qtbot, labeling, path):
    window = labeling
    assert window.windowTitle() == f"{path.name} — annotator"
    assert_plain(window.header.title, TITLE)
    assert window.header.meta.textFormat() == Qt.TextFormat.PlainText and SOURCE in window.header.meta.text()
    assert_plain(window.status.annotator, f"Annotator: {NAME}")
    # the palette: label names as button texts, descriptions as tooltips
    button = window.palette.buttons[LABEL]
    assert button.text() == LABEL.replace("&", "&&")
    assert button.toolTip() == escaped_tooltip(IMG)
    assert window.palette.buttons["GPE"].toolTip() == escaped_tooltip(AMP)
    # the guidelines
    assert window.guidelines.text.toPlainText() == (
        f"markup\n\n{IMG}\n{AMP}\n\nLabels\n  [1] {LABEL}: {IMG}\n  [2] GPE: {AMP}\n\n"
        f"Relations\n  {REL} ({LABEL} -> GPE): {IMG}\n  located ({LABEL} -> GPE)\n"
    )
    # the queue: title and its tooltip
    index = window.queue.model.index(0, 1)
    assert index.data() == TITLE and index.data(Qt.ItemDataRole.ToolTipRole) == escaped_tooltip(f"{TITLE}\ndone")
    # the relations list
    tree = window.relations.tree
    assert tree.topLevelItem(0).text(1) == REL
    assert tree.topLevelItem(0).toolTip(0) == escaped_tooltip(f"{LABEL}: Foxconn")
    # the Selection panel on a relation: its type as the chip, its description, its name in rows
    view = window.doc_view
    rect = view.relation_label_rect(1)
    with qtbot.waitSignal(view.relationClicked, timeout=2000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    details = window.details
    assert_plain(details.chip, REL)
    assert_plain(details.findChild(QLabel, "detail_means"), IMG)
    assert_plain(details.findChild(QLabel, "detail_head"), f"{LABEL} “Foxconn”")
    # ... and on a span: the relation type names label its rows
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 2))
    assert_plain(details.chip, LABEL)
    from PySide6.QtWidgets import QFormLayout

    form = details.form
    fields = [form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget() for r in range(form.rowCount())]
    assert [(w.textFormat(), w.text()) for w in fields] == [
        (Qt.TextFormat.PlainText, "Status"), (Qt.TextFormat.PlainText, "Offsets"), (Qt.TextFormat.PlainText, REL),
    ]
    # the span tooltip in the text
    pos = point_in(view, 2)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert QToolTip.text() == escaped_tooltip(f"{LABEL} · confirmed", wrap=False)
    # the cheat sheet lists label names as they are
    qtbot.keyClick(view, Qt.Key.Key_F1)
    table = window.cheatsheet.findChild(QTableWidget, "cheatsheet_table")
    assert table.item(0, 2).text() == f"{LABEL}: label the selection or selected span"
    # a message from a file goes into a plain-text dialog and the status bar
    window.reporter.error(AnnotatorError(f"bad record {IMG}"))
    box = window.reporter.last_dialog
    assert (box.textFormat(), box.text()) == (Qt.TextFormat.PlainText, f"bad record {IMG}")
    assert window.statusBar().currentMessage() == f"bad record {IMG}"


def test_the_relation_type_menu_shows_type_names_literally(qtbot, labeling):
    from PySide6.QtWidgets import QMenu

    window, view = labeling, labeling.doc_view
    window.relations.tree.clear()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 2))
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in(view, 24))
    menu = window.editor.relation_menu
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions()] == [
        f"{LABEL.replace('&', '&&')} → GPE", f"&1  {REL}", "&2  located",
    ]
    menu.close()


@pytest.fixture
def review(qtbot, tmp_path, path):
    from annotator.gui.app import apply_style
    from annotator.gui.review.window import ReviewWindow

    apply_style(QApplication.instance())
    settings = QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat)
    window = ReviewWindow(Project.open(path), NAME, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    window.start()
    qtbot.waitUntil(lambda: window.agreement.report is not None, timeout=10_000)
    return window


def test_the_review_window_shows_data_literally(qtbot, review, path):
    window = review
    assert window.windowTitle() == f"{path.name} — review"
    assert_plain(window.status.annotator, f"Reviewer: {NAME}")
    assert window.annotators == [NAME, "bob"]
    # the legend is rich text the window builds: names render as typed, no image, no heading
    legend = window.legend.text()
    assert "<img/src=x>" not in legend and "<h1>" not in legend
    assert f"1 {window.tags[NAME]} = {NAME}" in rendered(legend).replace("\xa0", " ")
    # the conflict panel: one row per annotator, names as typed
    assert window.cluster is not None
    who = [row.findChildren(QLabel)[1] for row in window.conflict.rows[: window.conflict.shown]]
    assert [rendered(w.text()) for w in who] == [f"{window.tags[NAME]} {NAME}", "B bob ✓", "– none ✓"]
    body = window.conflict.rows[0].findChildren(QLabel)[2]
    assert f"{REL}: Foxconn → Ohio" in rendered(body.text())
    assert rendered(window.conflict.title.text()).startswith("Conflict 1 of 1 · gold: ")
    # label buttons and their tooltips
    button = window.labels.buttons[LABEL]
    assert button.text() == f"{LABEL}  Alt+1".replace("&", "&&")
    assert button.toolTip() == escaped_tooltip(IMG)
    # the pick actions in the Review menu
    assert window.action("pick_1").text() == f"Take {NAME}'s version".replace("&", "&&")
    # the agreement tables and the queue
    pairs = window.agreement.pairs
    assert pairs.item(0, 0).text() == f"{NAME} – bob"
    assert window.agreement.summary.textFormat() == Qt.TextFormat.PlainText
    assert window.agreement.summary.text().startswith(f"Agreement of {NAME}, bob: 1 of 1 document compared")
    index = window.queue.model.index(0, 1)
    assert index.data() == TITLE and index.data(Qt.ItemDataRole.ToolTipRole) == escaped_tooltip(TITLE)
    assert_plain(window.header.title, TITLE)
    window.close()


def test_right_click_menus_show_label_and_type_names_literally(qtbot, labeling):
    from .test_labeling_window import menu_texts, right_click

    window, view = labeling, labeling.doc_view
    right_click(qtbot, view.viewport(), point_in(view, 2))
    menu = window.context_menu
    qtbot.waitUntil(menu.isVisible)
    assert menu.actions()[0].text() == f"{LABEL} “Foxconn”".replace("&", "&&")
    label_menu = window.findChild(type(menu), "label_menu")
    assert menu_texts(label_menu)[0] == f"{LABEL.replace('&', '&&')} [1]"
    menu.close()
    right_click(qtbot, view.viewport(), view.relation_label_rect(1).center().toPoint())
    menu = window.context_menu
    qtbot.waitUntil(menu.isVisible)
    assert menu.actions()[0].text() == f"{REL} relation"
    menu.close()
