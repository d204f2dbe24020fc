"""A generated news-like corpus for benchmarks: deterministic, about 500 words
per document, with the companies, places and amounts the rules look for."""
from __future__ import annotations

import json
import random
from pathlib import Path

COMPANIES = ["Foxconn", "OpenAI", "Nvidia", "Apple", "Microsoft", "Amazon", "Google", "Broadcom", "Intel", "Samsung", "Tesla", "Toyota"]
PLACES = ["Ohio", "Texas", "Wisconsin", "Virginia", "Indiana", "Germany", "Japan", "India", "Mexico", "the U.S.", "Vietnam", "Brazil"]
PEOPLE = ["Sam Altman", "Young Liu", "Lisa Su", "Jensen Huang", "Satya Nadella", "Tim Cook"]
VERBS = ["announced", "said", "confirmed", "denied", "reported", "expects"]
TEMPLATES = [
    "{c1} {v} on Friday it would invest ${n} billion to expand manufacturing in {p1}.",
    "{c1} and {c2} announced a broad partnership to build data centers in {p1} and {p2}.",
    "The deal, worth $%d million to $%d million, was {v} by {person} in an interview.",
    "Analysts {v} that {c2} could spend up to ${n}.{m} billion on new factories in {p2}.",
    "Shares of {c1} rose %d percent after the company {v} record revenue from chips.",
    "{person}, chief executive of {c1}, {v} the plan would create %d jobs in {p1}.",
    "Regulators in {p2} have not yet reviewed the agreement between {c1} and {c2}.",
    "The company has factories in {p1}, {p2} and several other states, according to its website.",
]


def sentence(rng: random.Random) -> str:
    t = rng.choice(TEMPLATES)
    if "%d" in t:
        t = t % tuple(rng.randint(2, 900) for _ in range(t.count("%d")))
    return t.format(
        c1=rng.choice(COMPANIES), c2=rng.choice(COMPANIES), p1=rng.choice(PLACES), p2=rng.choice(PLACES),
        person=rng.choice(PEOPLE), v=rng.choice(VERBS), n=rng.randint(1, 20), m=rng.randint(1, 9),
    )


def article(rng: random.Random, words: int = 500) -> str:
    paragraphs, count = [], 0
    while count < words:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(para)
        count += len(para.split())
    return "\n\n".join(paragraphs)


def write_corpus(path: Path, n: int, *, seed: int = 0, words: int = 500) -> list[str]:
    """Write ``n`` articles as Prodigy-style JSONL (text and meta) and return the texts."""
    rng = random.Random(seed)
    texts = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Article {i}: " + article(rng, words)
            texts.append(text)
            fh.write(json.dumps({"text": text, "meta": {"id": i}}) + "\n")
    return texts
