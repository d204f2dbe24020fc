"""CSV with a ``text`` column; every other column goes into the document's meta."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from ..core.model import Problem, Record
from .registry import FormatSpec, register

CELL_LIMIT = 2**31 - 1  # the largest csv.field_size_limit every platform accepts


def read(path: Path) -> Iterator[Record | Problem]:
    """Records row by row (the file is streamed, so memory does not grow with
    it); a cell may hold a whole news archive, so no field size limit applies."""
    csv.field_size_limit(CELL_LIMIT)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            yield from _rows(path, reader)
        except UnicodeDecodeError as exc:
            yield Problem(f"{path}:{reader.line_num + 1}", f"not valid UTF-8 ({exc.reason})")
        except csv.Error as exc:
            yield Problem(f"{path}:{reader.line_num}", f"not readable CSV ({exc})")


def _rows(path: Path, reader: csv.DictReader) -> Iterator[Record | Problem]:
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield Problem(f"{path}:1", f"no 'text' column (columns: {', '.join(reader.fieldnames or [])})")
        return
    for row in reader:
        source = f"{path}:{reader.line_num}"
        if None in row:
            yield Problem(source, "more fields than the header has columns")
            continue
        text = row.pop("text") or ""
        if not text.strip():
            yield Problem(source, "empty text")
            continue
        yield Record(text=text, source=source, meta={k: v for k, v in row.items() if v not in (None, "")})


register(
    FormatSpec(
        name="csv",
        description="CSV with a text column (other columns become metadata)",
        reader=read,
        extensions=(".csv",),
    )
)
