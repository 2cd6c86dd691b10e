"""The recall quorum as a chapter decides it (issue 18): never zero without a recorded decision.

A chapter's recall vote needs a quorum (default `RECALL_QUORUM_PERCENT`, 20: a fifth of the
chapter's active members must vote). A chapter may set another; setting it to 0 needs
`decided_by_poll_id`, a closed poll of that chapter (members records every chapter poll that
closes, from `polls.poll.closed`), else 422 naming the field. Any other quorum forgets the
decision it no longer needs.
"""

from __future__ import annotations

from services.common.errors import ApiError
from services.members.store import recall as recall_store

VACANCY_RULES = ("by_election", "next_candidate")


def _refuse(message: str) -> ApiError:
    return ApiError(422, message, "validation_failed", fields={"decided_by_poll_id": [message]})


# Which way each rule makes a recall harder: up (+1) or down (-1).
HARDER = {
    "threshold_percent": 1,
    "threshold_minimum": 1,
    "quorum_percent": 1,
    "cooling_off_days": 1,
    "petition_days": -1,
    "vote_hours": -1,
}


def _harder(current: dict, values: dict) -> list[str]:
    return sorted(
        k for k, sign in HARDER.items() if sign * (float(values[k]) - float(current[k])) > 0
    )


def settle(cur, chapter_id, current: dict, changes: dict, *, own: bool = False) -> dict:
    """The chapter's rules after `changes` (schema-checked), the quorum's decision checked.
    `own`: the caller is a coordinator of the chapter itself, whose recall these rules govern;
    making a recall harder then needs a closed chapter poll that decided it."""
    changes = dict(changes)
    decided_by = changes.pop("decided_by_poll_id", None)
    values = {**current, **changes}
    harder = _harder(current, values) if own else []
    if harder:
        if recall_store.closed_chapter_poll(cur, str(decided_by or ""), chapter_id) is None:
            raise _refuse(
                "These rules govern your own recall: making a recall harder ("
                + ", ".join(harder)
                + ") needs a chapter decision: the id of the closed chapter poll that decided it."
            )
    if float(values["quorum_percent"]) > 0:
        values["quorum_decided_by_poll_id"] = None
        return values
    if "quorum_percent" not in changes and decided_by is None:
        return values  # zero already, decided before; other rules change
    if not decided_by:
        raise _refuse(
            "A recall quorum of zero needs a recorded chapter decision: "
            "the id of the closed chapter poll that decided it."
        )
    if recall_store.closed_chapter_poll(cur, str(decided_by), chapter_id) is None:
        raise _refuse("Not a closed poll of this chapter.")
    values["quorum_decided_by_poll_id"] = str(decided_by)
    return values


def record_closed_poll(cur, event: dict) -> None:
    """Remember a closed chapter poll: it may be cited as a chapter's decision."""
    data = event["data"]
    scope = data.get("scope") or {}
    if scope.get("type") == "chapter" and scope.get("id"):
        recall_store.record_closed_chapter_poll(
            cur, str(data["poll_id"]), scope["id"], data.get("title"), data.get("closed_at")
        )
