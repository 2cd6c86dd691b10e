"""Every string a service takes is one of the two kinds of text (services/common/text.py), and
those kinds refuse what they must: control characters, lone surrogates, stray line breaks."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, ValidationError, fields

import gateway
import services
from services.common.text import MultiLine, OneLine, printable_one_line

# The event catalogue describes what services already checked and published; its strings are
# never read from a request (a stricter kind there would only refuse old events on replay).
NOT_INPUT = ("services.common.bus",)


def _all_modules() -> list[str]:
    names = []
    for package in (services, gateway):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__") or info.name.startswith(NOT_INPUT):
                continue
            importlib.import_module(info.name)
            names.append(info.name)
    return names


def _schemas() -> list[type[Schema]]:
    _all_modules()
    found, todo = [], [Schema]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(("services.", "gateway.")) and not cls.__module__.startswith(
            NOT_INPUT
        ):
            found.append(cls)
    return found


def _strings(field: fields.Field, where: str):
    if isinstance(field, fields.String):
        yield where, field
    if isinstance(field, fields.List):
        yield from _strings(field.inner, where + "[]")
    if isinstance(field, fields.Tuple):
        for i, inner in enumerate(field.tuple_fields):
            yield from _strings(inner, f"{where}[{i}]")
    if isinstance(field, fields.Dict):
        for part, inner in (("keys", field.key_field), ("values", field.value_field)):
            if inner is not None:
                yield from _strings(inner, f"{where}.{part}")


def test_the_walk_finds_the_schemas_of_every_service():
    modules = {cls.__module__.split(".")[1] for cls in _schemas()}
    assert {"members", "polls", "notify", "common"} <= modules


def test_every_string_field_of_every_schema_is_one_line_or_multi_line():
    offenders = []
    for cls in _schemas():
        for name, field in cls._declared_fields.items():
            for where, string in _strings(field, f"{cls.__module__}.{cls.__name__}.{name}"):
                if not isinstance(string, (OneLine, MultiLine)):
                    offenders.append(where)
    assert offenders == [], "plain fields.String (use OneLine or MultiLine): " + str(offenders)


class _Probe(Schema):
    name = OneLine()
    text = MultiLine()


BAD_ANYWHERE = [
    "a\x00b",
    "a\x07b",
    "a\x1bb",
    "a\x7fb",
    "a\x85b",
    "a\x9fb",
    "a\ud800b",
    "\udfff",
    "a\tb",
]


@pytest.mark.parametrize("value", BAD_ANYWHERE + ["a\nb", "a\rb", "a\r\nb", "a\u2028b"])
def test_one_line_refuses_control_characters_line_breaks_and_lone_surrogates(value):
    with pytest.raises(ValidationError) as refused:
        _Probe().load({"name": value})
    assert list(refused.value.messages) == ["name"]


@pytest.mark.parametrize("value", BAD_ANYWHERE)
def test_multi_line_refuses_control_characters_other_than_line_breaks(value):
    with pytest.raises(ValidationError) as refused:
        _Probe().load({"text": value})
    assert list(refused.value.messages) == ["text"]


def test_multi_line_keeps_line_breaks_as_lf():
    text = _Probe().load({"text": "one\r\ntwo\rthree\nfour\u2029five"})["text"]
    assert text == "one\ntwo\nthree\nfour\nfive"


def test_ordinary_text_passes_unchanged():
    value = "Ünïcödé 👩‍🚀 «quotes» ‏עברית‎ — 中文"
    assert _Probe().load({"name": value, "text": value}) == {"name": value, "text": value}


def test_printable_one_line_makes_stored_text_safe_for_a_header():
    assert printable_one_line("Eve\r\nBcc: x@y\x00") == "Eve  Bcc: x@y "
    assert printable_one_line(None) == ""
