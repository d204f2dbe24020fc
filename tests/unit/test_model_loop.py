"""The project's own model: training, evaluation, suggestions, uncertainty order."""
from __future__ import annotations

import contextlib
import json
import math
import shutil
import types

import pytest
from click.testing import CliRunner

from annotator import api
from annotator.cli import cli
from annotator.core.errors import TrainingCancelled
from annotator.core.evaluation import evaluate
from annotator.core.model import AnnotationSet, Relation, Span
from annotator.ops.training import finished_items
from annotator.store.model_sets import document_confidences, unopened_document_ids
from tests.model_data import make_tiny_project, scheme


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny project (40 documents, 30 done by alice) and a model trained on it."""
    tmp = tmp_path_factory.mktemp("loop")
    opened = []

    def make(name="tiny.annotator", **kwargs):
        project = api.init_project(tmp / name, **kwargs)
        opened.append(project)
        return project

    project, items = make_tiny_project(make, tmp)
    model = api.train_model(project, tmp / "tiny-model", dev=0.0, max_epochs=20, seed=1)
    yield project, items, model, tmp
    for p in opened:
        p.close()


def test_training_writes_one_spacy_pipeline_with_scores_and_relations(trained):
    _project, _items, model, _tmp = trained
    meta = json.loads((model / "meta.json").read_text())
    assert meta["pipeline"] == ["tok2vec", "ner", "ner_scores", "relations"]
    assert sorted(meta["labels"]["ner"]) == ["GPE", "ORG", "PERSON"]
    assert len(meta["annotator_documents"]) == 30  # every finished document, none held back


def test_suggest_refreshes_only_documents_no_one_has_opened(trained):
    project, _items, model, _tmp = trained
    ids = project.document_ids()
    project.start_set(ids[35], "bob")  # bob opened document 36
    report = api.suggest(project, model)
    assert report.owner == "model:tiny-model"
    assert report.documents == 9  # 40 - 30 done by alice - 1 opened by bob
    assert unopened_document_ids(project) == ids[30:35] + ids[36:]
    assert project.annotation_set(ids[35], "model:tiny-model") is None
    assert project.annotation_set(ids[0], "model:tiny-model") is None
    suggested = project.annotation_set(ids[31], "model:tiny-model")
    assert suggested.spans and all(s.origin == "model" and 0.0 <= s.score <= 1.0 for s in suggested.spans.values())


def test_relation_suggestions_respect_the_scheme(trained):
    project, _items, model, _tmp = trained
    api.suggest(project, model)
    tiny = scheme()
    relations = 0
    for doc_id in unopened_document_ids(project):
        aset = project.annotation_set(doc_id, "model:tiny-model")
        for rel in aset.relations.values():
            head, child = aset.spans[rel.head], aset.spans[rel.child]
            assert tiny.relation(rel.label).accepts(head.label, child.label), (rel, head, child)
            assert 0.0 < rel.attrs["score"] <= 1.0
            relations += 1
    assert relations > 0


def test_relation_candidates_are_only_the_pairs_and_directions_the_scheme_allows():
    from annotator.nlp.relations import RelationModel

    model = RelationModel(scheme().relations)
    assert model.classes == [None, ("employer", True), ("employer", False), ("based_in", True), ("based_in", False)]
    words = "Acme Corp hired Bob Jones in Paris and Lima".split()
    spans = [(0, 2, "ORG"), (3, 5, "PERSON"), (6, 7, "GPE"), (8, 9, "GPE")]
    pairs = {(c.first, c.second): c.allowed.tolist() for c in model.candidates(words, spans, [0, 0, 0, 0])}
    assert pairs == {
        (0, 1): [True, False, True, False, False],  # ORG ... PERSON: only employer, PERSON -> ORG
        (0, 2): [True, False, False, True, False],  # ORG ... GPE: only based_in, ORG -> GPE
        (0, 3): [True, False, False, True, False],
    }  # PERSON-GPE and GPE-GPE: no type accepts them


def test_uncertainty_order_differs_from_import_order_and_is_stable(trained):
    project, _items, model, _tmp = trained
    api.suggest(project, model)
    first = api.uncertain_first(project, model)
    assert sorted(first) == project.document_ids()
    assert first != project.document_ids()
    confidence = document_confidences(project, first, "model:tiny-model")
    scored = [confidence[d] for d in first if d in confidence]
    assert scored == sorted(scored)
    api.suggest(project, model)  # the same model again: the same order
    assert api.uncertain_first(project, model) == first
    rows = project.db.execute(
        "SELECT ms.document_id, ms.score, (SELECT min(json_extract(r.attrs, '$.score')) FROM relations r WHERE r.set_id = ms.id) "
        "FROM annotation_sets ms WHERE ms.owner = 'model:tiny-model'"
    ).fetchall()
    assert rows and all(0.0 < score <= 1.0 for _, score, _ in rows)  # every refreshed set has the model's score
    assert {d: min(score, rel if rel is not None else 1.0) for d, score, rel in rows} == confidence


def test_the_models_score_for_a_whole_set_orders_the_queue_before_its_span_scores(make_project):
    from annotator.store.model_sets import uncertain_document_ids

    project = make_project()
    source = project.path.with_name("three.jsonl")
    texts = ["Acme hired Bob.", "Hooli hired Eve.", "Globex hired Dan.", "Hooli hired Eve again."]
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    api.import_files(project, [source], preannotate="none")
    a, b, c, d = project.document_ids()
    sure_span = [Span(1, 0, 4, "ORG", "model", 0.99)]
    project.write_set(a, "model:m", sure_span, status="done", score=0.9)
    project.write_set(b, "model:m", [], status="done", score=0.2)  # found nothing, and is unsure of that
    project.write_set(d, "model:m", [Span(1, 0, 5, "ORG", "model", 0.99), Span(2, 12, 15, "PERSON", "model", 0.99)],
                      [Relation(1, 2, 1, "employer", "model", {"score": 0.4})], status="done", score=0.95)
    project.write_set(c, "model:m", [Span(1, 0, 6, "ORG", "model", 0.5)], status="done")  # a model that gives no set score
    assert uncertain_document_ids(project, "model:m") == [b, d, c, a]  # an unsure relation counts too
    assert document_confidences(project, [a, b, c, d], "model:m") == {a: 0.9, b: 0.2, c: 0.5, d: 0.4}
    project.write_set(b, "model:m", sure_span, status="done")  # new contents without a score clear the old one
    assert document_confidences(project, [b], "model:m") == {b: 0.99}


def test_continued_training_learns_only_from_new_and_rehearsed_documents(trained):
    project, items, model, tmp = trained
    ids = project.document_ids()
    for doc_id, (_text, spans, relations) in zip(ids[30:33], items[30:33]):
        project.write_set(doc_id, "carol", spans, relations, status="done", who="carol")
    again = api.train_model(project, tmp / "tiny-model-2", base=model, continue_epochs=1, seed=1)
    meta = json.loads((again / "meta.json").read_text())
    assert len(meta["annotator_documents"]) == 33
    assert meta["pipeline"] == ["tok2vec", "ner", "ner_scores", "relations"]


def test_cancelled_training_leaves_the_previous_model(trained):
    project, _items, model, tmp = trained
    target = tmp / "kept-model"
    shutil.copytree(model, target)
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    with pytest.raises(TrainingCancelled):
        api.train_model(project, target, base=target, cancelled=lambda: True)
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert not target.with_name("kept-model.partial").exists()


def test_evaluation_counts_exact_matches_per_label():
    gold = AnnotationSet.build(1, "gold", [
        Span(1, 0, 5, "PERSON"), Span(2, 10, 14, "ORG"), Span(3, 20, 25, "GPE"), Span(4, 30, 34, "ORG"),
    ], [Relation(1, 1, 2, "employer"), Relation(2, 2, 3, "based_in")])
    found = AnnotationSet.build(1, "model", [
        Span(1, 0, 5, "PERSON"), Span(2, 10, 14, "ORG"), Span(3, 20, 25, "ORG"), Span(4, 40, 44, "PERSON"),
    ], [Relation(1, 1, 2, "employer"), Relation(2, 4, 2, "employer")])
    result = evaluate([(gold, found)])
    assert result.table() == (
        "1 documents\n"
        "                               P       R       F   found   wrong  missed\n"
        "spans\n"
        "  GPE                        0.0     0.0     0.0       0       0       1\n"
        "  ORG                       50.0    50.0    50.0       1       1       1\n"
        "  PERSON                    50.0   100.0    66.7       1       1       0\n"
        "  all                       50.0    50.0    50.0       2       2       2\n"
        "relations\n"
        "  based_in                   0.0     0.0     0.0       0       0       1\n"
        "  employer                  50.0   100.0    66.7       1       1       0\n"
        "  all                       50.0    50.0    50.0       1       1       1\n"
    )


def test_cli_evaluate_prints_scores_of_a_model_folder(make_project, tmp_path):
    import spacy

    project = make_project(scheme=scheme())
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps({"text": "Alice Smith works for Acme Corp in Paris ."}) + "\n"
                      + json.dumps({"text": "Bob Jones visited Paris on Monday ."}) + "\n", encoding="utf-8")
    api.import_files(project, [source], preannotate="none")
    first, second = project.document_ids()
    project.write_set(first, "gold", [Span(1, 0, 11, "PERSON"), Span(2, 22, 31, "ORG"), Span(3, 35, 40, "GPE")], status="done")
    project.write_set(second, "gold", [Span(1, 0, 9, "PERSON"), Span(2, 18, 23, "GPE")], status="done")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PERSON", "pattern": "Alice Smith"}, {"label": "ORG", "pattern": "Paris"},
    ])
    nlp.to_disk(tmp_path / "ruler")
    project.close()
    result = CliRunner().invoke(cli, ["evaluate", str(project.path), str(tmp_path / "ruler")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "2 documents\n"
        "                               P       R       F   found   wrong  missed\n"
        "spans\n"
        "  GPE                        0.0     0.0     0.0       0       0       2\n"
        "  ORG                        0.0     0.0     0.0       0       2       1\n"
        "  PERSON                   100.0    50.0    66.7       1       0       1\n"
        "  all                       33.3    20.0    25.0       1       2       4\n"
        "relations\n"
        "  all                        0.0     0.0     0.0       0       0       0\n"
    )


def test_a_retrain_learns_from_the_new_documents_and_a_sample_of_the_seen_ones():
    from annotator.core.model import Document
    from annotator.nlp.train import rehearsal

    items = [(Document(i, f"h{i}", "text", ()), AnnotationSet(i, "alice")) for i in range(300)]
    seen = {f"h{i}" for i in range(290)}
    chosen = rehearsal(items, seen, seed=0)
    assert [d.id for d, _ in chosen[:10]] == list(range(290, 300))  # every new document
    assert len(chosen) == 10 + 100 and {d.hash for d, _ in chosen[10:]} <= seen  # at least 100 rehearsed
    assert rehearsal(items, seen, seed=0) == chosen
    assert len(rehearsal(items, {f"h{i}" for i in range(200)}, seed=0)) == 100 + 200  # four times the new ones


def test_cli_suggest_and_train_from_a_model(trained):
    project, _items, model, tmp = trained
    result = CliRunner().invoke(cli, ["suggest", str(project.path), str(model)])
    assert result.exit_code == 0, result.output
    refreshed = len(unopened_document_ids(project))
    assert result.output.startswith(f"model:tiny-model: {refreshed} documents refreshed, ")
    result = CliRunner().invoke(cli, ["train", str(project.path), str(tmp / "cli-model"), "--from", str(model), "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert f"Model saved to {tmp / 'cli-model'}" in result.output
    assert (tmp / "cli-model" / "relations" / "weights.npz").is_file()


def test_a_cancelled_refresh_leaves_each_document_with_its_old_or_its_new_suggestions(trained):
    project, _items, model, _tmp = trained
    owner = "model:tiny-model"
    todo = unopened_document_ids(project)
    old = [Span(1, 0, 3, "ORG", "model", 0.5)]
    for doc_id in todo:
        project.write_set(doc_id, owner, old, status="done", who=owner)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3  # cancel after three documents are written

    report = api.suggest(project, model, cancelled=cancelled)
    assert report.documents == 3
    sets = [project.annotation_set(doc_id, owner) for doc_id in todo]
    fresh = [[(s.start, s.end, s.label, s.score) for s in a.sorted_spans()] != [(0, 3, "ORG", 0.5)] for a in sets]
    assert fresh == [True] * 3 + [False] * (len(todo) - 3)
    api.suggest(project, model)  # the next refresh writes the rest
    assert all(s.origin == "model" and s.score != 0.5 for doc_id in todo for s in project.annotation_set(doc_id, owner).spans.values())


def install_pipeline(model, site, name="en_tiny_news", version="0.0.1"):
    """Make the model folder an installed spaCy pipeline package importable as
    ``name`` from ``site`` (a package with ``load()`` and its dist-info, the
    layout ``spacy package`` + pip give), without network or pip."""
    package = site / name
    data = package / f"{name}-{version}"
    shutil.copytree(model, data)
    meta = json.loads((data / "meta.json").read_text())
    lang, short = name.split("_", 1)
    meta.update(lang=lang, name=short, version=version)
    for folder in (package, data):
        (folder / "meta.json").write_text(json.dumps(meta))
    (package / "__init__.py").write_text(
        "from spacy.util import load_model_from_init_py\n\n\n"
        "def load(**overrides):\n    return load_model_from_init_py(__file__, **overrides)\n"
    )
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(name + "\n")


def test_an_installed_pipeline_is_fine_tuned_by_name_and_preannotates_by_name(trained, tmp_path, monkeypatch):
    project, items, model, _tmp = trained
    install_pipeline(model, tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    out = tmp_path / "tuned"
    result = CliRunner().invoke(cli, ["train", str(project.path), str(out), "--from", "en_tiny_news", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["pipeline"] == ["tok2vec", "ner", "ner_scores", "relations"]
    assert meta["lang"] == "en" and meta["name"] == "tiny_news"  # the installed pipeline's, fine-tuned
    # the installed pipeline's 30 documents and whatever the module's earlier tests finished since
    finished = {document.hash for document, _ in finished_items(project)}
    assert len(finished) >= 30 and sorted(meta["annotator_documents"]) == sorted(finished)
    source = tmp_path / "new.jsonl"
    texts = ["Alice Smith works for Acme Corp in Paris .", "Globex opened an office in Oslo ."]
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    fresh = api.init_project(tmp_path / "fresh.annotator", scheme=scheme())
    result = CliRunner().invoke(cli, ["import", str(fresh.path), str(source), "--preannotate", "en_tiny_news"])
    assert result.exit_code == 0, result.output
    ids = fresh.document_ids()
    assert len(ids) == 2
    suggested = [fresh.annotation_set(doc_id, "model:en_tiny_news") for doc_id in ids]
    assert all(s is not None and s.spans for s in suggested)
    assert all(s.origin == "model" and s.score is not None for a in suggested for s in a.spans.values())
    fresh.close()


def test_a_small_project_trains_its_epochs_instead_of_choosing_them_on_a_few_held_out_documents(make_project, tmp_path):
    from annotator.nlp.train import MIN_HELD_OUT, train_ner

    project, _items = make_tiny_project(make_project, tmp_path)
    items = finished_items(project)
    assert round(0.2 * len(items)) < MIN_HELD_OUT
    _nlp, run = train_ner(items, lang="en", labels=["GPE", "ORG", "PERSON"], holdout=0.2, max_epochs=2, seed=1)
    assert (run.epochs, run.selection, run.documents) == (2, [], 30)


def test_epochs_that_find_nothing_yet_are_warm_up_not_a_plateau(monkeypatch):
    from annotator.nlp import train

    scores = iter([0.0, 0.0, 0.0, 0.0, 0.5, 0.6, 0.55, 0.5, 0.4, 0.7, 0.8])

    class Scripted:
        pipe_names = ["tok2vec", "ner"]
        config = {"training": {"dropout": 0.1}}

        def update(self, batch, **_kwargs):
            pass

        def evaluate(self, _dev):
            return {"ents_f": next(scores)}

        def to_bytes(self):
            return b"weights"

        def use_params(self, _params):
            return contextlib.nullcontext()

    monkeypatch.setattr(train, "_batches", lambda _nlp, data: [data])
    steps = train._Steps(None, None, 30)
    optimizer = types.SimpleNamespace(averages=None)
    epochs, n_steps, history, best = train._fit(Scripted(), ["x"], optimizer=optimizer, epochs=30, seed=0, steps=steps, dev=["y"], patience=3)
    assert (epochs, n_steps, best, optimizer.averages) == (9, 9, b"weights", {})
    assert history == [0.0, 0.0, 0.0, 0.0, 0.5, 0.6, 0.55, 0.5, 0.4]


def test_a_training_killed_between_moving_the_old_model_aside_and_the_new_in_leaves_a_model_that_loads(trained):
    project, _items, model, tmp = trained
    aside = tmp / "swapped-model.previous"
    shutil.copytree(model, aside)
    report = api.suggest(project, tmp / "swapped-model")
    assert (tmp / "swapped-model" / "meta.json").is_file() and not aside.exists()
    assert report.documents == len(unopened_document_ids(project)) > 0


def test_a_text_run_in_pieces_is_scored_as_the_chance_that_every_piece_is_right(trained):
    from annotator.nlp.pipeline import analyze, load_pipeline, text_pieces

    _project, items, model, _tmp = trained
    nlp = load_pipeline(str(model))
    text = "\n".join(t for t, _, _ in items[:6])
    limit, nlp.max_length = nlp.max_length, 120
    [whole] = analyze(nlp, [text], origin="model")
    nlp.max_length = limit
    pieces = [piece for _, piece, _ in text_pieces(text, 120)]
    parts = [a.score for a in analyze(nlp, pieces, origin="model")]
    assert len(parts) > 1 and all(1 / 8 <= s <= 1.0 for s in parts)
    assert whole.score == pytest.approx(math.prod(parts))
