"""PySide6 6.12.0 on CPython 3.11 aborts the interpreter ("Fatal Python error:
none_dealloc") after a few thousand calls of Qt methods that return None.
The package pins keep that pair out; these tests catch it if it comes back."""
from __future__ import annotations

import subprocess
import sys
from importlib.metadata import requires, version

import pytest

BAD_PAIR = ((3, 11), "6.12.0")


def test_installed_pair_is_not_the_crashing_one() -> None:
    installed = version("PySide6-Essentials")
    assert (sys.version_info[:2], installed) != BAD_PAIR


def test_requirements_exclude_the_crashing_pair() -> None:
    from packaging.requirements import Requirement

    reqs = [Requirement(r) for r in requires("annotator") or [] if r.lower().startswith("pyside6")]
    env = {"python_version": "3.11", "extra": ""}
    active = [r for r in reqs if r.marker is None or r.marker.evaluate(env)]
    assert active, "no PySide6 requirement applies on Python 3.11"
    for req in active:
        assert not req.specifier.contains("6.12.0"), f"{req} admits 6.12.0 on Python 3.11"


@pytest.mark.slow
def test_many_void_qt_calls_do_not_abort() -> None:
    code = (
        "from PySide6.QtGui import QTextDocument, QTextCursor\n"
        "doc = QTextDocument('x' * 1000)\n"
        "cur = QTextCursor(doc)\n"
        "for i in range(30000):\n"
        "    cur.setPosition(i % 1000)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
