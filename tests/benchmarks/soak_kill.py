"""Soak: thousands of edits through the window's session, the editor killed
with SIGKILL at random points while another process runs export, stats,
merge and agreement on the same project. Prints edits acknowledged vs found.

    python tests/benchmarks/soak_kill.py [EDITS] [SEED]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    from tests.gui.kill_harness import run

    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        outcome = run(Path(folder), edits=edits, seed=seed, max_per_run=200, timeout=3600)
        seconds = time.perf_counter() - started
    print(f"seed {seed}: {outcome.runs} editor runs killed with SIGKILL in {seconds:.0f}s")
    print(f"edits acknowledged: {outcome.acknowledged}")
    print(f"acknowledged edits found in the file: {outcome.found}")
    print(f"acknowledged edits missing: {len(outcome.missing)}")
    print(f"committed but not yet acknowledged when killed: {outcome.extra_unacknowledged}")
    print(f"reader rounds (export+stats+agreement+merge): {outcome.reader_rounds}, errors: {len(outcome.reader_errors)}")
    print(f"integrity_check: {', '.join(outcome.integrity)}")
    for line in outcome.missing[:10] + outcome.reader_errors[:10]:
        print("  " + line)
    return 0 if not outcome.missing and outcome.integrity == ["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
