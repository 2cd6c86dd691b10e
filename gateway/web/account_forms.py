"""The member's account forms (registration, profile, passwords): the API's limits, reading
the fields, and the API's field errors put beside the right field (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gateway.client import ApiProblem
from gateway.web.countries import country_code, country_name
from gateway.web.i18n import Translator

# The members API's limits (services/members/schemas.py), carried by the forms as maxlength.
LIMITS = {"email": 254, "display_name": 80, "country": 80, "password": 256,
          "current_password": 256, "new_password": 256, "introduction": 2000, "phone": 32,
          "token": 200}
PROFILE_FIELDS = ("display_name", "email", "country", "language", "phone", "gender",
                  "introduction")
GENDERS = ("woman", "man", "non_binary", "other")


def gender_labels(_: Translator) -> dict[str, str]:
    return {"": _("I prefer not to say"), "woman": _("Woman"), "man": _("Man"),
            "non_binary": _("Non-binary"), "other": _("Other")}


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
        errors["country"] = _("We do not know the country “{name}”: choose it from the list, "
                              "or type its name or its two-letter code (FR, SI).",
                              name=fields["country"])
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


def profile_changes(fields: Mapping, member: Mapping, country: str) -> dict:
    """Only what changed, in the API's terms (empty optional fields clear the value)."""
    wanted = {**fields, "country": country}
    changes = {}
    for name in PROFILE_FIELDS:
        value = wanted[name] or None
        if value != (member.get(name) or None):
            changes[name] = value
    return changes


def field_errors(problem: ApiProblem, names: Iterable[str],
                 rename: Mapping[str, str] | None = None) -> dict[str, str]:
    """The API's per-field messages for the fields this form has (by the form's names)."""
    rename = rename or {}
    wanted = set(names)
    errors = {}
    for name, messages in problem.fields.items():
        target = rename.get(name, name)
        if target in wanted:
            text = messages if isinstance(messages, str) else " ".join(map(str, messages))
            errors[target] = text
    return errors


def first_error(errors: Mapping[str, str], order: Iterable[str]) -> str:
    """The name of the first field in error, in the form's order (it gets the focus)."""
    return next((name for name in order if errors.get(name)), "")
