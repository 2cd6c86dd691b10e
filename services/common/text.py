"""Text that people type, and nothing else: the two kinds of string field every schema uses.

`OneLine` (names, titles, options, email addresses, countries, ids, query words) refuses every
control character — C0 (U+0000..U+001F, CR and LF and tab included), DEL, C1 (U+0080..U+009F) —
the Unicode line and paragraph separators, and lone surrogates (`"\\ud800"` in JSON: no UTF-8
encoding exists for it, so PostgreSQL and every mail library would fail on it later).

`MultiLine` (descriptions, comments, proposal texts, minutes, newsletter bodies, reasons) keeps
line breaks, written as `\\n` whatever the sender used (CRLF, CR, U+2028, U+2029), and refuses
everything else the one-line kind refuses.

A refusal is a marshmallow ValidationError, which the services answer with 422 naming the field.
tests/unit/common/test_text_fields.py walks every schema of every service: a `fields.String`
that is neither kind fails it.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

_SURROGATE = re.compile("[\ud800-\udfff]")
_ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")


def _refuse(pattern: re.Pattern[str], value: str, what: str) -> None:
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        raise ValidationError(
            f"Must not contain a lone surrogate (U+{ord(surrogate.group()):04X} at position "
            f"{surrogate.start()}): not text."
        )
    bad = pattern.search(value)
    if bad is not None:
        raise ValidationError(
            f"Must not contain control characters{what} (U+{ord(bad.group()):04X} at position "
            f"{bad.start()})."
        )


def not_blank(value: str) -> bool:
    """A validator for text said in public (a reason): some of it is not white space."""
    if not value.strip():
        raise ValidationError("Must not be blank: say it in words.")
    return True


def one_line(value: str) -> str:
    """`value` unchanged if it is one line of printable text; else ValidationError."""
    _refuse(_ONE_LINE_BAD, value, " or line breaks")
    return value


def multi_line(value: str) -> str:
    """`value` with its line breaks written as `\\n`, if the rest is printable; else
    ValidationError."""
    text = _BREAKS.sub("\n", value)
    _refuse(_MULTI_LINE_BAD, text, " other than line breaks")
    return text


class OneLine(fields.String):
    """A string of one line: no control characters (CR, LF and tab included), no lone
    surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return one_line(super()._deserialize(value, attr, data, **kwargs))


class MultiLine(fields.String):
    """A string of lines: breaks kept as `\\n`, no other control characters, no lone
    surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return multi_line(super()._deserialize(value, attr, data, **kwargs))


def printable_one_line(value: str | None) -> str:
    """For text that was stored before it was checked (a display name in a mail header): the
    same text with every character `OneLine` refuses replaced by a space."""
    if not value:
        return ""
    return _ONE_LINE_BAD.sub(" ", _SURROGATE.sub("\ufffd", value))


def unstorable(value: str) -> str | None:
    """Why no database would store `value` (a NUL, a lone surrogate), or None."""
    if "\x00" in value:
        return f"Must not contain NUL characters (at position {value.index(chr(0))})."
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        return (
            f"Must not contain a lone surrogate (U+{ord(surrogate.group()):04X} at position "
            f"{surrogate.start()}): not text."
        )
    return None
