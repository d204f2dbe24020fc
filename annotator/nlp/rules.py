"""The rule-based pre-annotator: ``spacy.blank`` plus gazetteers and matchers.

``make_rules_pipeline()`` builds a pipeline that needs no statistical model:

1. ``entity_ruler`` with the phrase patterns of ``resources/patterns/*.jsonl``
   (ORG, GPE, LOC, PRODUCT and fixed DATE phrases);
2. ``annotator_token_rules_v1`` with the token patterns of the same files
   (composed dates such as "September 4, 1998");
3. ``annotator_money_v1`` (see :mod:`annotator.nlp.money`) for MONEY;
4. ``annotator_people_v1`` (see :mod:`annotator.nlp.people`) for PERSON:
   the PERSON phrase patterns (well-known names), names after titles ("CEO
   Sam Altman") or before a role ("Jensen Huang, the chief executive of"),
   and later mentions of their surnames;
5. ``annotator_triggers_v1`` (see :mod:`annotator.nlp.triggers`) for the
   INVESTMENT and PARTNERSHIP event triggers;
6. ``annotator_spans_v1``, which tidies the candidates, keeps the longest of
   overlapping ones, and writes them to ``doc.spans["annotator"]`` and
   ``doc.ents``.

Gazetteer entries are phrase patterns matched on ``ORTH``: the ruler tokenizes
them with the pipeline's own tokenizer, so "U.S." and "Co." split the same way
in patterns and texts, and the match is case-sensitive, so "apple" and "target"
stay ordinary words. A phrase pattern costs next to nothing at run time; token
patterns go to an :class:`~annotator.nlp.anchored.AnchoredMatcher`, which
runs them only near their anchor words instead of at every token.
"""
from __future__ import annotations

import json
from pathlib import Path

from collections import defaultdict
from typing import Iterable

from spacy.language import Language
from spacy.symbols import DATE as _DATE, ORG as _ORG  # label ids, as ``Span.label`` gives them
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from annotator.core.errors import PipelineError
from annotator.core.scheme import RESOURCES_DIR

from . import money as _money  # noqa: F401  (registers annotator_money_v1)
from .people import PERSON_LABEL  # also registers annotator_people_v1
from . import triggers as _triggers  # noqa: F401  (registers annotator_triggers_v1)
from .anchored import AnchoredMatcher
from .pipeline import blank_pipeline

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
        A ``Language`` whose docs carry their suggestions, each with its
        label, in ``doc.spans[SPANS_KEY]`` (always present, possibly empty)
        and in ``doc.ents``. The rules resolve overlaps to the longest span,
        so both hold the same spans.

    Raises:
        PipelineError: unknown language code, or missing/malformed patterns.
    """
    nlp = blank_pipeline(lang)
    patterns = load_patterns(patterns_dir or PATTERNS_DIR)
    # PERSON phrases go to the people component, which needs them to find
    # later mentions and matches them in its own pass over the doc.
    names = [p["pattern"] for p in patterns if p["label"] == PERSON_LABEL and isinstance(p["pattern"], str)]
    ruler = nlp.add_pipe("entity_ruler", config={"validate": False})
    ruler.add_patterns([p for p in patterns if isinstance(p["pattern"], str) and p["label"] != PERSON_LABEL])
    token_rules = nlp.add_pipe("annotator_token_rules_v1", config={"spans_key": SPANS_KEY})
    token_rules.add_patterns([p for p in patterns if isinstance(p["pattern"], list)])
    nlp.add_pipe("annotator_money_v1", config={"spans_key": SPANS_KEY})
    people = nlp.add_pipe("annotator_people_v1", config={"spans_key": SPANS_KEY})
    people.add_names(names)
    nlp.add_pipe("annotator_triggers_v1", config={"spans_key": SPANS_KEY})
    nlp.add_pipe("annotator_spans_v1", config={"spans_key": SPANS_KEY})
    return nlp


def _add_to_group(doc: Doc, spans_key: str, spans: list[Span]) -> None:
    if spans:
        existing: Iterable[Span] = doc.spans[spans_key] if spans_key in doc.spans else ()
        doc.spans[spans_key] = [*existing, *spans]


class TokenRules:
    """EntityRuler token patterns, run by an ``AnchoredMatcher``.

    Every match is appended to ``doc.spans[spans_key]``, overlapping ones
    included; ``annotator_spans_v1`` picks among them.
    """

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.patterns: dict[str, list[list[dict]]] = defaultdict(list)
        self.matcher: AnchoredMatcher | None = None

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add ``{"label": str, "pattern": [token specs]}`` entries."""
        for entry in patterns:
            self.patterns[entry["label"]].append(entry["pattern"])
        self.matcher = AnchoredMatcher(self.vocab, dict(self.patterns))

    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is not None:
            _add_to_group(doc, self.spans_key, [Span(doc, s, e, label=key) for key, s, e in self.matcher(doc)])
        return doc


@Language.factory("annotator_token_rules_v1", default_config={"spans_key": SPANS_KEY})
def make_token_rules(nlp: Language, name: str, spans_key: str) -> TokenRules:
    """Factory for :class:`TokenRules`; fill it with ``add_patterns``."""
    return TokenRules(nlp.vocab, spans_key=spans_key)


class SpanCollector:
    """Chooses the final spans among the ruler's entities and the group's spans.

    Candidates are tidied first: an ORG takes a following corporate suffix
    ("Co.", ", Ltd."), and a DATE that is a lone four-digit number is kept
    only for years ``min_year``..``max_year``. Of overlapping candidates the
    longest wins (the earlier one on a tie), so "$2000" beats the DATE "2000"
    and "September 4, 1998" beats "September". The result, in text order,
    becomes both ``doc.spans[spans_key]`` and ``doc.ents``.
    """

    def __init__(self, *, spans_key: str, min_year: int, max_year: int) -> None:
        self.spans_key = spans_key
        self.min_year = min_year
        self.max_year = max_year

    def __call__(self, doc: Doc) -> Doc:
        candidates = [*doc.ents, *(doc.spans[self.spans_key] if self.spans_key in doc.spans else ())]
        chosen = filter_spans([span for span in map(self._tidy, candidates) if span is not None])
        doc.spans[self.spans_key] = chosen
        doc.set_ents(chosen)  # what ``doc.ents = chosen`` does, without copying the spans
        return doc

    def _tidy(self, span: Span) -> Span | None:
        label = span.label  # an id: cheaper to compare than ``label_``
        if label == _DATE and len(span) == 1 and span[0].shape_ == "dddd":
            return span if self.min_year <= int(span.text) <= self.max_year else None
        if label != _ORG:
            return span
        doc, end = span.doc, span.end
        while end < len(doc):
            if doc[end].text in CORPORATE_SUFFIXES:
                end += 1
            elif doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].text in COMMA_SUFFIXES:
                end += 2
            else:
                break
        return span if end == span.end else Span(doc, span.start, end, label=span.label)


@Language.factory(
    "annotator_spans_v1",
    default_config={"spans_key": SPANS_KEY, "min_year": 1800, "max_year": 2099},
)
def make_span_collector(nlp: Language, name: str, spans_key: str, min_year: int, max_year: int) -> SpanCollector:
    """Factory for :class:`SpanCollector` (``nlp.add_pipe("annotator_spans_v1")``)."""
    return SpanCollector(spans_key=spans_key, min_year=min_year, max_year=max_year)
