"""Peak memory of importing one large file of each format, at two sizes.

Each import runs in its own process (``python -m annotator import ...
--preannotate none``) and its peak resident set size is read from
``resource.getrusage(RUSAGE_CHILDREN)``. Memory should stay flat with file
size (target: under 1 GB for a 200 MB file of any format).

    python tests/benchmarks/bench_import_memory.py [MEGABYTES ...] [FORMAT ...]   (default: 20 200, all)

The CoNLL file is one ``-DOCSTART-`` document (the worst case); the others
hold news-like records of about 2 KB with a few spans each.
"""
from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARAGRAPH = (
    "Foxconn will invest $5 billion in a plant in Wisconsin, Terry Gou said on Monday in Taipei. "
    "Zoë Ørsted of 東京電力 welcomed the plan 🎉, and OpenAI agreed a partnership with the group. "
)
SPANS = [(0, 7, "ORG"), (44, 53, "GPE"), (55, 64, "PERSON"), (185, 191, "ORG")]


def record_text(n: int) -> str:
    return f"Report {n}. " + PARAGRAPH * 10


def shifted(n: int) -> list[tuple[int, int, str]]:
    base = len(f"Report {n}. ")
    return [(s + base, e + base, label) for s, e, label in SPANS]


def write_records(path: Path, size: int, line) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        n = 0
        while fh.tell() < size:
            fh.write(line(n))
            n += 1


def write_conll(path: Path, size: int) -> None:
    words = PARAGRAPH.split()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("-DOCSTART- -X- O O\n\n")
        n = 0
        while fh.tell() < size:
            fh.write(f"Report O\n{n} O\n")  # every sentence differs, so no part repeats another
            for i, word in enumerate(words):
                fh.write(f"{word} {'B-ORG' if i == 0 else 'O'}\n")
            fh.write("\n")
            n += 1


def write_labelstudio(path: Path, size: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[")
        n = 0
        while fh.tell() < size:
            text = record_text(n)
            result = [
                {"id": f"r{i}", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
                for i, (s, e, label) in enumerate(shifted(n))
            ]
            task = {"data": {"text": text}, "annotations": [{"completed_by": 1, "result": result}]}
            fh.write(("," if n else "") + "\n" + json.dumps(task, ensure_ascii=False))
            n += 1
        fh.write("\n]\n")


def write_csv(path: Path, size: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["title", "text"])
        n = 0
        while fh.tell() < size:
            out.writerow([f"Report {n}", record_text(n)])
            n += 1


def prodigy(n: int) -> str:
    spans = [{"start": s, "end": e, "label": label} for s, e, label in shifted(n)]
    return json.dumps({"text": record_text(n), "spans": spans, "_annotator_id": "ann"}, ensure_ascii=False) + "\n"


def doccano(n: int) -> str:
    return json.dumps({"text": record_text(n), "label": [list(s) for s in shifted(n)]}, ensure_ascii=False) + "\n"


def write_file(fmt: str, folder: Path, size: int) -> Path:
    if fmt == "conll":
        path = folder / "big.conll"
        write_conll(path, size)
    elif fmt == "labelstudio":
        path = folder / "big.json"
        write_labelstudio(path, size)
    elif fmt == "csv":
        path = folder / "big.csv"
        write_csv(path, size)
    else:
        path = folder / f"big-{fmt}.jsonl"
        write_records(path, size, prodigy if fmt == "jsonl" else doccano)
    return path


def peak_import(path: Path, fmt: str, project: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB, and the last line of output of one import."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "annotator", "init", str(project)], check=True, env=env, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(project), str(path), "--format", fmt,
         "--preannotate", "none", "--add-labels"],
        env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = (done.stdout + done.stderr).strip().splitlines()
    return seconds, max(peak, before) / 1024, out[-1][:120] if out else f"exit {done.returncode}"


FORMATS = ("conll", "jsonl", "doccano", "labelstudio", "csv")


def main(sizes: list[int], formats: tuple[str, ...] = FORMATS) -> None:
    print(f"{'format':12} {'MB':>5} {'seconds':>8} {'peak MB':>8}  result")
    for fmt in formats:
        for megabytes in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                path = write_file(fmt, folder, megabytes << 20)
                # ru_maxrss of children is the largest child so far: run each size in a fresh process
                result = subprocess.run(
                    [sys.executable, __file__, "--one", fmt, str(path), str(folder / "p.annotator")],
                    capture_output=True, text=True,
                )
                print(f"{fmt:12} {megabytes:5d} {result.stdout.strip()}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        fmt, path, project = sys.argv[2:5]
        seconds, peak, last = peak_import(Path(path), fmt, Path(project))
        print(f"{seconds:8.1f} {peak:8.0f}  {last}")
    else:
        args = [a for a in sys.argv[1:] if not a.isdigit()]
        main([int(a) for a in sys.argv[1:] if a.isdigit()] or [20, 200], tuple(args) or FORMATS)
