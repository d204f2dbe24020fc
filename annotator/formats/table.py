"""CSV with a ``text`` column; every other column goes into the document's meta."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from ..core.model import Problem, Record
from .registry import FormatSpec, read_text, register


def read(path: Path) -> Iterator[Record | Problem]:
    data, error = read_text(path)
    if error:
        yield Problem(str(path), error)
        return
    assert data is not None
    reader = csv.DictReader(io.StringIO(data, newline=""))
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
