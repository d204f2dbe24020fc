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
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import add
from pathlib import Path
from typing import Iterator

from ..core.errors import FormatError
from ..core.heap import gc_paused
from ..core.model import AnnotationSet, Document, Problem, Record, SetData, Span, Token
from ..core.scheme import Scheme
from ..core.validate import TokenIndex
from .losses import count_scores, count_suggestions
from .registry import FormatSpec, Items, WriteReport, register

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
    Only the tags other than ``O`` are visited: an ``O`` just ends an entity.
    """
    spans: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None
    previous = -1
    for i in [i for i, tag in enumerate(tags) if tag != "O"]:
        if current and i != previous + 1:  # an O came between
            spans.append((current[0], previous + 1, current[1]))
            current = None
        previous = i
        prefix, label = _parsed(tags[i], i)
        if prefix in "US" or prefix == "B" or current is None or current[1] != label:
            if current:
                spans.append((current[0], i, current[1]))
            current = (i, label)
        if prefix in "USLE":
            spans.append((current[0], i + 1, label))
            current = None
    if current:
        spans.append((current[0], previous + 1, current[1]))
    return spans


@lru_cache(maxsize=4096)
def _tag_parts(tag: str) -> tuple[str, str] | None:
    match = _TAG.fullmatch(tag)
    return None if match is None else (match[1], match[2])


def _parsed(tag: str, index: int) -> tuple[str, str]:
    parts = _tag_parts(tag)
    if parts is None:
        raise ValueError(index, f"tag {tag!r} is not O or one of B-, I-, L-, U-, E-, S- followed by a label")
    return parts


def detect_scheme(tags: list[str]) -> str:
    """Which tag scheme a tag sequence follows: ``bilou``, ``bioes``, ``iob1`` or ``iob2``.

    ``iob1`` when some entity starts with ``I-``; a sequence with no entity is ``iob2``.
    """
    prefixes = {tag[0] for tag in set(tags) if tag != "O"}
    if prefixes & {"U", "L"}:
        return "bilou"
    if prefixes & {"S", "E"}:
        return "bioes"
    for i in [i for i, tag in enumerate(tags) if tag.startswith("I-")]:
        previous = tags[i - 1] if i else "O"
        if previous == "O" or previous[2:] != tags[i][2:]:
            return "iob1"
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
    """A document being read: its sentences as ``(words, tags)`` and first line."""

    line: int
    sentences: list[tuple[list[str], list[str]]] = field(default_factory=list)
    problem: Problem | None = None
    part: int = 0  # 1, 2 ... for the parts of a section longer than PART_CHARS
    chars: int = 0

    def add(self, words: list[str], tags: list[str]) -> None:
        if words:
            self.sentences.append((words, tags))
            self.chars += sum(map(len, words)) + len(words)


def read(path: Path) -> Iterator[Record | Problem]:
    """Records for a CoNLL/IOB file, or every such file in a folder (by name)."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in EXTENSIONS) if path.is_dir() else [path]
    for file in files:
        yield from read_file(file)


def read_file(path: Path) -> Iterator[Record | Problem]:
    """Records of one file. Lines are gathered into runs between blank and
    ``-DOCSTART-`` lines; a run of well-formed token lines is read at once
    (split, checked and joined by list operations, not line by line), and any
    other run line by line, which finds the exact line of a problem. Bytes
    that are not UTF-8 are kept as escapes until a run is checked."""
    reader = _Reader(path)
    with open(path, encoding="utf-8", errors="surrogateescape", newline="\n") as fh:
        head = fh.readline()
        if not head:
            return
        pending: list[str] = []
        first = 0
        stripped = head.lstrip("\ufeff")
        reader.bom = head[: len(head) - len(stripped)]
        for number, line in enumerate(chain([stripped], fh), start=1):
            if line.isspace() or line.startswith(DOCSTART):
                if pending:
                    yield from reader.run(first, pending)
                    pending = []
                yield from reader.boundary(number, line)
            else:
                if not pending:
                    first = number
                pending.append(line)
        if pending:
            yield from reader.run(first, pending)
    if reader.doc is not None and (reader.doc.sentences or reader.doc.problem):
        yield _finish(reader.doc, path)


class _Reader:
    """The state of reading one file: whether documents are ``-DOCSTART-``
    sections (else sentences), the layout, and the document being read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sections: bool | None = None  # documents are -DOCSTART- sections (else sentences)
        self.per_line: bool | None = None  # sentence-per-line layout
        self.columns = 2
        self.doc: _Doc | None = None
        self.tags_seen: set[str] = {"O"}  # tags already checked
        self.bom = ""  # byte order marks before line 1, counted in its byte offsets

    def _current(self, number: int) -> _Doc:
        if self.doc is None:
            self.doc = _Doc(number)
        return self.doc

    def boundary(self, number: int, line: str) -> Iterator[Record | Problem]:
        """A blank or ``-DOCSTART-`` line: ends a sentence, and maybe a document."""
        doc = self._current(number)
        bad = _not_utf8(self.bom + line if number == 1 else line)
        if bad:
            doc.problem = doc.problem or Problem(f"{self.path}:{number}", bad)
            return
        if line.startswith(DOCSTART):
            if self.sections is None:
                self.sections = True
            if doc.sentences or doc.problem:
                yield _finish(doc, self.path)
            self.doc = None
        elif not self.sections and (doc.sentences or doc.problem):
            yield _finish(doc, self.path)
            self.doc = None
        elif doc.chars >= PART_CHARS and not doc.problem:
            doc.part += 1
            yield _finish(doc, self.path)
            self.doc = _Doc(number + 1, part=doc.part + 1)

    def run(self, first: int, lines: list[str]) -> Iterator[Record | Problem]:
        """Lines ``first``, ``first + 1`` ... up to a blank or ``-DOCSTART-`` line."""
        if self.per_line is not False or (self.doc and self.doc.problem):
            read = None
        else:
            with gc_paused():  # a list per line, none in a cycle
                read = self._token_lines(lines)
        if read is None:
            yield from self._line_by_line(first, lines)
            return
        doc = self._current(first)
        self.sections = bool(self.sections)
        if not doc.sentences:
            doc.line = first  # the document starts at its first token
        doc.add(*read)

    def _token_lines(self, lines: list[str]) -> tuple[list[str], list[str]] | None:
        """Words and tags of well-formed token lines; None when some line is not
        (bad UTF-8, too few columns, an unknown tag): read those one by one."""
        joined = "".join(lines)
        if not joined.isascii() and _has_escapes(joined):
            return None
        if "\t" in joined:
            cols = [line.rstrip("\r\n").split("\t") for line in lines]
            if min(map(len, cols)) < 2:
                return None
            words = [c[0] for c in cols]
            tags = [c[-1].strip() for c in cols]
            if not all(tags) or not all(map(str.strip, words)):
                return None
        else:
            cols = [line.split() for line in lines]
            if min(map(len, cols)) < 2:
                return None
            words = [c[0] for c in cols]
            tags = [c[-1] for c in cols]
        if not self.tags_seen.issuperset(tags):
            new = set(tags) - self.tags_seen
            if any(_tag_parts(tag) is None for tag in new):
                return None
            self.tags_seen |= new
        return words, tags

    def _line_by_line(self, first: int, lines: list[str]) -> Iterator[Record | Problem]:
        words: list[str] = []
        tags: list[str] = []
        for number, line in enumerate(lines, start=first):
            doc = self._current(number)
            bad = _not_utf8(self.bom + line if number == 1 else line)
            if bad:
                doc.problem = doc.problem or Problem(f"{self.path}:{number}", bad)
                continue
            line = line.rstrip("\r\n")
            self.sections = bool(self.sections)
            if not doc.sentences and not words and not doc.problem:
                doc.line = number  # the document starts at its first token
            if self.per_line is None:
                items = line.split()
                self.per_line = "\t" not in line and all("|" in item for item in items)
                self.columns = items[0].count("|") + 1
            try:
                if self.per_line and not doc.problem:
                    doc.add(*_sentence_items(line, self.columns))
                elif not doc.problem:
                    word, tag = _token_line(line)
                    words.append(word)
                    tags.append(tag)
            except ValueError as exc:
                doc.problem = Problem(f"{self.path}:{number}", str(exc))
            if self.per_line and not self.sections:
                yield _finish(doc, self.path)
                self.doc = None
        if self.doc is not None:
            self.doc.add(words, tags)


def _has_escapes(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (kept as escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _not_utf8(line: str) -> str | None:
    """Why a line read with escapes is not UTF-8, or None when it is."""
    if line.isascii() or not _has_escapes(line):
        return None
    try:
        line.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)"
    return None


def _token_line(line: str) -> tuple[str, str]:
    columns = line.split("\t") if "\t" in line else line.split()
    while columns and not columns[-1].strip():
        columns.pop()
    if len(columns) < 2 or not columns[0].strip():
        raise ValueError("expected a token and its tag (token per line, tag in the last column)")
    return columns[0], _checked(columns[-1].strip())


def _checked(tag: str) -> str:
    if tag != "O" and _tag_parts(tag) is None:
        raise ValueError(f"tag {tag!r} is not O or one of B-, I-, L-, U-, E-, S- followed by a label")
    return tag


def _sentence_items(line: str, columns: int) -> tuple[list[str], list[str]]:
    words, tags = [], []
    for item in line.split():
        parts = item.rsplit("|", columns - 1)
        if len(parts) != columns or not parts[0]:
            raise ValueError(f"cannot read {item!r}: expected {'|'.join(['word', 'pos', 'tag'][-columns:])}")
        words.append(parts[0])
        tags.append(_checked(parts[-1]))
    return words, tags


def _finish(doc: _Doc, path: Path) -> Record | Problem:
    """The record of a document read: its text is the words joined by spaces,
    sentences by newlines; offsets come from running sums of word lengths."""
    if doc.problem:
        return doc.problem
    with gc_paused():  # hundreds of thousands of tokens, none in a cycle
        return _record(doc, path)


def _record(doc: _Doc, path: Path) -> Record:
    source = f"{path}:{doc.line}"
    words = list(chain.from_iterable(w for w, _ in doc.sentences))
    all_tags = list(chain.from_iterable(t for _, t in doc.sentences))
    lengths = list(map(len, words))
    starts = list(accumulate(map((1).__add__, lengths), initial=0))
    starts.pop()
    ends = list(map(add, starts, lengths))
    tokens = list(map(Token._make, zip(starts, ends, chain(repeat(True, len(words) - 1), (False,)))))
    spans: list[Span] = []
    first = 0
    for _, tags in doc.sentences:
        if tags.count("O") != len(tags):
            for a, b, label in tags_to_spans(tags):
                spans.append(Span(len(spans) + 1, starts[first + a], ends[first + b - 1], label, "import"))
        first += len(tags)
    text = "\n".join(" ".join(sentence) for sentence, _ in doc.sentences)
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
