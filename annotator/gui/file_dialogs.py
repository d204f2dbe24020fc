"""Dialogs of the File menu: what to import, and how to export."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QWidget,
)

from ..formats import registry
from ..ops.exporting import DEFAULT_FORMAT
from ..ops.importing import ImportWording

# the pre-annotator combo: label and value; MODEL_FOLDER takes the folder typed or chosen beside it
MODEL_FOLDER = "model-folder"
PREANNOTATORS = (("Rules (offline)", "rules"), ("None", "none"), ("A model folder", MODEL_FOLDER))
ADD_LABELS_TEXT = "Add the labels the files or the pre-annotator use"
REPLACE_TEXT = "Replace annotations already in the project with the files' version (undoable)"
# how import errors name this dialog's options (the CLI names its flags instead)
DIALOG_WORDING = ImportWording(
    add_labels=f'tick "{ADD_LABELS_TEXT}" in the import dialog',
    other_preannotator="choose another pre-annotator in it, or None",
    replace_existing=f'import again with "{REPLACE_TEXT}" ticked',
)


@dataclass(frozen=True)
class ImportChoice:
    """What ``annotator.ops.importing.import_files`` is called with."""

    sources: tuple[Path, ...]
    preannotate: str
    add_labels: bool
    replace_existing: bool = False


@dataclass(frozen=True)
class ExportChoice:
    """What ``annotator.ops.exporting.export`` is called with."""

    out: Path
    format: str
    owner: str | None
    status: str


def ask_import_sources(parent: QWidget) -> list[Path]:
    """Files to import (empty when cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent, "Import documents", "",
        "Documents (*.txt *.jsonl *.json *.csv *.tsv *.ann *.spacy *.conll *.iob);;All files (*)",
    )
    return [Path(f) for f in files]


class ImportDialog(QDialog):
    """The pre-annotator (rules, none, or a model folder) and whether to add
    the labels the files or the pre-annotator use, and whether the files'
    annotations replace those already in the project, as the CLI's
    ``--preannotate``, ``--add-labels`` and ``--replace-existing`` offer."""

    def __init__(self, sources: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle("Import documents")
        self.sources = tuple(sources)
        self.preannotate = QComboBox()
        self.preannotate.setObjectName("preannotate")
        for text, value in PREANNOTATORS:
            self.preannotate.addItem(text, value)
        self.model_path = QLineEdit()
        self.model_path.setObjectName("model_path")
        self.model_path.setPlaceholderText("a model folder from `annotator train`, or a spaCy pipeline")
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._browse)
        model = QHBoxLayout()
        model.addWidget(self.model_path, 1)
        model.addWidget(self.browse)
        self.add_labels = QCheckBox(ADD_LABELS_TEXT)
        self.add_labels.setObjectName("add_labels")
        self.replace_existing = QCheckBox(REPLACE_TEXT)
        self.replace_existing.setObjectName("replace_existing")
        form = QFormLayout(self)
        count = QLabel(f"{len(self.sources)} file(s) or folder(s)")
        count.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Import", count)
        form.addRow("Pre-annotate with", self.preannotate)
        form.addRow("Model", model)
        form.addRow(self.add_labels)
        form.addRow(self.replace_existing)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.preannotate.currentIndexChanged.connect(self._model_shown)
        self._model_shown()

    def _model_shown(self) -> None:
        wanted = self.preannotate.currentData() == MODEL_FOLDER
        self.model_path.setEnabled(wanted)
        self.browse.setEnabled(wanted)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Model folder")
        if chosen:
            self.model_path.setText(chosen)

    def choice(self) -> ImportChoice | None:
        """The choice, or None when "A model folder" is chosen without a folder."""
        preannotate = self.preannotate.currentData()
        if preannotate == MODEL_FOLDER:
            preannotate = self.model_path.text().strip()
            if not preannotate:
                return None
        return ImportChoice(
            self.sources, preannotate, self.add_labels.isChecked(), self.replace_existing.isChecked()
        )


class ExportDialog(QDialog):
    """Format, whose annotations, which statuses and the output path."""

    def __init__(self, annotator: str, owners: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export annotations")
        self.format = QComboBox()
        for spec in registry.formats().values():
            if spec.writer is not None:
                self.format.addItem(f"{spec.name} — {spec.description}", spec.name)
        self.format.setCurrentIndex(self.format.findData(DEFAULT_FORMAT))
        self.owner = QComboBox()
        self.owner.addItem(f"My annotations ({annotator})", annotator)
        if "gold" in owners:
            self.owner.addItem("Gold (reviewed)", "gold")
        self.owner.addItem("Every annotator", None)
        self.status = QComboBox()
        self.status.addItem("Done and reviewed documents", "done")
        self.status.addItem("All documents", "all")
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Annotations", self.owner)
        form.addRow("Documents", self.status)
        form.addRow("Save to", where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        spec = registry.get(self.format.currentData())
        if spec.writes_folder:
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder")
        else:
            ext = spec.extensions[0] if spec.extensions else ""
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to file", f"export{ext}")
        if chosen:
            self.path.setText(chosen)

    def choice(self) -> ExportChoice | None:
        """The choice, or None when no output path was given."""
        text = self.path.text().strip()
        if not text:
            return None
        return ExportChoice(Path(text), self.format.currentData(), self.owner.currentData(), self.status.currentData())
