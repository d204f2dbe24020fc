"""Projects with three annotators' work, for the review benchmark and screenshots.

``python tests/benchmarks/review_demo.py OUT.annotator`` writes the demo
project: the bundled sample articles with alice, bob and carol's spans and
relations on them, disagreeing the way annotators do (a boundary, a label,
a missed entity, a relation one of them forgot).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from annotator.api import import_files, init_project
from annotator.core.model import Relation, Span, Token, text_hash
from annotator.store.project import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "sample"
ANNOTATORS = ("alice", "bob", "carol")

# (phrase, occurrence, label) for the Northwind article, as alice marked it
NORTHWIND = [
    ("Northwind Robotics", 0, "ORG"), ("$120 million", 0, "MONEY"), ("Asia", 0, "LOC"),
    ("Northwind Robotics", 1, "ORG"), ("raised", 0, "INVESTMENT"), ("$120 million", 1, "MONEY"),
    ("Series B funding round", 0, "INVESTMENT"), ("Tamarind Capital", 0, "ORG"), ("Monday", 0, "DATE"),
    ("Bluegate Ventures", 0, "ORG"), ("Orchard Street Partners", 0, "ORG"), ("Toronto", 0, "GPE"),
    ("about $1.1 billion", 0, "MONEY"), ("Singapore", 0, "GPE"), ("Tokyo", 0, "GPE"),
    ("Canada", 0, "GPE"), ("United States", 0, "GPE"), ("Maya Okafor", 0, "PERSON"),
    ("Tamarind Capital", 1, "ORG"), ("Daniel Reyes", 0, "PERSON"), ("$45 million", 0, "MONEY"),
    ("September 2023", 0, "DATE"),
]
# relations by (head phrase index, child phrase index) into NORTHWIND
NORTHWIND_RELATIONS = [(4, 3, "target"), (4, 5, "amount"), (4, 7, "investor"), (4, 8, "date"),
                       (6, 9, "investor"), (6, 10, "investor"), (19, 18, "employee_of")]


def _at(text: str, phrase: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def northwind_sets(text: str) -> dict[str, tuple[list[Span], list[Relation]]]:
    """alice's spans and relations on the Northwind article and bob's and
    carol's variations of them."""
    base = [Span(i, *_at(text, p, n), label) for i, (p, n, label) in enumerate(NORTHWIND, start=1)]
    rels = [Relation(i, h + 1, c + 1, label) for i, (h, c, label) in enumerate(NORTHWIND_RELATIONS, start=1)]

    def variant(changes: dict[int, tuple[int, int, str] | None], dropped: set[int]) -> tuple[list[Span], list[Relation]]:
        spans = []
        for span in base:
            change = changes.get(span.id, ())
            if change is None:
                continue
            spans.append(Span(span.id, *change) if change else span)
        kept = {s.id for s in spans}
        return spans, [r for r in rels if r.head in kept and r.child in kept and r.id not in dropped]

    dollars = _at(text, "$1.1 billion", 0)
    series_b = _at(text, "Series B", 0)
    return {
        "alice": (base, rels),
        # bob: "$1.1 billion" without "about", Monday missed, Orchard Street as GPE, no date relation
        "bob": variant({13: (*dollars, "MONEY"), 9: None, 11: (*_at(text, "Orchard Street", 0), "GPE")}, {4}),
        # carol: Asia as GPE, the round trigger as "Series B", Maya Okafor missed
        "carol": variant({3: (*_at(text, "Asia", 0), "GPE"), 7: (*series_b, "INVESTMENT"), 18: None}, set()),
    }


def build_demo(path: Path) -> Path:
    """The sample articles pre-annotated with the rules; three annotators on
    the Northwind one, and on the others the rule spans each annotator kept
    (every annotator drops a different one)."""
    with init_project(path) as project:
        import_files(project, [SAMPLES], format="txt", preannotate="rules")
        for doc_id in project.document_ids():
            text = project.document(doc_id).text
            if "Northwind" in text:
                for owner, (spans, rels) in northwind_sets(text).items():
                    project.write_set(doc_id, owner, spans, rels, status="done", who=owner)
                continue
            rules = project.annotation_set(doc_id, "model:rules")
            spans = rules.sorted_spans() if rules else []
            for k, owner in enumerate(ANNOTATORS):
                mine = [s for i, s in enumerate(spans) if i != (doc_id + 3 * k) % max(len(spans), 1)]
                project.write_set(doc_id, owner, mine, status="done", who=owner)
    return path


def build_random(path: Path, n_docs: int, *, spans: int = 30, relations: int = 6, seed: int = 0) -> Path:
    """``n_docs`` documents of ~400 words; each annotator has ``spans`` spans
    and ``relations`` relations, about 85% shared with the others."""
    rng = random.Random(seed)
    labels = ("ORG", "PERSON", "GPE", "MONEY", "DATE")
    with init_project(path) as project, project.transaction():
        for doc in range(n_docs):
            words = [rng.choice(("Northwind", "raised", "million", "the", "in", "Tokyo", "fund", "said", "board", "shares"))
                     for _ in range(400)] + [f"doc{doc}"]
            text = " ".join(words)
            tokens, pos = [], 0
            for word in words:
                tokens.append(Token(pos, pos + len(word)))
                pos += len(word) + 1
            doc_id, _ = project.add_document(text=text, hash=text_hash(text), title=f"Article {doc}", tokens=tokens, meta={})
            slots = sorted(rng.sample(range(0, len(tokens) - 3, 4), spans))
            base = [Span(i, tokens[s].start, tokens[s + rng.randrange(2)].end, rng.choice(labels))
                    for i, s in enumerate(slots, start=1)]
            pairs = rng.sample([(h, c) for h in range(1, spans + 1) for c in range(1, spans + 1) if h != c], relations)
            rels = [Relation(i, h, c, "partner_of") for i, (h, c) in enumerate(pairs, start=1)]
            for owner in ANNOTATORS:
                mine = [s if rng.random() < 0.85 else Span(s.id, s.start, s.end, rng.choice(labels)) for s in base]
                project.write_set(doc_id, owner, mine, [r for r in rels if rng.random() < 0.9], status="done", who=owner)
    return path


if __name__ == "__main__":
    out = build_demo(Path(sys.argv[1]))
    with Project.open(out) as opened:
        print(f"{out}: {opened.stats()['sets']}")
