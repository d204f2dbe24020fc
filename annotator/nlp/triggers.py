"""Event triggers: the words that express an INVESTMENT or a PARTNERSHIP.

Registered as the factory ``annotator_triggers_v1``. Candidate words are found
by one ``PhraseMatcher`` on lower-case text, and each kind of word has a rule
that looks at its neighbours; the rules choose precision over recall.

INVESTMENT
    - "invest", "invests", "invested", "investing", "investment(s)", but not
      where "investment" names a kind of business ("investment bank",
      "investment firm", "investment grade"); "investor" is not a trigger.
    - "spend", "spends", "spending" only when an amount follows within a few
      filler words ("spend an initial $1 billion", "spending up to $5bn") or
      a purpose such as "to expand", "to build" does ("spend heavily to
      build"). "consumer spending rose" and "military spending of $296
      billion" are not investments.
    - "raise", "raises", "raised", "raising" only when an amount follows the
      same way ("raised $1.2bn", "raising up to $300 million"); "raised
      prices to $5" and "a raise to $15" are not.
    - "acquire", "acquires", "acquired", "acquiring", "acquisition(s)".
    - "stake(s)" as a holding: followed by "in" or after a word such as "a",
      "its", "majority", "controlling" or a number ("a 10% stake"), never in
      "at stake"; plural "stakes" needs a holder word or a number.
    - the phrases "funding round(s)", "financing round(s)", "round of
      funding", "round of financing", as one span.

PARTNERSHIP
    - "partnership(s)", "partnered", "partnering", "alliance(s)",
      "collaboration(s)", "collaborate(s|d)", "collaborating".
    - "partner", "partners" only when followed by "with" or "on" ("will
      partner with", "partners with") or after "strategic", "exclusive",
      "official", "preferred" or "key"; "a partner at a law firm",
      "trading partners" and "our customers and partners" are not events.
    - the phrases "joint venture(s)" (also "joint-venture") and "team(s|ed|ing)
      up", as one span.

Any capitalised trigger next to another capitalised word is taken for part
of a name ("Qatar Investment Authority", "Silver Lake Partners", "Star
Alliance") and skipped. "deal" and "work together" are left to the
annotator: they too often mean something else.
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .anchored import add_to_group

MONEY_LABEL = "MONEY"
INVESTMENT_LABEL = "INVESTMENT"
PARTNERSHIP_LABEL = "PARTNERSHIP"

# kind -> phrases; each kind has one rule in TriggerFinder.
TRIGGER_WORDS: dict[str, list[str]] = {
    "INVEST": ["invest", "invests", "invested", "investing", "investment", "investments"],
    "SPEND": ["spend", "spends", "spending"],
    "RAISE": ["raise", "raises", "raised", "raising"],
    "ACQUIRE": ["acquire", "acquires", "acquired", "acquiring", "acquisition", "acquisitions"],
    "STAKE": ["stake", "stakes"],
    "FUNDING": ["funding round", "funding rounds", "financing round", "financing rounds",
                "round of funding", "round of financing"],
    "PARTNERSHIP": ["partnership", "partnerships", "partnered", "partnering", "alliance", "alliances",
                    "collaboration", "collaborations", "collaborate", "collaborates",
                    "collaborated", "collaborating", "joint venture", "joint ventures",
                    "joint-venture", "joint-ventures", "team up", "teams up", "teamed up", "teaming up"],
    "PARTNER": ["partner", "partners"],
}
LABELS = {kind: PARTNERSHIP_LABEL if kind.startswith("PARTNER") else INVESTMENT_LABEL for kind in TRIGGER_WORDS}

# Nouns after "investment" that make it a kind of business, not an event.
INVESTMENT_BUSINESS_WORDS = frozenset(
    """bank banks banker bankers banking firm firms fund funds manager managers
    management adviser advisers advisor advisors advice vehicle vehicles grade
    arm company companies trust trusts strategist strategists strategy officer
    officers committee portfolio portfolios house houses income""".split()
)
# Words that may stand between "spend"/"raise" and the amount.
AMOUNT_GAP_WORDS = frozenset(
    """a an the its their another additional further initial extra some about
    around roughly approximately nearly almost over more than up at least as
    much new fresh total combined estimated just under""".split()
)
# Further words allowed between "spend" and "to <purpose>".
PURPOSE_GAP_WORDS = AMOUNT_GAP_WORDS | frozenset("heavily billions millions money big aggressively".split())
PURPOSE_VERBS = frozenset(
    """expand build develop construct upgrade boost increase set open establish
    modernize modernise grow create scale add extend improve strengthen enhance
    accelerate bolster deploy double""".split()
)
MAX_GAP = 4
STAKE_HOLDERS = frozenset(
    """a the its their his her our minority majority controlling equity % percent
    cent ownership combined remaining entire small large sizable sizeable
    significant strategic""".split()
)
PARTNER_AFTER = frozenset(["with", "on"])
PARTNER_BEFORE = frozenset(["strategic", "exclusive", "official", "preferred", "key"])


class TriggerFinder:
    """Adds INVESTMENT and PARTNERSHIP trigger spans to ``doc.spans[spans_key]``.

    Reads the MONEY candidates already in the group (``annotator_money_v1``
    must run first) for the "spend"/"raise" rules.
    """

    def __init__(self, make_doc: Callable[[str], Doc], *, spans_key: str) -> None:
        self.spans_key = spans_key
        vocab = make_doc("").vocab
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for kind, phrases in TRIGGER_WORDS.items():
            self.matcher.add(kind, [make_doc(p) for p in phrases])
        # match key -> (kind, label id)
        self.kinds = {vocab.strings[kind]: (kind, vocab.strings.add(LABELS[kind])) for kind in TRIGGER_WORDS}

    def find(self, doc: Doc) -> list[Span]:
        """The trigger spans of ``doc`` in text order, without changing ``doc``."""
        found: list[Span] = []
        money: set[int] | None = None
        for key, start, end in self.matcher(doc):
            kind, label = self.kinds[key]
            if _in_name(doc, start, end):
                continue
            if kind in ("SPEND", "RAISE"):
                if money is None:
                    money = _money_starts(doc, self.spans_key)
                ok = _amount_follows(doc, end, money) or (kind == "SPEND" and _purpose_follows(doc, end))
            elif kind == "INVEST":
                ok = end >= len(doc) or doc[end].lower_ not in INVESTMENT_BUSINESS_WORDS
            elif kind == "STAKE":
                ok = _is_holding(doc, start)
            elif kind == "PARTNER":
                ok = (end < len(doc) and doc[end].lower_ in PARTNER_AFTER) or (
                    start > 0 and doc[start - 1].lower_ in PARTNER_BEFORE
                )
            else:
                ok = True
            if ok:
                found.append(Span(doc, start, end, label=label))
        return found

    def __call__(self, doc: Doc) -> Doc:
        add_to_group(doc, self.spans_key, self.find(doc))
        return doc


def _capitalised_word(doc: Doc, i: int) -> bool:
    token = doc[i]
    return token.text[:1].isupper() and token.is_alpha and not token.is_stop


def _in_name(doc: Doc, start: int, end: int) -> bool:
    """Whether a capitalised trigger sits next to another capitalised word."""
    if not doc[start].text[:1].isupper():
        return False
    return (start > 0 and _capitalised_word(doc, start - 1)) or (end < len(doc) and _capitalised_word(doc, end))


def _money_starts(doc: Doc, spans_key: str) -> set[int]:
    group = doc.spans[spans_key] if spans_key in doc.spans else ()
    money = doc.vocab.strings[MONEY_LABEL]
    return {span.start for span in group if span.label == money}


def _amount_follows(doc: Doc, end: int, money: set[int]) -> bool:
    """Whether a MONEY candidate starts after at most ``MAX_GAP`` gap words from ``end``."""
    for i in range(end, min(len(doc), end + MAX_GAP + 1)):
        if i in money:
            return True
        word = doc[i].lower_
        if word not in AMOUNT_GAP_WORDS and not (word == "to" and i > end and doc[i - 1].lower_ == "up"):
            return False
    return False


def _purpose_follows(doc: Doc, end: int) -> bool:
    """Whether "to <purpose verb>" follows after at most ``MAX_GAP`` gap words."""
    for i in range(end, min(len(doc) - 1, end + MAX_GAP + 1)):
        word = doc[i].lower_
        if word == "to":
            return doc[i + 1].lower_ in PURPOSE_VERBS
        if word not in PURPOSE_GAP_WORDS:
            return False
    return False


def _is_holding(doc: Doc, start: int) -> bool:
    """Whether "stake(s)" at ``start`` is a holding in a company."""
    before = doc[start - 1] if start > 0 else None
    if before is not None and before.lower_ == "at":
        return False
    holder = before is not None and (before.lower_ in STAKE_HOLDERS or before.like_num)
    if doc[start].lower_ == "stakes":
        return holder and before.lower_ not in ("a", "the")
    return holder or (start + 1 < len(doc) and doc[start + 1].lower_ == "in")


@Language.factory("annotator_triggers_v1", default_config={"spans_key": "annotator"})
def make_trigger_finder(nlp: Language, name: str, spans_key: str) -> TriggerFinder:
    """Factory for :class:`TriggerFinder` (``nlp.add_pipe("annotator_triggers_v1")``)."""
    return TriggerFinder(nlp.make_doc, spans_key=spans_key)
