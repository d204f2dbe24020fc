from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.util import filter_spans

from annotator.core.errors import PipelineError
from annotator.nlp.anchored import AnchoredMatcher, pattern_anchor
from annotator.nlp.money import MoneyFinder, money_patterns
from annotator.nlp.people import is_name_word
from annotator.nlp.rules import PATTERNS_DIR, SPANS_KEY, load_patterns, make_rules_pipeline
from tests.conftest import CORPORA

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample" / "foxconn-openai-partnership.txt"
SHARED_SEED = CORPORA / "seed" / "foxconn-openai-partnership.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return make_rules_pipeline()


@pytest.fixture(scope="module")
def seed(nlp):
    return nlp(SAMPLE.read_text(encoding="utf-8"))


def spans_of(doc, label=None):
    return [(s.text, s.label_) for s in doc.spans[SPANS_KEY] if label is None or s.label_ == label]


# -- the seed article -------------------------------------------------------


@pytest.mark.corpora
def test_sample_is_a_verbatim_copy_of_the_seed_article():
    assert SAMPLE.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_entities(seed):
    found = set(spans_of(seed))
    assert {
        ("Foxconn", "ORG"),
        ("OpenAI", "ORG"),
        ("$5 billion", "MONEY"),
        ("$1 billion to $5 billion", "MONEY"),
        ("Wisconsin", "GPE"),
        ("Ohio", "GPE"),
        ("Texas", "GPE"),
        ("Virginia", "GPE"),
        ("Indiana", "GPE"),
        ("U.S.", "GPE"),
    } <= found


def test_seed_money_spans_exactly(seed):
    money = [(s.text, s.start_char, s.end_char) for s in seed.spans[SPANS_KEY] if s.label_ == "MONEY"]
    assert money == [("$5 billion", 185, 195), ("$1 billion to $5 billion", 502, 526)]


def test_seed_gpe_spans_in_order(seed):
    assert [text for text, _ in spans_of(seed, "GPE")] == [
        "U.S.", "U.S.", "America", "United States", "U.S.",
        "Wisconsin", "Ohio", "Texas", "Virginia", "Indiana", "US", "America",
    ]


def test_seed_other_labels(seed):
    assert spans_of(seed, "ORG") == [
        ("Foxconn", "ORG"), ("OpenAI", "ORG"), ("Foxconn", "ORG"), ("OpenAI", "ORG"),
        ("Hon Hai Precision Industry Co.", "ORG"), ("Foxconn", "ORG"), ("Nvidia", "ORG"),
        ("OpenAI", "ORG"), ("Foxconn", "ORG"), ("OpenAI", "ORG"), ("Foxconn", "ORG"),
        ("Apple", "ORG"), ("Bloomberg", "ORG"), ("OpenAI", "ORG"), ("Nvidia", "ORG"),
        ("Broadcom", "ORG"), ("Advanced Micro Devices", "ORG"), ("Foxconn", "ORG"),
        ("OpenAI", "ORG"), ("Foxconn", "ORG"), ("Bloomberg Television", "ORG"), ("OpenAI", "ORG"),
    ]
    assert spans_of(seed, "DATE") == [("Friday", "DATE"), ("recent months", "DATE")]
    assert spans_of(seed, "PRODUCT") == [("iPhones", "PRODUCT")]


def test_seed_people_exactly(seed):
    # "Sam Altman" is a known name; "Young Liu" follows "Chairman"; "Liu" is
    # his surname mentioned again.
    assert [(s.text, s.start_char, s.end_char) for s in seed.spans[SPANS_KEY] if s.label_ == "PERSON"] == [
        ("Sam Altman", 269, 279), ("Young Liu", 1590, 1599), ("Liu", 1900, 1903), ("Sam Altman", 2068, 2078),
    ]


def test_seed_triggers_exactly(seed):
    def triggers(label):
        return [(s.text, s.start_char, s.end_char) for s in seed.spans[SPANS_KEY] if s.label_ == label]

    # "committed to invest an initial $5 billion"; "spend an initial $1 billion to $5 billion"
    assert triggers("INVESTMENT") == [("invest", 167, 173), ("spend", 485, 490)]
    assert triggers("PARTNERSHIP") == [
        ("partnership", 37, 48), ("partnership", 718, 729), ("partnership", 1152, 1163), ("partnership", 1966, 1977),
    ]


def test_seed_multibillion_dollar_is_not_money(seed):
    start = seed.text.index("multibillion-dollar")
    end = start + len("multibillion-dollar")
    assert [s.text for s in seed.spans[SPANS_KEY] if s.start_char < end and start < s.end_char] == []


def test_seed_group_and_ents_hold_the_same_non_overlapping_spans(seed):
    group = list(seed.spans[SPANS_KEY])
    assert len(group) == 49  # 39 ORG/GPE/MONEY/DATE/PRODUCT + 4 PERSON + 2 INVESTMENT + 4 PARTNERSHIP
    assert list(seed.ents) == group == filter_spans(group)


def test_pipe_gives_the_same_spans_as_call(nlp, seed):
    piped = list(nlp.pipe([SAMPLE.read_text(encoding="utf-8")] * 3, batch_size=2))
    expected = [(s.start_char, s.end_char, s.label_) for s in seed.spans[SPANS_KEY]]
    for doc in piped:
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]] == expected


# -- MONEY ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Foxconn will invest $5 billion in Ohio.", ["$5 billion"]),
        ("It would spend $1 billion to $5 billion there.", ["$1 billion to $5 billion"]),
        ("The start-up raised $1.2bn.", ["$1.2bn"]),
        ("Siemens committed €300 million to the plant.", ["€300 million"]),
        ("They paid 5 billion dollars for it.", ["5 billion dollars"]),
        ("The fund put USD 40m into it.", ["USD 40m"]),
        ("The grant was $700,000.", ["$700,000"]),
        ("It struck multibillion-dollar deals.", []),
        ("It struck multi-billion dollar deals.", []),
        ("A $5-billion plan.", ["$5-billion"]),
        ("A $1-5 billion plan.", ["$1-5 billion"]),
        ("A $1–$5 billion plan.", ["$1–$5 billion"]),
        ("It raised US$5bn and A$2bn.", ["US$5bn", "A$2bn"]),
        ("It will spend Rs 500 crore.", ["Rs 500 crore"]),
        ("They earned 40 million USD.", ["40 million USD"]),
        ("A deal worth five billion U.S. dollars.", ["five billion U.S. dollars"]),
        ("A bond of 10 million Hong Kong dollars.", ["10 million Hong Kong dollars"]),
        ("It cost 5 million pounds.", ["5 million pounds"]),
        ("It carried 300 pounds of steel.", []),
        ("Between 1 and 3 won prizes.", []),
        ("The price was $2000 in 2007.", ["$2000"]),
    ],
)
def test_money_forms(nlp, text, expected):
    assert [t for t, _ in spans_of(nlp(text), "MONEY")] == expected


def test_a_year_inside_money_is_not_a_date(nlp):
    assert spans_of(nlp("The price was $2000 in 2007.")) == [("$2000", "MONEY"), ("2007", "DATE")]


def test_money_at_the_edges_of_a_doc(nlp):
    assert spans_of(nlp("$5 billion")) == [("$5 billion", "MONEY")]
    assert spans_of(nlp("dollars")) == []


# -- DATE, ORG --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Google was founded on September 4, 1998.", ["September 4, 1998"]),
        ("It said on Friday it would invest.", ["Friday"]),
        ("The plant opened in 2007.", ["2007"]),
        ("It has struck deals in recent months.", ["recent months"]),
        ("Sales rose in May 2024 and on 4 September 1998.", ["May 2024", "4 September 1998"]),
        ("May we ask?", []),
        ("It hired 5000 people.", []),
        ("Two years ago, and in the past two years, costs fell.", ["Two years ago", "the past two years"]),
        ("Profit in fiscal 2024 and the first quarter beat mid-2024 forecasts.", ["fiscal 2024", "the first quarter", "mid-2024"]),
    ],
)
def test_date_forms(nlp, text, expected):
    assert [t for t, _ in spans_of(nlp(text), "DATE")] == expected


def test_org_takes_corporate_suffixes(nlp):
    doc = nlp("Hon Hai Precision Industry Co., Ltd. and Apple Inc. and Samsung Electronics Co., also.")
    assert spans_of(doc, "ORG") == [
        ("Hon Hai Precision Industry Co., Ltd.", "ORG"),
        ("Apple Inc.", "ORG"),
        ("Samsung Electronics Co.", "ORG"),
    ]


def test_gazetteers_are_case_sensitive(nlp):
    assert spans_of(nlp("an apple a day, a target, china plates")) == []


# -- PERSON -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # a title or role word, then the name without the title
        ("Apple CEO Tim Cook said sales rose.", ["Tim Cook"]),
        ("Apple CEO Jane Roe said sales rose.", ["Jane Roe"]),
        ("Foxconn Chairman Young Liu spoke.", ["Young Liu"]),
        ("Nvidia chief executive Jane Roe spoke.", ["Jane Roe"]),
        ("Acme Chief Executive Officer Jane Roe resigned.", ["Jane Roe"]),
        ("Prime Minister Jane Roe met Sen. John Doe and Mr. Liu.", ["Jane Roe", "John Doe", "Liu"]),
        ("President Roe spoke.", ["Roe"]),
        ("Analyst Ming-Chi Kuo said the iPhone would slip.", ["Ming-Chi Kuo"]),
        ("Sen. Robert F. Kennedy spoke.", ["Robert F. Kennedy"]),
        ("Dr. Martin Luther King Jr. spoke.", ["Martin Luther King Jr."]),
        ("U.N. Secretary-General Javier Perez de Cuellar spoke.", ["Javier Perez de Cuellar"]),
        ("Coast Guard spokesman Lt. Pat Philbin said so.", ["Pat Philbin"]),
        ("Apple CEO Jane Roe Monday said sales rose.", ["Jane Roe"]),
        # a name before ", the <role> of" or ", <company>'s <role>"
        ("Jane Roe, the chief executive of Acme, said so.", ["Jane Roe"]),
        ("Jane Roe, Acme's chief executive, said so.", ["Jane Roe"]),
        ("Mary Smith, a spokeswoman for the company, declined to comment.", ["Mary Smith"]),
        # a known name
        ("Satya Nadella and Jensen Huang spoke.", ["Satya Nadella", "Jensen Huang"]),
        # no name
        ("the CEO said it would grow.", []),
        ("The CEO of Apple spoke.", []),
        ("Jane Roe, the CEO said.", []),
        ("In Taipei, the president of the company said so.", []),
        ("Nvidia CEO Says AI Demand Is Strong", []),
        ("CEO Summit Europe Awards Night opens.", []),
        ("She stayed at the Ambassador Hotel.", []),
        ("President Roe Administration officials spoke.", []),
        ("Former President Gerald R. Ford spoke.", []),
        ("Jane Roe said it would grow.", []),
    ],
)
def test_person_rules(nlp, text, expected):
    assert [t for t, _ in spans_of(nlp(text), "PERSON")] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Foxconn Chairman Young Liu spoke. Liu said so.", ["Young Liu", "Liu"]),
        ("CEO Jane Roe spoke. Roe and Jane Roe left.", ["Jane Roe", "Roe", "Jane Roe"]),
        ("CEO Jane Roe spoke. Then Roe left.", ["Jane Roe"]),  # after a capitalised word: maybe a name
        ("Tim Cook spoke. “Cook said so,” Cook said.", ["Tim Cook", "Cook", "Cook"]),
        # another person of the same surname, a place, a longer name
        ("Foxconn Chairman Young Liu spoke. Lisa Liu did not.", ["Young Liu"]),
        ("Tim Cook visited the Cook Islands.", ["Tim Cook"]),
        ("Ursula von der Leyen spoke, then von der Leyen left.", ["Ursula von der Leyen"]),
        # no earlier mention, no surname
        ("Liu said so. Cook said so.", []),
    ],
)
def test_person_later_mentions(nlp, text, expected):
    assert [t for t, _ in spans_of(nlp(text), "PERSON")] == expected


def test_surname_inside_an_entity_is_not_a_person(nlp):
    # "Dell" is an ORG in the gazetteer; "Michael Dell" wins over it.
    assert spans_of(nlp("Michael Dell, the founder of Dell, said Dell would grow.")) == [
        ("Michael Dell", "PERSON"), ("Dell", "ORG"), ("Dell", "ORG"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [("Liu", True), ("O'Brien", True), ("McKinsey", True), ("Källenius", True),
     ("CEO", False), ("AI", False), ("liu", False), ("X", False), ("Says", False), ("3M", False)],
)
def test_is_name_word(text, expected):
    assert is_name_word(text) is expected


# -- INVESTMENT, PARTNERSHIP ------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Foxconn will invest $5 billion in Ohio.", [("invest", "INVESTMENT")]),
        ("Investment in AI rose; investments fell.", [("Investment", "INVESTMENT"), ("investments", "INVESTMENT")]),
        ("It will spend $5 billion.", [("spend", "INVESTMENT")]),
        ("It would spend an initial $1 billion to $5 billion.", [("spend", "INVESTMENT")]),
        ("It will spend heavily to build plants.", [("spend", "INVESTMENT")]),
        ("Spending up to $5bn is planned.", [("Spending", "INVESTMENT")]),
        ("The start-up raised $1.2bn.", [("raised", "INVESTMENT")]),
        ("It is raising up to $300 million.", [("raising", "INVESTMENT")]),
        ("It acquired Arm; the acquisition closed.", [("acquired", "INVESTMENT"), ("acquisition", "INVESTMENT")]),
        ("It bought a 10% stake in Arm and a minority stake.", [("stake", "INVESTMENT"), ("stake", "INVESTMENT")]),
        ("It closed a funding round and a round of funding.",
         [("funding round", "INVESTMENT"), ("round of funding", "INVESTMENT")]),
        ("Foxconn and OpenAI announced a broad partnership.", [("partnership", "PARTNERSHIP")]),
        ("Apple will partner with Foxconn as a strategic partner.",
         [("partner", "PARTNERSHIP"), ("partner", "PARTNERSHIP")]),
        ("They formed a joint venture, then a joint-venture.",
         [("joint venture", "PARTNERSHIP"), ("joint-venture", "PARTNERSHIP")]),
        ("They teamed up; the collaboration and the alliance deepened.",
         [("teamed up", "PARTNERSHIP"), ("collaboration", "PARTNERSHIP"), ("alliance", "PARTNERSHIP")]),
        ("They partnered on chips.", [("partnered", "PARTNERSHIP")]),
        # not events
        ("Investor sentiment fell and investors cheered.", []),
        ("The investment bank and an investment firm cut forecasts.", []),
        ("Qatar Investment Authority bought it.", []),
        ("Consumer spending rose.", []),
        ("Military spending of $296 billion rose.", []),
        ("It raised prices to $5.", []),
        ("He got a raise to $15.", []),
        ("The stakes are high and jobs are at stake in the vote.", []),
        ("He is a partner at a law firm.", []),
        ("Our customers and partners and trading partners.", []),
        ("Silver Lake Partners bought it.", []),
        ("The Star Alliance grew.", []),
    ],
)
def test_trigger_rules(nlp, text, expected):
    doc = nlp(text)
    assert [(s.text, s.label_) for s in doc.spans[SPANS_KEY] if s.label_ in ("INVESTMENT", "PARTNERSHIP")] == expected


def test_new_labels_keep_group_and_ents_equal(nlp):
    doc = nlp("Apple CEO Tim Cook said Apple will invest $5 billion in a partnership with Foxconn. Cook said so.")
    assert spans_of(doc) == [
        ("Apple", "ORG"), ("Tim Cook", "PERSON"), ("Apple", "ORG"), ("invest", "INVESTMENT"),
        ("$5 billion", "MONEY"), ("partnership", "PARTNERSHIP"), ("Foxconn", "ORG"), ("Cook", "PERSON"),
    ]
    assert list(doc.ents) == list(doc.spans[SPANS_KEY])


# -- the pattern files --------------------------------------------------------


def test_blank_tokenizer_keeps_abbreviations_whole():
    # The gazetteers rely on these: "U.S." and "Co." are single tokens.
    tokens = [t.text for t in spacy.blank("en")("the U.S. and Hon Hai Precision Industry Co., Ltd.")]
    assert tokens == ["the", "U.S.", "and", "Hon", "Hai", "Precision", "Industry", "Co.", ",", "Ltd."]


def test_pattern_files_and_counts():
    counts = {}
    for entry in load_patterns(PATTERNS_DIR):
        counts[entry["label"]] = counts.get(entry["label"], 0) + 1
    assert sorted(p.name for p in PATTERNS_DIR.glob("*.jsonl")) == [
        "date.jsonl", "gpe.jsonl", "loc.jsonl", "org.jsonl", "person.jsonl", "product.jsonl",
    ]
    assert counts == {"DATE": 541, "GPE": 518, "LOC": 72, "ORG": 645, "PERSON": 174, "PRODUCT": 48}


def test_no_phrase_is_listed_twice():
    phrases = [e["pattern"] for e in load_patterns(PATTERNS_DIR) if isinstance(e["pattern"], str)]
    assert len(phrases) == len(set(phrases))


def test_token_patterns_are_valid():
    matcher = Matcher(spacy.blank("en").vocab, validate=True)
    for i, entry in enumerate(e for e in load_patterns(PATTERNS_DIR) if isinstance(e["pattern"], list)):
        matcher.add(f"{entry['label']}_{i}", [entry["pattern"]])
    assert len(matcher) == 11


def test_every_phrase_is_found_in_a_sentence(nlp):
    entries = [e for e in load_patterns(PATTERNS_DIR) if isinstance(e["pattern"], str)]
    texts = [f"Reports say {e['pattern']} grew." for e in entries]
    missed = [
        (e["label"], e["pattern"])
        for e, doc in zip(entries, nlp.pipe(texts))
        if (e["pattern"], e["label"]) not in spans_of(doc)
    ]
    assert missed == []


def test_load_patterns_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "ORG", "pattern": "Acme"}\n{"label": "ORG"}\n', encoding="utf-8")
    with pytest.raises(PipelineError) as exc:
        load_patterns(tmp_path)
    assert f"{path}:2:" in str(exc.value)
    path.write_text('{"label": "ORG", "pattern": "Acme"}\n\nnot json\n', encoding="utf-8")
    with pytest.raises(PipelineError) as exc:
        load_patterns(tmp_path)
    assert f"{path}:3: not JSON" in str(exc.value)


def test_empty_patterns_folder_is_an_error(tmp_path):
    with pytest.raises(PipelineError, match="no \\*.jsonl pattern files"):
        make_rules_pipeline(patterns_dir=tmp_path)


def test_custom_patterns_folder(tmp_path):
    (tmp_path / "org.jsonl").write_text(json.dumps({"label": "ORG", "pattern": "Acme"}) + "\n", encoding="utf-8")
    nlp = make_rules_pipeline(patterns_dir=tmp_path)
    assert spans_of(nlp("Acme paid $3 million to Foxconn.")) == [("Acme", "ORG"), ("$3 million", "MONEY")]


def test_custom_person_phrases_go_to_the_people_component(tmp_path):
    lines = [{"label": "ORG", "pattern": "Acme"}, {"label": "PERSON", "pattern": "Jane Roe"}]
    (tmp_path / "names.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    nlp = make_rules_pipeline(patterns_dir=tmp_path)
    assert nlp.get_pipe("entity_ruler").patterns == [{"label": "ORG", "pattern": "Acme"}]
    assert spans_of(nlp("Jane Roe runs Acme. Roe said so; Sam Altman did not.")) == [
        ("Jane Roe", "PERSON"), ("Acme", "ORG"), ("Roe", "PERSON"),
    ]


def test_unknown_language_is_a_pipeline_error():
    with pytest.raises(PipelineError, match="no language 'zz'"):
        make_rules_pipeline("zz")


def test_pipeline_components(nlp):
    assert nlp.pipe_names == [
        "entity_ruler", "annotator_token_rules_v1", "annotator_money_v1",
        "annotator_people_v1", "annotator_triggers_v1", "annotator_spans_v1",
    ]
    for name in nlp.pipe_names[1:]:
        assert Language.has_factory(name)


def test_empty_text_has_an_empty_group(nlp):
    doc = nlp("")
    assert list(doc.spans[SPANS_KEY]) == [] and list(doc.ents) == []


# -- anchored matching ----------------------------------------------------------

ANCHOR_TEXTS = [
    "On September 4, 1998, in 2007, in May 2024 and on 4 September 1998 it paid $5 billion.",
    "Two years ago, in the past two years, fiscal year 2024, $1 billion to $5 billion, USD 40m.",
    "5 billion dollars, 1 to 5 billion euros, 5 million pounds, US$5bn, Rs 500 crore, $5-billion.",
    "September",
    "",
]


def test_pattern_anchor_prefers_rare_words():
    vocab = spacy.blank("en").vocab
    months = {"ORTH": {"IN": ["May", "June"]}}
    assert pattern_anchor([months, {"IS_DIGIT": True}], vocab) == ("ORTH", ["May", "June"])
    units = {"LOWER": {"IN": ["days", "years"]}}
    the, last = {"LOWER": "the"}, {"LOWER": {"IN": ["last", "past"]}}
    assert pattern_anchor([the, last, {"LIKE_NUM": True}, units], vocab) == ("LOWER", ["days", "years"])
    assert pattern_anchor([{"SHAPE": "dddd"}], vocab) == ("SHAPE", ["dddd"])
    assert pattern_anchor([the, {"ORTH": ","}], vocab) is None
    assert pattern_anchor([{"LOWER": "fiscal", "OP": "?"}, {"IS_DIGIT": True}], vocab) is None


@pytest.mark.parametrize("source", ["date", "money"])
def test_anchored_matching_equals_plain_matching(source):
    nlp = spacy.blank("en")
    if source == "date":
        entries = [e for e in load_patterns(PATTERNS_DIR) if isinstance(e["pattern"], list)]
        patterns = {"DATE": [e["pattern"] for e in entries]}
        anchored = AnchoredMatcher(nlp.vocab, patterns)
        assert len(anchored.everywhere) == 0
    else:
        patterns = {"MONEY": money_patterns()}
        anchored = MoneyFinder(nlp.vocab, spans_key="x").matcher
    plain = Matcher(nlp.vocab)
    for label, label_patterns in patterns.items():
        plain.add(label, label_patterns, greedy="LONGEST" if source == "money" else None)
    for doc in nlp.pipe([*ANCHOR_TEXTS, SAMPLE.read_text(encoding="utf-8")]):
        assert anchored(doc) == sorted(plain(doc), key=lambda m: (m[1], m[2], m[0]))


def test_unanchored_and_unbounded_patterns_run_everywhere():
    nlp = spacy.blank("en")
    anchored = AnchoredMatcher(nlp.vocab, {
        "A": [[{"IS_DIGIT": True}]],
        "B": [[{"LOWER": "big"}, {"IS_ALPHA": True, "OP": "+"}]],
        "C": [[{"LOWER": "fiscal"}, {"SHAPE": "dddd"}]],
    })
    assert (len(anchored.windowed), len(anchored.everywhere), anchored.window) == (1, 2, 2)
    doc = nlp("big red car in fiscal 2024")
    strings = nlp.vocab.strings
    assert [(strings[k], doc[s:e].text) for k, s, e in anchored(doc)] == [
        ("B", "big red"), ("B", "big red car"), ("B", "big red car in"), ("B", "big red car in fiscal"),
        ("C", "fiscal 2024"), ("A", "2024"),
    ]
