"""One catalogue of user-facing errors.

Every error has a code (``E001``...) and a message that says what went wrong,
where, and how to fix it. The CLI prints the message and exits non-zero; the
GUI shows it in its message area.
"""
from __future__ import annotations


class AnnotatorError(Exception):
    """Base class for every error the tool reports to a user."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ProjectError(AnnotatorError):
    """The project file cannot be opened or is not in a usable state."""

    code = "E001"


class SchemaVersionError(ProjectError):
    """The project file was written by a newer version of the tool."""

    code = "E002"


class ProjectBusyError(ProjectError):
    """Another process holds the project's write lock for longer than the busy timeout."""

    code = "E003"


class ProjectReadOnlyError(ProjectError):
    """The project file, or the folder holding it, cannot be written."""

    code = "E004"


class DiskFullError(ProjectError):
    """The disk (or the file's size limit) is full; the change was rolled back."""

    code = "E005"


class DamagedProjectError(ProjectError):
    """The project file has damaged pages (SQLite reports corruption)."""

    code = "E006"


class UntrustedSchemaError(ProjectError):
    """The project file holds triggers or views that annotator did not create."""

    code = "E007"


class CancelledError(AnnotatorError):
    """A long operation was cancelled by the user; what it wrote was rolled back."""

    code = "E008"


class SchemeError(AnnotatorError):
    """An annotation scheme is invalid; the message carries the JSON path."""

    code = "E010"


class InputError(AnnotatorError):
    """A file being imported is malformed; the message names file and line."""

    code = "E020"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InvalidAnnotationError(AnnotatorError):
    """A span or relation breaks the text, the tokens or the scheme."""

    code = "E030"


class EditConflictError(AnnotatorError):
    """An edit no longer applies because the set changed underneath it."""

    code = "E040"


class FormatError(AnnotatorError):
    """A format name is unknown or a file's format cannot be detected."""

    code = "E050"


class PipelineError(AnnotatorError):
    """A pre-annotator or spaCy pipeline cannot be loaded or run."""

    code = "E060"


class AgreementError(AnnotatorError):
    """Agreement cannot be computed for the annotators asked for."""

    code = "E070"


class TrainingDataError(AnnotatorError):
    """The project has too little finished data to train a model."""

    code = "E080"


class TrainingCancelled(CancelledError):
    """The user cancelled a training; the model folder is as it was before."""

    code = "E081"


class BackgroundProcessError(AnnotatorError):
    """A command the window ran in a child process (a training) failed; the
    message holds the command and the child's own error."""

    code = "E082"


class ExportError(AnnotatorError):
    """An export cannot be written as asked (bad filter, split or target)."""

    code = "E090"


class ReviewError(AnnotatorError):
    """A document cannot be reviewed as asked (unknown annotator, no gold set, bad mode)."""

    code = "E100"


class InstallationError(AnnotatorError):
    """A file the package ships with is missing: the installation is incomplete."""

    code = "E110"


class NoDisplayError(AnnotatorError):
    """A window was asked for where there is no display to show it on."""

    code = "E111"
