"""The languages notify writes in, through Babel: one `.po` file per language under
`translations/` (English, the templates' own language, needs none); and the category names mail
and pages show, translated there too. Templates are written once, in English, with
`_("...")`; a missing translation falls back to English, string by string.
"""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations

from services.common.i18n import DEFAULT_LANGUAGE, Catalogues

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
CATALOGUES = Catalogues(TRANSLATIONS)
LANGUAGES = CATALOGUES.languages

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "category_label", "language_of", "translations"]


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    return message


CATEGORY_LABELS = {
    "account": N_("account messages"),
    "polls": N_("poll announcements"),
    "reminders": N_("poll reminders"),
    "results": N_("poll results"),
    "recall": N_("recall petitions and votes"),
    "events": N_("meetings and events"),
    "newsletters": N_("newsletters"),
    "all": N_("all optional messages"),
}


def language_of(value: str | None) -> str:
    """The supported language closest to `value` ('es-AR' → 'es'), else English."""
    return CATALOGUES.supported(value)


def translations(language: str) -> NullTranslations:
    return CATALOGUES.translations(language)


def category_label(language: str, category: str) -> str:
    english = CATEGORY_LABELS.get(category)
    return translations(language).gettext(english) if english else category
