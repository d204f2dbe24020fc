"""The error catalogue: one code per kind of error, so a code names one fix."""
from __future__ import annotations

import inspect

from annotator.core import errors


def _error_classes() -> list[type[errors.AnnotatorError]]:
    return [
        cls for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.AnnotatorError) and cls.__module__ == errors.__name__
    ]


def test_every_error_has_its_own_code():
    by_code: dict[str, list[str]] = {}
    for cls in _error_classes():
        if "code" in vars(cls):
            by_code.setdefault(cls.code, []).append(cls.__name__)
    assert {code: names for code, names in by_code.items() if len(names) > 1} == {}


def test_codes_are_an_e_and_three_digits():
    assert [cls.__name__ for cls in _error_classes() if not (cls.code[0] == "E" and cls.code[1:].isdigit() and len(cls.code) == 4)] == []
