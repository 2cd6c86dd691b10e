"""Field types and the strict base schema shared by every area."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields

from services.common.text import MultiLine, OneLine
from services.members import geo
from services.members.rules import GENDERS, email_address

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
GENDER_WORDS = {
    "woman": "woman",
    "female": "woman",
    "f": "woman",
    "w": "woman",
    "man": "man",
    "male": "man",
    "m": "man",
    "non_binary": "non_binary",
    "non-binary": "non_binary",
    "nonbinary": "non_binary",
    "other": "other",
}


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class _Trimmed(fields.String):
    """A string with surrounding white space removed; empty means missing when required."""

    def __init__(self, *args, max_length: int = 200, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) > self.max_length:
            raise ValidationError(f"At most {self.max_length} characters.")
        if not text and self.required:
            raise ValidationError("Must not be empty.")
        return text or None


class Text(_Trimmed, OneLine):
    """One line (a name, a place): control characters and line breaks are refused."""


class LongText(_Trimmed, MultiLine):
    """Lines (an introduction, a description, a note): breaks kept as \\n, other control
    characters refused."""


class Email(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            return email_address(text)
        except ValueError as exc:
            raise ValidationError(f"Not a valid email address: {exc}") from None


class Country(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        code = geo.country_code(text)
        if code is None:
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code (e.g. GB, DE, IN).")
        return code


class Language(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            return None
        code = geo.language_code(text)
        if code is None:
            raise ValidationError("Not a language code (ISO 639, e.g. en, de, pt-BR).")
        return code


class Phone(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = re.sub(r"[\s().-]", "", super()._deserialize(value, attr, data, **kwargs))
        if not text:
            return None
        if not E164.match(text):
            raise ValidationError("Not a phone number in E.164 form (e.g. +441234567890).")
        return text


class Gender(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if text in ("", "unstated", "prefer_not_to_say", "none"):
            return None
        if text not in GENDER_WORDS:
            raise ValidationError(f"One of {', '.join(GENDERS)} (or leave it out).")
        return GENDER_WORDS[text]


class Continent(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text.upper() in geo.CONTINENTS:
            return text.upper()
        for code, name in geo.CONTINENTS.items():
            if name.lower() == text.lower():
                return code
        raise ValidationError(f"One of {', '.join(geo.CONTINENTS)} (or their names).")


class Number(fields.Raw):
    """A number as it is: integral counts stay integers, shares keep their decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {})["type"] = "number"
        super().__init__(**kwargs)


class Password(OneLine):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 256:
            raise ValidationError("At most 256 characters.")
        return text
