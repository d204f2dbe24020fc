"""Importing documents and annotations into a project, with pre-annotation.

The whole import is one transaction: when a record is bad (and
``skip_invalid`` is off) nothing is written and ``InputError`` names the file,
line and reason.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core.alignment import AlignmentCounts, AlignmentError, align
from ..core.edits import replace_contents
from ..core.errors import InputError, SchemeError
from ..core.model import MODEL_PREFIX, AnnotationSet, is_suggestion_owner, Problem, Record, SetData, Token, text_hash
from ..core.scheme import Scheme
from ..core.scripts import unsegmented_language
from ..core.validate import TokenIndex, relation_problems, span_problems, unencodable_text
from ..formats import registry
from ..formats.registry import FormatSpec
from ..store.project import Project

CHUNK = 256
CHUNK_CHARS = 4_000_000
DEFAULT_OWNER = "import"

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class ImportWording:
    """How the caller names the import's options in the fixes an error
    suggests: the CLI names its flags, the GUI its import dialog's options."""

    add_labels: str = "import with --add-labels"
    other_preannotator: str = "choose another --preannotate, or none"
    replace_existing: str = "import with --replace-existing"


CLI_WORDING = ImportWording()


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
    alignment: AlignmentCounts = field(default_factory=AlignmentCounts)
    # stored documents whose tokens this import split at span edges
    split_documents: set[int] = field(default_factory=set)
    # documents mostly in a script the project's language does not split into
    # words, by the language that would ("zh": 3)
    unsegmented: dict[str, int] = field(default_factory=dict)
    language: str = ""
    # sets a file gives for a (document, owner) that already has different
    # annotations: kept as they are (sources listed), or replaced by an edit
    sets_kept: list[str] = field(default_factory=list)
    sets_replaced: int = 0
    # records repeating the text and owner of an earlier record of this import
    repeated: list[str] = field(default_factory=list)
    seconds: float = 0.0
    wording: ImportWording = field(default_factory=ImportWording)

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
        if self.alignment.trimmed:
            parts.append(f"{self.alignment.trimmed} spans trimmed of edge whitespace")
        if self.alignment.merged:
            parts.append(f"{self.alignment.merged} duplicate regions merged")
        if self.split_documents:
            parts.append(f"{len(self.split_documents)} stored documents' tokens split at span edges")
        if self.rejected:
            parts.append(f"{len(self.rejected)} records rejected")
        if self.sets_replaced:
            parts.append(f"{self.sets_replaced} existing sets replaced by the file's version (undoable)")
        return ", ".join(parts) + f" in {self.seconds:.1f}s ({self.per_second:.0f} docs/s)"

    def warnings(self) -> list[str]:
        """What the user should act on, as sentences, for the CLI and the GUI: what
        the import left out on purpose (with where), and documents in a script the
        project's language does not split into words."""
        out = [
            f"{count} documents are mostly in a script the project's language ({self.language}) does not "
            f"split into words (a whole phrase becomes one token); for {language} text make a project with "
            f"`annotator init PROJECT --language {language}`"
            for language, count in sorted(self.unsegmented.items())
        ]
        if self.sets_kept:
            out.append(
                f"{len(self.sets_kept)} sets differ from the ones already in the project and were not imported "
                f"({self.wording.replace_existing} to take the file's version): {_first(self.sets_kept)}"
            )
        if self.repeated:
            out.append(
                f"{len(self.repeated)} records repeat the text and owner of an earlier record and were not "
                f"imported (the first one is kept): {_first(self.repeated)}"
            )
        return out


def _first(sources: list[str], shown: int = 5) -> str:
    more = len(sources) - shown
    return ", ".join(sources[:shown]) + (f" and {more} more" if more > 0 else "")


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
        if source.is_file() and source.stat().st_size == 0:
            raise InputError(str(source), "the file is empty: nothing to import")
        wide = registry.wide_encoding(source) if source.is_file() else None
        if wide:
            raise InputError(str(source), wide)
        if fmt:
            found = [(source, registry.get(fmt))]
        elif source.is_dir():
            found = registry.detect_each(source)
        else:
            found = [(source, registry.detect(source))]
        for path, spec in found:
            if spec.reader is None:
                raise InputError(str(path), f"the {spec.name} format can be written but not read")
        resolved.extend(found)
    return resolved


def read_sources(resolved: list[tuple[Path, FormatSpec | None]]) -> Iterator[Record | Problem]:
    """Every record of every source; a source that yields none is a Problem
    (an empty file, or a CoNLL file with only ``-DOCSTART-``), not a silent no-op."""
    for source, spec in resolved:
        if spec is None:
            yield Problem(str(source), "no such file or folder")
            continue
        assert spec.reader is not None
        empty = True
        for item in spec.reader(source):
            empty = False
            yield item
        if empty:
            yield Problem(str(source), f"no documents in it (read as {spec.name}): nothing to import")


def import_files(
    project: Project,
    sources: Iterable[str | Path],
    *,
    format: str | None = None,
    preannotate: str = "rules",
    annotator: str | None = None,
    skip_invalid: bool = False,
    add_labels: bool = False,
    replace_existing: bool = False,
    progress: Progress | None = None,
    wording: ImportWording = CLI_WORDING,
) -> ImportReport:
    """Import files or folders into ``project``.

    Args:
        sources: files or folders; each one's format is ``format`` or detected.
        preannotate: a pre-annotator name (``rules``), model folder or spaCy
            package, or ``none``. Suggestions go to the ``model:<name>`` set.
        annotator: owner of the annotations found in the files, whatever
            owner the file gives (``model:`` ones included); default is the
            file's own annotator field, else ``import``.
        skip_invalid: import the good records and report the bad ones in
            ``ImportReport.rejected`` instead of failing on the first.
        add_labels: extend the scheme with labels and relation types the files
            (or the pre-annotator's suggestions) use; otherwise such labels are
            an error that lists them.
        replace_existing: where a document already has a set for the owner
            with other annotations, replace it with the file's version as one
            journaled (undoable) edit; otherwise it is kept and listed in
            ``ImportReport.sets_kept``. A record repeating the text and owner
            of an earlier record of the same import is always left out and
            listed in ``ImportReport.repeated``.
        wording: how the errors name the options above (CLI flags by default).

    Raises ``InputError`` (nothing written) on a bad record or unknown labels.
    """
    from ..nlp.pipeline import analyze, load_pipeline

    paths = [Path(s) for s in sources]
    for path in paths:  # sniffing it would open the project file outside SQLite
        if path.exists() and path.resolve() == project.path.resolve():
            raise InputError(str(path), "is this project's own file; import other files into it")
    project.check()
    report = ImportReport(language=project.language, wording=wording)
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
    written: set[tuple[int, str]] = set()  # (document, owner) sets this import wrote
    with _heap_frozen(), project.bulk(), project.transaction("importing"):
        for chunk in _chunks(records):
            good: list[Record] = []
            for item in chunk:
                unencodable = None if isinstance(item, Problem) else unencodable_text(item)
                if isinstance(item, Problem) or unencodable:
                    _reject(report, Problem(item.source, unencodable) if unencodable else item, skip_invalid)
                else:
                    good.append(item)
            report.records += len(chunk)
            hashes = {id(r): text_hash(r.text) for r in good}
            known = {id(r): project.document_id(hashes[id(r)]) for r in good}
            # a file's own tokens make tokenizing useless unless a model suggests spans
            to_analyze = [r for r in good if known[id(r)] is None and (model_owner or r.tokens is None)]
            analyzed = analyze(
                nlp, (r.text for r in to_analyze), origin=origin, relation_types=project.scheme.relations
            )
            analyses = dict(zip(map(id, to_analyze), analyzed))
            seen: set[str] = set()  # texts of this chunk, stored by an earlier record
            for record in good:
                analysis = analyses.get(id(record))
                doc_id = known[id(record)]
                if doc_id is None and hashes[id(record)] in seen:
                    doc_id = project.document_id(hashes[id(record)])
                seen.add(hashes[id(record)])
                stored = doc_id is not None
                if stored:
                    # text never changes; the stored tokens are only ever split
                    tokens = list(project.document(doc_id).tokens)
                else:
                    tokens = record.tokens if record.tokens is not None else analysis.tokens  # type: ignore[union-attr]
                    better = None if record.tokens is not None else unsegmented_language(record.text, project.language)
                    if better:
                        report.unsegmented[better] = report.unsegmented.get(better, 0) + 1
                try:
                    tokens, counts = align(record.text, tokens, record.sets)
                except AlignmentError as exc:
                    _reject(report, Problem(record.source, str(exc)), skip_invalid)
                    continue
                report.alignment.add(counts)
                _fold_bidirectional(record, state.scheme)
                problem = _check(record, tokens, state, annotator)
                if problem:
                    _reject(report, Problem(record.source, problem), skip_invalid)
                    continue
                _suggest(state, analysis, tokens, model_name(preannotate), record.source)
                if stored and counts.tokens_split:
                    project.split_tokens(doc_id, tokens)
                    report.split_documents.add(doc_id)
                _store(project, record, tokens, analysis, model_owner, annotator, report, written, replace_existing)
            if progress is not None:
                progress(report.records, total)
        if state.suggested_unknown:
            raise InputError(
                state.first_suggested_at,
                f"the pre-annotator {model_name(preannotate)!r} suggests labels not in the project's scheme: "
                + ", ".join(sorted(state.suggested_unknown))
                + f" ({wording.add_labels} to add them, or {wording.other_preannotator})",
            )
        if state.unknown:
            raise InputError(
                state.first_unknown_at,
                "labels not in the project's scheme: "
                + ", ".join(sorted(state.unknown))
                + f" (add them to the scheme, or {wording.add_labels})",
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


def _chunks(records: Iterator[Record | Problem]) -> Iterator[list[Record | Problem]]:
    """Records in chunks of at most ``CHUNK`` records or ``CHUNK_CHARS`` characters
    of text, so a file of huge documents is held a few at a time."""
    chunk: list[Record | Problem] = []
    chars = 0
    for item in records:
        chunk.append(item)
        chars += len(item.text) if isinstance(item, Record) else 0
        if len(chunk) >= CHUNK or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


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
        self.suggested_unknown: set[str] = set()
        self.first_suggested_at = ""

    def admit(self, data: SetData, source: str) -> None:
        labels = {s.label for s in data.spans if self.scheme.label(s.label) is None}
        rels = {r.label for r in data.relations if self.scheme.relation(r.label) is None}
        if not labels and not rels:
            return
        if self.add_labels:
            try:
                self.scheme = self.scheme.with_labels(sorted(labels)).with_relations(sorted(rels))
            except SchemeError as exc:
                names = ", ".join(repr(n) for n in sorted(labels | rels))
                raise InputError(source, f"cannot add {names} to the scheme: {exc.message}") from None
            return
        if not self.unknown:
            self.first_unknown_at = source
        self.unknown |= labels | {f"{r} (relation)" for r in rels}


def _suggest(state: _SchemeState, analysis, tokens: list[Token], name: str, source: str) -> None:
    """Admit the labels of a pre-annotator's suggestions: added with
    ``add_labels``, else collected for the error that lists them."""
    if analysis is None:
        return
    labels = {s.label for s in analysis.spans if state.scheme.label(s.label) is None}
    if not labels:
        return
    if state.add_labels:
        try:
            state.scheme = state.scheme.with_labels(sorted(labels))
        except SchemeError as exc:
            names = ", ".join(repr(n) for n in sorted(labels))
            raise InputError(
                source, f"the pre-annotator {name!r} suggests {names}, which cannot be added to the scheme: {exc.message}"
            ) from None
        return
    if not state.suggested_unknown:
        state.first_suggested_at = source
    state.suggested_unknown |= labels


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


def _store(
    project: Project, record: Record, tokens, analysis, model_owner, annotator, report: ImportReport,
    written: set[tuple[int, str]], replace_existing: bool,
) -> None:
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
        project.write_set(
            doc_id, model_owner, aligned, relations, status="done", who=model_owner, score=analysis.score, read_back=False
        )
        report.suggestions += len(aligned)
        report.suggested_relations += len(relations)
    for data in record.sets:
        if annotator is None and data.owner and is_suggestion_owner(data.owner):
            owner = data.owner  # a file's model predictions stay suggestions
        else:
            owner = annotator or data.owner or DEFAULT_OWNER
        if (doc_id, owner) in written:
            report.repeated.append(record.source)
            continue
        written.add((doc_id, owner))
        existing = project.annotation_set(doc_id, owner) if project.set_row(doc_id, owner) is not None else None
        if existing is not None:
            if _same_contents(existing, data):
                continue
            if not replace_existing:
                report.sets_kept.append(record.source)
                continue
            if is_suggestion_owner(owner):  # suggestions are not edited: rewritten like a new pre-annotation
                project.write_set(doc_id, owner, data.spans, data.relations, who=owner, score=data.score, read_back=False)
            else:
                project.apply(doc_id, owner, replace_contents(existing, data.spans, data.relations), who=owner)
            report.sets_replaced += 1
        else:
            project.write_set(
                doc_id, owner, data.spans, data.relations, status=data.status or "done", who=owner,
                score=data.score, read_back=False,
            )
            report.sets_written += 1
        report.spans += len(data.spans)
        report.relations += len(data.relations)


def _same_contents(aset: AnnotationSet, data: SetData) -> bool:
    """Whether a stored set holds exactly the spans and relations of ``data``
    (and its score for the whole set, when the file gives one)."""
    if data.score is not None and aset.score != data.score:
        return False

    def key(span) -> tuple:
        return (span.start, span.end, span.label, tuple(span.fragments))

    stored = {sid: key(s) for sid, s in aset.spans.items()}
    given = {s.id: key(s) for s in data.spans}
    if sorted(stored.values()) != sorted(given.values()):
        return False
    edges = sorted((stored[r.head], stored[r.child], r.label) for r in aset.relations.values())
    return edges == sorted((given[r.head], given[r.child], r.label) for r in data.relations if r.head in given and r.child in given)
