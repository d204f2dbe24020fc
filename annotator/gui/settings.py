"""Per-user settings: the annotator's name, window layout, the data folder."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ..store.project import default_user

ORGANIZATION = "annotator"
APPLICATION = "annotator"
NAME_KEY = "annotator/name"
REVIEWER_KEY = "review/reviewer"
DATA_DIR_ENV = "ANNOTATOR_DATA_DIR"


def user_settings() -> QSettings:
    """The user's settings file (INI). Tests redirect it with ``QSettings.setPath``
    or pass their own ``QSettings`` to the window."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def annotator_name(explicit: str | None, settings: QSettings, *, parent: QWidget | None = None, ask: bool = True) -> str:
    """The name edits are recorded under.

    ``explicit`` (from ``--annotator``) wins and is remembered; else the name
    saved in ``settings``; else, once, a dialog asks for it (default: the
    login name) unless ``ask`` is False, which takes the login name.
    """
    return _person(explicit, settings, NAME_KEY, parent=parent, ask=ask, title="Who is annotating?",
                   prompt="Your name is saved with every edit (used for agreement and review):")


def reviewer_name(explicit: str | None, settings: QSettings, *, parent: QWidget | None = None, ask: bool = True) -> str:
    """The name gold edits are recorded under, kept apart from the annotator
    name (the last person who labeled on this machine is not the reviewer).

    ``explicit`` (from ``--reviewer``) wins and is remembered; else the
    saved reviewer name; else, once, a dialog asks for it (default: the login
    name) unless ``ask`` is False, which takes the login name.
    """
    return _person(explicit, settings, REVIEWER_KEY, parent=parent, ask=ask, title="Who is reviewing?",
                   prompt="Your name is saved with every gold edit and on each reviewed document:")


def _person(explicit: str | None, settings: QSettings, key: str, *, parent: QWidget | None, ask: bool,
            title: str, prompt: str) -> str:
    name = (explicit or "").strip()
    if not name:
        name = str(settings.value(key, "") or "").strip()
    if not name and ask:
        text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, default_user())
        name = text.strip() if ok else ""
    name = name or default_user()
    settings.setValue(key, name)
    return name


def data_dir() -> Path:
    """The folder for the sample project: ``$ANNOTATOR_DATA_DIR``, else the
    platform's application data folder (``~/.local/share/annotator`` on Linux)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".local" / "share" / APPLICATION
