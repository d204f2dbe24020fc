"""Rule-based MONEY spans: a spaCy component built on one ``Matcher``.

Registered as the factory ``annotator_money_v1``. It finds amounts such as
"$5 billion", "$1.2bn", "€300 million", "USD 40m", "$700,000", "5 billion
dollars" and ranges such as "$1 billion to $5 billion" (one span), and adds
them to ``doc.spans[spans_key]``. Adjectives such as "multibillion-dollar" are
not amounts and are not matched.

The patterns are written for the tokenization of ``spacy.blank("en")``, which
splits "$5" into "$" + "5" and "40m" into "40" + "m" but keeps "1.2bn" whole.
Every pattern holds a currency symbol, code or name, so the ``Matcher`` runs
only on short windows around those tokens (see :mod:`annotator.nlp.anchored`).
"""
from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .anchored import AnchoredMatcher, add_to_group

MONEY_LABEL = "MONEY"

# Scale words, lower-cased; "m" and "bn" also come as separate tokens ("40m").
SCALES = [
    "thousand", "million", "billion", "trillion", "k", "m", "mn", "mln", "mil",
    "b", "bn", "bln", "tn", "trn", "crore", "crores", "lakh", "lakhs",
]
# Currency symbols that the tokenizer splits off an amount ("$5" -> "$" "5").
SYMBOLS = [
    "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "₫", "฿", "₱", "₦", "₴", "₸",
    "₼", "¢", "＄", "￥", "￡", "﹩",
]
# Tokens written before an amount: ISO codes and prefixed dollar signs.
CODES = [
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "CHF", "CAD", "AUD", "NZD", "HKD",
    "SGD", "TWD", "NTD", "INR", "KRW", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN",
    "ZAR", "AED", "SAR", "QAR", "RUB", "ILS", "THB", "IDR", "MYR", "PHP", "VND",
    "US$", "A$", "C$", "HK$", "NT$", "S$", "NZ$", "R$", "Mex$", "Rs", "Rs.",
]
# Currency names written after an amount, lower-cased.
CURRENCY_WORDS = [
    "dollar", "dollars", "euro", "euros", "yen", "yuan", "renminbi", "rupee",
    "rupees", "franc", "francs", "peso", "pesos", "reais", "ruble",
    "rubles", "rouble", "roubles", "dirham", "dirhams", "riyal", "riyals",
    "ringgit", "rupiah", "baht", "lira", "shekel", "shekels", "zloty", "krona",
    "kronor", "krone", "kroner", "naira", "usd", "eur", "gbp", "jpy", "cny",
    "rmb", "chf", "cad", "aud", "hkd", "sgd", "twd", "inr", "krw",
]
# Currency names that are also common words ("300 pounds of steel", "3 won"):
# accepted only after a scale word ("5 million pounds").
AMBIGUOUS_CURRENCY_WORDS = ["pound", "pounds", "sterling", "won"]
# Words between an amount and its currency name: "5 billion U.S. dollars",
# "10 million Hong Kong dollars".
CURRENCY_ADJECTIVES = [
    "U.S.", "US", "American", "Canadian", "Australian", "Hong", "Kong",
    "Singapore", "Singaporean", "New", "Zealand", "Taiwan", "Taiwanese",
    "Japanese", "Chinese", "Indian", "Swiss", "Mexican", "Brazilian", "Saudi",
    "South", "Korean", "Turkish", "Russian", "Swedish", "Danish", "Norwegian",
    "Israeli", "Egyptian", "Nigerian", "British", "Philippine", "Thai",
]
RANGE_WORDS = ["to", "-", "–", "—"]

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_AMOUNT = rf"{_NUMBER}(?:bn|mn|mln|bln|tn|trn|[mbk])?"
# One token holding an amount: "5", "700,000", "1.2bn", "5B", and the ranges
# that the tokenizer keeps whole, such as "1–$5" in "$1–$5 billion".
AMOUNT_REGEX = rf"(?i)^{_AMOUNT}(?:[-–—][$€£¥]?{_AMOUNT})?$"


def money_patterns() -> list[list[dict]]:
    """The ``Matcher`` patterns for MONEY, as spaCy token patterns."""
    symbol = {"ORTH": {"IN": SYMBOLS}}
    code = {"ORTH": {"IN": CODES}}
    amount = {"TEXT": {"REGEX": AMOUNT_REGEX}}
    number = {"LIKE_NUM": True}
    scale = {"LOWER": {"IN": SCALES}}
    opt_scale = {**scale, "OP": "?"}
    to = {"LOWER": {"IN": RANGE_WORDS}}
    opt_currency = {"ORTH": {"IN": SYMBOLS + CODES}, "OP": "?"}
    adjectives = [{"ORTH": {"IN": CURRENCY_ADJECTIVES}, "OP": "?"}] * 2
    word = {"LOWER": {"IN": CURRENCY_WORDS}}
    return [
        # $5 billion, $1.2bn, €300 million, $700,000
        [symbol, amount, opt_scale],
        # $1 billion to $5 billion, $1-5 billion
        [symbol, amount, opt_scale, to, opt_currency, amount, opt_scale],
        # $5-billion
        [symbol, amount, {"ORTH": "-"}, scale],
        # USD 40m, US$5bn, Rs 500 crore
        [code, amount, opt_scale],
        [code, amount, opt_scale, to, opt_currency, amount, opt_scale],
        # 5 billion dollars, 700 U.S. dollars, 40 million USD
        [number, opt_scale, *adjectives, word],
        # 1 to 5 billion euros
        [number, opt_scale, to, number, opt_scale, *adjectives, word],
        # 5 million pounds, 300 billion won
        [number, scale, *adjectives, {"LOWER": {"IN": AMBIGUOUS_CURRENCY_WORDS}}],
    ]


_SCALE_SET = frozenset(SCALES)


class MoneyFinder:
    """Adds MONEY spans found by a ``Matcher`` to ``doc.spans[spans_key]``.

    Spans already in the group are kept; the new ones are appended in text
    order. Overlapping candidates are resolved to the longest one, so a range
    is one span rather than two.
    """

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.spans_key = spans_key
        # LOWER finds "USD" and "usd" alike as anchors; the patterns decide.
        anchors = {"LOWER": SYMBOLS + CODES + CURRENCY_WORDS + AMBIGUOUS_CURRENCY_WORDS}
        self.matcher = AnchoredMatcher(vocab, {MONEY_LABEL: money_patterns()}, anchors=anchors, greedy="LONGEST")

    def find(self, doc: Doc) -> list[Span]:
        """The MONEY spans of ``doc`` in text order, without changing ``doc``.

        A match that starts on a scale word ("billion dollar" inside
        "multi-billion dollar") is not an amount and is dropped.
        """
        return [
            Span(doc, start, end, label=MONEY_LABEL)
            for _, start, end in self.matcher(doc)
            if doc[start].lower_ not in _SCALE_SET
        ]

    def __call__(self, doc: Doc) -> Doc:
        add_to_group(doc, self.spans_key, self.find(doc))
        return doc


@Language.factory("annotator_money_v1", default_config={"spans_key": "annotator"})
def make_money_finder(nlp: Language, name: str, spans_key: str) -> MoneyFinder:
    """Factory for :class:`MoneyFinder` (``nlp.add_pipe("annotator_money_v1")``)."""
    return MoneyFinder(nlp.vocab, spans_key=spans_key)
