"""Mutate the shared peer-tool corpora and import each mutant; count crashes.

A crash is any exception that is not the tool's own ``AnnotatorError`` (a
traceback for the user), a mutant that imports but whose documents or sets
can then not be read back or exported, or an import that succeeds with
nothing imported. Run by hand, never in the suite:

    python tests/benchmarks/fuzz_import.py [N_MUTANTS] [SEED]   (from the project root)

Prints the counts and one line per crash class.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

if not os.environ.get("PYTHONPATH"):  # else the tree named there (to fuzz another version)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
CORPORA = Path.cwd().parent / "shared" / "corpora"  # run from the project root, like the tests

FILES = [
    "prodigy/news_headlines_ner.jsonl",
    "label_studio/nerine_nor_export.json",
    "doccano/data_import__pipeline__examples__relation_extraction__example.jsonl",
    "doccano/data_import__pipeline__examples__sequence_labeling__example.jsonl",
    "doccano/data_export__pipeline__examples__relation_extraction__example.jsonl",
    "iob/ner-token-per-line-conll2003.iob",
    "iob/ner-sent-per-line.iob",
    "brat/news/000-introduction.ann",
    "brat/news/100-attribute_annotation.ann",
    "conll04/conll04_dev.json",
]
# JSON values the mutator puts in place of a number, a string or a list
ODD_VALUES = [
    0.7, -1, 10**12, float("nan"), float("inf"), float("-inf"), True, None, "", "\ud800", "x" * 5, [], {}, [1, 2],
    "\u0301", "🎉", -0.0, "0",
]


def mutate_json(value, rng: random.Random, depth: int = 0):
    """One random change somewhere in a JSON value."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        choice = rng.random()
        if choice < 0.15:
            return {k: v for k, v in value.items() if k != key}
        if choice < 0.3:
            return {**value, key: rng.choice(ODD_VALUES)}
        return {**value, key: mutate_json(value[key], rng, depth + 1)}
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        choice = rng.random()
        if choice < 0.1:
            return value[:i] + value[i + 1 :]
        if choice < 0.2:
            return value + [value[i]]
        if choice < 0.3:
            return list(reversed(value))
        out = list(value)
        out[i] = mutate_json(value[i], rng, depth + 1)
        return out
    if isinstance(value, str) and rng.random() < 0.5:
        pos = rng.randrange(len(value) + 1)
        return value[:pos] + rng.choice(["\ud800", "\u0301", "🎉", " ", "\n", "東京", "\x00"]) + value[pos:]
    return rng.choice(ODD_VALUES)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.2:
        return data[: rng.randrange(len(data) + 1)]
    if choice < 0.35:
        return b""
    if choice < 0.5:
        pos = rng.randrange(len(data) + 1)
        return data[:pos] + bytes([rng.randrange(256)]) + data[pos:]
    if choice < 0.6:
        return b"[" * 2000 + b"]" * 2000
    if choice < 0.7:
        return b"-DOCSTART- -X- O O\n\n"
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def mutant(path: Path, out_dir: Path, rng: random.Random) -> Path:
    """A mutated copy of ``path`` (with its brat text beside it) in ``out_dir``."""
    target = out_dir / path.name
    if path.suffix == ".ann":
        shutil.copy(path.with_suffix(".txt"), target.with_suffix(".txt"))
        if rng.random() < 0.3:
            shutil.copy(path.with_suffix(".txt"), target.with_suffix(".txt"))
            text = target.with_suffix(".txt").read_text(encoding="utf-8")
            pos = rng.randrange(len(text) + 1)
            target.with_suffix(".txt").write_text(text[:pos] + rng.choice([" ", "東", "\u0301"]) + text[pos:], encoding="utf-8")
    data = path.read_bytes()
    if path.suffix in (".json", ".jsonl") and rng.random() < 0.7:
        if path.suffix == ".jsonl":
            lines = [line for line in data.decode("utf-8").split("\n") if line.strip()]
            i = rng.randrange(len(lines))
            try:
                lines[i] = json.dumps(mutate_json(json.loads(lines[i]), rng), ensure_ascii=rng.random() < 0.5)
            except json.JSONDecodeError:
                pass
            target.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        else:
            value = mutate_json(json.loads(data), rng)
            target.write_text(json.dumps(value, ensure_ascii=True), encoding="utf-8")
        return target
    target.write_bytes(mutate_bytes(data, rng))
    return target


def run_one(source: Path, work: Path) -> str | None:
    """None when the mutant imported cleanly or was refused with a message;
    else the last line of the traceback."""
    from annotator import api
    from annotator.core.errors import AnnotatorError

    project = api.init_project(work / "p.annotator")
    try:
        report = api.import_files(project, [source], preannotate="none", add_labels=True)
        if not report.documents_added and not report.duplicates:
            return "silent: exit 0 with nothing imported"
        for doc_id in project.document_ids():
            project.document(doc_id)
            for owner in project.owners(doc_id):
                project.annotation_set(doc_id, owner)
        for fmt in ("jsonl", "spacy", "conll"):
            api.export(project, work / f"out.{fmt}", format=fmt, status="all")
        return None
    except AnnotatorError:
        return None
    except Exception as exc:  # counting crashes is the point of this script
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    finally:
        project.close()


def main(count: int = 500, seed: int = 9) -> None:
    rng = random.Random(seed)
    crashes: Counter[str] = Counter()
    for n in range(count):
        original = CORPORA / FILES[n % len(FILES)]
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "in").mkdir()
            source = mutant(original, work / "in", rng)
            crash = run_one(source, work)
            if crash:
                crashes[f"{original.parent.name}/{original.suffix}: {crash}"] += 1
    print(f"{sum(crashes.values())} crashes in {count} mutants (seed {seed})")
    for what, times in crashes.most_common():
        print(f"  {times:4d}  {what}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
