"""What a reviewer must be able to trust: only finished sets are compared, the
reviewer is who the window says, the panel's agreement is the CLI's, and the
window has Quit and Help. Real keys; the file is read back."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from annotator.cli import cli
from annotator.core.model import GOLD
from annotator.store.project import Project

from .test_review import OTHER, TEXT, make_window, press, project_path, read_gold, spans  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui


def add_untouched_document(path) -> int:
    """A third document that alice and bob only opened: their sets are copies
    of the same suggestions, status new and in_progress."""
    text = "Nvidia and Broadcom signed a deal in Texas ."
    with Project.open(path) as project:
        from annotator.core.model import text_hash

        from .test_review import tokens

        doc, _ = project.add_document(text=text, hash=text_hash(text), title="Nvidia", tokens=tokens(text), meta={})
        copy = spans(text, [("Nvidia", "ORG"), ("Broadcom", "ORG"), ("Texas", "GPE")])
        project.write_set(doc, "alice", copy, status="new")
        project.write_set(doc, "bob", copy, status="in_progress")
    return doc


def test_untouched_copies_are_shown_unfinished_and_never_become_gold(qtbot, make_window, project_path):
    doc = add_untouched_document(project_path)
    window = make_window(project_path)
    model = window.queue.model
    row = model.row_of(doc)
    assert row == model.rowCount() - 1  # unfinished documents come last
    assert [model.index(row, c).data() for c in range(4)] == [doc, "Nvidia", "–", "unfinished"]
    window.open_document(doc)
    assert window.review.annotators == () and window.cluster is None
    assert window.conflict.title.text() == "<b>No annotator has finished this document yet: nothing to compare</b>"
    legend = window.legend.text()
    assert "alice (new, not compared)" in legend and "bob (in progress, not compared)" in legend
    assert "0 of 3 finished: nothing compared" in legend
    press(qtbot, window, Qt.Key.Key_1)
    assert window.reporter.last_message == "alice has not finished this document (new): not compared"
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.close()
    with Project.open(project_path) as project:
        gold = project.annotation_set(doc, GOLD)
    assert (gold.status, gold.spans, gold.relations, gold.updated_by) == ("reviewed", {}, {}, "rita")


def test_the_agreement_panel_shows_the_cli_figures(qtbot, make_window, project_path):
    add_untouched_document(project_path)
    with Project.open(project_path) as project:  # carol's work on document 1 is not finished now
        project.db.execute("UPDATE annotation_sets SET status = 'in_progress' WHERE owner = 'carol'")
        project.db.conn.commit()
    cli_lines = CliRunner().invoke(cli, ["agreement", str(project_path), "--annotators", "alice,bob,carol"]).output.splitlines()
    window = make_window(project_path)
    summary = window.agreement.summary
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert summary.text() == (
        "Agreement of alice, bob, carol: 0 of 3 documents compared (sets done or reviewed), 0 tokens.\n"
        "No document is finished by every annotator yet: there is no agreement to show."
    )
    assert cli_lines[0] == "Agreement of alice, bob, carol: 0 of 3 documents compared (sets done or reviewed), 0 tokens"
    window.close()
    # two annotators who both finished documents 1 and 2: the same two lines in both places
    cli_lines = CliRunner().invoke(cli, ["agreement", str(project_path), "--annotators", "alice,bob"]).output.splitlines()
    window = make_window(project_path, annotators=["alice", "bob"])
    assert window.agreement.summary.text() == f"{cli_lines[0]}.\n{cli_lines[1]}."
    # exact: 5 of alice's 7 and bob's 6 spans match, F1 10/13; overlap adds "$5" ~ "$5 billion", 12/13
    assert cli_lines[1] == "Span F1 0.769 exact, 0.923 overlap; token kappa 0.667 on annotated tokens, 0.817 on all tokens"
    labels = window.agreement.labels
    assert [labels.horizontalHeaderItem(c).text() for c in range(labels.columnCount())] == [
        "Label", "F1", "κ ann.", "κ all",
    ]
    window.close()


def test_ctrl_q_closes_and_f1_lists_the_review_keys(qtbot, make_window, project_path):
    window = make_window(project_path)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Review", "&Edit", "&Document", "&View", "&Help"]
    help_menu = window.menuBar().actions()[-1].menu()
    assert [a.objectName() for a in help_menu.actions()] == ["shortcuts"]
    press(qtbot, window, Qt.Key.Key_F1)
    sheet = window.cheatsheet
    assert sheet is not None and sheet.isVisible()
    table = sheet.findChild(QTableWidget, "cheatsheet_table")
    rows = [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())]
    assert rows[:3] == [
        ("Alt+1", "ORG: label the selection or selected span"),
        ("Alt+2", "MONEY: label the selection or selected span"),
        ("Alt+3", "GPE: label the selection or selected span"),
    ]
    assert ("N", "Go to the next conflict") in rows
    assert ("1", "Make gold say what alice marked in the current conflict") in rows
    assert ("0", "Remove the current conflict's items from gold") in rows
    assert ("Ctrl+Q", "Close the window") in rows and ("F1\n?", "Show this list") in rows
    press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


@pytest.mark.slow
def test_review_command_records_the_reviewer_it_is_given(tmp_path, project_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "review", str(project_path), "--reviewer", "zed",
         "--screenshot", str(tmp_path / "review.png")],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Project.open(project_path) as project:
        gold = project.annotation_set(1, GOLD)
    assert gold.updated_by == "zed"
    assert read_gold(project_path, 1, TEXT)[0] == "new"


def test_reviewer_is_asked_when_no_name_is_saved(qtbot, tmp_path, project_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    from annotator.gui.review.launch import open_review

    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: asked.append(args[1]) or ("vera", True))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("annotator/name", "bob")  # the last person who labeled here
    window = open_review(project_path, settings=settings)
    qtbot.addWidget(window)
    assert (asked, window.reviewer, window.status.annotator.text()) == (["Who is reviewing?"], "vera", "Reviewer: vera")
    window.close()
    again = open_review(project_path, settings=settings)  # remembered
    qtbot.addWidget(again)
    assert (len(asked), again.reviewer) == (1, "vera")
    again.close()


def test_suggestions_nobody_confirmed_stay_suggestions_in_gold_until_the_reviewer_accepts(qtbot, make_window, project_path):
    from annotator.core.model import text_hash

    from .test_review import tokens

    text = "Nvidia and Broadcom signed a deal in Texas ."
    with Project.open(project_path) as project:
        doc, _ = project.add_document(text=text, hash=text_hash(text), title="Nvidia", tokens=tokens(text), meta={})
        from dataclasses import replace

        copy = [replace(s, origin="rule") for s in spans(text, [("Nvidia", "ORG"), ("Texas", "GPE")])]
        project.write_set(doc, "alice", [replace(copy[0], origin="human"), copy[1]], status="done")
        project.write_set(doc, "bob", copy, status="done")
    window = make_window(project_path, annotators=["alice", "bob"])
    window.open_document(doc)
    origins = lambda: sorted((s.label, s.origin) for s in window.session.aset.spans.values())  # noqa: E731
    assert origins() == [("GPE", "rule"), ("ORG", "human")]  # alice confirmed Nvidia; nobody confirmed Texas
    press(qtbot, window, Qt.Key.Key_A)  # to the first unconfirmed item
    assert window.session.aset.spans[window.editor.span_id].label == "GPE"
    press(qtbot, window, Qt.Key.Key_A)
    assert origins() == [("GPE", "human"), ("ORG", "human")]
    window.close()
    with Project.open(project_path) as project:
        assert {s.origin for s in project.annotation_set(doc, GOLD).spans.values()} == {"human"}
