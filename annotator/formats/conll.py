"""CoNLL-style IOB files: one token per line with its tag in the last column,
or one sentence per line as ``word|tag`` / ``word|pos|tag`` items.

Reading. Token-per-line columns are split on tabs when the line has one, else
on spaces; the first column is the token, the last the tag, any others (POS,
chunk) are ignored. A blank line ends a sentence. Documents: when the file
starts with ``-DOCSTART-`` each ``-DOCSTART-`` section is one document;
otherwise each sentence is its own document (files without document marks
are usually shuffled sentences, and one huge document would be unusable). A
section longer than ``PART_CHARS`` characters is read in parts, cut between
sentences, each a document with ``meta["part"]`` (1, 2 ...), so a 200 MB
section imports with flat memory.
The file's tokenisation is kept: the text is the tokens joined by single
spaces, sentences joined by newlines, and the record carries those tokens.
Tags may follow IOB1, IOB2, BILOU (``U-``/``L-``) or BIOES (``S-``/``E-``);
one decoder reads them all (an ``I-`` that does not continue an entity of its
label starts one, as IOB1 means it) and ``meta["tag_scheme"]`` records which
scheme the document's tags follow. A bad line makes its document a Problem
naming the file and line.

Writing. CoNLL-2003-like ``token TAG`` lines, a blank line after each
sentence (sentences are split where the text between two tokens holds a line
break) and ``-DOCSTART- -X- O O`` before each document; tags are IOB2 unless
``tags`` says otherwise. A token holding whitespace is written with ``_`` in
its place. IOB holds one label per token, so the writer keeps the longest of
overlapping spans (the first when equally long) and counts what it drops:
overlapping, discontinuous and off-token spans, spans across a sentence
break, relations and span attributes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..core.errors import FormatError
from ..core.model import AnnotationSet, Document, Problem, Record, SetData, Span, Token
from ..core.scheme import Scheme
from ..core.validate import TokenIndex
from .losses import count_scores, count_suggestions
from .registry import FormatSpec, Items, WriteReport, iter_lines, register

EXTENSIONS = (".conll", ".iob", ".bio", ".bioes", ".bilou")
DOCSTART = "-DOCSTART-"
TAG_SCHEMES = ("iob2", "iob1", "bilou", "bioes")
_TAG = re.compile(r"([BIELSU])-(\S+)")
# a -DOCSTART- section longer than this is read as several documents, cut
# between sentences, so memory stays flat however large the file is
PART_CHARS = 2_000_000


# -- tags ----------------------------------------------------------------------
def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entities as ``(first, end, label)`` token indices (end exclusive).

    Reads IOB1, IOB2, BILOU and BIOES alike. Raises ``ValueError`` with the
    index of the first tag that is not ``O`` or a prefix, ``-`` and a label.
    """
    spans: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None
    for i, tag in enumerate(tags):
        if tag == "O":
            if current:
                spans.append((current[0], i, current[1]))
            current = None
            continue
        match = _TAG.fullmatch(tag)
        if match is None:
            raise ValueError(i, f"tag {tag!r} is not O or one of B-, I-, L-, U-, E-, S- followed by a label")
        prefix, label = match[1], match[2]
        if prefix in "US" or prefix == "B" or current is None or current[1] != label:
            if current:
                spans.append((current[0], i, current[1]))
            current = (i, label)
        if prefix in "USLE":
            spans.append((current[0], i + 1, label))
            current = None
    if current:
        spans.append((current[0], len(tags), current[1]))
    return spans


def detect_scheme(tags: list[str]) -> str:
    """Which tag scheme a tag sequence follows: ``bilou``, ``bioes``, ``iob1`` or ``iob2``.

    ``iob1`` when some entity starts with ``I-``; a sequence with no entity is ``iob2``.
    """
    prefixes = {tag[0] for tag in tags if tag != "O"}
    if prefixes & {"U", "L"}:
        return "bilou"
    if prefixes & {"S", "E"}:
        return "bioes"
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            return "iob1"
        previous = tag
    return "iob2"


def spans_to_tags(spans: list[tuple[int, int, str]], length: int, scheme: str = "iob2") -> list[str]:
    """Tags for non-overlapping ``(first, end, label)`` token ranges (end exclusive)."""
    tags = ["O"] * length
    ends = {end: label for _, end, label in spans}
    for first, end, label in sorted(spans):
        for i in range(first, end):
            tags[i] = f"I-{label}"
        if scheme == "iob2" or (scheme == "iob1" and ends.get(first) == label):
            tags[first] = f"B-{label}"
        elif scheme in ("bilou", "bioes"):
            single, begin, last = ("U", "B", "L") if scheme == "bilou" else ("S", "B", "E")
            if end - first == 1:
                tags[first] = f"{single}-{label}"
            else:
                tags[first], tags[end - 1] = f"{begin}-{label}", f"{last}-{label}"
    return tags


# -- reading -------------------------------------------------------------------
@dataclass
class _Doc:
    """A document being read: its sentences of ``(token, tag)`` and first line."""

    line: int
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)
    problem: Problem | None = None
    part: int = 0  # 1, 2 ... for the parts of a section longer than PART_CHARS
    chars: int = 0

    def add(self, items: list[tuple[str, str]]) -> None:
        if items:
            self.sentences.append(items)
            self.chars += sum(len(word) + 1 for word, _ in items)


def read(path: Path) -> Iterator[Record | Problem]:
    """Records for a CoNLL/IOB file, or every such file in a folder (by name)."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in EXTENSIONS) if path.is_dir() else [path]
    for file in files:
        yield from read_file(file)


def read_file(path: Path) -> Iterator[Record | Problem]:
    sections: bool | None = None  # documents are -DOCSTART- sections (else sentences)
    per_line: bool | None = None  # sentence-per-line layout
    columns = 2
    doc: _Doc | None = None
    sentence: list[tuple[str, str]] = []
    for number, line, error in iter_lines(path):
        if doc is None:
            doc = _Doc(number)
        if error:
            doc.problem = doc.problem or Problem(f"{path}:{number}", error)
            continue
        assert line is not None
        line = line.rstrip("\r\n")
        if line.startswith(DOCSTART):
            if sections is None:
                sections = True
            doc.add(sentence)
            sentence = []
            if doc.sentences or doc.problem:
                yield _finish(doc, path)
            doc = None
            continue
        if not line.strip():
            doc.add(sentence)
            sentence = []
            if not sections and (doc.sentences or doc.problem):
                yield _finish(doc, path)
                doc = None
            elif doc.chars >= PART_CHARS and not doc.problem:
                doc.part += 1
                yield _finish(doc, path)
                doc = _Doc(number + 1, part=doc.part + 1)
            continue
        sections = bool(sections)
        if not doc.sentences and not sentence and not doc.problem:
            doc.line = number  # the document starts at its first token
        if per_line is None:
            items = line.split()
            per_line = "\t" not in line and all("|" in item for item in items)
            columns = items[0].count("|") + 1
        try:
            if per_line and not doc.problem:
                doc.add(_sentence_items(line, columns))
            elif not doc.problem:
                sentence.append(_token_line(line))
        except ValueError as exc:
            doc.problem = Problem(f"{path}:{number}", str(exc))
        if per_line and not sections:
            yield _finish(doc, path)
            doc = None
    if doc is not None:
        doc.add(sentence)
        if doc.sentences or doc.problem:
            yield _finish(doc, path)


def _token_line(line: str) -> tuple[str, str]:
    columns = line.split("\t") if "\t" in line else line.split()
    while columns and not columns[-1].strip():
        columns.pop()
    if len(columns) < 2 or not columns[0].strip():
        raise ValueError("expected a token and its tag (token per line, tag in the last column)")
    return columns[0], _checked(columns[-1].strip())


def _checked(tag: str) -> str:
    if tag != "O" and _TAG.fullmatch(tag) is None:
        raise ValueError(f"tag {tag!r} is not O or one of B-, I-, L-, U-, E-, S- followed by a label")
    return tag


def _sentence_items(line: str, columns: int) -> list[tuple[str, str]]:
    items = []
    for item in line.split():
        parts = item.rsplit("|", columns - 1)
        if len(parts) != columns or not parts[0]:
            raise ValueError(f"cannot read {item!r}: expected {'|'.join(['word', 'pos', 'tag'][-columns:])}")
        items.append((parts[0], _checked(parts[-1])))
    return items


def _finish(doc: _Doc, path: Path) -> Record | Problem:
    if doc.problem:
        return doc.problem
    source = f"{path}:{doc.line}"
    tokens: list[Token] = []
    spans: list[Span] = []
    all_tags: list[str] = []
    offset = 0
    for s, sentence in enumerate(doc.sentences):
        tags = [tag for _, tag in sentence]
        found = tags_to_spans(tags)
        first = len(tokens)
        for i, (word, _) in enumerate(sentence):
            last = s == len(doc.sentences) - 1 and i == len(sentence) - 1
            tokens.append(Token(offset, offset + len(word), not last))
            offset += len(word) + 1
        for a, b, label in found:
            spans.append(Span(len(spans) + 1, tokens[first + a].start, tokens[first + b - 1].end, label, "import"))
        all_tags += tags
    text = "\n".join(" ".join(word for word, _ in sentence) for sentence in doc.sentences)
    return Record(
        text=text,
        source=source,
        meta={"filename": path.name, "tag_scheme": detect_scheme(all_tags), **({"part": doc.part} if doc.part else {})},
        tokens=tokens,
        sets=[SetData(spans=spans)],
    )


def sniff(path: Path) -> bool:
    """A file with a CoNLL/IOB extension, or a folder holding one."""
    if path.is_dir():
        return any(p.suffix.lower() in EXTENSIONS for p in path.iterdir())
    return path.is_file() and path.suffix.lower() in EXTENSIONS


# -- writing -------------------------------------------------------------------
def document_sentences(document: Document, aset: AnnotationSet, *, tags: str, report: WriteReport) -> list[list[tuple[str, str]]]:
    """``(token, tag)`` sentences of one set, counting in ``report`` what IOB cannot hold."""
    text = document.text
    tokens = [t for t in document.tokens if text[t.start : t.end].strip()]
    sentence_of: list[int] = []
    for i, tok in enumerate(tokens):
        new = i > 0 and "\n" in text[tokens[i - 1].end : tok.start]
        sentence_of.append((sentence_of[-1] + new) if sentence_of else 0)
    index = TokenIndex(tokens)
    candidates = []
    for span in aset.spans.values():
        rng = None if span.fragments else index.token_range(span.start, span.end)
        if span.fragments:
            report.lose("discontinuous spans (IOB holds continuous ones)")
        elif rng is None:
            report.lose("spans not on token boundaries")
        elif sentence_of[rng[0]] != sentence_of[rng[1]]:
            report.lose("spans across a sentence break")
        else:
            candidates.append((rng[0], rng[1] + 1, span))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2].label, c[2].id))
    taken = [False] * len(tokens)
    kept: list[tuple[int, int, str]] = []
    for first, end, span in candidates:
        if any(taken[first:end]):
            report.lose("overlapping spans (IOB holds one label per token)")
            continue
        taken[first:end] = [True] * (end - first)
        kept.append((first, end, span.label))
        report.lose("span attributes (CoNLL holds none)", int(bool(span.attrs)))
    report.spans += len(kept)
    report.lose("relations (CoNLL has no relations)", len(aset.relations))
    count_scores(report, aset, "CoNLL")
    count_suggestions(report, aset, "CoNLL", owner_kept=False)
    all_tags = spans_to_tags(kept, len(tokens), tags)
    sentences: list[list[tuple[str, str]]] = []
    for i, tok in enumerate(tokens):
        if i == 0 or sentence_of[i] != sentence_of[i - 1]:
            sentences.append([])
        sentences[-1].append((re.sub(r"\s+", "_", text[tok.start : tok.end]), all_tags[i]))
    return sentences


def write(items: Items, out: Path, *, scheme: Scheme | None = None, tags: str = "iob2") -> WriteReport:
    """Write ``token TAG`` lines with ``-DOCSTART-`` between documents.

    ``tags`` is the tag scheme: ``iob2`` (default), ``iob1``, ``bilou`` or ``bioes``.
    """
    if tags not in TAG_SCHEMES:
        raise FormatError(f"unknown tag scheme {tags!r}; use one of: {', '.join(TAG_SCHEMES)}")
    report = WriteReport(files=[out])
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for document, aset in items:
            fh.write(f"{DOCSTART} -X- O O\n\n")
            for sentence in document_sentences(document, aset, tags=tags, report=report):
                fh.writelines(f"{token} {tag}\n" for token, tag in sentence)
                fh.write("\n")
            report.documents += 1
    return report


register(
    FormatSpec(
        name="conll",
        description="CoNLL/IOB: token per line with the tag last (IOB1, IOB2, BILOU, BIOES), or word|tag per sentence",
        reader=read,
        writer=write,
        aliases=("iob", "conll2003"),
        extensions=EXTENSIONS,
        sniff=sniff,
    )
)
