"""Rule-based PERSON spans: known names, names after titles, and later mentions.

Registered as the factory ``annotator_people_v1``. ``make_rules_pipeline``
gives it the PERSON phrase patterns of ``resources/patterns/person.jsonl``
(about 170 well-known business and political people), matched like the
other gazetteers, on exact text. Three rules then work on any name:

1. **Title before a name.** After a role word or honorific ("CEO", "chief
   executive", "Chairman", "Prime Minister", "Sen.", "Mr.") come one to three
   capitalised name words, which become the PERSON span without the title:
   "Apple CEO Tim Cook" -> "Tim Cook", "Foxconn Chairman Young Liu" -> "Young
   Liu". Middle initials and particles ("Robert F. Kennedy", "Javier Perez de
   Cuellar"), hyphenated names ("Ming-Chi Kuo") and suffixes ("Jr.") are
   taken along. There is no name when the words run on into another
   capitalised word (a headline: "Nvidia CEO Says AI Demand Is Strong"),
   number four or more, or include an organisation word ("Ambassador
   Hotel", "President Biden Administration").
2. **Apposition after a name.** "Jensen Huang, the chief executive of Nvidia"
   and "Satya Nadella, Microsoft's chief executive": two or three name words,
   a comma, then only determiners, "former"-like words, entity tokens and
   possessive company names up to the role word, and the role either
   followed by "of", "at" or "for" or preceded by a possessive. "X Y, the
   CEO said" gives nothing, and "X Y said" is not a rule at all: too many
   companies and places say things.
3. **Later mentions.** Once a doc has a PERSON (known or found by the rules
   above), another mention of the surname ("Liu said") or of the full name
   is a PERSON too, unless it touches another capitalised word ("Lisa Liu",
   "Cook Islands") or follows a name particle ("von der Leyen").

A name word is a capitalised word with lower-case letters that is not a stop
word and not in ``NOT_NAME_WORDS`` ("Says", "Summit", "Elect"); a token of an
entity the ``entity_ruler`` found (ORG, GPE, DATE, ...) is never part of a
name, so "Apple CEO Tim Cook Monday" stops before "Monday".

Role words, honorifics and known names are found by one ``PhraseMatcher`` on
exact text (role words in their lower-case, Title Case and capitalised
forms), and the rules look only at the few tokens around each match; the
later-mention rule runs only on docs that have a PERSON, with one vectorised
look-up per surname. A doc without matches costs one phrase-matcher pass.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .anchored import add_to_group

PERSON_LABEL = "PERSON"

# Role words after which a name may follow, and which may end an apposition;
# matched as written here and in lower case, Title Case and Capitalised form.
ROLES = [
    "CEO", "CFO", "COO", "CTO", "chief executive", "chief executive officer",
    "chief financial officer", "chief operating officer", "chief technology officer",
    "chief economist", "chief strategist", "chairman", "chairwoman", "chairperson",
    "chair", "vice chairman", "executive chairman", "president", "vice president",
    "vice-president", "president-elect", "founder", "co-founder", "cofounder",
    "managing director", "director", "prime minister", "minister", "premier",
    "chancellor", "secretary", "secretary of state", "secretary-general",
    "secretary general", "senator", "sen.", "rep.", "congressman", "congresswoman",
    "governor", "gov.", "mayor", "commissioner", "ambassador", "crown prince",
    "spokesman", "spokeswoman", "spokesperson", "analyst", "economist",
    "billionaire", "entrepreneur", "judge",
]
# Honorifics: a name follows them, but they never end an apposition.
HONORIFICS = [
    "mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "lt.", "gen.", "col.", "capt.",
    "sgt.", "maj.", "adm.",
]

# Capitalised words that follow titles or fill headlines but are not names.
NOT_NAME_WORDS = frozenset(
    """General Elect Emeritus Emerita Designate Officer Executive Summit Forum
    Conference Council Board Committee Office Magazine Award Awards Day Week
    Says Said Sees Warns Expects Plans Wants Calls Urges Backs Joins Quits
    Resigns Steps Named Admits Hints Defends Predicts Touts Slams Believes
    Thinks Tells Talks Announces Unveils Reveals Confirms Denies Insists
    Signals Bets Vows Pledges Meets Visits Gets Takes Makes Agrees Buys Sells
    Invests Raises Launches Opens Wins Loses Faces Seeks Pleads Found Backing
    Suggests""".split()
)
# Capitalised words that make a name after a title an organisation or a place.
ORG_WORDS = frozenset(
    """Hotel Center Centre Street Avenue Road Boulevard Square Plaza Building
    Tower Airport Station University College School Hospital Fund Group
    Company Corporation Foundation Institute Museum Theater Theatre Club Party
    Department Ministry Agency Commission Association Court Memorial Library
    Stadium Prize Act Doctrine Administration Government""".split()
)
# Words allowed between the comma and the role word of an apposition.
APPOSITION_FILLERS = frozenset(
    "the a an its his her their former then longtime current new interim acting "
    "and & 's ’s co -".split()
)
# Words after a role that make an apposition a statement of someone's job.
APPOSITION_TAILS = frozenset(["of", "at", "for"])
POSSESSIVES = frozenset(["'s", "’s"])
# Lower-case words before a surname that make it part of a longer name.
NAME_PARTICLES = frozenset("von vom zu van der den ter de da das dos di du del la le bin al el".split())
# Capitalised words that may follow a name after a title: "CEO Tim Cook Monday said".
DAYS_AND_MONTHS = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December""".split()
)
# Name endings that are not surnames.
NAME_SUFFIXES = frozenset(["Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"])
MAX_NAME_WORDS = 3


@lru_cache(maxsize=1 << 16)
def is_name_word(text: str) -> bool:
    """Whether ``text`` looks like one word of a name ("Liu", "O'Brien", "McKinsey").

    Capitalised, at least two characters, some lower-case letters (so "CEO"
    and "AI" are not names), only letters and apostrophes, and not one of
    ``NOT_NAME_WORDS``. Stop words ("The", "Will") are left to the caller,
    which checks them on the token.
    """
    return (
        len(text) > 1
        and text[0].isupper()
        and not text.isupper()
        and text.replace("'", "").replace("’", "").isalpha()
        and text not in NOT_NAME_WORDS
    )


class PersonFinder:
    """Adds PERSON spans (known names and the rules above) to ``doc.spans[spans_key]``.

    Spans already in the group are kept; overlapping candidates (a known
    name also found after a title, "Michael Dell" over the ORG "Dell") are
    left for ``annotator_spans_v1`` to choose among.
    """

    def __init__(self, make_doc: Callable[[str], Doc], *, spans_key: str) -> None:
        self.spans_key = spans_key
        self.make_doc = make_doc
        self.vocab = make_doc("").vocab
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        self.matcher.add("ROLE", [make_doc(r) for r in _case_forms(ROLES)])
        self.matcher.add("HONORIFIC", [make_doc(h) for h in _case_forms(HONORIFICS)])
        self.honorific_key = self.vocab.strings["HONORIFIC"]
        self.label = self.vocab.strings.add(PERSON_LABEL)
        # match key -> (ORTH ids of the name without suffixes, surname ORTH or 0)
        self.known: dict[int, tuple[tuple[int, ...], int]] = {}
        # match keys and ORTH ids of the known names' surnames
        self.surname_keys: set[int] = set()
        self.surnames: set[int] = set()

    def add_names(self, names: Iterable[str]) -> None:
        """Add known names, each a PERSON wherever it is written exactly so.

        Their surnames are matched in the same pass, for rule 3.
        """
        for name in names:
            doc = self.make_doc(name)
            key = self.vocab.strings.add(f"NAME {name}")
            self.matcher.add(f"NAME {name}", [doc])
            self.known[key] = full, surname = _name_ids(doc, 0, len(doc))
            if surname and surname not in self.surnames:
                text = self.vocab.strings[surname]
                self.surnames.add(surname)
                self.surname_keys.add(self.vocab.strings.add(f"SURNAME {text}"))
                self.matcher.add(f"SURNAME {text}", [Doc(self.vocab, words=[text])])

    def find(self, doc: Doc) -> list[Span]:
        """The PERSON spans of ``doc``, without changing ``doc``.

        Reads the entity ruler's ``doc.ents`` (token by token, where needed)
        to keep names out of other entities.
        """
        known: list[tuple[int, int]] = []
        names: dict[int, set[tuple[int, ...]]] = {}  # surname -> full names
        hits: list[int] = []
        roles = []
        for match in self.matcher(doc):
            key = match[0]
            if key in self.known:
                known.append(match[1:])
                full, surname = self.known[key]
                if surname:
                    names.setdefault(surname, set()).add(full)
            elif key in self.surname_keys:
                hits.append(match[1])
            else:
                roles.append(match)
        found = self._names_by_roles(doc, roles, {start for start, _ in known}) if roles else []
        if not known and not found:
            return []
        for start, end in found:
            full, surname = _name_ids(doc, start, end)
            if surname:
                if surname not in names and surname not in self.surnames:
                    hits.extend(_positions(doc, surname))
                names.setdefault(surname, set()).add(full)
        people = [*known, *found]
        if names and hits:
            people.extend(_later_mentions(doc, people, names, sorted(set(hits))))
        return [Span(doc, start, end, label=self.label) for start, end in people]

    def _names_by_roles(
        self, doc: Doc, matches: list[tuple[int, int, int]], known_starts: set[int]
    ) -> list[tuple[int, int]]:
        """Names after role words and honorifics, or before role words (rules 1 and 2)."""
        found = []
        roles = _longest(matches)
        role_starts = {start for _, start, _ in roles}
        for key, start, end in roles:
            if end in known_starts or doc[start].ent_type:
                continue
            name_end = _name_after(doc, end, role_starts)
            if name_end is not None:
                found.append((end, name_end))
            elif key != self.honorific_key:
                name = _name_before(doc, start, end)
                if name is not None:
                    found.append(name)
        return found

    def __call__(self, doc: Doc) -> Doc:
        add_to_group(doc, self.spans_key, self.find(doc))
        return doc


def _case_forms(phrases: Iterable[str]) -> list[str]:
    """Each phrase as written, in lower case, Title Case and Capitalised, without repeats."""
    forms = (form for p in phrases for form in (p, p.lower(), p.title(), p[:1].upper() + p[1:]))
    return list(dict.fromkeys(forms))


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping ``(key, start, end)`` matches, longer ones first, in text order."""
    kept: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if taken.isdisjoint(range(match[1], match[2])):
            kept.append(match)
            taken.update(range(match[1], match[2]))
    return sorted(kept, key=lambda m: m[1])


def _name_token(doc: Doc, i: int) -> bool:
    token = doc[i]
    return not token.ent_type and not token.is_stop and is_name_word(token.text)


def _word_end(doc: Doc, i: int, n: int) -> int:
    """The end of the name word starting at ``i``, taking hyphenated parts ("Ming-Chi")."""
    end = i + 1
    while end + 1 < n:
        hyphen, part = doc[end], doc[end + 1]
        if hyphen.text != "-" or hyphen.whitespace_ or doc[end - 1].whitespace_ or not part.is_alpha or part.ent_type:
            break
        end += 2
    return end


def _name_after(doc: Doc, start: int, role_starts: set[int]) -> int | None:
    """End of the 1-3 word name starting at ``start``, or ``None`` (see rule 1)."""
    n = len(doc)
    words, i, end = 0, start, None
    while i < n and i not in role_starts:
        token = doc[i]
        if token.ent_type:
            break
        text = token.text
        if is_name_word(text) and not token.is_stop:
            if text in ORG_WORDS:
                return None
            words += 1
            if words > MAX_NAME_WORDS:
                return None
            i = end = _word_end(doc, i, n)
        elif words and (_is_initial(text) or text in NAME_PARTICLES):
            i += 1
        elif words and text in NAME_SUFFIXES:
            i = end = i + 1
            break
        else:
            break
    if end is None or i > end:
        return None  # nothing, or an initial or particle with no name word after it
    if end < n:
        after = doc[end].text
        if after[:1].isupper() and after.isalpha() and after not in DAYS_AND_MONTHS:
            return None  # runs on: a headline, or "Gerald R. Ford" with "Ford" an ORG
    return end


def _is_initial(text: str) -> bool:
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def _name_before(doc: Doc, role_start: int, role_end: int) -> tuple[int, int] | None:
    """The name of "<Name>, the <role> of ..." ending just before the comma, or ``None``."""
    i, possessive = role_start - 1, False
    while i >= 0 and role_start - i <= 6:
        token = doc[i]
        if token.text == ",":
            break
        if token.text in POSSESSIVES:
            possessive = True
        elif not (
            token.lower_ in APPOSITION_FILLERS
            or token.ent_type
            or (token.text[:1].isupper() and doc[i + 1].text in POSSESSIVES)  # "Acme's"
        ):
            return None
        i -= 1
    else:
        return None
    if not possessive and (role_end >= len(doc) or doc[role_end].lower_ not in APPOSITION_TAILS):
        return None
    end = start = i
    while start > 0 and _name_token(doc, start - 1) and end - start <= MAX_NAME_WORDS:
        start -= 1
    if not 2 <= end - start <= MAX_NAME_WORDS:
        return None
    if start > 0 and doc[start - 1].ent_type and doc[start - 1].is_title:
        return None  # "Apple Tim Cook,": the name may go on into the entity
    return start, end


def _name_ids(doc: Doc, start: int, end: int) -> tuple[tuple[int, ...], int]:
    """ORTH ids of the name at ``[start, end)`` without suffixes, and of its surname (0 if none)."""
    full = tuple(doc[i].orth for i in range(start, end) if doc[i].text not in NAME_SUFFIXES)
    surname = full[-1] if full and is_name_word(doc.vocab.strings[full[-1]]) else 0
    return full, surname


def _positions(doc: Doc, orth: int) -> list[int]:
    """Indices of the tokens of ``doc`` whose ORTH id is ``orth``."""
    return np.flatnonzero(doc.to_array(ORTH) == orth).tolist()


def _later_mentions(
    doc: Doc, people: list[tuple[int, int]], names: dict[int, set[tuple[int, ...]]], hits: list[int]
) -> list[tuple[int, int]]:
    """The surname or full-name mentions among ``hits`` (token indices) not yet taken (rule 3)."""
    taken = set().union(*(range(start, end) for start, end in people))
    found = []
    for i in hits:
        if i in taken:
            continue
        token = doc[i]
        if token.ent_type or token.orth not in names:
            continue
        span = _full_name(doc, i, names[token.orth], taken) or _surname(doc, i)
        if span is not None:
            found.append(span)
            taken.update(range(*span))
    return found


def _full_name(doc: Doc, last: int, fulls: set[tuple[int, ...]], taken: set[int]) -> tuple[int, int] | None:
    for full in sorted(fulls, key=len, reverse=True):
        start = last + 1 - len(full)
        if len(full) < 2 or start < 0 or not taken.isdisjoint(range(start, last)):
            continue
        tokens = [doc[i] for i in range(start, last)]
        if all(t.orth == o and not t.ent_type for t, o in zip(tokens, full)):
            return start, last + 1
    return None


def _surname(doc: Doc, i: int) -> tuple[int, int] | None:
    if i > 0:
        prev = doc[i - 1]
        if prev.lower_ in NAME_PARTICLES or (prev.text[:1].isupper() and prev.is_alpha) or prev.text == "-":
            return None
    if i + 1 < len(doc):
        after = doc[i + 1]
        if (after.text[:1].isupper() and after.is_alpha) or after.text == "-":
            return None
    return i, i + 1


@Language.factory("annotator_people_v1", default_config={"spans_key": "annotator"})
def make_person_finder(nlp: Language, name: str, spans_key: str) -> PersonFinder:
    """Factory for :class:`PersonFinder` (``nlp.add_pipe("annotator_people_v1")``)."""
    return PersonFinder(nlp.make_doc, spans_key=spans_key)
