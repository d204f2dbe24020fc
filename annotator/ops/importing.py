"""Importing documents and annotations into a project, with pre-annotation.

The whole import is one transaction: when a record is bad (and
``skip_invalid`` is off) nothing is written and ``InputError`` names the file,
line and reason.
"""
from __future__ import annotations

import gc
import time
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import MODEL_PREFIX, is_suggestion_owner, Problem, Record, SetData, Token, text_hash
from ..core.scheme import Scheme
from ..core.validate import TokenIndex, relation_problems, span_problems
from ..formats import registry
from ..formats.registry import FormatSpec
from ..store.project import Project

CHUNK = 256
DEFAULT_OWNER = "import"

Progress = Callable[[int, int | None], None]


@dataclass
class ImportReport:
    """What an import did, for the CLI and the GUI to show."""

    records: int = 0
    documents_added: int = 0
    duplicates: int = 0
    sets_written: int = 0
    spans: int = 0
    relations: int = 0
    suggestions: int = 0
    suggestions_dropped: int = 0
    suggested_relations: int = 0
    rejected: list[Problem] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    relation_types_added: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        parts = [
            f"{self.records} records read",
            f"{self.documents_added} documents added",
            f"{self.duplicates} already in the project",
            f"{self.sets_written} annotation sets",
            f"{self.spans} spans",
            f"{self.relations} relations",
            f"{self.suggestions} suggestions",
        ]
        if self.rejected:
            parts.append(f"{len(self.rejected)} records rejected")
        return ", ".join(parts) + f" in {self.seconds:.1f}s ({self.per_second:.0f} docs/s)"


def estimate_records(path: Path) -> int | None:
    """A cheap count of records for a progress bar (lines, files), or None."""
    if path.is_dir():
        return sum(1 for _ in path.glob("*.txt"))
    if path.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".txt"):
        with open(path, "rb") as fh:
            lines = sum(1 for line in fh if line.strip())
        if path.suffix.lower() == ".txt":
            return 1
        return lines - 1 if path.suffix.lower() == ".csv" else lines
    return None


def model_name(preannotate: str) -> str:
    """The short name of a pre-annotator: ``rules``, a package name, or a model
    folder's name (its parent's for spaCy's ``model-best``/``model-last``)."""
    path = Path(preannotate)
    if path.name in ("model-best", "model-last") and path.parent.name:
        return path.parent.name
    return path.name


def resolve_sources(sources: Iterable[Path], fmt: str | None) -> list[tuple[Path, FormatSpec | None]]:
    """Each source with its format (None for a missing path, reported as a Problem)."""
    resolved = []
    for source in sources:
        source = Path(source)
        if not source.exists():
            resolved.append((source, None))
            continue
        spec = registry.get(fmt) if fmt else registry.detect(source)
        if spec.reader is None:
            raise InputError(str(source), f"the {spec.name} format can be written but not read")
        resolved.append((source, spec))
    return resolved


def read_sources(resolved: list[tuple[Path, FormatSpec | None]]) -> Iterator[Record | Problem]:
    for source, spec in resolved:
        if spec is None:
            yield Problem(str(source), "no such file or folder")
        else:
            assert spec.reader is not None
            yield from spec.reader(source)


def import_files(
    project: Project,
    sources: Iterable[str | Path],
    *,
    format: str | None = None,
    preannotate: str = "rules",
    annotator: str | None = None,
    skip_invalid: bool = False,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import files or folders into ``project``.

    Args:
        sources: files or folders; each one's format is ``format`` or detected.
        preannotate: a pre-annotator name (``rules``), model folder or spaCy
            package, or ``none``. Suggestions go to the ``model:<name>`` set.
        annotator: owner of the annotations found in the files; default is the
            file's own annotator field, else ``import``.
        skip_invalid: import the good records and report the bad ones in
            ``ImportReport.rejected`` instead of failing on the first.
        add_labels: extend the scheme with labels and relation types the files
            use; otherwise such labels are an error that lists them.

    Raises ``InputError`` (nothing written) on a bad record or unknown labels.
    """
    from ..nlp.pipeline import analyze, load_pipeline

    paths = [Path(s) for s in sources]
    report = ImportReport()
    started = time.perf_counter()
    total = None
    if progress is not None:
        counts = [estimate_records(p) if p.exists() else 0 for p in paths]
        total = None if any(c is None for c in counts) else sum(c or 0 for c in counts)
    nlp = load_pipeline(preannotate or "none", language=project.language)
    model_owner = None if preannotate in (None, "none", "blank") else MODEL_PREFIX + model_name(preannotate)
    origin = "rule" if preannotate == "rules" else "model"
    resolved = resolve_sources(paths, format)
    state = _SchemeState(project.scheme, add_labels, collect=not skip_invalid)
    if add_labels:
        for path, spec in resolved:
            file_scheme = spec.read_scheme(path) if spec is not None and spec.read_scheme else None
            if file_scheme is not None:
                state.scheme = state.scheme.merged(file_scheme)
    records = read_sources(resolved)
    with _heap_frozen(), project.transaction():
        while True:
            chunk = list(islice(records, CHUNK))
            if not chunk:
                break
            good: list[Record] = []
            for item in chunk:
                if isinstance(item, Problem):
                    _reject(report, item, skip_invalid)
                else:
                    good.append(item)
            report.records += len(chunk)
            hashes = {id(r): text_hash(r.text) for r in good}
            known = {id(r): project.document_id(hashes[id(r)]) for r in good}
            to_analyze = [r for r in good if known[id(r)] is None]
            analyzed = analyze(
                nlp, (r.text for r in to_analyze), origin=origin, relation_types=project.scheme.relations
            )
            analyses = dict(zip(map(id, to_analyze), analyzed))
            for record in good:
                analysis = analyses.get(id(record))
                if known[id(record)] is not None:
                    # text never changes, and neither do the tokens stored with it
                    tokens = list(project.document(known[id(record)]).tokens)
                else:
                    assert analysis is not None
                    tokens = record.tokens if record.tokens is not None else analysis.tokens
                    if record.split_tokens_at_spans:
                        tokens = split_tokens(tokens, span_boundaries(record))
                _fold_bidirectional(record, state.scheme)
                problem = _check(record, tokens, state, annotator)
                if problem:
                    _reject(report, Problem(record.source, problem), skip_invalid)
                    continue
                _store(project, record, tokens, analysis, model_owner, annotator, report)
            if progress is not None:
                progress(report.records, total)
        if state.unknown:
            raise InputError(
                state.first_unknown_at,
                "labels not in the project's scheme: "
                + ", ".join(sorted(state.unknown))
                + " (add them to the scheme, or import with --add-labels)",
            )
        if state.scheme is not project.scheme:
            report.labels_added = [n for n in state.scheme.label_names if project.scheme.label(n) is None]
            report.relation_types_added = [
                n for n in state.scheme.relation_names if project.scheme.relation(n) is None
            ]
            project.set_scheme(state.scheme)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Keep the objects alive before the import out of the garbage collector's
    full passes while it runs. An import makes a million token tuples; each
    full pass would otherwise walk the whole heap (spaCy's vocabulary, every
    loaded module), which cost a quarter of an import without pre-annotation.
    They are handed back to the collector afterwards."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def span_boundaries(record: Record) -> set[int]:
    """Every offset where a span piece of the record begins or ends."""
    return {offset for data in record.sets for span in data.spans for piece in span.pieces() for offset in piece}


def split_tokens(tokens: list[Token], offsets: Iterable[int]) -> list[Token]:
    """``tokens`` with each token cut at the offsets that fall strictly inside it.

    The first pieces of a cut token are followed by no whitespace; the last
    keeps the token's own ``ws``. Offsets on a boundary or between tokens
    change nothing, so a span starting in whitespace still fails the boundary
    check.
    """
    cuts = sorted(set(offsets))
    out: list[Token] = []
    for tok in tokens:
        first = bisect_right(cuts, tok.start)
        last = bisect_left(cuts, tok.end)
        start = tok.start
        for cut in cuts[first:last]:
            out.append(Token(start, cut, False))
            start = cut
        out.append(tok if start == tok.start else Token(start, tok.end, tok.ws))
    return out


def _fold_bidirectional(record: Record, scheme: Scheme) -> None:
    """Keep one edge of a pair a file marked bidirectional (Label Studio's
    ``bi``) when the scheme's relation type is symmetric."""
    for data in record.sets:
        kept: list = []
        seen: set[tuple[int, int, str]] = set()
        for rel in data.relations:
            rtype = scheme.relation(rel.label)
            if rel.attrs.get("direction") == "bi" and rtype is not None and rtype.symmetric:
                if (rel.child, rel.head, rel.label) in seen:
                    continue
                seen.add((rel.head, rel.child, rel.label))
            kept.append(rel)
        data.relations = kept


def _reject(report: ImportReport, problem: Problem, skip_invalid: bool) -> None:
    if not skip_invalid:
        raise InputError(problem.source, problem.reason)
    report.rejected.append(problem)


class _SchemeState:
    """The scheme as the import goes: extended when ``add_labels`` is on,
    else collecting unknown labels to report them all at the end."""

    def __init__(self, scheme: Scheme, add_labels: bool, *, collect: bool) -> None:
        self.scheme = scheme
        self.add_labels = add_labels
        # collect unknown labels to list them all at the end (no --skip-invalid),
        # rather than rejecting each record that has one
        self.collect = collect
        self.unknown: set[str] = set()
        self.first_unknown_at = ""

    def admit(self, data: SetData, source: str) -> None:
        labels = {s.label for s in data.spans if self.scheme.label(s.label) is None}
        rels = {r.label for r in data.relations if self.scheme.relation(r.label) is None}
        if not labels and not rels:
            return
        if self.add_labels:
            self.scheme = self.scheme.with_labels(sorted(labels)).with_relations(sorted(rels))
            return
        if not self.unknown:
            self.first_unknown_at = source
        self.unknown |= labels | {f"{r} (relation)" for r in rels}


def _check(record: Record, tokens: list[Token] | None, state: _SchemeState, annotator: str | None) -> str | None:
    """The first problem of a record as a sentence, or None when it is fine."""
    if not record.text.strip():
        return "empty text"
    if tokens is None:
        return "no tokens"
    if not record.sets:
        return None  # a plain text: nothing to check against its tokens
    index = TokenIndex(tokens)
    for data in record.sets:
        if state.add_labels or state.collect:
            state.admit(data, record.source)
        known = state.collect and not state.add_labels
        spans = [s for s in data.spans if not known or state.scheme.label(s.label) is not None]
        problems = span_problems(record.text, spans, tokens=index, scheme=state.scheme)
        if problems:
            return problems[0]
        by_id = {s.id: s for s in data.spans}
        rels = [r for r in data.relations if not known or state.scheme.relation(r.label) is not None]
        problems = relation_problems(by_id, rels, scheme=state.scheme)
        if problems:
            return problems[0]
    return None


def _store(project: Project, record: Record, tokens, analysis, model_owner, annotator, report: ImportReport) -> None:
    digest = text_hash(record.text)
    title = str(record.meta.get("title") or record.text.strip().split("\n", 1)[0][:200])
    doc_id, created = project.add_document(
        text=record.text, hash=digest, title=title, tokens=tokens, meta=record.meta, source=record.source
    )
    if created:
        report.documents_added += 1
    else:
        report.duplicates += 1
    if created and model_owner and analysis is not None:
        index = TokenIndex(tokens)
        aligned = [s for s in analysis.spans if index.is_start(s.start) and index.is_end(s.end)]
        report.suggestions_dropped += len(analysis.spans) - len(aligned)
        # a relation goes with its spans: none whose head or child was dropped
        kept = {s.id for s in aligned}
        relations = [r for r in analysis.relations if r.head in kept and r.child in kept]
        project.write_set(doc_id, model_owner, aligned, relations, status="done", who=model_owner, read_back=False)
        report.suggestions += len(aligned)
        report.suggested_relations += len(relations)
    for data in record.sets:
        if data.owner and is_suggestion_owner(data.owner):
            owner = data.owner  # a file's model predictions stay suggestions
        else:
            owner = annotator or data.owner or DEFAULT_OWNER
        if project.set_row(doc_id, owner) is not None:
            continue
        project.write_set(doc_id, owner, data.spans, data.relations, status=data.status or "done", who=owner, read_back=False)
        report.sets_written += 1
        report.spans += len(data.spans)
        report.relations += len(data.relations)
