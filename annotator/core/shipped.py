"""The data the package ships with, found through ``importlib.resources``.

``resources/`` holds the default scheme, the pre-annotation patterns, the
sample articles and the screenshots; ``schemas/`` the JSON Schemas. Both are
top-level folders of the source tree; ``annotator/resources`` and
``annotator/schemas`` are symbolic links to them, so the source tree, an
editable install and a built wheel (which carries copies, as package data)
all find them at the same place inside the package.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import InstallationError


def shipped_folder(name: str) -> Path:
    """The folder ``name`` inside the installed package.

    Raises ``InstallationError`` when it is missing or the package is not
    installed as plain files (from a zip archive, say).
    """
    folder = resources.files("annotator").joinpath(name)
    if not isinstance(folder, Path) or not folder.is_dir():
        raise InstallationError(
            f"annotator's {name}/ folder is missing at {folder}: the installation is incomplete; "
            "reinstall the package from a wheel built with `pip wheel .`, or from the source tree"
        )
    return folder


RESOURCES_DIR = shipped_folder("resources")
SCHEMAS_DIR = shipped_folder("schemas")
