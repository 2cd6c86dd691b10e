"""Words for the federation: chapter levels, the working-chapter rules, the targets."""

from __future__ import annotations

import datetime as dt

from gateway.web.i18n import Translator
from gateway.web.labels import chapter_criteria


def level_label(_: Translator, level: str | None) -> str:
    """The default levels in the reader's language; a configured one (FEDERATION_LEVELS) by its
    own name."""
    return {
        "international": _("International"),
        "national": _("National"),
        "regional": _("Regional"),
        "city": _("City"),
        "local": _("Local"),
    }.get(level or "", (level or "").replace("_", " ").capitalize())


def working_rules(_: Translator, status: dict | None) -> str:
    """What makes a chapter working, in one sentence with its thresholds."""
    rules = [text for text, _met in chapter_criteria(_, status or {})]
    if not rules:
        return ""
    return _(
        "A chapter is working when it has all of: {rules}.",
        rules=_.format_list([rule[:1].lower() + rule[1:] for rule in rules]),
    )


def target_meaning(_: Translator, kind: str | None, working: str = "") -> str:
    """What a target's figure counts, for a member who was not at the convention."""
    return {
        "members": _("Active members: people who registered and were approved."),
        "working_chapters": _("Working chapters. {rules}", rules=working).strip(),
        "women_share": _(
            "The share of women among active members, in percent; a member who "
            "did not state a gender counts as not a woman."
        ),
        "countries": _("Countries where at least one active member lives."),
        "continents": _("Continents where at least one active member lives."),
    }.get(kind or "", "")


def days_left(_: Translator, deadline: str | None, today: dt.date | None = None) -> str:
    if not deadline:
        return _("No deadline.")
    try:
        day = dt.date.fromisoformat(str(deadline)[:10])
    except ValueError:
        return ""
    left = (day - (today or dt.date.today())).days
    if left < 0:
        return _("The deadline has passed.")
    return _.ngettext("{n} day left", "{n} days left", left)


NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


def countries(_: Translator) -> list[tuple[str, str]]:
    """Every country as (ISO code, name in the reader's language), by name."""
    names = _.locale.territories
    found = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    return sorted(found, key=lambda pair: pair[1].casefold())


def country_name(_: Translator, code: str | None) -> str:
    return _.locale.territories.get(code or "", code or "")
