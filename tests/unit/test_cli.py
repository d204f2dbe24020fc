from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.model import AnnotationSet, Relation, Span, Token, text_hash
from annotator.core.scheme import Scheme
from tests.conftest import ROOT

SCHEME = {
    "name": "news",
    "labels": [{"name": "ORG"}, {"name": "GPE"}],
    "relations": [{"name": "partner", "head": ["ORG"], "child": ["ORG"]}],
}
TEXT1 = "Foxconn and OpenAI signed a deal in Ohio ."
TEXT2 = "Ohio ."


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_text(name):
    command = cli.commands[name]
    assert command.help and command.help.strip(), f"`annotator {name}` has no help text"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name):
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    assert re.search(rf"annotator {re.escape(name)}\b", readme.read_text(encoding="utf-8")), (
        f"README.md does not mention `annotator {name}`"
    )


def _tokens(text: str) -> list[Token]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append(Token(pos, pos + len(word)))
        pos += len(word) + 1
    return out


def _span(text: str, words: str, label: str, sid: int) -> Span:
    start = text.index(words)
    return Span(sid, start, start + len(words), label)


def _put(project, doc_id, owner, spans, relations=(), *, status="done", at="2024-05-01T10:00:00+00:00"):
    aset = AnnotationSet.build(doc_id, owner, spans, relations, status=status)
    aset.updated_at, aset.updated_by = at, owner
    project.copy_set(doc_id, aset)


@pytest.fixture
def tiny(make_project):
    """Two documents. On TEXT1 (both done) alice and bob differ like this:

        alice: Foxconn ORG, OpenAI ORG, Ohio GPE;    partner(Foxconn -> OpenAI)
        bob:   Foxconn ORG, OpenAI ORG, "in Ohio" GPE, deal ORG;
               partner(Foxconn -> OpenAI), partner(OpenAI -> deal)

    Exact spans: tp 2, alice 3, bob 4 -> F1 = 4/7 = 0.571 (ORG 4/5 = 0.800, GPE 0).
    Overlap: "in Ohio" meets "Ohio" -> tp 3, F1 = 6/7 = 0.857 (GPE 1.000).
    Tokens (9): alice ORG O ORG O O O O GPE O, bob ORG O ORG O O ORG GPE GPE O:
    p_o = 7/9, p_e = (6*4 + 1*2 + 2*3)/81 = 32/81, Cohen's kappa = 31/49 = 0.633.
    On the 5 tokens someone annotated (ORG/ORG, ORG/ORG, O/ORG, O/GPE, GPE/GPE):
    p_o = 3/5, p_e = (2*3 + 1*2)/25 = 8/25, kappa = 7/17 = 0.412; ORG alone 8/13 = 0.615.
    Fleiss: P = 7/9, P_e = (10^2 + 3^2 + 5^2)/18^2 = 134/324, kappa = 118/190 = 0.621.
    Alpha: D_o = 4/18, D_e = (18^2 - 134)/(18*17) = 190/306, alpha = 1 - 1224/3420 = 0.642.
    Relations: tp 1, alice 1, bob 2 -> P 0.500, R 1.000, F1 0.667.
    TEXT2 is done by alice only (bob in progress), so it counts only with --all-documents;
    gold and model:rules sets are never compared by default.
    """
    project = make_project("tiny.annotator", scheme=Scheme.from_dict(SCHEME))
    with project.transaction():
        d1, _ = project.add_document(text=TEXT1, hash=text_hash(TEXT1), title="deal", tokens=_tokens(TEXT1), meta={})
        d2, _ = project.add_document(text=TEXT2, hash=text_hash(TEXT2), title="ohio", tokens=_tokens(TEXT2), meta={})
    _put(project, d1, "alice",
         [_span(TEXT1, "Foxconn", "ORG", 1), _span(TEXT1, "OpenAI", "ORG", 2), _span(TEXT1, "Ohio", "GPE", 3)],
         [Relation(1, 1, 2, "partner")])
    _put(project, d1, "bob",
         [_span(TEXT1, "Foxconn", "ORG", 1), _span(TEXT1, "OpenAI", "ORG", 2),
          _span(TEXT1, "in Ohio", "GPE", 3), _span(TEXT1, "deal", "ORG", 4)],
         [Relation(1, 1, 2, "partner"), Relation(2, 2, 4, "partner")])
    _put(project, d1, "gold", [_span(TEXT1, "Foxconn", "ORG", 1)], status="reviewed")
    _put(project, d1, "model:rules", [_span(TEXT1, "Ohio", "GPE", 1)], status="new")
    _put(project, d2, "alice", [_span(TEXT2, "Ohio", "GPE", 1)])
    _put(project, d2, "bob", [_span(TEXT2, "Ohio", "GPE", 1)], status="in_progress")
    project.close()
    return project.path


def test_agreement_table(tiny):
    result = CliRunner().invoke(cli, ["agreement", str(tiny)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Agreement of alice, bob: 1 of 2 documents compared (sets done or reviewed), 9 tokens"
    assert lines[1] == "Span F1 0.571 exact, 0.857 overlap; token kappa 0.412 on annotated tokens, 0.633 on all tokens"
    assert lines[2] == "Fleiss' kappa 0.621 (1 document), Krippendorff's alpha (nominal) 0.642, both on all tokens"
    spans, relations = (
        {line.split()[0]: line.split()[1:] for line in block.splitlines()[1:]}
        for block in result.output.split("\n\n")[1:3]
    )
    # columns: n A, n B, F1 exact, F1 overlap, Cohen's kappa (annotated, all tokens), Fleiss' kappa, alpha
    assert spans["GPE"][:6] == ["1", "1", "0.000", "1.000", "0.545", "0.609"]  # kappa 6/11, 14/23
    assert spans["ORG"][:6] == ["2", "3", "0.800", "0.800", "0.615", "0.727"]  # kappa 8/13, 24/33
    assert spans["overall"] == ["3", "4", "0.571", "0.857", "0.412", "0.633", "0.621", "0.642"]
    assert relations["partner"] == relations["overall"] == ["1", "2", "0.500", "1.000", "0.667"]


def test_agreement_json_counts_and_options(tiny):
    data = json.loads(CliRunner().invoke(cli, ["agreement", str(tiny), "--json"]).output)
    exact = data["all_pairs"]["spans"]["exact"]
    assert (data["documents"], data["documents_considered"], data["tokens"]) == (1, 2, 9)
    assert round(exact["overall"]["f1"], 3) == 0.571
    assert round(data["all_pairs"]["spans"]["overlap"]["overall"]["f1"], 3) == 0.857
    assert round(data["pairs"][0]["kappa"]["overall"], 3) == 0.633
    assert data["pairs"][0]["kappa_annotated"]["tokens"] == 5
    assert round(data["pairs"][0]["kappa_annotated"]["overall"], 3) == 0.412
    assert round(data["all_pairs"]["mean_kappa_annotated"]["overall"], 3) == 0.412
    assert round(data["fleiss_kappa"]["overall"], 3) == 0.621
    assert round(data["krippendorff_alpha"]["overall"], 3) == 0.642

    every = json.loads(CliRunner().invoke(cli, ["agreement", str(tiny), "--json", "--all-documents"]).output)
    # TEXT2 adds one exact GPE match: tp 3, alice 4, bob 5 -> F1 = 6/9
    assert (every["documents"], every["statuses"]) == (2, None)
    assert round(every["all_pairs"]["spans"]["exact"]["overall"]["f1"], 3) == 0.667

    org = json.loads(CliRunner().invoke(cli, ["agreement", str(tiny), "--json", "--labels", "ORG"]).output)
    assert org["labels"] == ["ORG"]
    assert round(org["all_pairs"]["spans"]["exact"]["overall"]["f1"], 3) == 0.8

    gold = json.loads(CliRunner().invoke(cli, ["agreement", str(tiny), "--json", "--annotators", "gold,alice"]).output)
    # gold has Foxconn only: tp 1, gold 1, alice 3 -> F1 = 2/4
    assert (gold["annotators"], round(gold["all_pairs"]["spans"]["exact"]["overall"]["f1"], 3)) == (["gold", "alice"], 0.5)


def test_agreement_errors_exit_non_zero(tiny):
    result = CliRunner().invoke(cli, ["agreement", str(tiny), "--annotators", "alice"])
    assert result.exit_code == 1
    assert "agreement needs at least two annotators" in result.output
    result = CliRunner().invoke(cli, ["agreement", str(tiny), "--labels", "LAW"])
    assert result.exit_code == 1
    assert "unknown label 'LAW'; labels in the project: GPE, ORG" in result.output


def test_merge_command(tiny, make_project):
    target = make_project("reviewer.annotator", scheme=Scheme.from_dict(SCHEME))
    target.close()
    runner = CliRunner()
    first = runner.invoke(cli, ["merge", str(target.path), str(tiny)])
    assert first.exit_code == 0, first.output
    assert first.output == (
        f"Merged 1 file into {target.path}: 2 documents added, 6 sets added, 0 replaced by a later edit, "
        "0 kept where this project's edit is later, 0 already identical\n"
    )
    again = runner.invoke(cli, ["merge", str(target.path), str(tiny)])
    assert again.output.endswith("0 kept where this project's edit is later, 6 already identical\n")
    agreement = runner.invoke(cli, ["agreement", str(target.path)])
    assert agreement.output.splitlines()[0] == (
        "Agreement of alice, bob: 1 of 2 documents compared (sets done or reviewed), 9 tokens"
    )
    missing = runner.invoke(cli, ["merge", str(target.path), str(tiny.parent / "nope.annotator")])
    assert (missing.exit_code, missing.output) == (
        1, f"Error: [E001] {tiny.parent / 'nope.annotator'} does not exist; check the file name\n"
    )


def test_ci_runs_the_readme_test_command_exactly() -> None:
    root = ROOT
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = "bash .ci/setup && QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest"
    assert f"```bash\n{command}\n```" in readme
    assert command in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_has_help_text(name: str) -> None:
    import click

    options = [p for p in cli.commands[name].params if isinstance(p, click.Option)]
    assert [o.name for o in options if not o.help] == []
