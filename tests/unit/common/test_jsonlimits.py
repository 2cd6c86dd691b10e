"""The JSON body limits: depth measured without recursion, unstorable text found anywhere."""

from __future__ import annotations

import json

import pytest

from services.common.jsonlimits import MAX_DEPTH, _strings, deeper_than, depth
from services.common.text import unstorable


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, 0),
        ("x", 0),
        ([], 1),
        ({}, 1),
        ([[]], 2),
        ({"a": [1, {"b": []}]}, 4),
    ],
)
def test_depth(value, expected):
    assert depth(value) == expected


def test_depth_of_a_very_deep_value_needs_no_recursion():
    value: list = []
    for _ in range(50_000):
        value = [value]
    assert depth(value) == 50_001


@pytest.mark.parametrize(
    "body, deep",
    [
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, False),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), True),
        (b"[" * 100_000 + b"]" * 100_000, True),
        (b"[" * 100_000, True),  # not JSON, but the parser would recurse on it
        (json.dumps({"s": "[[[[" * 100}).encode(), False),  # brackets inside a string
        (b"[" + b"[1]," * 1000 + b"[1]]", False),  # many arrays, shallow
        (b"not json {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{", False),
    ],
)
def test_deeper_than(body, deep):
    assert deeper_than(body) is deep


def test_strings_names_where_each_key_and_string_is():
    found = dict(_strings({"a": [{"b": "x"}, "y"], "c": 1}))
    assert found == {"a": "a", "a[0].b": "x", "a[1]": "y", "c": "c"}
    assert dict(_strings("top")) == {"_body": "top"}


@pytest.mark.parametrize(
    "value, bad",
    [
        ("fine\n\t", False),
        ("a\x00b", True),
        ("\ud800", True),
        ("x\udfffy", True),
        ("👍", False),
    ],
)
def test_unstorable(value, bad):
    assert bool(unstorable(value)) is bad
