"""Learning curve with a simulated annotator on CoNLL04:
``python tests/benchmarks/bench_learning_curve.py [--max-docs 375] [--seeds 0,1,2] [--orders uncertain,random] [--no-full] [--out curve.json] [--png curve.png]``.

Starts from nothing: each round the "annotator" labels the next 25 documents
of the queue (copying CoNLL04's gold annotations), marks them done, and the
model retrains as the labeling window does: the first round from nothing,
later rounds continuing from the last model, with ``annotator train``'s
defaults. After each retrain the
entity and relation F1 on CoNLL04 dev are measured. The queue order is
either "most uncertain first" (the model's suggestions on the unlabelled
documents are refreshed after each round) or random; each over the seeds
given. A model trained from nothing on every training document is the
full-data reference. Prints a table, writes the figures as JSON and, with
``--png``, draws the curve (see ``curve_png.py``). The JSON is rewritten after
every point, so a run stopped early leaves its partial curve; runs of one order
each (``--orders``) can go side by side and ``curve_png.py`` merges their JSON
files. Not part of the suite.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator import api
from annotator.core.model import AnnotationSet

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "conll04"
STEP = 25
ANNOTATOR = "sim"


def load(tmp: Path, name: str, source: Path, scheme=None):
    """A project of the file's sentences; returns it and the gold sets by document id
    (taken out of the project, so the documents start unlabelled)."""
    project = api.init_project(tmp / f"{name}.annotator", scheme=scheme) if scheme else api.init_project(tmp / f"{name}.annotator")
    api.import_files(project, [source], preannotate="none", add_labels=True)
    gold = {doc_id: sets["import"] for doc_id, sets in project.load_sets(project.document_ids(), ["import"]).items()}
    return project, gold


def label(project, gold: dict[int, AnnotationSet], doc_ids: list[int]) -> None:
    for doc_id in doc_ids:
        aset = gold[doc_id]
        project.write_set(doc_id, ANNOTATOR, aset.sorted_spans(), aset.sorted_relations(), status="done", who=ANNOTATOR, read_back=False)


def scores(dev, model: Path) -> tuple[float, float]:
    result = api.evaluate_model(dev, model, owner="gold")
    return 100 * result.total(result.spans).f1, 100 * result.total(result.relations).f1


def run(tmp: Path, order: str, seed: int, max_docs: int, dev, points: list[dict], save) -> list[dict]:
    work = tmp / f"{order}-{seed}"
    work.mkdir()
    pool, gold = load(work, "pool", CORPUS / "conll04_train.json")
    model = work / "model"
    rng = random.Random(seed)
    remaining = pool.document_ids()
    rng.shuffle(remaining)  # the random order; also the first batch of the uncertain order
    labelled = 0
    while labelled < max_docs:
        if order == "uncertain" and labelled:
            pool_order = api.uncertain_first(pool, model)
            todo = set(remaining)
            batch = [d for d in pool_order if d in todo][:STEP]
        else:
            batch = remaining[:STEP]
        remaining = [d for d in remaining if d not in set(batch)]
        label(pool, gold, batch)
        labelled += len(batch)
        started = time.perf_counter()
        if labelled == len(batch):
            api.train_model(pool, model, owner=ANNOTATOR, seed=seed)
        else:
            api.train_model(pool, model, owner=ANNOTATOR, base=model, seed=seed)
        train_s = time.perf_counter() - started
        if order == "uncertain":
            api.suggest(pool, model)
        ent, rel = scores(dev, model)
        points.append({"documents": labelled, "entity_f1": ent, "relation_f1": rel, "train_s": train_s})
        save()
        print(f"  {order:<9} seed {seed} {labelled:>4} docs: entity F1 {ent:5.1f}  relation F1 {rel:5.1f}  (train {train_s:.1f}s)", flush=True)
    pool.close()
    return points


def full_data(tmp: Path, dev) -> dict:
    work = tmp / "full"
    work.mkdir()
    pool, gold = load(work, "pool", CORPUS / "conll04_train.json")
    label(pool, gold, pool.document_ids())
    started = time.perf_counter()
    model = api.train_model(pool, work / "model", owner=ANNOTATOR, seed=0)
    seconds = time.perf_counter() - started
    ent, rel = scores(dev, model)
    meta = json.loads((model / "meta.json").read_text())
    print(f"full data ({len(gold)} docs): entity F1 {ent:.1f}  relation F1 {rel:.1f}  (train {seconds:.0f}s)", flush=True)
    pool.close()
    return {"documents": len(gold), "entity_f1": ent, "relation_f1": rel, "train_s": seconds, "pipeline": meta["pipeline"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-docs", type=int, default=375)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--orders", default="uncertain,random")
    parser.add_argument("--no-full", action="store_true", help="skip the full-data reference model")
    parser.add_argument("--out", type=Path, default=Path("learning-curve.json"))
    parser.add_argument("--png", type=Path)
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        dev, dev_gold = load(tmp, "dev", CORPUS / "conll04_dev.json")
        with dev.transaction():
            dev.db.execute("UPDATE annotation_sets SET owner = 'gold' WHERE owner = 'import'")
        print(f"CoNLL04 dev: {len(dev_gold)} documents", flush=True)
        curves = {order: {} for order in args.orders.split(",") if order}
        summary = {"full": None, "curves": curves}

        def save() -> None:
            args.out.write_text(json.dumps(summary, indent=1))

        for seed in seeds:
            for order in curves:
                curves[order][str(seed)] = []
                run(tmp, order, seed, args.max_docs, dev, curves[order][str(seed)], save)
        if not args.no_full:
            summary["full"] = full_data(tmp, dev)
            save()
        dev.close()
    if summary["full"] is None or len(curves) < 2:
        return
    full = summary["full"]
    curves = {o: {int(s): pts for s, pts in c.items()} for o, c in curves.items()}
    print("\nmean over seeds (entity F1 / relation F1), full data:", f"{full['entity_f1']:.1f} / {full['relation_f1']:.1f}")
    print(f"{'docs':>6} {'% of train':>10} {'uncertain':>15} {'random':>15} {'ahead':>6}")
    n_points = min(len(pts) for c in curves.values() for pts in c.values())
    for i in range(n_points):
        docs = curves["uncertain"][seeds[0]][i]["documents"]
        means = {o: (statistics.mean(c[s][i]["entity_f1"] for s in seeds), statistics.mean(c[s][i]["relation_f1"] for s in seeds)) for o, c in curves.items()}
        u, r = means["uncertain"], means["random"]
        print(f"{docs:>6} {100 * docs / full['documents']:>9.0f}% {u[0]:>7.1f} / {u[1]:>5.1f} {r[0]:>7.1f} / {r[1]:>5.1f} {'yes' if u[0] > r[0] else 'no':>6}")
    if args.png:
        from curve_png import draw

        draw(summary, args.png)
        print(f"curve drawn to {args.png}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
