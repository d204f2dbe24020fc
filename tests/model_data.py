"""A tiny synthetic news corpus with people, companies, places and two
relation types, for tests that train a model at test time."""
from __future__ import annotations

import json
import random
from pathlib import Path

from annotator.core.model import Relation, Span
from annotator.core.scheme import Scheme

PEOPLE = ["Alice Smith", "Bob Jones", "Carla Diaz", "Dan Wu", "Eve Stone", "Femi Ade", "Gina Ross", "Hugo Lind"]
ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella Inc", "Hooli", "Vandelay Industries"]
PLACES = ["Paris", "Berlin", "Lagos", "Osaka", "Lima", "Oslo"]
# (template, relations as (head slot, child slot, type))
TEMPLATES = [
    ("{P} works for {O} in {G} .", [("P", "O", "employer"), ("O", "G", "based_in")]),
    ("{O} hired {P} last year .", [("P", "O", "employer")]),
    ("{P} visited {G} on Monday .", []),
    ("{O} opened an office in {G} .", [("O", "G", "based_in")]),
]
LABEL_OF = {"P": "PERSON", "O": "ORG", "G": "GPE"}


def scheme() -> Scheme:
    return Scheme.from_dict({
        "name": "tiny",
        "labels": [{"name": "PERSON"}, {"name": "ORG"}, {"name": "GPE"}],
        "relations": [
            {"name": "employer", "head": ["PERSON"], "child": ["ORG"]},
            {"name": "based_in", "head": ["ORG"], "child": ["GPE"]},
        ],
    })


def sentence(rng: random.Random) -> tuple[str, list[Span], list[Relation]]:
    template, rels = rng.choice(TEMPLATES)
    fill = {"P": rng.choice(PEOPLE), "O": rng.choice(ORGS), "G": rng.choice(PLACES)}
    text, spans, at = "", [], {}
    for piece in template.split(" "):
        if text:
            text += " "
        if piece.startswith("{"):
            slot = piece[1]
            span = Span(len(spans) + 1, len(text), len(text) + len(fill[slot]), LABEL_OF[slot], "human")
            spans.append(span)
            at[slot] = span.id
            text += fill[slot]
        else:
            text += piece
    relations = [Relation(i + 1, at[h], at[c], kind, "human") for i, (h, c, kind) in enumerate(rels)]
    return text, spans, relations


def corpus(n: int, seed: int = 0) -> list[tuple[str, list[Span], list[Relation]]]:
    """``n`` distinct sentences (a document each)."""
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        item = sentence(rng)
        if item[0] not in seen:
            seen.add(item[0])
            out.append(item)
    return out


def make_tiny_project(make_project, tmp_path: Path, *, n: int = 40, done: int = 30, owner: str = "alice"):
    """A project of ``n`` documents; ``owner`` has finished the first ``done``."""
    from annotator import api

    project = make_project(scheme=scheme())
    items = corpus(n)
    source = tmp_path / "tiny.jsonl"
    source.write_text("".join(json.dumps({"text": text}) + "\n" for text, _, _ in items), encoding="utf-8")
    api.import_files(project, [source], preannotate="none")
    for doc_id, (text, spans, relations) in zip(project.document_ids(), items[:done]):
        assert project.document(doc_id).text == text
        project.write_set(doc_id, owner, spans, relations, status="done", who=owner)
    return project, items
