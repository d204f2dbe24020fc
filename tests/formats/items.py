"""Reading a file with a format's reader and handing its records to a writer,
without a project in between (file-level round trips and conversions)."""
from __future__ import annotations

from pathlib import Path

from annotator.core.model import AnnotationSet, Document, Problem, Record, text_hash
from annotator.formats import registry


def read_records(fmt: str, path: Path) -> list[Record]:
    """Every record of a file; fails the test on any Problem."""
    out = []
    for item in registry.get(fmt).reader(path):
        assert not isinstance(item, Problem), item
        out.append(item)
    return out


def to_items(records: list[Record], *, default_owner: str = "import") -> list[tuple[Document, AnnotationSet]]:
    """(Document, AnnotationSet) pairs as a project would hand them to a writer,
    one document per record (duplicates kept), with the record's tokens, if any."""
    items = []
    for number, record in enumerate(records, start=1):
        document = Document(number, text_hash(record.text), record.text, tuple(record.tokens or ()), dict(record.meta))
        for data in record.sets:
            aset = AnnotationSet.build(
                number, data.owner or default_owner, data.spans, data.relations, status=data.status or "done"
            )
            items.append((document, aset))
    return items


def span_tuples(record: Record) -> list[list[tuple]]:
    """Per set: sorted ``(start, end, label)`` of its spans."""
    return [sorted((s.start, s.end, s.label) for s in data.spans) for data in record.sets]


def relation_tuples(record: Record) -> list[list[tuple]]:
    """Per set: sorted relations as ``((head start, end, label), (child ...), label)``."""
    out = []
    for data in record.sets:
        by_id = {s.id: (s.start, s.end, s.label) for s in data.spans}
        out.append(sorted((by_id[r.head], by_id[r.child], r.label) for r in data.relations))
    return out
