from __future__ import annotations

from annotator.core.scheme import Scheme


def test_default_scheme_labels():
    scheme = Scheme.default()
    assert scheme.name == "news-investment-partnership"
    assert [(l.name, l.key, l.trigger) for l in scheme.labels] == [
        ("ORG", "1", False),
        ("PERSON", "2", False),
        ("GPE", "3", False),
        ("LOC", "4", False),
        ("MONEY", "5", False),
        ("DATE", "6", False),
        ("PRODUCT", "7", False),
        ("INVESTMENT", "8", True),
        ("PARTNERSHIP", "9", True),
    ]
    assert all(l.description for l in scheme.labels)
    assert len({l.color.lower() for l in scheme.labels}) == 9


def test_default_scheme_relations():
    scheme = Scheme.default()
    assert [(r.name, r.head, r.child, r.symmetric) for r in scheme.relations] == [
        ("investor", ("INVESTMENT",), ("ORG", "PERSON", "GPE"), False),
        ("amount", ("INVESTMENT",), ("MONEY",), False),
        ("location", ("INVESTMENT", "PARTNERSHIP"), ("GPE", "LOC"), False),
        ("date", ("INVESTMENT", "PARTNERSHIP"), ("DATE",), False),
        ("target", ("INVESTMENT",), ("ORG", "PRODUCT"), False),
        ("partner", ("PARTNERSHIP",), ("ORG", "PERSON"), False),
        ("partner_of", ("ORG",), ("ORG",), True),
        ("employee_of", ("PERSON",), ("ORG",), False),
    ]
    assert [r.name for r in scheme.relation_types_for("INVESTMENT", "ORG")] == ["investor", "target"]
    assert [r.name for r in scheme.relation_types_for("ORG", "PERSON")] == []


def test_default_scheme_guidelines():
    lines = Scheme.default().guidelines.splitlines()
    assert len(lines) == 13
    assert lines[0] == "Annotate what the text states, not what you know from elsewhere."


def test_default_scheme_round_trips():
    scheme = Scheme.default()
    assert Scheme.from_dict(scheme.to_dict()) == scheme
