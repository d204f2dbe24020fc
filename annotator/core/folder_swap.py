"""Replacing a folder (a trained model) so that a kill at any moment leaves a
complete one in place, or one that the next reader puts back.

The new folder is written beside the old as ``<name>.partial``; then the old
one moves to ``<name>.previous``, the new one to ``<name>``, and the old one is
deleted. A kill between the two moves leaves no ``<name>`` at all:
:func:`settle` finds that state and finishes the swap, since ``.partial`` was
complete before the first move (or, without it, puts ``.previous`` back).
"""
from __future__ import annotations

import shutil
from pathlib import Path


def partial(folder: Path) -> Path:
    """Where the new contents are written before the swap."""
    return folder.with_name(folder.name + ".partial")


def previous(folder: Path) -> Path:
    return folder.with_name(folder.name + ".previous")


def prepare(folder: Path) -> Path:
    """An empty place for the new contents (leftovers of a killed swap settled first)."""
    folder = Path(folder)
    settle(folder)
    for leftover in (partial(folder), previous(folder)):
        if leftover.exists():
            shutil.rmtree(leftover)
    return partial(folder)


def swap_in(folder: Path) -> Path:
    """Move the complete ``.partial`` folder into place, replacing ``folder``."""
    folder = Path(folder)
    old = previous(folder)
    if folder.exists():
        folder.rename(old)
    partial(folder).rename(folder)
    if old.exists():
        shutil.rmtree(old)
    return folder


def settle(folder: Path) -> None:
    """Finish a swap that was killed between its two moves (see the module docstring)."""
    folder = Path(folder)
    if folder.exists() or not previous(folder).exists():
        return
    if partial(folder).exists():
        partial(folder).rename(folder)
        shutil.rmtree(previous(folder))
    else:
        previous(folder).rename(folder)
