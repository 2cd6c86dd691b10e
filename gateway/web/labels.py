"""Words for what the API returns as codes: methods, statuses, roles, dates, answers."""

from __future__ import annotations

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
    return {"delegate": _("Delegate"), "coordinator": _("Coordinator"),
            "treasurer": _("Treasurer"), "secretary": _("Secretary")}.get(role, role)


def petition_progress(_: Translator, petition: Mapping) -> dict:
    """Signatures against the threshold, in numbers and in words."""
    signatures = int(petition.get("signatures") or 0)
    threshold = max(1, int(petition.get("threshold") or 1))
    missing = max(0, threshold - signatures)
    words = (_("{s} of {t} signatures needed; {m} more to reach the threshold.", s=signatures,
               t=threshold, m=missing) if missing
             else _("{s} signatures: the threshold of {t} is reached.", s=signatures,
                    t=threshold))
    return {"signatures": signatures, "threshold": threshold, "missing": missing,
            "percent": min(100, round(100 * signatures / threshold)), "words": words,
            "status": petition_status(_, str(petition.get("status", "")))}


def chapter_criteria(_: Translator, status: dict) -> list[tuple[str, bool]]:
    """The working-chapter rules in words, each with whether the chapter meets it."""
    thresholds = status.get("thresholds") or {}
    words = {
        "min_members": lambda t: _("At least {n} members", n=t),
        "min_women_share": lambda t: _("At least {p}% women", p=round(
            float(t) * 100 if float(t) <= 1 else float(t))),
        "meeting_within_days": lambda t: _("A recorded meeting in the last {n} days", n=t),
    }
    lines = []
    for key, met in (status.get("criteria") or {}).items():
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
