"""The review window: a project with three annotators reviewed with real keys
and mouse, and the gold set read back from the file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QImage

from annotator.core.model import GOLD, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from annotator.store.project import Project

pytestmark = pytest.mark.gui

SCHEME = {
    "name": "review-test",
    "labels": [
        {"name": "ORG", "key": "1", "color": "#7fe3f0"},
        {"name": "MONEY", "key": "2", "color": "#d4f59e"},
        {"name": "GPE", "key": "3", "color": "#f7c796"},
        {"name": "INVESTMENT", "key": "4", "color": "#a1b8f7", "trigger": True},
    ],
    "relations": [
        {"name": "amount", "head": ["INVESTMENT"], "child": ["MONEY"]},
        {"name": "investor", "head": ["INVESTMENT"], "child": ["ORG"]},
        {"name": "partner", "head": ["ORG"], "child": ["ORG"], "symmetric": True},
    ],
}
TEXT = "Foxconn will invest $5 billion in Ohio with OpenAI .\n\nThe plant opens next year ."
OTHER = "OpenAI and Foxconn agree ."


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def tokens(text: str) -> list[Token]:
    out, pos = [], 0
    for line in text.split("\n"):
        for word in line.split(" "):
            if word:
                out.append(Token(pos, pos + len(word)))
            pos += len(word) + 1
    return out


def spans(text: str, items) -> list[Span]:
    return [Span(i, *at(text, word), label) for i, (word, label) in enumerate(items, start=1)]


def relations(items) -> list[Relation]:
    return [Relation(i, h, c, label) for i, (h, c, label) in enumerate(items, start=1)]


@pytest.fixture
def project_path(tmp_path) -> Path:
    """Document 1 (TEXT), all three agree on ORG Foxconn, INVESTMENT invest and
    investor(invest -> Foxconn); alice and carol mark MONEY "$5 billion", bob
    "$5", each with amount(invest -> it); alice and bob mark GPE Ohio; alice
    alone ORG OpenAI with partner(Foxconn, OpenAI). Document 2 (OTHER): alice
    and bob agree on both ORGs; carol has no set."""
    path = tmp_path / "review.annotator"
    with Project.create(path, scheme=Scheme.from_dict(SCHEME)) as project:
        d1, _ = project.add_document(text=TEXT, hash=text_hash(TEXT), title="Foxconn invests", tokens=tokens(TEXT), meta={})
        d2, _ = project.add_document(text=OTHER, hash=text_hash(OTHER), title="OpenAI and Foxconn", tokens=tokens(OTHER), meta={})
        common = [("Foxconn", "ORG"), ("invest", "INVESTMENT")]
        project.write_set(d1, "alice", spans(TEXT, common + [("$5 billion", "MONEY"), ("Ohio", "GPE"), ("OpenAI", "ORG")]),
                          relations([(2, 1, "investor"), (2, 3, "amount"), (1, 5, "partner")]), status="done")
        project.write_set(d1, "bob", spans(TEXT, common + [("$5", "MONEY"), ("Ohio", "GPE")]),
                          relations([(2, 1, "investor"), (2, 3, "amount")]), status="done")
        project.write_set(d1, "carol", spans(TEXT, common + [("$5 billion", "MONEY")]),
                          relations([(2, 1, "investor"), (2, 3, "amount")]), status="done")
        pair = [("OpenAI", "ORG"), ("Foxconn", "ORG")]
        project.write_set(d2, "alice", spans(OTHER, pair), status="done")
        project.write_set(d2, "bob", spans(OTHER, pair), status="done")
    return path


def read_gold(path: Path, document_id: int, text: str):
    """``(status, spans, relations)`` of the gold set through a fresh connection;
    spans as ``(covered text, label, origin)``, relations as ``(head text, child text, label)``."""
    with Project.open(path) as project:
        gold = project.annotation_set(document_id, GOLD)
    if gold is None:
        return None
    quote = lambda sid: text[gold.spans[sid].start:gold.spans[sid].end]  # noqa: E731
    return (
        gold.status,
        sorted((text[s.start:s.end], s.label, s.origin) for s in gold.spans.values()),
        sorted((quote(r.head), quote(r.child), r.label) for r in gold.relations.values()),
    )


@pytest.fixture
def make_window(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from annotator.gui.app import apply_style
    from annotator.gui.review.window import ReviewWindow

    def make(path: Path, **kwargs):
        apply_style(QApplication.instance())
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = ReviewWindow(Project.open(path), "rita", settings=settings, **kwargs)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.start()
        qtbot.waitUntil(lambda: window.agreement.report is not None, timeout=10_000)
        window.doc_view.setFocus()
        return window

    return make


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.doc_view, key, modifier)


def drag(qtbot, window, start: int, end: int) -> None:
    """Select ``[start, end)`` with the mouse."""
    view = window.doc_view
    a, b = view.offset_rect(start), view.offset_rect(end - 1)
    p, q = QPoint(int(a.left()) + 2, int(a.center().y())), QPoint(int(b.left()) + 4, int(b.center().y()))
    with qtbot.waitSignal(view.selectionMade, timeout=2000):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
        qtbot.mouseMove(view.viewport(), q)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, q)


def test_review_flow_writes_exactly_the_gold_set(qtbot, make_window, project_path):
    window = make_window(project_path)
    # the queue: most disagreements first
    model = window.queue.model
    assert [(model.document_id(r), model.disagreements(model.document_id(r))) for r in range(model.rowCount())] == [(1, 7), (2, 0)]
    assert window.session.document.id == 1
    # unanimous items were accepted into gold when the document opened
    assert read_gold(project_path, 1, TEXT) == (
        "new", [("Foxconn", "ORG", "human"), ("invest", "INVESTMENT", "human")], [("invest", "Foxconn", "investor")]
    )
    # who made what is on the tags: ghosts for what gold lacks
    overlay = window.doc_view.overlay
    assert sorted(overlay.span_text[g] for g in overlay.ghost_spans) == [
        "GPE A·B", "MONEY A·C", "MONEY B", "ORG A",
    ]
    assert window.cluster.number == 0 and window.conflict.title.text().startswith("<b>Conflict 1 of 3</b>")

    press(qtbot, window, Qt.Key.Key_N)
    assert window.cluster.number == 1 and (window.cluster.start, window.cluster.end) == (13, 30)
    press(qtbot, window, Qt.Key.Key_2)  # bob's version of the money conflict
    assert window.cluster.number == 2  # moved on to Ohio
    press(qtbot, window, Qt.Key.Key_P)
    assert window.conflict.picked() == [False, True, False, False]
    assert sorted(window.doc_view.overlay.span_text.values()) == [
        "GPE A·B", "MONEY A·C", "MONEY B", "ORG A",
    ]

    # a direct edit: select "OpenAI", label it ORG with Alt+1, then undo and redo it
    drag(qtbot, window, *at(TEXT, "OpenAI"))
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert sorted(s.label for s in window.session.aset.spans.values()) == ["INVESTMENT", "MONEY", "ORG", "ORG"]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.aset.spans) == 3
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.session.aset.spans) == 4

    # the partner conflict: alice's version adds the relation to the OpenAI span gold now has
    press(qtbot, window, Qt.Key.Key_P)
    assert window.cluster.number == 0
    press(qtbot, window, Qt.Key.Key_1)

    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.id == 2
    window.close()

    assert read_gold(project_path, 1, TEXT) == (
        "reviewed",
        [("$5", "MONEY", "human"), ("Foxconn", "ORG", "human"), ("OpenAI", "ORG", "human"),
         ("invest", "INVESTMENT", "human")],
        [("Foxconn", "OpenAI", "partner"), ("invest", "$5", "amount"), ("invest", "Foxconn", "investor")],
    )
    assert read_gold(project_path, 2, OTHER) == (
        "new", [("Foxconn", "ORG", "human"), ("OpenAI", "ORG", "human")], []
    )
    with Project.open(project_path) as project:
        done, undone = project.history(1, GOLD)
        authors = {r[0] for r in project.db.execute("SELECT DISTINCT who FROM journal")}
    assert authors == {"rita"}  # the reviewer, not the set's owner, is on every gold edit
    assert [e.describe() for e in done] == [
        "take bob's version", "add ORG span", "take alice's version", "mark reviewed",
    ] and undone == []


def test_keys_for_missing_versions_and_agreeing_documents(qtbot, make_window, project_path):
    window = make_window(project_path)
    window.open_document(2)
    assert window.cluster is None
    assert window.conflict.title.text() == "<b>The annotators agree on this document</b>"
    press(qtbot, window, Qt.Key.Key_N)
    assert window.reporter.last_message == "the annotators agree on this document; Ctrl+Enter marks it reviewed"
    window.open_document(1)
    press(qtbot, window, Qt.Key.Key_P)
    assert window.reporter.last_message == "this is the first conflict of 3"
    window.open_document(2)
    press(qtbot, window, Qt.Key.Key_3)
    assert window.reporter.last_message == "no conflict selected (N goes to the next one)"
    window.close()
    assert read_gold(project_path, 2, OTHER)[0] == "new"


def test_legend_counts_disagreements_and_conflicts_in_words(make_window, project_path):
    from PySide6.QtGui import QTextDocument

    window = make_window(project_path)
    shown = QTextDocument()
    shown.setHtml(window.legend.text())
    assert "7 disagreements in 3 conflicts · dashed: not in gold" in shown.toPlainText()
    window.open_document(2)
    shown.setHtml(window.legend.text())
    assert "0 disagreements in 0 conflicts" in shown.toPlainText()


def test_majority_mode_and_a_click_on_a_ghost_selects_its_conflict(qtbot, make_window, project_path):
    window = make_window(project_path, auto="majority")
    assert read_gold(project_path, 1, TEXT)[1] == [
        ("$5 billion", "MONEY", "human"), ("Foxconn", "ORG", "human"), ("Ohio", "GPE", "human"),
        ("invest", "INVESTMENT", "human"),
    ]
    overlay = window.doc_view.overlay
    ghost = next(g for g, key in overlay.ghost_spans.items() if key[2] == "MONEY")
    window.doc_view.spanClicked.emit(ghost)
    assert window.cluster.number == 1
    chosen = window.conflict.picked()
    assert chosen == [True, False, True, False]  # gold holds alice's (and carol's) version
    window.close()


def test_agreement_dock_shows_tables_and_bars(make_window, project_path):
    window = make_window(project_path)
    dock = window.agreement
    labels = [dock.labels.item(r, 0).text() for r in range(dock.labels.rowCount())]
    assert labels == ["GPE", "INVESTMENT", "MONEY", "ORG"]
    assert [dock.pairs.item(r, 0).text() for r in range(dock.pairs.rowCount())] == [
        "alice – bob", "alice – carol", "bob – carol",
    ]
    assert [name for name, _value, _color in dock.chart.bars] == labels
    assert dock.labels.item(1, 1).text() == "1.00"
    dock.tabs.setCurrentIndex(1)
    assert [name for name, _v, _c in dock.chart.bars] == ["alice – bob", "alice – carol", "bob – carol"]
    window.close()


@pytest.mark.slow
def test_review_command_screenshot(tmp_path, project_path):
    out = tmp_path / "review.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "review", str(project_path), "--annotators", "alice,bob,carol",
         "--auto", "majority", "--screenshot", str(out)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert read_gold(project_path, 1, TEXT)[1][0] == ("$5 billion", "MONEY", "human")


def test_review_command_reports_a_wrong_annotator(tmp_path, project_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "review", str(project_path), "--annotators", "alice,zoe"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "[E100] no annotation sets by 'zoe'; annotators in the project: alice, bob, carol" in result.stderr


def test_doc_view_label_texts_hook(qtbot):
    """``DocView.set_label_texts`` swaps tag texts; ``replan_spans`` redraws them after a change."""
    from annotator.core.model import AnnotationSet, Document
    from annotator.gui.doc_view import DocView

    view = DocView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    document = Document(1, text_hash(TEXT), TEXT, tuple(tokens(TEXT)))
    aset = AnnotationSet.build(1, "a", spans(TEXT, [("Foxconn", "ORG")]))
    view.set_document(document, aset, Scheme.from_dict(SCHEME))
    plain = view.tag_rect(1).width()
    texts = {1: "ORG A·B·C"}
    view.set_label_texts(lambda s: texts.get(s.id, s.label))
    view.viewport().repaint()
    wide = view.tag_rect(1).width()
    assert wide > plain
    texts[1] = "ORG"
    view.replan_spans([1])
    assert view.tag_rect(1).width() == plain
    view.set_label_texts()
    assert view.tag_rect(1).width() == plain


def test_queue_tooltips_show_markup_in_titles_literally(qtbot, tmp_path):
    from annotator.gui.review.queue import ReviewQueueModel

    text = "<b>Deal</b> <img src=x> done."
    with Project.create(tmp_path / "t.annotator", scheme=Scheme.from_dict(SCHEME)) as project:
        doc, _ = project.add_document(text=text, hash=text_hash(text), title=text, tokens=tokens(text), meta={})
        model = ReviewQueueModel(project, [(doc, 0)])
        tip = model.data(model.index(0, model.TITLE), Qt.ItemDataRole.ToolTipRole)
        assert "&lt;b&gt;Deal&lt;/b&gt;" in tip and "<img" not in tip


def test_closing_the_review_window_on_a_full_disk_says_the_time_was_not_saved(qtbot, make_window, project_path, monkeypatch, capsys):
    from .test_edit_safety import add_time_on_a_full_disk, fill_the_disk

    window = make_window(project_path)
    project = window.session.project
    document_id = window.session.document.id
    fill_the_disk(project, document_id)
    monkeypatch.setattr(project, "add_time", add_time_on_a_full_disk(project))
    monkeypatch.setattr(window.session, "elapsed", lambda: 7.0)
    assert window.close()
    message = (
        f"{project_path}: the disk is full while saving the time spent; nothing of it was saved and the project "
        f"is as it was. Free some disk space and try again. The 7 s spent on document {document_id} were not added to its time"
    )
    assert (window.reporter.last_message, capsys.readouterr().err) == (message, f"Error: [E005] {message}\n")
    assert not window.isVisible() and window.session.document is None


def test_gold_takes_work_finished_after_the_document_was_first_opened(qtbot, make_window, project_path):
    from annotator.core.edits import SetStatus

    with Project.open(project_path) as project:
        project.apply(2, "bob", SetStatus("done", "in_progress"), who="bob")
    window = make_window(project_path)
    assert window.session.document.id == 1
    press(qtbot, window, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: window.session.document.id == 2)
    assert read_gold(project_path, 2, OTHER) == ("new", [], [])  # only alice had finished
    with Project.open(project_path) as project:
        project.apply(2, "bob", SetStatus("in_progress", "done"), who="bob")
    press(qtbot, window, Qt.Key_PageUp)
    qtbot.waitUntil(lambda: window.session.document.id == 1)
    press(qtbot, window, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: window.session.document.id == 2)
    assert read_gold(project_path, 2, OTHER) == (
        "in_progress", [("Foxconn", "ORG", "human"), ("OpenAI", "ORG", "human")], []
    )
    assert window.reporter.last_message == (
        "gold took 2 span(s) and 0 relation(s) the annotators now agree on (finished since: bob); Ctrl+Z takes them out"
    )
    assert sorted(s.label for s in window.session.aset.spans.values()) == ["ORG", "ORG"]
    press(qtbot, window, Qt.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert read_gold(project_path, 2, OTHER) == ("in_progress", [], [])
