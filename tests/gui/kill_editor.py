"""An editor for the kill -9 tests: applies random edits to one document
through the window's ``DocumentSession`` (the path every window edit takes)
and prints each edit the session acknowledged, as the JSON the journal holds.

Every few edits it also opens the project again and closes it, as the
window's export and agreement panel do, in this same process.

Usage: python kill_editor.py PROJECT DOCUMENT_ID OWNER SEED
"""
from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from annotator.core.edits import AddSpan, SetStatus  # noqa: E402
from annotator.core.model import Span  # noqa: E402
from annotator.gui.session import DocumentSession  # noqa: E402
from annotator.store.project import Project  # noqa: E402

STATUSES = ("new", "in_progress", "done", "skipped")


def main(path: Path, document_id: int, owner: str, seed: int) -> None:
    app = QCoreApplication([])  # noqa: F841 (the session's timers need one)
    rng = random.Random(seed)
    project = Project.open(path)
    session = DocumentSession(project, owner)
    session.open(document_id)
    length = len(session.document.text)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        if rng.random() < 0.15:
            edit = SetStatus(session.aset.status, rng.choice([s for s in STATUSES if s != session.aset.status]))
        else:
            start = rng.randrange(0, length - 1)
            edit = AddSpan(Span(0, start, rng.randrange(start + 1, min(length, start + 12) + 1), rng.choice(["ORG", "GPE"])))
        applied = session.push(edit)
        if applied is None:
            print("refused", flush=True)
            continue
        print("ack " + json.dumps(applied.to_dict(), sort_keys=True), flush=True)
        if n % 10 == 0:
            Project.open(path).close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
