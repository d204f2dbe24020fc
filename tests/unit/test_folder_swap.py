"""Replacing a model folder so that a kill at any moment leaves a complete one."""
from __future__ import annotations

from pathlib import Path

from annotator.core import folder_swap


def folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "meta.json").write_text(text)
    return path


def names(tmp: Path) -> dict[str, str]:
    return {p.name: (p / "meta.json").read_text() for p in sorted(tmp.iterdir())}


def test_a_swap_replaces_the_folder_and_leaves_nothing_beside_it(tmp_path):
    model = folder(tmp_path / "model", "old")
    fresh = folder_swap.prepare(model)
    folder(fresh, "new")
    assert folder_swap.swap_in(model) == model
    assert names(tmp_path) == {"model": "new"}


def test_killed_between_the_moves_the_complete_new_folder_is_moved_in(tmp_path):
    folder(tmp_path / "model.previous", "old")
    folder(tmp_path / "model.partial", "new")
    folder_swap.settle(tmp_path / "model")
    assert names(tmp_path) == {"model": "new"}


def test_killed_after_moving_the_old_folder_aside_it_is_put_back(tmp_path):
    folder(tmp_path / "model.previous", "old")
    folder_swap.settle(tmp_path / "model")
    assert names(tmp_path) == {"model": "old"}


def test_a_folder_in_place_is_never_touched_and_leftovers_go_before_the_next_swap(tmp_path):
    model = folder(tmp_path / "model", "current")
    folder(tmp_path / "model.partial", "half written")  # killed while writing
    folder_swap.settle(model)
    assert names(tmp_path) == {"model": "current", "model.partial": "half written"}
    assert folder_swap.prepare(model) == tmp_path / "model.partial"
    assert names(tmp_path) == {"model": "current"}
    folder_swap.settle(tmp_path / "absent")  # nothing there: nothing happens
    assert names(tmp_path) == {"model": "current"}
