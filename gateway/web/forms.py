"""Forms read from the request and checked before anything is sent to the API (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from gateway.web.affected_form import affected_body, read_affected
from gateway.web.i18n import LANGUAGES, Translator
from gateway.web.numbers import whole_number

REGISTER_FIELDS = ("email", "display_name", "country", "introduction")


def read_register_form(form: Mapping) -> dict[str, str]:
    return {k: (form.get(k) or "").strip() for k in REGISTER_FIELDS}


def check_register(_: Translator, fields: Mapping[str, str], password: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not fields["email"]:
        errors["email"] = _("Enter your email address.")
    if not fields["display_name"]:
        errors["display_name"] = _("Enter the name other members will see.")
    if not fields["country"]:
        errors["country"] = _("Enter your country (for example FR or France).")
    if len(password) < 10:
        errors["password"] = _("Choose a password of at least 10 characters.")
    return errors


def check_scope(_: Translator, form: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = form.get("scope_type")
    if kind not in ("organisation", "chapter", "current"):
        errors["scope_type"] = _("Choose who it is for.")
    elif kind == "chapter" and not form.get("chapter_id"):
        errors["chapter_id"] = _("Choose the chapter.")
    elif kind == "current" and not form.get("current_id"):
        errors["current_id"] = _("Choose the current.")
    return errors


def scope_of(form: Mapping) -> dict:
    kind = form.get("scope_type") or "organisation"
    if kind == "chapter":
        return {"type": "chapter", "id": form["chapter_id"]}
    if kind == "current":
        return {"type": "current", "id": form["current_id"]}
    return {"type": "organisation"}


# Newsletters are written in English; these languages may get their own subject and text.
NEWSLETTER_TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != "en")


def read_newsletter_form(form) -> dict:
    names = (
        "subject",
        "body",
        "scope_type",
        "chapter_id",
        "current_id",
        "preview_key",  # the preview being sent (views/admin.py sends each preview once)
        "send_at",  # empty: now; else when to send it (UTC, as the form's datetime-local)
        *(f"{part}_{lang}" for lang in NEWSLETTER_TRANSLATIONS for part in ("subject", "body")),
    )
    fields = {k: (form.get(k) or "").strip() for k in names}
    fields["scope_type"] = fields["scope_type"] or "organisation"
    fields["channels"] = form.getlist("channels") or ["email"]
    return fields


def check_newsletter(_: Translator, form: Mapping) -> dict[str, str]:
    errors = check_scope(_, form)
    if not form["subject"]:
        errors["subject"] = _("Write a subject.")
    if not form["body"]:
        errors["body"] = _("Write the newsletter.")
    errors.update(check_send_at(_, form.get("send_at") or ""))
    for lang in NEWSLETTER_TRANSLATIONS:
        subject, body = form.get(f"subject_{lang}"), form.get(f"body_{lang}")
        if bool(subject) != bool(body):
            errors[f"subject_{lang}" if body else f"body_{lang}"] = _(
                "A translation needs both its subject and its text, or neither."
            )
    return errors


def field_time(value: str | None) -> str:
    """An API time as a datetime-local field shows it (UTC)."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M")


def send_time(value: str) -> dt.datetime:
    """A datetime-local field's value, read as UTC (ValueError if it is none)."""
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def check_send_at(_: Translator, value: str, required: bool = False) -> dict[str, str]:
    """A newsletter's sending time: empty sends it now (unless `required`), else in the
    future."""
    if not value:
        return {"send_at": _("Give the date and time to send it.")} if required else {}
    try:
        moment = send_time(value)
    except ValueError:
        return {"send_at": _("Give the date and time to send it, or leave it empty.")}
    if moment <= dt.datetime.now(dt.UTC):
        return {"send_at": _("The time to send it must be in the future.")}
    return {}


def newsletter_translations(form: Mapping) -> dict:
    """language → {subject, body}, for the translations written in full."""
    return {
        lang: {"subject": form[f"subject_{lang}"], "body": form[f"body_{lang}"]}
        for lang in NEWSLETTER_TRANSLATIONS
        if form.get(f"subject_{lang}") and form.get(f"body_{lang}")
    }


def newsletter_body(form: Mapping) -> dict:
    body = {
        "subject": form["subject"],
        "body": form["body"],
        "scope": scope_of(form),
        "channels": [c for c in form["channels"] if c in ("email", "sms")] or ["email"],
    }
    translations = newsletter_translations(form)
    if translations:
        body["translations"] = translations
    if form.get("send_at"):
        body["send_at"] = send_time(form["send_at"]).isoformat()
    return body


def prefill(answers: list[dict]) -> dict:
    """A ballot's answers as the form's draft (question id → what was chosen)."""
    draft: dict = {}
    for answer in answers:
        qid = answer["question_id"]
        for form in ("choice", "approve", "ranking"):
            if form in answer:
                draft[qid] = answer[form]
        if "response" in answer:
            draft[qid] = {"response": answer["response"], "reason": answer.get("reason", "")}
    return draft


THRESHOLDS = ("simple", "absolute", "two_thirds")
QUESTION_SETTINGS = ("threshold", "quorum", "max_stand_asides", "max_rounds", "fallback")


def blank_question() -> dict:
    return {
        "text": "",
        "method": "plurality",
        "options": "",
        "seats": "",
        "threshold": "simple",
        "quorum": "",
        "max_stand_asides": "",
        "max_rounds": "",
        "fallback": "",
    }


def blank_poll() -> dict:
    closes = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    return {
        "title": "",
        "text": "",
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "opens_at": "",
        "scope_type": "organisation",
        "chapter_id": "",
        "current_id": "",
        "questions": [blank_question()],
        "affected": [],
    }


def read_poll_form(form) -> dict:
    count = min(whole_number(form.get("question_count")) or 1, 50)
    questions = []
    for i in range(count):
        question = {
            "text": (form.get(f"question-{i}-text") or "").strip(),
            "method": form.get(f"question-{i}-method") or "plurality",
            "options": (form.get(f"question-{i}-options") or "").strip(),
            "seats": (form.get(f"question-{i}-seats") or "").strip(),
            **{key: (form.get(f"question-{i}-{key}") or "").strip() for key in QUESTION_SETTINGS},
        }
        if form.get(f"question-{i}-remove"):
            continue
        questions.append(question)
    return {
        "title": (form.get("title") or "").strip(),
        "text": (form.get("text") or "").strip(),
        "closes_at": (form.get("closes_at") or "").strip(),
        "opens_at": (form.get("opens_at") or "").strip(),
        "scope_type": form.get("scope_type") or "organisation",
        "chapter_id": (form.get("chapter_id") or "").strip(),
        "current_id": (form.get("current_id") or "").strip(),
        "live_results": form.get("live_results") == "1",
        "questions": questions or [blank_question()],
        "affected": read_affected(form),
    }


def option_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_times(_: Translator, draft: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        closes = dt.datetime.fromisoformat(draft["closes_at"]).replace(tzinfo=dt.UTC)
        if closes <= dt.datetime.now(dt.UTC):
            errors["closes_at"] = _("The closing time must be in the future.")
    except ValueError:
        errors["closes_at"] = _("Give a closing date and time.")
        closes = None
    if draft.get("opens_at"):
        try:
            opens = dt.datetime.fromisoformat(draft["opens_at"]).replace(tzinfo=dt.UTC)
            if opens <= dt.datetime.now(dt.UTC):
                errors["opens_at"] = _(
                    "The opening time must be in the future, or left empty to open at launch."
                )
            elif closes is not None and opens >= closes:
                errors["opens_at"] = _("The poll must open before it closes.")
        except ValueError:
            errors["opens_at"] = _("Give an opening date and time, or leave it empty.")
    return errors


def launchable(methods: Mapping[str, Mapping]) -> list[str]:
    """The methods a poll may be launched with, from polls' table (GET /api/v1/polls/methods)."""
    return [name for name, entry in methods.items() if entry.get("launchable")]


def _fixed_options(methods: Mapping[str, Mapping], method: str) -> bool:
    """Whether questions of `method` always have the same options (consensus responses)."""
    return bool((methods.get(method) or {}).get("options"))


def _check_question(
    _: Translator, i: int, question: dict, methods: Mapping[str, Mapping]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not question["text"]:
        errors[f"question-{i}-text"] = _("Write the question.")
    if question["method"] not in launchable(methods):
        errors[f"question-{i}-method"] = _("Choose a method.")
    options = option_lines(question["options"])
    if not _fixed_options(methods, question["method"]):
        if len(options) < 2:
            errors[f"question-{i}-options"] = _("Give at least two options, one per line.")
        elif len(set(options)) != len(options):
            errors[f"question-{i}-options"] = _("Each option must be different.")
    errors.update(_check_settings(_, i, question))
    if question["seats"]:
        seats = whole_number(question["seats"])
        if seats is None or seats < 1:
            errors[f"question-{i}-seats"] = _("Seats must be a whole number.")
        elif len(options) and seats >= len(options):
            errors[f"question-{i}-seats"] = _("There must be more options than seats.")
    return errors


def _percent(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").rstrip("% "))
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _share(text: str) -> float:
    """A percentage already checked by `_check_settings`, as a share of 1."""
    percent = _percent(text)
    assert percent is not None  # checked before the body is built
    return round(percent / 100, 4)


def _check_settings(_: Translator, i: int, question: dict) -> dict[str, str]:
    """Majority: threshold and quorum; consensus: stand-asides, rounds, fallback share."""
    errors: dict[str, str] = {}
    get: Callable[[str], Any] = question.get
    if get("threshold") and get("threshold") not in THRESHOLDS:
        errors[f"question-{i}-threshold"] = _("Choose a threshold.")
    for key in ("quorum", "fallback"):
        if get(key) and _percent(get(key)) is None:
            errors[f"question-{i}-{key}"] = _("Give a percentage between 0 and 100.")
    if get("max_stand_asides") and whole_number(get("max_stand_asides")) is None:
        errors[f"question-{i}-max_stand_asides"] = _("Give a whole number.")
    rounds = get("max_rounds")
    if rounds and not 1 <= (whole_number(rounds) or 0) <= 20:
        errors[f"question-{i}-max_rounds"] = _("Give a whole number from 1 to 20.")
    return errors


def _settings_body(question: dict) -> dict:
    get: Callable[[str], Any] = question.get
    item: dict = {}
    if question["method"] == "majority":
        item["threshold"] = get("threshold") or "simple"
        if get("quorum"):
            item["quorum"] = _share(get("quorum"))
    if question["method"] == "consensus":
        if get("max_stand_asides"):
            item["max_stand_asides"] = int(get("max_stand_asides"))
        if get("max_rounds"):
            item["max_rounds"] = int(get("max_rounds"))
        if get("fallback"):
            item["fallback"] = _share(get("fallback"))
    return item


def check_poll(_: Translator, draft: dict, methods: Mapping[str, Mapping]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft["title"]:
        errors["title"] = _("Give the poll a title.")
    errors.update(_check_times(_, draft))
    errors.update(check_scope(_, draft))
    for i, question in enumerate(draft["questions"]):
        errors.update(_check_question(_, i, question, methods))
    return errors


def poll_body(draft: dict, methods: Mapping[str, Mapping]) -> dict:
    closes = dt.datetime.fromisoformat(draft["closes_at"]).replace(tzinfo=dt.UTC)
    questions = []
    for question in draft["questions"]:
        item: dict = {"text": question["text"], "method": question["method"]}
        if not _fixed_options(methods, question["method"]):
            item["options"] = option_lines(question["options"])
        settings = (methods.get(question["method"]) or {}).get("settings") or ()
        if question["seats"] and "seats" in settings:
            item["seats"] = int(question["seats"])
        item.update(_settings_body(question))
        questions.append(item)
    body = {
        "title": draft["title"],
        "scope": scope_of(draft),
        "closes_at": closes.isoformat(),
        "questions": questions,
    }
    if draft.get("opens_at"):
        opens = dt.datetime.fromisoformat(draft["opens_at"]).replace(tzinfo=dt.UTC)
        body["opens_at"] = opens.isoformat()
    if draft["text"]:
        body["text"] = draft["text"]
    if draft.get("live_results"):
        body["live_results"] = True
    if draft.get("affected"):
        body["affected"] = affected_body(draft["affected"])
    return body
