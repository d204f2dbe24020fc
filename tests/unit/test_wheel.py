"""The built wheel is complete: installed where the source tree cannot be
seen, it creates a project, imports the sample and renders the window."""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# what a wheel is built from: everything else in the repository is for developers
SOURCES = ("pyproject.toml", "README.md", "annotator", "resources", "schemas")


def run(args: list[str], *, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from a copy of the source tree, installed with
    ``pip install --no-deps --target``; nothing is downloaded."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp / "dist"), str(source)], cwd=tmp)
    (wheel,) = (tmp / "dist").glob("annotator-*.whl")
    run([*pip, "install", "--no-deps", "--no-index", "--target", str(tmp / "site"), str(wheel)], cwd=tmp)
    return tmp / "site"


def isolated_env(site_dir: Path, tmp_path: Path) -> dict:
    """Python run with ``-S`` and this environment: the installed wheel, then
    the test environment's dependencies, without its ``.pth`` files (an
    editable install of the source tree is one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ANNOTATOR_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(site_dir), *site.getsitepackages()])
    env["ANNOTATOR_DATA_DIR"] = str(tmp_path / "data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.mark.slow
def test_wheel_carries_its_data_and_works_outside_the_source_tree(installed, tmp_path):
    packaged = installed / "annotator"
    assert sorted(p.relative_to(packaged).as_posix() for p in (packaged / "resources").rglob("*") if p.is_file()) == sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()
    )
    assert sorted(p.name for p in (packaged / "schemas").iterdir()) == sorted(p.name for p in (ROOT / "schemas").iterdir())
    assert not (packaged / "resources").is_symlink()

    work = tmp_path / "work"
    work.mkdir()
    env = isolated_env(installed, tmp_path)
    python = [sys.executable, "-S"]
    where = run([*python, "-c", "import annotator.core.shipped as s; print(s.__file__); print(s.RESOURCES_DIR)"], cwd=work, env=env)
    assert where.split() == [str(packaged / "core" / "shipped.py"), str(packaged / "resources")]

    cli = [*python, "-m", "annotator"]
    run([*cli, "init", "news.annotator"], cwd=work, env=env)
    run([*cli, "import", "news.annotator", str(packaged / "resources" / "sample")], cwd=work, env=env)
    stats = json.loads(run([*cli, "stats", "news.annotator", "--json"], cwd=work, env=env))
    assert stats["documents"] == 4
    run([*cli, "open", "news.annotator", "--screenshot", "news.png"], cwd=work, env=env)
    run([*cli, "open", "--screenshot", "sample.png"], cwd=work, env=env)
    for shot in ("news.png", "sample.png"):
        assert (work / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
