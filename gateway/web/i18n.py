"""Strings for people, in the languages the pages speak: one `.po` file per language under
`gateway/web/translations/` (see docs/CONVENTIONS.md, "Translations").

Every string the pages show goes through a Translator: the English text is the message id
(gettext), a missing translation falls back to English, and placeholders use str.format names:
`_("{n} of {total}", n=1, total=3)`; `_.ngettext("{n} member", "{n} members", n)` picks the
language's plural form. Dates, numbers and lists are written the reader's way
(`_.format_datetime`, `_.format_decimal`, `_.format_list`, ...); `init_app` installs
Flask-Babel and offers the same as Jinja filters and globals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from babel import Locale, dates, lists, numbers
from flask import current_app, g, has_request_context
from flask_babel import Babel, get_locale

from services.common import i18n as common
from services.common.i18n import Catalogues, DateFormat, parse_moment

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
CATALOGUES = Catalogues(TRANSLATIONS)
LANGUAGES = CATALOGUES.languages
LANGUAGE_NAMES = {
    code: (Locale.parse(code).get_display_name() or code).capitalize() for code in LANGUAGES
}


def plural_count(n) -> int:
    """The whole number gettext chooses a plural form with (a fraction counts as several)."""
    value = float(n or 0)
    return int(value) if value.is_integer() else 2


class Translator:
    """`_("text", **values)`: the text in this language (English when untranslated)."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self.translations = CATALOGUES.translations(self.language)
        self.locale = Locale.parse(self.language)

    def __call__(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, count, /, **values) -> str:
        """The plural form for `count` in this language; `{n}` is `count` written the local
        way unless given."""
        text = self.translations.ngettext(singular, plural, plural_count(count))
        values.setdefault("n", self.format_decimal(count))
        return text.format(**values)

    # --- dates, numbers, lists in the reader's locale -------------------------------------

    def format_datetime(self, value: object, format: DateFormat = "medium") -> str:
        """An instant as people here read it, in UTC: '2 déc. 2026, 14:05 UTC'."""
        return common.format_datetime(value, self.language, format)

    def format_date(self, value, format: str = "long") -> str:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dates.format_date(value, format=format, locale=self.locale)
        moment = parse_moment(value)
        if moment is None:
            return value or ""
        return dates.format_date(
            moment.astimezone(dt.UTC).date(), format=format, locale=self.locale
        )

    def format_decimal(self, value, digits: int = 2) -> str:
        """3, 2,5, 1 234,33: at most `digits` decimals, none when whole."""
        if value is None or value == "":
            return ""
        number = float(value)
        if number.is_integer():
            return numbers.format_decimal(int(number), locale=self.locale)
        pattern = "#,##0." + "#" * digits
        return numbers.format_decimal(number, format=pattern, locale=self.locale)

    def format_percent(self, value, digits: int = 0) -> str:
        """0.25 → '25 %' in French, '25%' in English."""
        pattern = self.locale.percent_formats[None].pattern
        if digits:
            head, _zero, tail = pattern.rpartition("0")
            pattern = f"{head}0.{'#' * digits}{tail}"
        return numbers.format_percent(float(value or 0), format=pattern, locale=self.locale)

    def format_list(self, items: Iterable[object]) -> str:
        """'a, b and c' / 'a, b et c' / 'a, b y c'."""
        return lists.format_list([str(i) for i in items], locale=self.locale)

    def when(self, value) -> str:
        """An ISO timestamp as people read it (what the pages call `when`)."""
        return self.format_datetime(value)


def best_language(requested: str | None, accept: Iterable[str]) -> str:
    """The chosen language if supported, else the first supported one the browser accepts."""
    return CATALOGUES.best(requested, accept)


FORMATTERS = ("format_datetime", "format_date", "format_decimal", "format_percent", "format_list")


def current() -> Translator:
    """The translator of the request being served (English outside a request or an app
    without `init_app`)."""
    if not has_request_context():
        return Translator("en")
    translator = g.get("t")
    if isinstance(translator, Translator):
        return translator
    if "babel" not in current_app.extensions:
        return Translator("en")
    return Translator(str(get_locale() or "en"))


def when(value) -> str:
    """`Translator.when` in the current request's language."""
    return current().when(value)


def init_app(app, translator: Callable[[], Translator]) -> None:
    """Flask-Babel on `app` (its locale is the request's translator's), and the formatters as
    Jinja filters and globals: `{{ poll.closes_at|format_datetime }}`,
    `{{ ngettext("{n} member", "{n} members", count) }}`."""
    Babel(
        app,
        locale_selector=lambda: translator().language,
        default_translation_directories=str(TRANSLATIONS),
    )

    def bound(name: str):
        return lambda *args, **kwargs: getattr(translator(), name)(*args, **kwargs)

    for name in FORMATTERS:
        app.jinja_env.filters[name] = bound(name)

    @app.context_processor
    def _i18n_globals():
        t = translator()
        return {"ngettext": t.ngettext, **{name: getattr(t, name) for name in FORMATTERS}}
