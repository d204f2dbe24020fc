"""How model objects map to rows of the project file, and back."""
from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence

from ..core.model import Relation, Span, Token

# columns in the order span_from_row / relation_from_row read them
SPAN_COLUMNS = "id, start, end, label, origin, score, fragments, attrs"
RELATION_COLUMNS = "id, head_id, child_id, label, origin, attrs"
ID_CHUNK = 500


def now() -> str:
    """The current UTC time as an ISO 8601 string with microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_user() -> str:
    """The login name, or ``annotator`` where the system has none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def tokens_to_json(tokens: Sequence[Token]) -> str:
    """Tokens as compact JSON ``[[start, end, whitespace], ...]``."""
    return json.dumps([[t.start, t.end, 1 if t.ws else 0] for t in tokens], separators=(",", ":"))


def tokens_from_json(data: str) -> tuple[Token, ...]:
    return tuple(Token(s, e, bool(w)) for s, e, w in json.loads(data))


def dumps_or_null(value: Any) -> str | None:
    """JSON for a non-empty value, NULL (None) for an empty one."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


def span_from_row(row: Sequence[Any]) -> Span:
    """A Span from a row of ``SPAN_COLUMNS``."""
    sid, start, end, label, origin, score, frags, attrs = row
    return Span(
        sid, start, end, label, origin, score,
        tuple(tuple(f) for f in json.loads(frags)) if frags else (),
        json.loads(attrs) if attrs else {},
    )


def relation_from_row(row: Sequence[Any]) -> Relation:
    """A Relation from a row of ``RELATION_COLUMNS``."""
    rid, head, child, label, origin, attrs = row
    return Relation(rid, head, child, label, origin, json.loads(attrs) if attrs else {})


def span_values(span: Span) -> list[Any]:
    """Values for ``start, end, label, origin, score, fragments, attrs``."""
    return [span.start, span.end, span.label, span.origin, span.score,
            dumps_or_null([list(f) for f in span.fragments]), dumps_or_null(dict(span.attrs))]


def relation_values(relation: Relation) -> list[Any]:
    """Values for ``head_id, child_id, label, origin, attrs``."""
    return [relation.head, relation.child, relation.label, relation.origin, dumps_or_null(dict(relation.attrs))]


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``ID_CHUNK``, for ``IN (...)`` queries."""
    ids = list(ids)
    for i in range(0, len(ids), ID_CHUNK):
        yield ids[i : i + ID_CHUNK]
