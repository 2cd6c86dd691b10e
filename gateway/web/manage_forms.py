"""The forms of a chapter's management page, read and checked without I/O: a meeting, a
delegate election, the recall rules, and a mandate granted from a member's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gateway.web.i18n import Translator
from gateway.web.numbers import whole_number

MEETING_FIELDS = ("held_on", "place", "agenda", "minutes", "attendance")
MEETING_LIMITS = {"place": 200, "agenda": 4000, "minutes": 20000}  # the API's limits
ATTENDANCE_MAX = 1_000_000
REASON_MAX = 500  # the API's limit on a mandate's public reason
RECALL_FIELDS = {
    "threshold_percent": float,
    "threshold_minimum": int,
    "petition_days": int,
    "cooling_off_days": int,
    "vote_hours": int,
    "quorum_percent": float,
}


def _utc(text: str) -> dt.datetime | None:
    """A datetime-local field's value read as UTC, or None."""
    try:
        return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _iso(text: str) -> str:
    """A field already checked by `_utc`, as ISO 8601 UTC."""
    when = _utc(text)
    assert when is not None, "checked before the body is built"
    return when.isoformat()


def read_meeting(form: Mapping) -> dict:
    """The meeting form's fields as typed, and the ids of the members ticked present."""
    meeting: dict = {name: (form.get(name) or "").strip() for name in MEETING_FIELDS}
    ticked = form.getlist("attendees") if hasattr(form, "getlist") else form.get("attendees")
    meeting["attendees"] = [str(a) for a in ticked or []]
    return meeting


def meeting_form(meeting: Mapping) -> dict:
    """A recorded meeting (as the API gives it) as the form shows it for editing."""
    given = {name: meeting.get(name) for name in MEETING_FIELDS}
    return {
        **{k: "" if v is None else str(v) for k, v in given.items()},
        "attendees": [str(a["id"]) for a in meeting.get("attendees") or []],
    }


def meeting_body(meeting: Mapping) -> dict:
    """The API's body for a checked meeting form: an empty field clears what was recorded."""
    body: dict = {"held_on": meeting["held_on"], "attendees": meeting["attendees"]}
    for name in ("place", "agenda", "minutes"):
        body[name] = meeting[name] or None
    body["attendance"] = int(meeting["attendance"]) if meeting["attendance"] else None
    return body


def check_meeting(_: Translator, meeting: Mapping, today: dt.date) -> dict[str, str]:
    errors = {}
    try:
        held = dt.date.fromisoformat(meeting["held_on"])
    except ValueError:
        errors["held_on"] = _("Give the date of the meeting.")
    else:
        if held > today:
            errors["held_on"] = _("Record a meeting once it was held.")
    attendance = whole_number(meeting["attendance"])
    if meeting["attendance"] and (attendance is None or attendance > ATTENDANCE_MAX):
        errors["attendance"] = _("Give the number of people present.")
    elif attendance is not None and attendance < len(meeting["attendees"]):
        errors["attendance"] = _(
            "At least the {n} members ticked present were there.", n=len(meeting["attendees"])
        )
    for name, limit in MEETING_LIMITS.items():
        if len(meeting[name]) > limit:
            errors[name] = _("Keep this under {n} characters.", n=limit)
    return errors


# What a chapter elects, and the route of polls that launches it (issue 18).
ELECTION_PATHS = {
    "delegate": "/api/v1/polls/delegate-elections",
    "coordinator": "/api/v1/polls/coordinator-elections",
}


def read_election(form) -> dict:
    names = ("role", "title", "question", "seats", "term_days", "opens_at", "closes_at")
    election = {name: (form.get(name) or "").strip() for name in names}
    election["role"] = election["role"] or "delegate"
    election["candidates"] = [c for c in form.getlist("candidates") if c]
    return election


def check_election(_: Translator, election: Mapping, now: dt.datetime) -> dict[str, str]:
    errors = {}
    if election["role"] not in ELECTION_PATHS:
        errors["role"] = _("Choose delegates or coordinators.")
    if not election["title"]:
        errors["title"] = _("Give the election a title.")
    if not election["candidates"]:
        errors["candidates"] = _("Choose at least one candidate.")
    for name, low, high in (("seats", 1, 100), ("term_days", 1, 3650)):
        value = election[name]
        if value and not low <= (whole_number(value) or 0) <= high:
            errors[name] = _("Give a whole number from {low} to {high}.", low=low, high=high)
    closes = _utc(election["closes_at"])
    opens = _utc(election["opens_at"]) if election["opens_at"] else None
    if closes is None:
        errors["closes_at"] = _("Give the closing date and time.")
    elif closes <= now:
        errors["closes_at"] = _("The closing time must be in the future.")
    if election["opens_at"] and opens is None:
        errors["opens_at"] = _("Give the opening date and time, or leave it empty.")
    elif opens and closes and opens >= closes:
        errors["opens_at"] = _("The election must open before it closes.")
    return errors


def election_body(chapter_id: str, election: Mapping) -> dict:
    """The API's election body; candidates by member id alone: the ballot shows each member's
    own name (docs/governance.md)."""
    body = {
        "chapter_id": chapter_id,
        "title": election["title"],
        "candidates": [{"member_id": c} for c in election["candidates"]],
        "closes_at": _iso(election["closes_at"]),
    }
    if election["question"]:
        body["question"] = election["question"]
    for name in ("seats", "term_days"):
        if election[name]:
            body[name] = int(election[name])
    if election["opens_at"]:
        body["opens_at"] = _iso(election["opens_at"])
    return body


RECALL_CHOICES = ("decided_by_poll_id", "vacancy_rule")  # texts beside the numbers
VACANCY_RULES = ("by_election", "next_candidate")


def read_recall(form: Mapping) -> dict[str, str]:
    return {name: (form.get(name) or "").strip() for name in (*RECALL_FIELDS, *RECALL_CHOICES)}


def recall_body(_: Translator, settings: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """The numbers to send, and the fields that are not numbers (a chapter decision for a zero
    quorum and the rule for empty seats go as they are; the API checks them)."""
    body: dict = {}
    errors: dict[str, str] = {}
    for name, kind in RECALL_FIELDS.items():
        try:
            body[name] = kind(settings[name].replace(",", "."))
        except ValueError:
            errors[name] = _("Give a whole number.") if kind is int else _("Give a number.")
    if settings.get("decided_by_poll_id"):
        body["decided_by_poll_id"] = settings["decided_by_poll_id"]
    if settings.get("vacancy_rule") in VACANCY_RULES:
        body["vacancy_rule"] = settings["vacancy_rule"]
    return body, errors


def read_mandate(form: Mapping) -> dict[str, str]:
    names = ("role", "chapter_id", "ends_at", "note")
    return {name: (form.get(name) or "").strip() for name in names}


def check_mandate(_: Translator, mandate: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    if mandate["role"] not in ("admin", "coordinator"):
        errors["role"] = _("Choose admin or coordinator.")
    elif mandate["role"] == "coordinator" and not mandate["chapter_id"]:
        errors["chapter_id"] = _("Choose the chapter to coordinate.")
    if mandate["ends_at"] and _utc(mandate["ends_at"]) is None:
        errors["ends_at"] = _("Give the end date and time, or leave it empty.")
    return errors


def mandate_body(member_id: str, mandate: Mapping[str, str]) -> dict:
    body: dict = {"member_id": member_id, "role": mandate["role"]}
    if mandate["role"] == "coordinator":
        body["chapter_id"] = mandate["chapter_id"]
    if mandate["ends_at"]:
        body["ends_at"] = _iso(mandate["ends_at"])
    if mandate["note"]:
        body["note"] = mandate["note"]
    return body


def term_body(_: Translator, form: Mapping) -> tuple[dict, dict[str, str]]:
    """(body of PATCH /api/v1/mandates/{id}, errors by field) from the "end on …" form: an
    empty date clears the end; the reason is public."""
    ends_at = (form.get("ends_at") or "").strip()
    reason = (form.get("reason") or "").strip()
    errors = {}
    if ends_at and _utc(ends_at) is None:
        errors["ends_at"] = _("Give the end date and time, or leave it empty.")
    if len(reason) > REASON_MAX:
        errors["reason"] = _("Keep the reason under {n} characters.", n=REASON_MAX)
    if errors:
        return {}, errors
    body: dict = {"ends_at": _iso(ends_at) if ends_at else None}
    if reason:
        body["reason"] = reason
    return body, errors
