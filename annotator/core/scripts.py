"""Which writing system a text is in, for scripts written without spaces.

A tokenizer for a language that separates words with spaces (English, the
default) makes one token of a whole Chinese, Japanese or Thai sentence, so
no span inside it fits. :func:`unsegmented_language` tells the importer that
a text is mostly in such a script while the project's language does not
segment it, and which language would.
"""
from __future__ import annotations

import re
from collections import Counter

# code point ranges of scripts written without spaces between words
_RANGES = (
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"), (0x20000, 0x3FFFF, "han"),
    (0x0E00, 0x0E7F, "thai"), (0x0E80, 0x0EFF, "lao"), (0x1000, 0x109F, "myanmar"), (0x1780, 0x17FF, "khmer"),
)
# the spaCy language that segments each script, and the scripts each segments
SCRIPT_LANGUAGE = {"han": "zh", "kana": "ja", "thai": "th", "lao": "lo", "myanmar": "my", "khmer": "km"}
SEGMENTED = {"zh": {"han"}, "ja": {"han", "kana"}, "th": {"thai"}, "lo": {"lao"}, "my": {"myanmar"}, "km": {"khmer"}}
SAMPLE = 20_000  # characters looked at, from the start of the text
MOSTLY = 0.5
# any character of those ranges: most texts have none, and one search in C
# tells so (the loop over each character cost more than tokenizing the text)
_ANY_UNSPACED = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high, _ in _RANGES) + "]")


def script_of(char: str) -> str | None:
    """The unspaced script of one character, or None."""
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return None


def unspaced_scripts(text: str) -> tuple[Counter[str], int]:
    """Letters of each unspaced script in the start of ``text``, and all letters counted."""
    counts: Counter[str] = Counter()
    letters = 0
    for char in text[:SAMPLE]:
        if char.isalpha():
            letters += 1
            script = script_of(char)
            if script:
                counts[script] += 1
    return counts, letters


def unsegmented_language(text: str, language: str) -> str | None:
    """The language to tokenize ``text`` with when most of its letters are in
    a script written without spaces that ``language`` does not segment (``ja``
    when it has kana, ``zh`` for Han alone ...); None when ``language`` suits it."""
    if not _ANY_UNSPACED.search(text, 0, SAMPLE):
        return None
    counts, letters = unspaced_scripts(text)
    if not letters or sum(counts.values()) < MOSTLY * letters:
        return None
    if set(counts) <= SEGMENTED.get(language, set()):
        return None
    if "kana" in counts:
        return "ja"
    return SCRIPT_LANGUAGE[counts.most_common(1)[0][0]]
