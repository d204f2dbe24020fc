"""The other process of the kill -9 tests: runs export, stats, merge (this
project as a source) and agreement over and over through the API, printing
one line per round and any error.

Usage: python kill_reader.py PROJECT SCRATCH_FOLDER
"""
from __future__ import annotations

import sys
from pathlib import Path

from annotator import api
from annotator.core.errors import AnnotatorError


def main(path: Path, scratch: Path) -> None:
    rounds = 0
    while True:
        rounds += 1
        try:
            with api.open_project(path) as project:
                api.export(project, scratch / "out.jsonl", format="jsonl", status="all")
                api.stats(project)
                api.agreement(project, ["ann", "bob"], include_unfinished=True)
            target = scratch / f"merged{rounds % 2}.annotator"
            target.unlink(missing_ok=True)
            with api.init_project(target) as merged:
                api.merge_projects(merged, [path])
        except AnnotatorError as exc:
            print(f"error {exc}", flush=True)
        else:
            print(f"round {rounds}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
