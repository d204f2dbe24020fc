"""Plain text: one ``.txt`` file is one document; a folder imports every
``.txt`` file in it (sorted by name). Writing makes one ``.txt`` per document."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..core.model import Problem, Record
from ..core.scheme import Scheme
from .registry import FormatSpec, Items, WriteReport, read_text, register


def read(path: Path) -> Iterator[Record | Problem]:
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    for file in files:
        text, error = read_text(file)
        if error:
            yield Problem(str(file), error)
        elif text is None or not text.strip():
            yield Problem(str(file), "empty text")
        else:
            yield Record(text=text, source=str(file), meta={"filename": file.name})


def sniff(path: Path) -> bool:
    if path.is_dir():
        return any(path.glob("*.txt")) and not any(path.glob("*.ann"))
    return path.is_file() and path.suffix.lower() == ".txt"


def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    out.mkdir(parents=True, exist_ok=True)
    report = WriteReport()
    for document, aset in items:
        name = f"{document.id:06d}.txt"
        (out / name).write_text(document.text, encoding="utf-8")
        report.files.append(out / name)
        report.documents += 1
        report.lose("spans (plain text holds none)", len(aset.spans))
        report.lose("relations (plain text holds none)", len(aset.relations))
    return report


register(
    FormatSpec(
        name="txt",
        description="plain text files, one document each (a file or a folder of them)",
        reader=read,
        writer=write,
        extensions=(".txt",),
        sniff=sniff,
        writes_folder=True,
    )
)
