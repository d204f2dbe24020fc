from __future__ import annotations

import json

import pytest

from annotator.core.errors import SchemeError
from annotator.core.scheme import Scheme

BASE = {"name": "t", "labels": [{"name": "ORG", "key": "1"}, {"name": "MONEY"}], "relations": [{"name": "amount", "head": ["ORG"], "child": ["MONEY"]}]}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("labels"), "at $: 'labels' is a required property"),
        (lambda d: d["labels"][1].update(color="red"), "at $.labels[1].color: 'red' does not match"),
        (lambda d: d["labels"][1].update(key="1"), "at $.labels[1].key: key '1' is already used by ORG"),
        (lambda d: d["labels"].append({"name": "ORG"}), "at $.labels[2].name: duplicate label 'ORG'"),
        (lambda d: d["relations"][0].update(child=["CASH"]), "at $.relations[0].child[0]: unknown label 'CASH'"),
        (lambda d: d.update(extra=1), "Additional properties are not allowed ('extra' was unexpected)"),
    ],
)
def test_bad_schemes_name_the_json_path(change, message):
    data = json.loads(json.dumps(BASE))
    change(data)
    with pytest.raises(SchemeError) as info:
        Scheme.from_dict(data, source="s.json")
    assert message in str(info.value)
    assert str(info.value).startswith("[E010] s.json: at ")


def test_colours_and_keys_are_assigned_and_round_trip():
    scheme = Scheme.from_dict(BASE)
    assert [(l.name, l.key) for l in scheme.labels] == [("ORG", "1"), ("MONEY", "2")]
    assert Scheme.from_dict(scheme.to_dict()) == scheme


def test_relation_constraints_and_symmetry():
    scheme = Scheme.from_dict({**BASE, "relations": BASE["relations"] + [{"name": "partner", "head": ["ORG"], "child": ["ORG"], "symmetric": True}, {"name": "any"}]})
    assert [r.name for r in scheme.relation_types_for("ORG", "MONEY")] == ["amount", "any"]
    assert [r.name for r in scheme.relation_types_for("MONEY", "ORG")] == ["any"]
    assert [r.name for r in scheme.relation_types_for("ORG", "ORG")] == ["partner", "any"]


def test_scheme_file_errors_say_where(tmp_path):
    bad = tmp_path / "s.json"
    bad.write_text('{"name": "x",\n "labels": [}', encoding="utf-8")
    with pytest.raises(SchemeError, match=r"s.json: line 2 column 13"):
        Scheme.load(bad)
