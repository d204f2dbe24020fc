"""The application around the window: the `annotator open` command, a killed
process losing nothing, screenshots, the sample project, settings, the
cheat-sheet, errors, and import/export on a worker thread."""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence

from annotator.store.project import Project

from .labeling import (  # noqa: F401 (fixtures)
    FOX, SUGGESTIONS, at, build_project, key, make_window, project_path, read_set, settings, window,
)

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def app_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        ANNOTATOR_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return env


def wait_for_line(proc: subprocess.Popen, wanted: str, timeout: float = 60.0) -> list[str]:
    """Lines the process printed up to and including ``wanted``; fails on timeout or exit."""
    lines: list[str] = []
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not selector.select(timeout=deadline - time.monotonic()):
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if lines[-1] == wanted:
            return lines
    pytest.fail(f"the app did not print {wanted!r}; it printed {lines!r}; stderr: {proc.stderr.read()[-2000:]}")


SCRIPT = """
ed = window.editor
sam = window.session.document.text.index("Sam Altman")
ed.on_text_selected(sam, sam + len("Sam Altman"))
window.action("key_2").trigger()
window.action("accept_all").trigger()
window.action("done").trigger()
window.action("key_1").trigger()  # no selection on the new document: only a hint
print("ready", window.session.document.id, flush=True)
"""


@pytest.mark.slow
def test_killed_app_keeps_every_edit(tmp_path, project_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "open", str(project_path), "--annotator", "t"],
        env=app_env(tmp_path, ANNOTATOR_TEST_SCRIPT=str(script)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        wait_for_line(proc, "ready 2")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    sam = at(FOX, "Sam Altman")
    expected = sorted([(s.start, s.end, s.label, "human") for s in SUGGESTIONS] + [(*sam, "PERSON", "human")])
    assert read_set(project_path, 1, "t") == ("done", expected, [])
    assert read_set(project_path, 2, "t") == ("new", [], [])
    with Project.open(project_path) as project:
        done, undone = project.history(1, "t")
    assert [e.kind for e in done] == ["add_span", "batch", "set_status"] and undone == []


@pytest.mark.slow
def test_open_screenshot_writes_a_png_of_the_window(tmp_path, project_path):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "open", str(project_path), "--annotator", "t", "--screenshot", str(out)],
        env=app_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert read_set(project_path, 1, "t")[0] == "new"  # opening copied the suggestions, nothing more


@pytest.mark.slow
def test_open_without_a_project_creates_the_sample_project(tmp_path):
    out = tmp_path / "sample.png"
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "open", "--annotator", "t", "--screenshot", str(out)],
        env=app_env(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1280
    sample = tmp_path / "data" / "sample.annotator"
    with Project.open(sample) as project:
        titles = [project.document(d).meta["filename"] for d in project.document_ids()]
        suggested = [d for d in project.document_ids() if project.annotation_set(d, "model:rules").spans]
    assert titles == sorted(p.name for p in (ROOT / "resources" / "sample").glob("*.txt"))
    assert len(titles) >= 4 and suggested == project_ids(sample)


def project_ids(path: Path) -> list[int]:
    with Project.open(path) as project:
        return project.document_ids()


def test_open_reports_a_missing_project(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "open", str(tmp_path / "nope.annotator")],
        env=app_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "does not exist" in result.stderr


# -- settings ------------------------------------------------------------------
def test_annotator_name_from_option_settings_or_one_question(qtbot, settings, monkeypatch):
    from annotator.gui import settings as settings_module
    from annotator.gui.settings import NAME_KEY, annotator_name

    asked = []

    def fake_dialog(*args):
        asked.append(args[4])  # the suggested default
        return "zoe", True

    monkeypatch.setattr(settings_module.QInputDialog, "getText", fake_dialog)
    assert annotator_name(None, settings) == "zoe"
    assert annotator_name(None, settings) == "zoe"  # asked once only
    assert len(asked) == 1 and asked[0] == settings_module.default_user()
    assert annotator_name("bob", settings) == "bob"
    assert settings.value(NAME_KEY) == "bob"
    settings.remove(NAME_KEY)
    assert annotator_name(None, settings, ask=False) == settings_module.default_user()


def test_sample_project_is_created_once(tmp_path):
    from annotator.gui.sample import sample_project

    path = sample_project(tmp_path, preannotate="none")
    assert path == tmp_path / "sample.annotator"
    stamp = path.stat().st_mtime_ns
    assert sample_project(tmp_path, preannotate="none") == path
    assert path.stat().st_mtime_ns == stamp
    assert len(project_ids(path)) == len(list((ROOT / "resources" / "sample").glob("*.txt")))


# -- window furniture ---------------------------------------------------------
def test_f1_and_question_mark_open_the_cheat_sheet(qtbot, window):
    from annotator.gui.actions import SPECS

    key(qtbot, window, Qt.Key_F1)
    sheet = window.cheatsheet
    assert sheet is not None and sheet.isVisible()
    sheet.close()
    key(qtbot, window, "?")
    assert sheet.isVisible()
    table = sheet.table
    keys = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert {"1", "2", "3", "4", "5", "A", "Shift+A", "X", "R", "V", "Del\nBackspace", "[", "}", "Ctrl+Z", "F3", "Shift+F3"} <= keys
    described = {table.item(r, 2).text() for r in range(table.rowCount())}
    assert all((spec.tip or spec.text) in described for spec in SPECS)


def test_every_action_has_a_name_and_is_reachable(window):
    from annotator.gui.actions import SPECS

    for spec in SPECS:
        action = window.action(spec.name)
        assert [s.toString() for s in action.shortcuts()] == [QKeySequence(s).toString() for s in spec.shortcuts]
    assert window.action("key_3").shortcut().toString() == "3"


def test_status_bar_shows_annotator_and_progress(window):
    assert window.status.annotator.text() == "Annotator: ann"
    assert window.status.progress.format() == "0 / 3 done"


def test_a_serious_error_shows_status_and_dialog(qtbot, window, tmp_path):
    window.file_ops.open_project(tmp_path / "missing.annotator")
    assert "missing.annotator does not exist" in window.reporter.last_message
    assert window.reporter.last_dialog is not None and window.reporter.last_dialog.isVisible()
    assert window.reporter.last_dialog.textFormat() == Qt.TextFormat.PlainText
    assert window.project.path.name == "news.annotator"  # still on the old project


def test_open_project_switches_the_window(qtbot, window, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    path = build_project(other, suggestions=False)
    window.file_ops.open_project(path)
    assert window.project.path == path
    assert window.session.document.id == 1 and window.session.aset.spans == {}
    key(qtbot, window, Qt.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert read_set(path, 1)[0] == "done"


def test_import_runs_on_a_worker_and_refreshes_the_queue(qtbot, window, tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text("Samsung will invest $7 billion in Texas.\n", encoding="utf-8")
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.import_files([extra], preannotate="none")
        assert not window.file_ops.idle()
    kind, report, error = blocker.args
    assert (kind, error, report.documents_added) == ("import", None, 1)
    assert window.queue.model.total == 4
    assert window.reporter.last_message.startswith("imported: 1 records read, 1 documents added")
    assert window.session.document.id == 1  # the open document stays


def test_import_shows_the_sets_it_left_out(qtbot, window, tmp_path):
    text = "Samsung will invest $7 billion in Texas."
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps({"text": text, "spans": [{"start": 0, "end": 7, "label": "ORG"}], "_annotator_id": "kim"}) + "\n", encoding="utf-8")
    second.write_text(json.dumps({"text": text, "spans": [{"start": 34, "end": 39, "label": "GPE"}], "_annotator_id": "kim"}) + "\n", encoding="utf-8")
    for source in (first, second):
        with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
            window.file_ops.import_files([source], preannotate="none")
        assert blocker.args[2] is None
    assert window.reporter.last_dialog.text() == (
        "1 sets differ from the ones already in the project and were not imported "
        "(import again with \"Replace annotations already in the project with the files' version (undoable)\" "
        f"ticked to take the file's version): {second}:1"
    )
    assert window.reporter.last_dialog.windowTitle() == "Import: warnings"


def test_import_dialog_replaces_existing_sets_when_ticked(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.gui.file_dialogs import ImportChoice, ImportDialog

    text = "Samsung will invest $7 billion in Texas."
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps({"text": text, "spans": [{"start": 0, "end": 7, "label": "ORG"}], "_annotator_id": "kim"}) + "\n", encoding="utf-8")
    second.write_text(json.dumps({"text": text, "spans": [{"start": 34, "end": 39, "label": "GPE"}], "_annotator_id": "kim"}) + "\n", encoding="utf-8")
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000):
        window.file_ops.import_files([first], preannotate="none")
    dialog = ImportDialog([second], window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.preannotate.setFocus()
    qtbot.keyClick(dialog.preannotate, Qt.Key_Down)  # None
    qtbot.mouseClick(dialog.replace_existing, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    choice = dialog.choice()
    assert choice == ImportChoice((second,), "none", False, True)
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.import_choice(choice)
    assert (blocker.args[2], blocker.args[1].sets_replaced, blocker.args[1].sets_kept) == (None, 1, [])
    from annotator.core.model import text_hash

    kim = window.project.annotation_set(window.project.document_id(text_hash(text)), "kim")
    assert [(s.start, s.end, s.label) for s in kim.spans.values()] == [(34, 39, "GPE")]


def test_export_runs_on_a_worker(qtbot, window, tmp_path):
    from annotator.gui.file_dialogs import ExportChoice

    key(qtbot, window, Qt.Key_A, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, window, Qt.Key_Return, Qt.KeyboardModifier.ControlModifier)
    out = tmp_path / "out.jsonl"
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.export(ExportChoice(out, "jsonl", "ann", "done"))
    assert blocker.args[2] is None
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1 and records[0]["text"] == FOX
    assert window.reporter.last_message == "exported 1 document, 4 spans, 0 relations"


def test_export_shows_what_the_format_lost(qtbot, window, tmp_path):
    from annotator.gui.file_dialogs import ExportChoice

    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Foxconn met OpenAI in Taipei.", encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tORG 0 7;12 18\tFoxconn OpenAI\nA1\tBig T1\n#1\tAnnotatorNotes T1\tcheck\n", encoding="utf-8"
    )
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000):
        window.file_ops.import_files([folder], preannotate="none")
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.export(ExportChoice(tmp_path / "out.jsonl", "jsonl", "import", "done"))
    assert blocker.args[2] is None
    lost = [
        "1 brat attributes (Prodigy JSONL holds none) not written",
        "1 brat notes (Prodigy JSONL holds none) not written",
        "1 discontinuous spans (Prodigy JSONL has none) widened to their outer bounds",
    ]
    assert window.reporter.last_message == "exported 1 document, 1 span, 0 relations; lost: " + "; ".join(lost)
    assert window.reporter.last_dialog.text() == "\n".join(["The format could not hold everything:"] + lost)


def test_the_import_dialog_offers_the_pre_annotator_and_adding_labels(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    from annotator.gui.file_dialogs import ImportChoice, ImportDialog

    extra = tmp_path / "extra.txt"
    extra.write_text("Samsung will invest $7 billion in Texas on Monday.\n", encoding="utf-8")

    def choose(*, add_labels: bool = False, model: str | None = None) -> ImportChoice | None:
        dialog = ImportDialog([extra], window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not dialog.model_path.isEnabled()
        if add_labels:
            qtbot.mouseClick(dialog.add_labels, Qt.MouseButton.LeftButton)
        if model is not None:
            dialog.preannotate.setFocus()
            qtbot.keyClick(dialog.preannotate, Qt.Key_Down)
            qtbot.keyClick(dialog.preannotate, Qt.Key_Down)
            assert dialog.model_path.isEnabled()
            qtbot.keyClicks(dialog.model_path, model)
        with qtbot.waitSignal(dialog.accepted):
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.choice()

    assert choose(model="") is None
    assert choose(model="models/best") == ImportChoice((extra,), "models/best", False)
    plain = choose()
    assert plain == ImportChoice((extra,), "rules", False)
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.import_choice(plain)
    assert window.reporter.last_message == (
        f"import failed: {extra}: the pre-annotator 'rules' suggests labels not in the project's scheme: DATE "
        '(tick "Add the labels the files or the pre-annotator use" in the import dialog to add them, '
        "or choose another pre-annotator in it, or None)"
    )
    assert "--" not in window.reporter.last_message and window.queue.model.total == 3
    adding = choose(add_labels=True)
    assert adding == ImportChoice((extra,), "rules", True)
    with qtbot.waitSignal(window.file_ops.finished, timeout=60000) as blocker:
        window.file_ops.import_choice(adding)
    assert (blocker.args[2], blocker.args[1].labels_added, window.queue.model.total) == (None, ["DATE"], 4)
    assert window.project.scheme.label("DATE") is not None
