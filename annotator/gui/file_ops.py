"""The File menu: open another project, import documents, export annotations.

Import and export run on a worker thread with their own connection to the
project file; the window stays usable and refreshes when they finish.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog

from ..core.errors import AnnotatorError, CancelledError
from ..ops.exporting import export
from ..ops.importing import import_files
from ..store.project import Project
from .file_dialogs import DIALOG_WORDING, ExportChoice, ExportDialog, ImportChoice, ImportDialog, ask_import_sources
from .workers import Operation

if TYPE_CHECKING:
    from .main_window import MainWindow


class FileOps(QObject):
    """Signals:
        finished(str, object, object): ``(kind, result, error)`` after an import or export.
    """

    finished = Signal(str, object, object)

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.running: Operation | None = None

    def idle(self) -> bool:
        return self.running is None

    # -- open ------------------------------------------------------------------
    def ask_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open project", str(self.window.project.path.parent),
            "Annotator projects (*.annotator *.db *.sqlite);;All files (*)",
        )
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> None:
        if not self.idle() or not self.window.model_ops.idle():
            self.window.reporter.info("wait for the running import, export or training to finish")
            return
        try:
            project = Project.open(path)
        except AnnotatorError as exc:
            self.window.reporter.error(exc, context="cannot open the project")
            return
        self.window.replace_project(project)

    # -- import ----------------------------------------------------------------
    def ask_import(self) -> None:
        sources = ask_import_sources(self.window)
        if not sources:
            return
        dialog = ImportDialog(sources, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        if choice is None:
            self.window.reporter.info("no model folder given; nothing imported")
            return
        self.import_choice(choice)

    def import_choice(self, choice: ImportChoice) -> None:
        """Import as the import dialog says, in the background."""
        self.import_files(
            list(choice.sources), preannotate=choice.preannotate, add_labels=choice.add_labels,
            replace_existing=choice.replace_existing,
        )

    def import_files(
        self, sources: list[Path], *, preannotate: str = "rules", add_labels: bool = False,
        replace_existing: bool = False,
    ) -> None:
        """Import files in the background, pre-annotating new documents; errors
        name the import dialog's options."""

        def job(project: Project, progress) -> Any:
            return import_files(
                project, sources, preannotate=preannotate, add_labels=add_labels,
                replace_existing=replace_existing, progress=progress, wording=DIALOG_WORDING,
            )

        self._run("import", "Importing", job)

    # -- export ----------------------------------------------------------------
    def ask_export(self) -> None:
        dialog = ExportDialog(self.window.annotator, self.window.project.owners(), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        if choice is None:
            self.window.reporter.info("no file chosen; nothing exported")
            return
        self.export(choice)

    def export(self, choice: ExportChoice) -> None:
        """Export in the background."""

        def job(project: Project, _progress) -> Any:
            return export(project, choice.out, format=choice.format, owner=choice.owner, status=choice.status)

        self._run("export", "Exporting", job)

    # -- running -----------------------------------------------------------------
    def _run(self, kind: str, title: str, job) -> None:
        if not self.idle():
            self.window.reporter.info("an import or export is already running")
            return
        importing = kind == "import"
        operation = Operation(title, self.window.project.path, job, self.window, blocks_edits=importing, cancellable=importing)
        operation.finished.connect(lambda result, error: self._done(kind, result, error))
        self.running = operation
        self.window.reporter.info(f"{title.lower()}…")
        operation.start()

    def _done(self, kind: str, result: Any, error: BaseException | None) -> None:
        self.running = None
        if isinstance(error, CancelledError):
            self.window.reporter.info(f"{kind} {error.message}")
        elif error is not None:
            self.window.reporter.error(error, context=f"{kind} failed")
        elif kind == "import":
            if result.labels_added or result.relation_types_added:
                self.window.project.reload_scheme()
                self.window.load_scheme()
            self.window.queue.model.reload()
            self.window.status.set_progress(*self.window.progress.recount())
            self.window.reporter.info(f"imported: {result.summary()}")
            if result.warnings():
                self.window.reporter.dialog("\n".join(result.warnings()), "Import: warnings")
            current = self.window.session.document
            if current is None:
                self.window.start()
            else:
                if current.id in result.split_documents:
                    self.window.reload_document()  # its tokens were split: snap to the new ones
                self.window.queue.show_document(current.id)
        else:
            self.window.reporter.info(f"exported {result.summary()}")
            if result.warnings():
                self.window.reporter.dialog("\n".join(["The format could not hold everything:"] + result.warnings()), "Export: what was lost")
        self.finished.emit(kind, result, error)
