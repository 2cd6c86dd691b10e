"""Messages from Jinja2 templates: subject, text and HTML (and SMS text) in the member's language.

Templates are written once, in English, with `_("...")` (Jinja2's i18n extension, new style:
`_("Hello %(name)s,", name=name)`, `ngettext(...)`, `{% trans count=n %}`); the language's
`.po` file (see `i18n`) translates them and a missing translation falls back to English.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from babel import lists
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.common import newsletter_text
from services.common.i18n import DateFormat, format_datetime
from services.notify import links
from services.notify.i18n import category_label, language_of, translations

TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = (
    "verification",
    "password_reset",
    "email_changed",
    "poll_opened",
    "poll_closing_soon",
    "poll_closed",
    "newsletter",
    "recall",
    "by_election",
    "upward_request",
    "challenge",
    "mention",
    "welcome",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str


@functools.cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        translations(language), newstyle=True
    )
    env.filters["format_datetime"] = functools.partial(_format_datetime, language=language)
    env.filters["newsletter_text"] = newsletter_text.as_text
    env.filters["format_list"] = functools.partial(_format_list, language=language)
    env.filters["newsletter_html"] = newsletter_text.as_html
    return env


def _format_datetime(value: object, format: DateFormat = "medium", *, language: str) -> str:
    return format_datetime(value, language, format)


def _format_list(items: list, *, language: str) -> str:
    return lists.format_list([str(i) for i in items], locale=language)


def _context(
    kind: str, language: str, category: str, context: dict, name: str, unsubscribe_url: str | None
) -> dict:
    values = dict(context)
    if kind == "newsletter":
        translated = (context.get("translations") or {}).get(language) or {}
        values["newsletter_subject"] = translated.get("subject") or context["subject"]
        values["newsletter_body"] = translated.get("body") or context["body"]
    values.update(
        name=name or "",
        language=language,
        category=category,
        category_label=category_label(language, "all" if category == "account" else category),
        # the page, not the header's one-click address: every link in a mail opens a page
        unsubscribe_url=links.unsubscribe_page(unsubscribe_url) if unsubscribe_url else None,
    )
    return values


def render_email(
    kind: str,
    language: str | None,
    category: str,
    context: dict,
    *,
    name: str,
    unsubscribe_url: str | None,
) -> Rendered:
    lang = language_of(language)
    env = environment(lang)
    values = _context(kind, lang, category, context, name, unsubscribe_url)
    text_template = env.get_template(f"{kind}.txt")
    module = text_template.make_module(values)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = str(module).strip() + "\n"
    html = env.get_template(f"{kind}.html").render(values, subject=subject)
    return Rendered(subject=subject, text=text, html=html, language=lang)


def render_sms(kind: str, language: str | None, category: str, context: dict, *, name: str) -> str:
    lang = language_of(language)
    values = _context(kind, lang, category, context, name, None)
    return " ".join(environment(lang).get_template(f"{kind}.sms.txt").render(values).split())
