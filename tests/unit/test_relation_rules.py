from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import api
from annotator.core.model import Span
from annotator.core.relation_rules import sentence_bounds, suggest_relations
from annotator.core.scheme import RESOURCES_DIR, Scheme
from annotator.nlp.pipeline import analyze, load_pipeline, suggests_relations
from tests.conftest import SEED

TYPES = Scheme.default().relations

# "investor" before "spend": the nearest mention, "Foxconn" (the guidelines:
# link the nearest mention the sentence refers to), not "Hon Hai Precision
# Industry Co." earlier in the same sentence, which names the same company.
SEED_RELATIONS = [
    ("partnership", 37, "partner", "Foxconn", 0),
    ("partnership", 37, "partner", "OpenAI", 12),
    ("invest", 167, "investor", "Foxconn", 142),
    ("invest", 167, "amount", "$5 billion", 185),
    ("spend", 485, "investor", "Foxconn", 452),
    ("spend", 485, "amount", "$1 billion to $5 billion", 502),
    ("spend", 485, "location", "United States", 573),
    ("partnership", 718, "partner", "Foxconn", 681),
    ("partnership", 718, "partner", "OpenAI", 693),
]


def edges(text, spans, relations):
    by_id = {s.id: s for s in spans}
    out = []
    for rel in relations:
        head, child = by_id[rel.head], by_id[rel.child]
        out.append((text[head.start : head.end], head.start, rel.label, text[child.start : child.end], child.start))
    return out


def rules_edges(text, types=TYPES):
    (analysis,) = analyze(load_pipeline("rules"), [text], origin="rule", relation_types=types)
    return edges(text, analysis.spans, analysis.relations)


def spans_for(text, *marked):
    """Spans ``(label, phrase)``, each at the phrase's first occurrence after the previous one."""
    spans, at = [], 0
    for i, (label, phrase) in enumerate(marked, start=1):
        start = text.index(phrase, at)
        spans.append(Span(i, start, start + len(phrase), label, "rule"))
        at = start + len(phrase)
    return spans


def types_without(*names, **children):
    """The default scheme's relation types minus ``names``, with some child lists replaced."""
    data = json.loads((RESOURCES_DIR / "scheme.json").read_text(encoding="utf-8"))
    data["relations"] = [r for r in data["relations"] if r["name"] not in names]
    for rel in data["relations"]:
        rel["child"] = children.get(rel["name"], rel["child"])
    return Scheme.from_dict(data)


# -- the seed article ----------------------------------------------------------


def test_seed_relations_exactly():
    text = SEED.read_text(encoding="utf-8")
    (analysis,) = analyze(load_pipeline("rules"), [text], origin="rule", relation_types=TYPES)
    assert edges(text, analysis.spans, analysis.relations) == SEED_RELATIONS
    assert [r.id for r in analysis.relations] == list(range(1, 10))
    assert {r.origin for r in analysis.relations} == {"rule"}


def test_import_writes_the_relations_to_the_rules_set_and_a_copy_keeps_them(make_project):
    project = make_project()
    report = api.import_files(project, [SEED])
    assert report.suggested_relations == 9
    doc_id = project.document_ids()[0]
    text = project.document(doc_id).text
    rules = project.annotation_set(doc_id, "model:rules")
    stored = edges(text, rules.spans.values(), rules.sorted_relations())
    assert stored == SEED_RELATIONS
    assert {r.origin for r in rules.relations.values()} == {"rule"}
    alice = project.start_set(doc_id, "alice", copy_from="model:rules")
    assert edges(text, alice.spans.values(), alice.sorted_relations()) == SEED_RELATIONS
    assert {r.origin for r in alice.relations.values()} == {"rule"}


def test_import_without_a_relation_type_suggests_none_of_it(make_project):
    project = make_project(scheme=types_without("amount", "partner"))
    report = api.import_files(project, [SEED])
    doc_id = project.document_ids()[0]
    rules = project.annotation_set(doc_id, "model:rules")
    labels = [r.label for r in rules.sorted_relations()]
    assert (report.suggested_relations, labels) == (3, ["investor", "investor", "location"])


def test_relations_of_dropped_suggestions_are_dropped(make_project, tmp_path):
    text = "Foxconn will invest $5 billion in Ohio."
    words = text.split(" ")  # "Ohio." is one token: the GPE "Ohio" does not align
    tokens, at = [], 0
    for i, word in enumerate(words):
        tokens.append({"text": word, "start": at, "end": at + len(word), "id": i, "ws": i + 1 < len(words)})
        at += len(word) + 1
    source = tmp_path / "tokens.jsonl"
    source.write_text(json.dumps({"text": text, "tokens": tokens}) + "\n", encoding="utf-8")
    assert [e[2:] for e in rules_edges(text)] == [
        ("investor", "Foxconn", 0), ("amount", "$5 billion", 20), ("location", "Ohio", 34),
    ]
    project = make_project()
    report = api.import_files(project, [source])
    assert (report.suggestions_dropped, report.suggested_relations) == (1, 2)
    doc_id = project.document_ids()[0]
    rules = project.annotation_set(doc_id, "model:rules")
    assert edges(text, rules.spans.values(), rules.sorted_relations()) == [
        ("invest", 13, "investor", "Foxconn", 0), ("invest", 13, "amount", "$5 billion", 20),
    ]


def test_only_pipelines_with_triggers_suggest_relations():
    assert suggests_relations(load_pipeline("rules"))
    assert not suggests_relations(load_pipeline("none"))
    (analysis,) = analyze(load_pipeline("rules"), ["Foxconn will invest $5 billion."], origin="rule")
    assert analysis.relations == []  # no relation types given


# -- the rules, through the rules pipeline ------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Foxconn will invest $5 billion in Ohio.",
         [("investor", "Foxconn"), ("amount", "$5 billion"), ("location", "Ohio")]),
        # roles never cross a sentence end
        ("Foxconn is growing. It will invest $5 billion. The plant is in Ohio.", [("amount", "$5 billion")]),
        ("Foxconn will invest\n$5 billion in Ohio.", [("investor", "Foxconn")]),
        # a location must follow "in"
        ("Foxconn will invest $5 billion near Ohio.", [("investor", "Foxconn"), ("amount", "$5 billion")]),
        # nor come after the end of the trigger's clause
        ("Foxconn will invest $5 billion in a plant, which ships parts made in Ohio.",
         [("investor", "Foxconn"), ("amount", "$5 billion")]),
        ("Foxconn will invest $5 billion in the United States.",
         [("investor", "Foxconn"), ("amount", "$5 billion"), ("location", "United States")]),
        # another trigger in between takes the roles on its side
        ("Foxconn and OpenAI announced a partnership and will invest $5 billion.",
         [("partner", "Foxconn"), ("partner", "OpenAI"), ("amount", "$5 billion")]),
        # a lone ORG is not a list of partners
        ("Bloomberg reported the partnership.", []),
        ("Nvidia, Broadcom and OpenAI announced a partnership.",
         [("partner", "Nvidia"), ("partner", "Broadcom"), ("partner", "OpenAI")]),
        # the company abbreviation does not end the sentence
        ("Hon Hai Precision Industry Co. will invest $1 billion.",
         [("investor", "Hon Hai Precision Industry Co."), ("amount", "$1 billion")]),
    ],
)
def test_rules_on_sentences(text, expected):
    assert [(label, child) for _, _, label, child, _ in rules_edges(text)] == expected


def test_a_type_that_refuses_the_labels_suggests_nothing():
    text = "Foxconn will invest $5 billion in Ohio."
    types = types_without(investor=["PERSON"], location=["LOC"]).relations
    assert [e[2:4] for e in rules_edges(text, types)] == [("amount", "$5 billion")]


# -- the core function, on hand-made spans ------------------------------------------


def test_suggest_relations_on_plain_spans():
    text = "Acme and Initech formed an alliance. Acme will invest €2m in Spain."
    spans = spans_for(
        text, ("ORG", "Acme"), ("ORG", "Initech"), ("PARTNERSHIP", "alliance"),
        ("ORG", "Acme"), ("INVESTMENT", "invest"), ("MONEY", "€2m"), ("GPE", "Spain"),
    )
    relations = suggest_relations(text, list(reversed(spans)), TYPES, origin="model")
    assert [(r.id, r.head, r.child, r.label, r.origin) for r in relations] == [
        (1, 3, 1, "partner", "model"), (2, 3, 2, "partner", "model"),
        (3, 5, 4, "investor", "model"), (4, 5, 6, "amount", "model"), (5, 5, 7, "location", "model"),
    ]
    assert suggest_relations(text, spans, ()) == []
    assert suggest_relations(text, [s for s in spans if s.label not in ("INVESTMENT", "PARTNERSHIP")], TYPES) == []


def test_sentence_bounds():
    text = "Hon Hai Co. and Dr. Liu of the U.S. unit agreed. It will invest! “Yes.” Then\nNew line? Ok"
    assert [text[b : b + 4] for b in sentence_bounds(text)] == [" It ", " “Ye", " The", "New ", " Ok"]
    assert sentence_bounds("") == []


@pytest.mark.parametrize("name", sorted(p.name for p in (RESOURCES_DIR / "sample").glob("*.txt")))
def test_no_suggested_relation_crosses_a_sentence_bound(name):
    text = (RESOURCES_DIR / "sample" / name).read_text(encoding="utf-8")
    (analysis,) = analyze(load_pipeline("rules"), [text], origin="rule", relation_types=TYPES)
    by_id = {s.id: s for s in analysis.spans}
    bounds = sentence_bounds(text)
    for rel in analysis.relations:
        head, child = by_id[rel.head], by_id[rel.child]
        first, last = min(head.start, child.start), max(head.end, child.end)
        assert [b for b in bounds if first < b < last] == [], (rel, text[first:last])
