"""Countries as members name them: the list in the reader's language (for the registration
and profile forms) and a typed name or code turned into the ISO 3166-1 alpha-2 code the API
takes ("France", "francia", "Eslovenia", "si" → FR, FR, SI, SI)."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

import pycountry
from babel import Locale

from gateway.web.i18n import LANGUAGES


def _fold(text: str) -> str:
    """Case, accents, punctuation and spacing do not matter when matching a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(kept.split())


@functools.lru_cache(maxsize=8)
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name in `language`) of every country, sorted by name as readers there expect."""
    names = Locale.parse(language).territories
    found: list[tuple[str, Any]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        found.append((code, names.get(code) or getattr(country, "common_name", country.name)))
    return tuple(sorted(found, key=lambda item: _fold(item[1])))


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every known name (each page language, the ISO official and common names) → code."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(country, attr, None):
                table.setdefault(_fold(getattr(country, attr)), country.alpha_2)
    for language in LANGUAGES:
        for code, name in countries(language):
            table.setdefault(_fold(name), code)
    return table


def country_code(text: str | None) -> str | None:
    """The ISO code for a code or a country's name in any of the pages' languages, or None."""
    value = (text or "").strip()
    if len(value) == 2 and value.isalpha():
        found = pycountry.countries.get(alpha_2=value.upper())
        return found.alpha_2 if found else None
    return _names().get(_fold(value)) if value else None


def country_name(code: str | None, language: str) -> str:
    """The country's name in `language` (the code itself when unknown)."""
    return dict(countries(language)).get((code or "").upper(), code or "")
