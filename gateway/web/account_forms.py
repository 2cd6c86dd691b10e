"""The member's account forms (registration, profile, passwords): the API's limits, reading
the fields, and the API's field errors put beside the right field (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from gateway.client import ApiProblem
from gateway.web.countries import country_code, country_name
from gateway.web.i18n import Translator

# The members API's limits (services/members/schemas/), carried by the forms as maxlength.
LIMITS = {
    "email": 254,
    "display_name": 80,
    "country": 80,
    "password": 256,
    "current_password": 256,
    "new_password": 256,
    "introduction": 2000,
    "phone": 32,
    "token": 200,
}
PROFILE_FIELDS = ("display_name", "email", "country", "language", "phone", "gender", "introduction")
GENDERS = ("woman", "man", "non_binary", "other")


def gender_labels(_: Translator) -> dict[str, str]:
    return {
        "": _("I prefer not to say"),
        "woman": _("Woman"),
        "man": _("Man"),
        "non_binary": _("Non-binary"),
        "other": _("Other"),
    }


def read_profile_form(form: Mapping) -> dict[str, str]:
    fields = {k: (form.get(k) or "").strip() for k in PROFILE_FIELDS}
    fields["introduction"] = fields["introduction"].replace("\r\n", "\n").replace("\r", "\n")
    return fields


def profile_of(member: Mapping, language: str) -> dict[str, str]:
    """The form's fields as the member's data is now (the country by its name)."""
    fields = {k: member.get(k) or "" for k in PROFILE_FIELDS}
    fields["country"] = country_name(member.get("country"), language)
    return fields


def resolve_country(_: Translator, fields: dict, errors: dict) -> str | None:
    """The ISO code of what was typed as the country, or an error beside the field."""
    code = country_code(fields.get("country"))
    if code is None and fields.get("country"):
        errors["country"] = _(
            "We do not know the country “{name}”: choose it from the list, "
            "or type its name or its two-letter code (FR, SI).",
            name=fields["country"],
        )
    return code


def check_profile(_: Translator, fields: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not fields["display_name"]:
        errors["display_name"] = _("Enter the name other members will see.")
    if not fields["email"]:
        errors["email"] = _("Enter your email address.")
    if not fields["country"]:
        errors["country"] = _("Enter your country (for example FR or France).")
    for name, limit in LIMITS.items():
        if len(fields.get(name) or "") > limit:
            errors[name] = _("At most {n} characters.", n=limit)
    return errors


def profile_changes(fields: Mapping, member: Mapping, country: str | None) -> dict:
    """Only what changed, in the API's terms (empty optional fields clear the value)."""
    wanted = {**fields, "country": country}
    changes = {}
    for name in PROFILE_FIELDS:
        value = wanted[name] or None
        if value != (member.get(name) or None):
            changes[name] = value
    return changes


def api_words(_: Translator, text: str) -> str:
    """The members API's field messages (English) in the reader's language when known."""
    known = {
        "Required to change the email address.": _(
            "Enter your current password to change your email address."
        ),
        "Not your current password.": _("This is not your current password."),
        "Not your password.": _("This is not your password."),
        "Already registered.": _("An account with this email address exists already."),
        "This password is one of the most common ones; choose another.": _(
            "This password is one of the most common ones; choose another."
        ),
        "Use more different characters.": _("Use more different characters."),
        "Do not use your email address or name as a password.": _(
            "Do not use your email address or name as a password."
        ),
    }
    if text in known:
        return known[text]
    least = re.fullmatch(r"Use at least (\d+) characters\.", text)
    if least:
        return _("Use at least {n} characters.", n=least.group(1))
    return text


def field_errors(
    problem: ApiProblem,
    names: Iterable[str],
    rename: Mapping[str, str] | None = None,
    _: Translator | None = None,
) -> dict[str, str]:
    """The API's per-field messages for the fields this form has (by the form's names)."""
    rename = rename or {}
    wanted = set(names)
    errors = {}
    for name, messages in problem.fields.items():
        target = rename.get(name, name)
        if target in wanted:
            texts = [messages] if isinstance(messages, str) else [str(m) for m in messages]
            errors[target] = " ".join(api_words(_, t) if _ else t for t in texts)
    return errors


def first_error(errors: Mapping[str, str], order: Iterable[str]) -> str:
    """The name of the first field in error, in the form's order (it gets the focus)."""
    return next((name for name in order if errors.get(name)), "")
