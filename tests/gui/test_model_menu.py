"""The Model menu of the labeling window: training in a child process,
refreshing suggestions on unopened documents, cancelling."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from annotator import api
from annotator.core.errors import BackgroundProcessError, CancelledError
from annotator.gui.models.queue_model import QueueModel
from annotator.ops.training import model_dir
from annotator.store.model_sets import document_confidences
from annotator.store.project import Project
from tests.model_data import make_tiny_project

from .labeling import ANNOTATOR, build_project, make_window, settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui


@pytest.fixture
def tiny_path(tmp_path):
    """40 documents, the first 30 finished by the window's annotator."""
    opened = []

    def make(name="tiny.annotator", **kwargs):
        project = api.init_project(tmp_path / name, **kwargs)
        opened.append(project)
        return project

    project, _items = make_tiny_project(make, tmp_path, owner=ANNOTATOR)
    path = project.path
    project.close()
    return path


@pytest.fixture
def window_on_tiny(make_window, tiny_path):
    return make_window(tiny_path)


@pytest.fixture
def quick(settings):
    settings.setValue("model/max_epochs", 12)
    return settings


def test_train_now_writes_the_model_and_refreshes_only_unopened_documents(qtbot, make_window, tiny_path, quick):
    window = make_window(tiny_path)
    opened = window.session.document.id  # the first unfinished document, now opened
    assert opened == 31
    assert [a.text() for a in window.menuBar().actions()][-3:] == ["&Model", "&View", "&Help"]
    with qtbot.waitSignal(window.model_ops.finished, timeout=120000) as blocker:
        window.action("train_model").trigger()
        assert not window.model_ops.idle()
    report, error = blocker.args
    assert error is None
    assert (model_dir(tiny_path) / "meta.json").is_file()
    assert report.owner == "model:tiny-model" and report.documents == 9
    with Project.open(tiny_path) as project:
        assert project.annotation_set(opened, "model:tiny-model") is None
        assert project.annotation_set(1, "model:tiny-model") is None  # finished ones are left alone
        for doc_id in range(32, 41):
            assert project.annotation_set(doc_id, "model:tiny-model") is not None
    assert window.session.document.id == opened  # the open document stays
    assert not window.queue.table.isColumnHidden(QueueModel.CONFIDENCE)
    window.queue.order.setCurrentIndex(window.queue.order.findData("uncertain"))
    with Project.open(tiny_path) as project:
        expected = api.uncertain_first(project, model_dir(tiny_path))
        confidence = document_confidences(project, expected, "model:tiny-model")
    model = window.queue.model
    assert [model.document_id(row) for row in range(40)] == expected
    assert model.index(0, QueueModel.CONFIDENCE).data() == f"{confidence[expected[0]]:.2f}"
    # each row shows its own document (the first row of a block once showed the block's last)
    assert [model.index(row, QueueModel.ID).data() for row in range(40)] == expected
    shown = [model.index(row, QueueModel.CONFIDENCE).data() for row in range(40)]
    assert shown == [f"{confidence[d]:.2f}" if d in confidence else "" for d in expected]
    assert model.index(39, QueueModel.CONFIDENCE).data() == ""  # a finished document: no suggestions


def test_cancelling_a_training_keeps_the_previous_model(qtbot, make_window, tiny_path):
    with Project.open(tiny_path) as project:
        api.train_model(project, model_dir(tiny_path), dev=0.0, max_epochs=2)
    folder = model_dir(tiny_path)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    window = make_window(tiny_path)
    with qtbot.waitSignal(window.model_ops.finished, timeout=120000) as blocker:
        window.action("train_model").trigger()
        dialog = window.model_ops.running.dialog
        dialog.show()
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    _report, error = blocker.args
    assert isinstance(error, CancelledError)
    assert window.reporter.last_message == "training cancelled; the previous model stays in use"
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    with Project.open(tiny_path) as project:
        assert "model:tiny-model" not in project.owners()


def test_automatic_retraining_starts_after_n_finished_documents(qtbot, make_window, tiny_path, quick, settings):
    settings.setValue("model/retrain_every", 2)
    window = make_window(tiny_path)
    assert window.action("auto_retrain").text() == "Retrain automatically every 2 finished documents"
    assert window.action("auto_retrain").isChecked()
    from .labeling import key

    with qtbot.waitSignal(window.model_ops.finished, timeout=120000):
        key(qtbot, window, Qt.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert window.model_ops.idle()  # one more is not enough
        key(qtbot, window, Qt.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not window.model_ops.idle()
    assert (model_dir(tiny_path) / "meta.json").is_file()


def test_unsure_suggestions_are_drawn_fainter_than_sure_ones(window_on_tiny):
    from annotator.core.model import Span

    painter = window_on_tiny.doc_view._painter
    sure, unsure, human = (Span(1, 0, 5, "ORG", "model", 0.95), Span(2, 0, 5, "ORG", "model", 0.3),
                           Span(3, 0, 5, "ORG", "human"))
    (sure_fill, sure_dotted), (unsure_fill, unsure_dotted) = painter.fill_of(sure, set()), painter.fill_of(unsure, set())
    assert sure_dotted and unsure_dotted
    assert unsure_fill.lightness() > sure_fill.lightness() > painter.fill_of(human, set())[0].lightness()


def test_opening_another_project_shows_that_projects_model_in_the_queue(qtbot, make_window, tiny_path, tmp_path):
    with Project.open(tiny_path) as project:
        api.train_model(project, model_dir(tiny_path), dev=0.0, max_epochs=2)
    window = make_window(tiny_path)
    assert window.queue.model_owner == "model:tiny-model"
    (tmp_path / "other").mkdir()
    other = build_project(tmp_path / "other")  # no model beside it
    window.file_ops.open_project(other)
    assert window.project.path == other
    assert window.queue.model_owner is None
    assert window.queue.table.isColumnHidden(QueueModel.CONFIDENCE)
    shutil.copytree(model_dir(tiny_path), model_dir(other))
    window.file_ops.open_project(tiny_path)
    window.file_ops.open_project(other)
    assert window.queue.model_owner == "model:news-model"
    assert not window.queue.table.isColumnHidden(QueueModel.CONFIDENCE)


def test_a_training_that_fails_in_its_process_says_why(qtbot, make_window, tmp_path):
    path = build_project(tmp_path)  # nothing finished yet
    window = make_window(path)
    with qtbot.waitSignal(window.model_ops.finished, timeout=120000) as blocker:
        window.action("train_model").trigger()
    _report, error = blocker.args
    assert isinstance(error, BackgroundProcessError)
    assert error.message == (
        f"`annotator train {path} {model_dir(path)} --max-epochs 30` failed: Error: [E080] {path} has no finished "
        "documents to train on; mark some documents done"
    )
    assert not model_dir(path).exists()
    assert window.model_ops.idle()


def test_a_first_training_fine_tunes_the_chosen_pipeline_and_later_ones_continue_the_model(
    qtbot, make_window, tiny_path, tmp_path, quick, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    window = make_window(tiny_path)
    ops = window.model_ops
    assert window.action("model_base").text() == "Start from a pipeline… (none)"
    nowhere = str(tmp_path / "nowhere")
    assert ops.set_base(nowhere) == f"no installed spaCy pipeline or model folder is called {nowhere!r}"
    (tmp_path / "plain").mkdir()
    assert ops.set_base(str(tmp_path / "plain")) == f"{tmp_path / 'plain'} is a folder but not a spaCy model (it has no config.cfg)"
    assert ops.base == "" and "--from" not in ops.steps()[0].args
    # a pipeline that knows a label the project lacks, so its trace shows in the fine-tuned model
    other = tmp_path / "other.annotator"
    shutil.copy(tiny_path, other)
    with Project.open(other) as project:
        with project.transaction():
            project.db.execute("UPDATE spans SET label = 'PLACE' WHERE label = 'GPE'")
        base = api.train_model(project, tmp_path / "base-model", dev=0.0, max_epochs=2, seed=1)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (f" {base} ", True))
    window.action("model_base").trigger()
    assert ops.base == str(base) and window.action("model_base").text() == f"Start from a pipeline… ({base})"
    assert ops.steps()[0].args[-2:] == ["--from", str(base)]
    with qtbot.waitSignal(ops.finished, timeout=120000) as blocker:
        window.action("train_model").trigger()
    assert blocker.args[1] is None
    meta = json.loads((model_dir(tiny_path) / "meta.json").read_text())
    assert sorted(meta["labels"]["ner"]) == ["GPE", "ORG", "PERSON", "PLACE"]  # the base's PLACE stayed
    assert ops.steps()[0].args[-2:] == ["--from", str(model_dir(tiny_path))]  # from now on, the project's model
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (nowhere, True))
    window.action("model_base").trigger()
    assert window.reporter.last_dialog is not None and nowhere in window.reporter.last_dialog.text()
    assert ops.base == str(base)  # a bad name keeps the old choice
