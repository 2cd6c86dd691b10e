"""Casting, changing and checking secret ballots."""

from __future__ import annotations

import hmac
from typing import Any

from services.common.auth import Identity
from services.common.errors import ApiError
from services.polls.answers import check_answers
from services.polls.context import PollsContext
from services.polls.padding import ballot_size
from services.polls.secrecy import receipt_hash
from services.polls.service import purposes
from services.polls.service.keys import derive, key_of, latest_sealed
from services.polls.service.rows import present
from services.polls.slots import SEALED_BY_ROLL, BallotContext
from services.polls.store import ballots as ballots_sql
from services.polls.store import polls as polls_sql


def questions_of_open_poll(ctx: PollsContext, cur: Any, poll_id: Any) -> tuple[list[dict], int]:
    """A poll's questions and the size of its padded ballots, cached per process: they
    never change once the poll is created, and are only cached once it is open (so
    certainly committed)."""
    known = ctx.definitions.get(poll_id)
    if known is not None:
        return known
    questions = polls_sql.get_questions(cur, poll_id)
    known = (questions, ballot_size(questions))
    ctx.definitions.put(poll_id, known)
    return known


def ballot_context(
    ctx: PollsContext, cur: Any, poll_id: Any, identity: Identity, answers: Any
) -> BallotContext:
    """Clean answers, elector weight, poll key and purpose — in the order validation, 403,
    409 — from one locking query (and the per-process cache of the poll's questions)."""
    context = ballots_sql.ballot_context(cur, poll_id, identity.member_id)
    if context is None:
        raise ApiError(404, "No such poll.")
    status = context["status"]
    if status == "open":
        questions, size = questions_of_open_poll(ctx, cur, poll_id)
    else:
        questions, size = polls_sql.get_questions(cur, poll_id), 0
    clean = check_answers(questions, answers)
    if status == "scheduled":
        raise ApiError(409, "This poll is not open yet.", "poll_not_open")
    weight = context["weight"]
    if weight is None:
        raise ApiError(
            403,
            "You are not in this poll's electorate (fixed when it opened; "
            "pending members cannot vote).",
            "not_eligible",
        )
    if status != "open":
        ctx.definitions.forget(poll_id)
        raise ApiError(409, "This poll is closed.", "poll_closed")
    salt = context["salt"]
    if salt is None:  # cannot happen while open; never cast without the key
        raise ApiError(409, "This poll is closed.", "poll_closed")
    check = context["key_check"]
    key = derive(ctx, poll_id, bytes(salt), None if check is None else bytes(check))
    return BallotContext(clean, weight, key, context["purpose"], context["sealing"], size)


def _record_public_vote(
    cur: Any, purpose: Any, poll_id: Any, member: str, clean: list, weight: int
) -> None:
    if purpose == "delegate_poll":  # roll-call (a no-op for every other poll)
        purposes.record_public_vote(cur, poll_id, member, clean, weight)


def cast(
    ctx: PollsContext,
    identity: Identity,
    poll_id: Any,
    answers: Any,
    idempotency_key: str | None = None,
) -> dict:
    """201 {receipt}; a retry with the same Idempotency-Key and the same answers gets the
    same receipt, with other answers a 409. The one row written names nobody: the slot
    HMAC(key, receipt), the ballot padded to the poll's one length and sealed."""
    with ctx.db.transaction() as cur:
        bc = ballot_context(ctx, cur, poll_id, identity, answers)
        member = identity.member_id
        receipt = bc.key.receipt(member)
        tag = bc.key.retry_tag(member, idempotency_key) if idempotency_key else None
        if bc.sealing == SEALED_BY_ROLL:
            sealed = bc.key.seal(receipt_hash(receipt), bc.clean, bc.weight, bc.size)
            if not ballots_sql.cast_sealed(cur, poll_id, member, tag, sealed):
                entry = polls_sql.roll_entry(cur, poll_id, member)
                _second_cast(tag, entry["retry_tag"] if entry else None, True)
                return {"receipt": receipt, "replayed": True}
        else:
            slot = bc.key.slot(receipt)
            sealed = bc.key.seal(receipt_hash(receipt), bc.clean, bc.weight, bc.size, tag)
            if not ballots_sql.insert_slot(cur, poll_id, slot, sealed):
                first = bc.key.open(present(ballots_sql.slot_sealed(cur, poll_id, slot)))
                _second_cast(tag, first.get("t"), first["a"] == bc.clean)
                return {"receipt": receipt, "replayed": True}
        _record_public_vote(cur, bc.purpose, poll_id, member, bc.clean, bc.weight)
        return {"receipt": receipt, "replayed": False}


def _second_cast(tag: str | None, first_tag: str | None, same_answers: bool) -> None:
    """A cast by someone who has voted: a replay (return) of the same request, or a 409."""
    if not (tag and first_tag and hmac.compare_digest(first_tag, tag)):
        raise ApiError(
            409,
            "You have already voted in this poll; change your vote with PUT and your receipt.",
            "already_voted",
        )
    if not same_answers:
        raise ApiError(
            409,
            "This Idempotency-Key was used for a ballot with other answers; use a new key "
            "for a new request (or PUT with your receipt to change your vote).",
            "idempotency_key_reused",
        )


def change(ctx: PollsContext, identity: Identity, poll_id: Any, receipt: str, answers: Any) -> dict:
    """Replace the caller's sealed ballot (nothing else is written: no roll row is read
    for update or touched)."""
    with ctx.db.transaction() as cur:
        bc = ballot_context(ctx, cur, poll_id, identity, answers)
        member = identity.member_id
        sealed = bc.key.seal(receipt_hash(receipt), bc.clean, bc.weight, bc.size)
        if not bc.key.owns(member, receipt):
            changed = False
        elif bc.sealing == SEALED_BY_ROLL:
            changed = ballots_sql.change_sealed(cur, poll_id, member, sealed)
        else:
            changed = ballots_sql.replace_slot(cur, poll_id, bc.key.slot(receipt), sealed)
        if not changed:
            raise ApiError(404, "No ballot of yours with this receipt.", "not_found")
        _record_public_vote(cur, bc.purpose, poll_id, member, bc.clean, bc.weight)
        return {"receipt": receipt}


def check(ctx: PollsContext, poll_id: Any, receipt: str) -> dict:
    """Receipt-free check: "recorded" (a sealed ballot under this receipt waits for the
    count) or "counted" (its commitment is among the counted ones, `entry`); never the
    answers."""
    with ctx.db.transaction() as cur:
        poll = polls_sql.get_poll(cur, poll_id)
        if poll is None:
            raise ApiError(404, "No such poll.")
        commitment = receipt_hash(receipt)
        if poll["status"] == "closed":
            if ballots_sql.is_counted(cur, poll_id, commitment):
                return {"status": "counted", "entry": commitment}
        elif poll["status"] == "open" and _recorded(ctx, cur, poll, receipt, commitment):
            return {"status": "recorded", "entry": None}
    raise ApiError(404, "No ballot with this receipt in this poll.", "receipt_not_found")


def _recorded(ctx: PollsContext, cur: Any, poll: dict, receipt: str, commitment: str) -> bool:
    key = key_of(ctx, cur, poll["id"])
    if key is None:
        return False
    if ballots_sql.slot_sealed(cur, poll["id"], key.slot(receipt)) is not None:
        return True
    if poll["sealing"] != SEALED_BY_ROLL:
        return False
    return any(b["r"] == commitment for b in latest_sealed(ctx, cur, poll["id"]))
