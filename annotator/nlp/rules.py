"""The rule-based pre-annotator: ``spacy.blank`` plus gazetteers and matchers.

``make_rules_pipeline()`` builds a pipeline that needs no statistical model:

1. ``entity_ruler`` with the patterns in ``resources/patterns/*.jsonl``
   (ORG, GPE, LOC, PRODUCT, DATE);
2. ``annotator_money_v1`` (see :mod:`annotator.nlp.money`) for MONEY;
3. ``annotator_spans_v1``, which gathers everything into
   ``doc.spans["annotator"]`` and sets ``doc.ents`` to a non-overlapping subset.

Gazetteer entries are phrase patterns matched on ``ORTH``: the ruler tokenizes
them with the pipeline's own tokenizer, so "U.S." and "Co." split the same way
in patterns and texts, and the match is case-sensitive, so "apple" and "target"
stay ordinary words. A phrase pattern costs next to nothing at run time,
whereas each token pattern is tried at every token, so token patterns are kept
for the few dates that need them.
"""
from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from annotator.core.errors import PipelineError
from annotator.core.scheme import RESOURCES_DIR

from . import money as _money  # noqa: F401  (registers annotator_money_v1)

SPANS_KEY = "annotator"
PATTERNS_DIR = RESOURCES_DIR / "patterns"

# Tokens that extend an ORG match: "Hon Hai Precision Industry" + "Co.".
CORPORATE_SUFFIXES = frozenset(
    "Inc. Inc Corp. Corp Corporation Co. Company Ltd. Ltd Limited plc PLC LLC "
    "L.P. LP AG SA S.A. SE N.V. NV GmbH Group Holdings".split()
)
# Suffixes that may follow a comma: "Co., Ltd.", "Apple, Inc.".
COMMA_SUFFIXES = frozenset("Inc. Inc Ltd. Ltd Limited LLC plc PLC".split())


def load_patterns(patterns_dir: Path) -> list[dict]:
    """Read every ``*.jsonl`` file of ``patterns_dir``, in file-name order.

    Each line is an EntityRuler pattern ``{"label": str, "pattern": str | list}``;
    blank lines are skipped. Raises ``PipelineError`` naming the file and line
    of a malformed pattern, or when the folder holds no pattern file.
    """
    files = sorted(Path(patterns_dir).glob("*.jsonl"))
    if not files:
        raise PipelineError(f"{patterns_dir}: no *.jsonl pattern files; the rules pre-annotator needs at least one")
    patterns: list[dict] = []
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PipelineError(f"{path}:{lineno}: not JSON ({exc.msg}); fix or delete the line") from None
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("label"), str)
                or not isinstance(entry.get("pattern"), (str, list))
            ):
                raise PipelineError(
                    f'{path}:{lineno}: expected {{"label": "...", "pattern": "..." or [...]}}; fix the line'
                )
            patterns.append(entry)
    return patterns


def make_rules_pipeline(lang: str = "en", *, patterns_dir: Path | None = None) -> Language:
    """A blank spaCy pipeline that pre-annotates with rules only.

    Args:
        lang: spaCy language code for ``spacy.blank`` (tokenizer only).
        patterns_dir: folder of EntityRuler ``*.jsonl`` files; defaults to
            ``resources/patterns``.

    Returns:
        A ``Language`` whose docs carry every suggestion in
        ``doc.spans[SPANS_KEY]`` (overlaps allowed) and the longest
        non-overlapping ones in ``doc.ents``.

    Raises:
        PipelineError: unknown language code, or missing/malformed patterns.
    """
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError) as exc:
        raise PipelineError(f"spaCy has no language {lang!r} ({exc}); use a code such as 'en'") from None
    ruler = nlp.add_pipe("entity_ruler", config={"validate": False})
    ruler.add_patterns(load_patterns(patterns_dir or PATTERNS_DIR))
    nlp.add_pipe("annotator_money_v1", config={"spans_key": SPANS_KEY})
    nlp.add_pipe("annotator_spans_v1", config={"spans_key": SPANS_KEY})
    return nlp


class SpanCollector:
    """Merges the ruler's entities with the spans already in the group.

    Ruler entities are tidied first: an ORG takes a following corporate suffix
    ("Co.", ", Ltd."), a DATE that is a lone four-digit number is kept only for
    years ``min_year``..``max_year``, and a span lying inside another label's
    span of the group (the "2000" of "$2000") is dropped. The group is then
    sorted by offsets and ``doc.ents`` set from ``filter_spans`` over it.
    """

    def __init__(self, *, spans_key: str, min_year: int, max_year: int) -> None:
        self.spans_key = spans_key
        self.min_year = min_year
        self.max_year = max_year

    def __call__(self, doc: Doc) -> Doc:
        extra = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        spans = list(extra)
        for ent in doc.ents:
            ent = self._tidy(doc, ent)
            if ent is not None and not any(
                s.start <= ent.start and ent.end <= s.end and s.label != ent.label for s in extra
            ):
                spans.append(ent)
        spans.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[self.spans_key] = spans
        doc.ents = filter_spans(spans)
        return doc

    def _tidy(self, doc: Doc, ent: Span) -> Span | None:
        if ent.label_ == "DATE" and len(ent) == 1 and ent[0].shape_ == "dddd":
            return ent if self.min_year <= int(ent.text) <= self.max_year else None
        if ent.label_ != "ORG":
            return ent
        end = ent.end
        while end < len(doc):
            token = doc[end]
            if token.ent_iob_ == "B" or token.ent_iob_ == "I":
                break
            if token.text in CORPORATE_SUFFIXES:
                end += 1
            elif (
                token.text == ","
                and end + 1 < len(doc)
                and doc[end + 1].text in COMMA_SUFFIXES
                and not doc[end + 1].ent_type
            ):
                end += 2
            else:
                break
        return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label)


@Language.factory(
    "annotator_spans_v1",
    default_config={"spans_key": SPANS_KEY, "min_year": 1800, "max_year": 2099},
)
def make_span_collector(nlp: Language, name: str, spans_key: str, min_year: int, max_year: int) -> SpanCollector:
    """Factory for :class:`SpanCollector` (``nlp.add_pipe("annotator_spans_v1")``)."""
    return SpanCollector(spans_key=spans_key, min_year=min_year, max_year=max_year)
