"""Two real processes on one project: editors applying edits through the
window's session, killed with SIGKILL at random points, and a process running
export, stats, merge and agreement throughout. Every acknowledged edit must be
in the file, and the file must pass integrity_check."""
from __future__ import annotations

import random

import pytest

from .kill_harness import run

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_every_acknowledged_edit_survives_kill_9_with_a_reader_running(tmp_path):
    seed = random.randrange(10**6)
    outcome = run(tmp_path, edits=300, seed=seed, timeout=50)
    assert outcome.acknowledged >= 300, f"seed {seed}: only {outcome.acknowledged} edits in time"
    assert (outcome.missing, outcome.found, outcome.integrity) == ([], outcome.acknowledged, ["ok"]), f"seed {seed}"
    assert outcome.extra_unacknowledged <= outcome.runs  # at most the one in flight per kill
    assert outcome.reader_errors == [] and outcome.reader_rounds > 0, f"seed {seed}"
