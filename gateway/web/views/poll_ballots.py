"""`/polls/<id>/ballots`: after close, every counted ballot as published (no names, no
receipts) and the sorted list of the receipts' commitments, with "find mine": the member's
receipt goes in a POST form (never a URL), the API says whether it was counted and under which
commitment, and the page shows that commitment in the list — never the member's answers
(receipt-free by design: docs/security.md)."""

from __future__ import annotations

import re

from flask import Blueprint, request

from gateway.client import ApiProblem
from gateway.web.context import api, render, translator
from gateway.web.labels import describe_answer
from gateway.web.views.polls import load_poll

bp = Blueprint("poll_ballots", __name__)

BALLOTS_PAGE = 50
COMMITMENTS_PAGE = 100
RECEIPT = re.compile(r"^[A-Za-z0-9_-]{24}$")
CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def _cursor(name: str) -> str | None:
    value = request.args.get(name) or ""
    return value if CURSOR.match(value) else None


def _commitments(poll_id: str, start: str | None, ballots: list) -> dict:
    try:
        return api().get(
            f"/api/v1/polls/{poll_id}/commitments", limit=COMMITMENTS_PAGE, after=start
        )
    except ApiProblem as problem:
        if problem.status != 404 or problem.code == "receipt_not_found":
            raise
        # TRANSITIONAL (issue 13): before /commitments, each ballot carried its receipt's hash.
        return {
            "commitments": sorted(b["receipt_hash"] for b in ballots if b.get("receipt_hash")),
            "next": None,
        }


def _published(poll: dict, entry: str | None) -> dict:
    """A page of ballots and a page of commitments (the page holding `entry` when given)."""
    ballots = api().get(
        f"/api/v1/polls/{poll['id']}/ballots", limit=BALLOTS_PAGE, after=_cursor("after")
    )
    found = list(ballots.get("ballots") or [])
    # Commitments are sorted hex: starting just before the entry's last digit shows it first.
    commitments = _commitments(poll["id"], entry[:-1] if entry else _cursor("start"), found)
    texts = {str(q["id"]): q.get("text", "") for q in poll.get("questions", [])}
    _ = translator()
    rows = []
    for ballot in found:
        lines = [
            (texts.get(str(a.get("question_id")), ""), describe_answer(_, a))
            for a in ballot.get("answers") or []
            if isinstance(a, dict)
        ]
        rows.append({"weight": ballot.get("weight") or 1, "lines": lines})
    return {
        "rows": rows,
        "next_ballots": ballots.get("next"),
        "commitments": commitments.get("commitments") or [],
        "next_commitments": commitments.get("next"),
    }


def _page(
    poll_id: str,
    status: int = 200,
    receipt: str = "",
    error: str | None = None,
    entry: str | None = None,
    found: str | None = None,
):
    poll = load_poll(poll_id)
    published, not_yet = None, False
    if poll.get("status") == "closed":
        try:
            published = _published(poll, entry)
        except ApiProblem as problem:
            if problem.status != 409:
                raise
            not_yet = True
    else:
        not_yet = True
    return render(
        "ballots.html",
        status,
        poll=poll,
        published=published,
        not_yet=not_yet,
        receipt=receipt,
        error=error,
        entry=entry,
        found=found,
    )


@bp.get("/polls/<poll_id>/ballots")
def ballots(poll_id):
    return _page(poll_id)


@bp.post("/polls/<poll_id>/ballots")
def find_mine(poll_id):
    """Find my ballot's commitment: the receipt comes in the form body, never in a URL."""
    _ = translator()
    receipt = (request.form.get("receipt") or "").strip()
    if not receipt:
        return _page(poll_id, 422, error=_("Paste your receipt here."))
    if not RECEIPT.match(receipt):
        return _page(
            poll_id,
            422,
            receipt=receipt,
            error=_(
                "That does not look like a receipt: a receipt is 24 letters, digits, - or _. "
                "Check that you copied all of it."
            ),
        )
    try:
        answer = api().post(f"/api/v1/polls/{poll_id}/ballots/check", {"receipt": receipt})
    except ApiProblem as problem:
        if problem.status == 404 and problem.code != "not_found":
            return _page(
                poll_id,
                404,
                receipt=receipt,
                error=_(
                    "No counted ballot has this receipt in this poll. Check that you copied all "
                    "of it, and that it is the receipt of this poll."
                ),
            )
        if problem.status in (400, 422):
            return _page(
                poll_id,
                422,
                receipt=receipt,
                error=_("That does not look like a receipt. Check that you copied all of it."),
            )
        raise
    if answer.get("status") != "counted" or not answer.get("entry"):
        return _page(
            poll_id,
            receipt=receipt,
            found=_("Your ballot is recorded; it is counted and published when the poll closes."),
        )
    return _page(
        poll_id,
        receipt="",
        entry=answer["entry"],
        found=_(
            "Your ballot was counted. Its commitment is marked in the list below: the same "
            "fingerprint of your receipt that everyone sees. The list does not show how you voted, "
            "and neither does this page."
        ),
    )
