"""Words for what the API returns as codes: methods, statuses, roles, dates, answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gateway.web import ballot as ballots
from gateway.web import i18n
from gateway.web.i18n import Translator


def method_label(_: Translator, method: str) -> str:
    return {
        "plurality": _("Single choice: most votes wins"),
        "majority": _("Single choice: a majority is needed"),
        "approval": _("Approval: choose all you accept"),
        "irv": _("Ranked: instant runoff"),
        "stv": _("Ranked, several seats (single transferable vote)"),
        "schulze": _("Ranked: head-to-head (Schulze)"),
        "borda": _("Ranked: points per rank (Borda)"),
        "consensus": _("Consensus: agree, stand aside, concern or block"),
        "consensus_vote": _("Fallback vote: yes or no"),
    }.get(method, method)


def when(value: str | None) -> str:
    """An ISO timestamp as people read it, in UTC, in the request's language."""
    return i18n.when(value)


def closed_on(poll: Mapping) -> str | None:
    """When a closed poll closed: the earlier of its deadline and the moment it was closed (a
    poll closed early closed then; a poll recreated later, as the demo's seeded ones, or
    closed by the scheduler a moment after its deadline closed at its deadline)."""
    moments = [m for m in (poll.get("closed_at"), poll.get("closes_at")) if m]
    if not moments:
        return None
    try:
        return min(moments, key=lambda m: dt.datetime.fromisoformat(str(m)))
    except ValueError:
        return moments[0]


def not_eligible_reason(_: Translator, poll: Mapping, member: Mapping) -> str:
    """Why this member may not vote in this open poll, as plainly as we can tell."""
    scope = poll.get("scope") or {}
    if member.get("status") == "pending":
        return _(
            "Your membership is still pending: you can vote in polls that open after "
            "you are approved."
        )
    if member.get("status") not in (None, "active"):
        return _("Only active members vote.")
    if poll.get("purpose") == "delegate_poll":  # not "you are not in the electorate"
        return _(
            "In a delegate poll the chapters' delegates vote for their members, and the level's "
            "direct members vote in person: see below who is represented."
        )
    if scope.get("type") == "chapter" and str(scope.get("id")) not in {
        str(c) for c in member.get("chapter_ids") or []
    }:
        return _(
            "This poll is for the members of one chapter, and you are not a member of "
            "this chapter (or of one of its sub-chapters)."
        )
    if scope.get("type") == "current" and str(scope.get("id")) not in {
        str(c.get("id")) for c in member.get("currents") or []
    }:
        return _(
            "This poll is for the members of one current, and you are not a member of this current."
        )
    activated, opened = member.get("activated_at"), poll.get("opened_at")
    try:
        late = bool(
            activated
            and opened
            and dt.datetime.fromisoformat(str(activated)) > dt.datetime.fromisoformat(str(opened))
        )
    except ValueError:
        late = False
    if late:
        return _(
            "You were approved after this poll opened ({when}): the list of voters is "
            "fixed when a poll opens.",
            when=when(opened),
        )
    return _(
        "You are not in this poll's electorate: the list of voters was fixed when the poll opened."
    )


def live_rule(_: Translator, poll: Mapping) -> str:
    """How this poll publishes results while open, stated before voting."""
    rule = poll.get("live_results_rule") or {}
    if not poll.get("live_results"):
        return ""
    batch = rule.get("min_new_voters")
    if not batch:
        return _("Results are shown while this poll is open.")
    return _.ngettext(
        "Results are shown while this poll is open, but only once at least {n} member has "
        "voted, and refreshed only after {n} more have voted: no single vote can be told from "
        "two readings.",
        "Results are shown while this poll is open, but only once at least {n} members have "
        "voted, and refreshed only after {n} more have voted: no single vote can be told from "
        "two readings.",
        batch,
    )


def category_labels(_: Translator) -> dict[str, str]:
    return {
        "polls": _("New polls and proposals"),
        "reminders": _("Reminders before a vote closes"),
        "results": _("Results"),
        "recall": _("Recall petitions"),
        "events": _("Chapter events and meetings"),
        "newsletters": _("Newsletters"),
    }


def petition_status(_: Translator, status: str) -> str:
    return {
        "open": _("Collecting signatures"),
        "threshold_reached": _("Enough signatures: a recall vote follows"),
        "voting": _("Recall vote under way"),
        "revoked": _("Recalled: the mandate was revoked"),
        "kept": _("Kept: the recall vote did not pass"),
        "expired": _("Expired without enough signatures"),
    }.get(status, status.replace("_", " "))


def role_label(_: Translator, role: str) -> str:
    return {
        "delegate": _("Delegate"),
        "coordinator": _("Coordinator"),
        "admin": _("Admin"),
        "treasurer": _("Treasurer"),
        "secretary": _("Secretary"),
    }.get(role, role)


def petition_progress(_: Translator, petition: Mapping) -> dict:
    """Signatures against the threshold, in numbers and in words."""
    signatures = int(petition.get("signatures") or 0)
    threshold = max(1, int(petition.get("threshold") or 1))
    missing = max(0, threshold - signatures)
    words = (
        _(
            "{s} of {t} signatures needed; {m} more to reach the threshold.",
            s=signatures,
            t=threshold,
            m=missing,
        )
        if missing
        else _("{s} signatures: the threshold of {t} is reached.", s=signatures, t=threshold)
    )
    return {
        "signatures": signatures,
        "threshold": threshold,
        "missing": missing,
        "percent": min(100, round(100 * signatures / threshold)),
        "words": words,
        "status": petition_status(_, str(petition.get("status", ""))),
    }


def chapter_criteria(_: Translator, status: dict) -> list[tuple[str, bool]]:
    """The working-chapter rules in words, each with whether the chapter meets it."""
    thresholds = status.get("thresholds") or {}
    words = {
        "min_members": lambda t: _("At least {n} members", n=t),
        "min_women_share": lambda t: _(
            "At least {p}% women", p=round(float(t) * 100 if float(t) <= 1 else float(t))
        ),
        "meeting_within_days": lambda t: _("A recorded meeting in the last {n} days", n=t),
    }
    # The API names each criterion by what it looks at and each threshold by its rule.
    rule_of = {
        "members": "min_members",
        "women": "min_women_share",
        "active": "meeting_within_days",
    }
    lines = []
    for name, met in (status.get("criteria") or {}).items():
        key = rule_of.get(name, name)
        threshold = thresholds.get(key)
        try:
            text = words[key](threshold) if key in words and threshold is not None else key
        except (TypeError, ValueError):
            text = key
        lines.append((text, bool(met)))
    return lines


def describe_answer(_: Translator, answer: Mapping) -> str:
    if answer.get("abstain"):
        return _("Abstained")
    if "choice" in answer:
        return answer["choice"] if answer["choice"] is not None else _("Abstained")
    if "approve" in answer:
        return _("Approved: {names}", names=", ".join(answer["approve"]) or _("none"))
    if "ranking" in answer:
        return " > ".join(f"{i}. {name}" for i, name in enumerate(answer["ranking"], 1))
    if "response" in answer:
        text = ballots.response_label(_, answer["response"])
        return text + (f" — {answer['reason']}" if answer.get("reason") else "")
    return ""


def weighted_turnout(_: Translator, results: Mapping | None) -> str | None:
    """Turnout of a poll whose affected chapters weigh more, by people and by weight, when the
    two differ (delegate polls say theirs in their representation); None otherwise."""
    if not results or "electors" not in results:
        return None
    people, weight = results.get("turnout_people"), results.get("turnout_weight")
    if people is None or weight is None or people == weight:
        return None
    return _(
        "Turnout: {people} of the members voted; {weight} of the electorate by weight (ballots "
        "from the affected chapters count more).",
        people=_.format_percent(people, 1),
        weight=_.format_percent(weight, 1),
    )
