"""The registry of interchange formats: a reader and/or writer per format.

Every module in ``annotator.formats`` registers its formats on import with
``register(FormatSpec(...))``; the registry imports them all on first use.

A reader is ``read(path) -> Iterator[Record | Problem]``: a Problem is a
record it could not read (the importer stops on it, or reports and skips it
with ``--skip-invalid``). A writer is ``write(items, out, scheme=...) ->
WriteReport`` where ``items`` yields ``(Document, AnnotationSet)`` pairs.
"""
from __future__ import annotations

import importlib
import pkgutil
from fnmatch import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core.errors import FormatError
from ..core.model import AnnotationSet, Document, Problem, Record
from ..core.scheme import Scheme

Reader = Callable[[Path], Iterator["Record | Problem"]]
Items = Iterable[tuple[Document, AnnotationSet]]


@dataclass
class WriteReport:
    """What a writer wrote and what the format could not hold."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    files: list[Path] = field(default_factory=list)
    # what was lost, e.g. {"relations (CoNLL has no relations)": 12}
    lost: dict[str, int] = field(default_factory=dict)
    # how each loss happened when it is not "not written" (e.g. "widened to their outer bounds")
    how: dict[str, str] = field(default_factory=dict)

    def lose(self, what: str, count: int = 1, *, how: str = "not written") -> None:
        """Count ``count`` things the format cannot hold; ``how`` says what became of them."""
        if count:
            self.lost[what] = self.lost.get(what, 0) + count
            if how != "not written":
                self.how[what] = how

    def absorb(self, other: "WriteReport") -> None:
        """Add another report's figures and losses to this one."""
        self.documents += other.documents
        self.spans += other.spans
        self.relations += other.relations
        self.files += other.files
        for what, count in other.lost.items():
            self.lose(what, count, how=other.how.get(what, "not written"))

    def warnings(self) -> list[str]:
        """One sentence per kind of loss, with its count."""
        return [f"{count} {what} {self.how.get(what, 'not written')}" for what, count in self.lost.items()]


Writer = Callable[..., WriteReport]


@dataclass(frozen=True)
class FormatSpec:
    """One format: names, how to recognise its files, reader and writer.

    ``sniff(path)`` returns True when the file or folder looks like this
    format (it may read the first bytes). ``read_scheme(path)`` returns the
    scheme a file carries, if the format has one (brat's annotation.conf).
    """

    name: str
    description: str
    reader: Reader | None = None
    writer: Writer | None = None
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    sniff: Callable[[Path], bool] | None = None
    read_scheme: Callable[[Path], Scheme | None] | None = None
    writes_folder: bool = False
    # name patterns of files that go with a data file (SpERT's *_types.json),
    # read through it rather than as documents
    companions: tuple[str, ...] = ()
    # a folder of this format is read as a whole (brat: .txt and .ann pairs, annotation.conf)
    whole_folder: bool = False


_FORMATS: dict[str, FormatSpec] = {}
_loaded = False


def register(spec: FormatSpec) -> FormatSpec:
    _FORMATS[spec.name] = spec
    return spec


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module("annotator.formats")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "registry":
            importlib.import_module(f"annotator.formats.{info.name}")


def formats() -> dict[str, FormatSpec]:
    """Every registered format by name."""
    _load_all()
    return dict(sorted(_FORMATS.items()))


def get(name: str) -> FormatSpec:
    """A format by name or alias; ``FormatError`` lists the known names."""
    for spec in formats().values():
        if name == spec.name or name in spec.aliases:
            return spec
    raise FormatError(f"unknown format {name!r}; known formats: {', '.join(formats())}")


_WIDE_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def wide_encoding(path: Path) -> str | None:
    """Why a file cannot be read, when it starts with a UTF-16 or UTF-32
    byte-order mark (Windows editors save "Unicode" so), else None: every
    reader takes UTF-8 only, and would otherwise say "not UTF-8 at byte 0"
    or that the format cannot be told."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    for mark, name in _WIDE_MARKS:
        if head.startswith(mark):
            return f"the file is {name} text (it starts with a {name} byte-order mark); save it as UTF-8 and import it again"
    return None


def detect(path: Path) -> FormatSpec:
    """The format of a file or folder, from its extension and contents.

    Raises ``FormatError`` when no format or more than one matches.
    """
    wide = wide_encoding(path) if path.is_file() else None
    if wide:
        raise FormatError(f"{path}: {wide}")
    candidates = []
    for spec in formats().values():
        if spec.reader is None:
            continue
        if spec.sniff is not None:
            if spec.sniff(path):
                candidates.append(spec)
        elif path.is_file() and path.suffix.lower() in spec.extensions:
            candidates.append(spec)
    if len(candidates) == 1:
        return candidates[0]
    names = ", ".join(s.name for s in formats().values() if s.reader)
    if not candidates:
        raise FormatError(f"{path}: cannot tell its format; pass --format with one of: {names}")
    raise FormatError(
        f"{path}: could be {' or '.join(s.name for s in candidates)}; pass --format to choose"
    )


def detect_each(folder: Path) -> list[tuple[Path, FormatSpec]]:
    """How to read a folder: as a whole when it is a folder format's (brat),
    else each file in its own format (a folder may mix formats).

    Hidden files and companion files (``FormatSpec.companions``) are left out.
    Raises ``FormatError`` listing every file whose format cannot be told, so
    nothing in the folder is ignored in silence.
    """
    whole = [spec for spec in formats().values() if spec.whole_folder and spec.sniff and spec.sniff(folder)]
    if whole:
        return [(folder, whole[0])]
    companions = [pattern for spec in formats().values() for pattern in spec.companions]
    found, unknown = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file() or any(fnmatch(path.name, p) for p in companions):
            continue
        try:
            found.append((path, detect(path)))
        except FormatError as exc:
            unknown.append(f"{path.name} ({exc.message.split(': ', 1)[-1].split(';')[0]})")
    if not found and not unknown:
        raise FormatError(f"{folder}: no files to import in it")
    if unknown:
        raise FormatError(
            f"{folder}: cannot tell how to read {len(unknown)} of its files: {', '.join(unknown[:5])}"
            f"{' ...' if len(unknown) > 5 else ''}; move them out or pass --format"
        )
    return found


def read_head(path: Path, size: int = 4096) -> str:
    """The first bytes of a file as text (undecodable bytes replaced), for sniffing."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size).decode("utf-8", errors="replace")
    except OSError:
        return ""


def iter_lines(path: Path) -> Iterator[tuple[int, str | None, str | None]]:
    """``(line_number, text, error)`` for each line of a UTF-8 file.

    A line that is not valid UTF-8 gives ``text=None`` and an error naming
    the byte, so one bad line does not hide the rest of the file.
    """
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield number, raw.decode("utf-8").lstrip("\ufeff") if number == 1 else raw.decode("utf-8"), None
            except UnicodeDecodeError as exc:
                yield number, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)"


def read_text(path: Path) -> tuple[str | None, str | None]:
    """A whole UTF-8 file as text, or ``(None, error)`` saying where it is not UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, f"not valid UTF-8 at line {line} (byte {exc.start}: {exc.reason})"
    return text.lstrip("\ufeff"), None
