"""Started where there is no display, the app says so and how to run it,
instead of Qt aborting the process."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def annotator(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["ANNOTATOR_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
@pytest.mark.parametrize("command", [["open"], ["open", "p.annotator"], ["review", "p.annotator"]])
def test_no_display_is_an_error_that_says_how_to_run_it(command, tmp_path, make_project):
    make_project("p.annotator").close()
    done = annotator(command, tmp_path)
    assert done.returncode == 1  # an exit, not an abort (which would be -6)
    assert done.stdout == ""
    assert done.stderr == (
        "Error: [E111] there is no display to show the window on (DISPLAY and WAYLAND_DISPLAY not set). "
        'Run it on a virtual screen: xvfb-run -s "-screen 0 1280x800x24" annotator open ...; '
        "or render the window into a PNG without one: annotator open --screenshot window.png\n"
    )
    assert not list(tmp_path.glob("core*"))


@pytest.mark.slow
def test_screenshot_needs_no_display(tmp_path):
    done = annotator(["open", "--screenshot", "window.png"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "window.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
