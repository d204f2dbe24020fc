"""Dialogs of the File menu: what to import, and how to export."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget,
)

from ..formats import registry
from ..ops.exporting import DEFAULT_FORMAT

PREANNOTATORS = (("Rules (offline)", "rules"), ("None", "none"))


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
