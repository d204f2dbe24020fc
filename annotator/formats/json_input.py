"""Reading JSON files for the JSON-based formats: whole files with an error
that says where, and the first record of a file for sniffing."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core.model import Problem
from .registry import read_head, read_text

SNIFF_BYTES = 1 << 20
READ_CHUNK = 1 << 20
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


def stream_json(path: Path) -> Iterator[tuple[int, Any] | Problem]:
    """The values of a JSON file, read a piece at a time so memory does not
    grow with the file: ``(n, element)`` for each element of a top-level
    array (n from 1), or ``(0, value)`` for a file holding one other value.
    A syntax error, bad UTF-8 or too-deep nesting ends it with a Problem
    naming the line."""
    if not read_head(path, 256).lstrip("\ufeff").lstrip().startswith("["):
        data, error = load_json(path)
        yield Problem(str(path), error) if error else (0, data)
        return
    try:
        with open(path, encoding="utf-8-sig") as fh:
            yield from _array_items(fh, path)
    except UnicodeDecodeError:
        _, error = read_text(path)
        yield Problem(str(path), error or "not valid UTF-8")


class _Buffer:
    """The unread rest of a file: the text read so far from ``pos`` on."""

    def __init__(self, fh) -> None:
        self.fh = fh
        self.text = fh.read(READ_CHUNK)
        self.pos = 0
        self.line = 1  # the line of the file at which ``text`` starts
        self.column = 0  # and the characters before it on that line

    def more(self) -> bool:
        """Read on (at least doubling what is held); False at the end of the file."""
        data = self.fh.read(max(READ_CHUNK, len(self.text) - self.pos))
        if not data:
            return False
        newline = self.text.rfind("\n", 0, self.pos)
        self.column = self.pos - newline - 1 if newline >= 0 else self.column + self.pos
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos :] + data
        self.pos = 0
        return True

    def next_char(self) -> str:
        """The next character that is not whitespace ("" at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]

    def where(self) -> str:
        return f"line {self.line + self.text.count(chr(10), 0, self.pos)}"


def _array_items(fh, path: Path) -> Iterator[tuple[int, Any] | Problem]:
    decoder = json.JSONDecoder()
    buf = _Buffer(fh)
    buf.next_char()
    buf.pos += 1  # the opening bracket
    if buf.next_char() == "]":
        buf.pos += 1
    else:
        number = 0
        while True:
            if not buf.next_char():
                yield Problem(str(path), f"not valid JSON (the array is not closed at {buf.where()})")
                return
            try:
                value, end = decoder.raw_decode(buf.text, buf.pos)
            except json.JSONDecodeError as exc:
                if buf.more():
                    continue
                column = exc.colno + (buf.column if exc.lineno == 1 else 0)
                yield Problem(str(path), f"not valid JSON ({exc.msg} at line {buf.line + exc.lineno - 1} column {column})")
                return
            except RecursionError:
                yield Problem(str(path), TOO_DEEP)
                return
            if end == len(buf.text) and buf.more():  # a number may go on in the next piece
                continue
            buf.pos = end
            number += 1
            yield number, value
            separator = buf.next_char()
            buf.pos += 1
            if separator == "]":
                break
            if separator != ",":
                yield Problem(str(path), f"not valid JSON (expected ',' or ']' after element {number} at {buf.where()})")
                return
    if buf.next_char():
        yield Problem(str(path), f"not valid JSON (extra data after the array at {buf.where()})")
