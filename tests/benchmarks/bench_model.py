"""The project's model against spaCy's own trainer, and the cost of a retrain:
``python tests/benchmarks/bench_model.py [--docs 400] [--epochs 10]``.

1. The same CoNLL04 training documents, the same number of epochs, spaCy's
   default CPU efficiency config in both: ``annotator train`` (our loop over
   ``nlp.update``) against ``spacy train`` (its ``model-last``, so neither
   picks its best epoch on the documents it is scored on). Both are scored
   on CoNLL04 dev with ``annotator evaluate``; prints the ratio of entity F1.
2. A project of 1,000 finished documents (CoNLL04 train and dev) with a model
   trained on 975 of them: 25 more are finished and the model retrains,
   continuing from the last one as the labeling window does. Prints the time
   beside the time of one epoch from nothing over the 1,000.
Not part of the test suite; run by hand (``nice -n 10`` on a shared machine).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from annotator import api
from annotator.nlp.spacy_trainer import train_pipeline

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "conll04"


def project_of(tmp: Path, name: str, sources: list[Path], *, scheme=None):
    project = api.init_project(tmp / f"{name}.annotator", scheme=scheme) if scheme else api.init_project(tmp / f"{name}.annotator")
    api.import_files(project, sources, preannotate="none", add_labels=True)
    with project.transaction():
        project.db.execute("UPDATE annotation_sets SET owner = 'gold' WHERE owner = 'import'")
    return project


def keep_first(project, n: int) -> None:
    """Leave gold sets only on the first ``n`` documents."""
    ids = project.document_ids()
    with project.transaction():
        project.db.execute("DELETE FROM annotation_sets WHERE document_id > ?", [ids[n - 1]])


def f1(result) -> tuple[float, float]:
    return 100 * result.total(result.spans).f1, 100 * result.total(result.relations).f1


def against_spacy(tmp: Path, n_docs: int, epochs: int) -> None:
    train = project_of(tmp, "train", [CORPUS / "conll04_train.json"])
    keep_first(train, n_docs)
    dev = project_of(tmp, "dev", [CORPUS / "conll04_dev.json"], scheme=train.scheme)
    started = time.perf_counter()
    ours = api.train_model(train, tmp / "ours", dev=0.0, max_epochs=epochs, seed=0)
    ours_s = time.perf_counter() - started
    (tmp / "corpus").mkdir()
    api.export(train, tmp / "corpus" / "train.spacy", format="spacy", owner="gold")
    api.export(dev, tmp / "corpus" / "dev.spacy", format="spacy", owner="gold")
    started = time.perf_counter()
    train_pipeline(tmp / "corpus" / "train.spacy", tmp / "corpus" / "dev.spacy", tmp / "spacy", max_epochs=epochs, seed=0)
    spacy_s = time.perf_counter() - started
    ours_ent, ours_rel = f1(api.evaluate_model(dev, ours, owner="gold"))
    theirs_ent, _ = f1(api.evaluate_model(dev, tmp / "spacy" / "model-last", owner="gold"))
    print(f"{n_docs} CoNLL04 train documents, {epochs} epochs, scored on {dev.count_documents()} dev documents")
    print(f"  spacy train (model-last): entity F1 {theirs_ent:5.1f}  in {spacy_s:5.0f}s")
    print(f"  annotator train:          entity F1 {ours_ent:5.1f}  in {ours_s:5.0f}s  (relation F1 {ours_rel:.1f})")
    print(f"  ratio of entity F1: {ours_ent / theirs_ent:.3f} (target >= 0.97)", flush=True)
    train.close()
    dev.close()


def retrain_time(tmp: Path) -> None:
    project = project_of(tmp, "big", [CORPUS / "conll04_train.json", CORPUS / "conll04_dev.json"])
    ids = project.document_ids()
    assert len(ids) >= 1000, len(ids)
    gold = project.load_sets(ids[975:1000], ["gold"])
    with project.transaction():
        project.db.execute("DELETE FROM annotation_sets WHERE document_id > ?", [ids[974]])
    started = time.perf_counter()
    model = api.train_model(project, tmp / "big-model", dev=0.0, max_epochs=1, seed=0)
    first_s = time.perf_counter() - started
    for doc_id in ids[975:1000]:
        aset = gold[doc_id]["gold"]
        project.write_set(doc_id, "gold", aset.sorted_spans(), aset.sorted_relations(), status="done")
    started = time.perf_counter()
    api.train_model(project, model, base=model, seed=0)
    again_s = time.perf_counter() - started
    meta = json.loads((model / "meta.json").read_text())
    print(f"1,000 finished documents: one epoch from nothing over 975 took {first_s:.1f}s;")
    print(f"  retrain after 25 more (continuing, 3 epochs over the new ones and rehearsed ones): {again_s:.1f}s (target < 30s); "
          f"the model has seen {len(meta['annotator_documents'])} documents", flush=True)
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--skip-spacy", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        retrain_time(tmp)
        if not args.skip_spacy:
            against_spacy(tmp, args.docs, args.epochs)


if __name__ == "__main__":
    main()
