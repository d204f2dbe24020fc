"""Reading JSON files for the JSON-based formats: whole files with an error
that says where, and the first record of a file for sniffing."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core.model import Problem
from .registry import read_head, read_text

SNIFF_BYTES = 1 << 20
TOO_DEEP = "not readable JSON: values are nested too deeply"


def json_error(exc: json.JSONDecodeError) -> str:
    """A JSON syntax error as a sentence with line and column."""
    return f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"


def offset_value(value: Any, what: str) -> int:
    """A character offset read from JSON: an integer (``5.0`` counts as 5).

    Raises ``ValueError`` naming ``what`` for anything else: a fraction (0.7
    is not truncated to 0), infinity, NaN, a boolean, a string or null.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{what} must be a whole number, not {json.dumps(value)[:40]}")


def load_json(path: Path) -> tuple[Any, str | None]:
    """A whole UTF-8 JSON file as data, or ``(None, error)`` saying where it is broken."""
    text, error = read_text(path)
    if error:
        return None, error
    assert text is not None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, json_error(exc)
    except RecursionError:
        return None, TOO_DEEP


def first_record(path: Path) -> Any:
    """The first JSON value of a file, for sniffing; ``None`` when it cannot be told.

    For a JSON array this is its first element (``None`` for an empty array);
    for JSON Lines the first line; for a pretty-printed object the object.
    Only the first megabyte is read, so a first record longer than that gives
    ``None`` and the caller falls back on looking at the raw text.
    """
    head = read_head(path, SNIFF_BYTES).lstrip("\ufeff").lstrip()
    decoder = json.JSONDecoder()
    if head.startswith("["):
        head = head[1:].lstrip()
        if head.startswith("]"):
            return None
    try:
        value, _ = decoder.raw_decode(head)
    except (json.JSONDecodeError, RecursionError):
        return None
    return value


def json_lines(path: Path, lines: Iterable[tuple[int, str | None, str | None]]) -> Iterator[tuple[str, Any] | Problem]:
    """``(source, value)`` for each non-blank line of a JSON Lines file, or a
    Problem naming the line that is not UTF-8 or not JSON.

    ``lines`` is ``registry.iter_lines(path)`` (or what is left of it).
    """
    for number, line, error in lines:
        source = f"{path}:{number}"
        if error:
            yield Problem(source, error)
            continue
        assert line is not None
        if not line.strip():
            continue
        try:
            yield source, json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            yield Problem(source, f"not valid JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:
            yield Problem(source, TOO_DEEP)
