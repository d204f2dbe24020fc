"""The spaCy DocBin format; the work is done in ``annotator.nlp.docbin``."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..core.model import Problem, Record
from ..core.scheme import Scheme
from .losses import count_extras, count_suggestions, count_widened
from .registry import FormatSpec, Items, WriteReport, register


def read(path: Path) -> Iterator[Record | Problem]:
    from ..nlp.docbin import read_docbin

    return read_docbin(path)


def write(items: Items, out: Path, *, scheme: Scheme | None = None) -> WriteReport:
    from ..nlp.docbin import write_docbin

    report = WriteReport(files=[out])

    def counted() -> Items:
        for document, aset in items:
            count_extras(report, aset, "spaCy")
            count_widened(report, aset, "spaCy")
            count_suggestions(report, aset, "spaCy", owner_kept=True)
            yield document, aset

    counts = write_docbin(counted(), out)
    report.documents, report.spans, report.relations = counts["documents"], counts["spans"], counts["relations"]
    report.lose("spans not on token boundaries", counts["lost_spans"])
    report.lose("relations whose spans are not on token boundaries", counts["lost_relations"])
    return report


register(
    FormatSpec(
        name="spacy",
        description="spaCy DocBin (.spacy): ents, span group sc, relations in user data",
        reader=read,
        writer=write,
        aliases=("docbin",),
        extensions=(".spacy",),
    )
)
