"""What a writer cannot hold, counted the same way by every writer.

brat keeps attributes, normalisations and notes in the attrs of spans,
events and relations (see ``annotator.formats.brat``); a format without a
place for them reports each one as lost. A format without discontinuous
spans reports each one, as dropped or as widened to its outer bounds.

Span origin (human, model, rule, import) matters where a span is a model's or
a rule's suggestion that no person confirmed: a format that cannot mark it
makes it look like a person's work, so each one is reported. Whether a person
or a file made a span is not reported: every reader marks what it reads as
``import``.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..core.model import AnnotationSet, is_suggestion_owner
from .registry import WriteReport

EXTRAS = {"attributes": "brat attributes", "norms": "brat normalisations", "notes": "brat notes"}
WIDENED = "widened to their outer bounds"


def count_extras(report: WriteReport, aset: AnnotationSet, format_name: str, *, scores: bool = False) -> None:
    """Count on ``report`` every brat attribute, normalisation and note of
    ``aset``, and its model scores unless the format holds them (``scores``)."""
    if not scores:
        count_scores(report, aset, format_name)
    targets: list[Mapping[str, Any]] = []
    for span in aset.spans.values():
        targets.append(span.attrs)
        targets += [e or {} for e in (span.attrs.get("events") or {}).values()]
    targets += [rel.attrs for rel in aset.relations.values()]
    for attrs in targets:
        for key, what in EXTRAS.items():
            report.lose(f"{what} ({format_name} holds none)", len(attrs.get(key) or ()))


def count_scores(report: WriteReport, aset: AnnotationSet, format_name: str) -> None:
    """Count the spans of ``aset`` that carry a model's score, and its score
    for the whole set, for a format without scores."""
    scored = sum(1 for span in aset.spans.values() if span.score is not None)
    report.lose(f"span scores ({format_name} holds none)", scored)
    report.lose(f"scores of whole suggestion sets ({format_name} holds none)", int(aset.score is not None))


def count_widened(report: WriteReport, aset: AnnotationSet, format_name: str) -> None:
    """Count the discontinuous spans of ``aset`` a writer widens to their outer bounds."""
    widened = sum(1 for span in aset.spans.values() if span.fragments)
    report.lose(f"discontinuous spans ({format_name} has none)", widened, how=WIDENED)


SUGGESTIONS_WRITTEN = "written like a person's spans"


def count_suggestions(report: WriteReport, aset: AnnotationSet, format_name: str, *, owner_kept: bool) -> None:
    """Count the spans of ``aset`` a model or rule suggested and no person
    confirmed, for a format that cannot mark them. A ``model:`` set is not
    counted when the format keeps its owner (``owner_kept``): the owner says it."""
    if owner_kept and is_suggestion_owner(aset.owner):
        return
    suggested = sum(1 for span in aset.spans.values() if span.is_suggestion)
    report.lose(f"unconfirmed suggestions ({format_name} cannot mark them)", suggested, how=SUGGESTIONS_WRITTEN)
