"""Delegates and recall in polls (issue 7): delegate elections, delegate polls, recall votes.

- **Delegate election** (`POST /api/v1/polls/delegate-elections`): a chapter poll whose options are
  candidates (members of the chapter); STV with `seats`. At close, `polls.poll.closed` carries
  `purpose: "delegate_election"` and `election: {chapter_id, seats, term_days, elected:
  [member_id, ...], uncontested}`; members records the mandates (and ends the terms of the
  chapter's previous delegates). **Uncontested** (no more candidates than seats): there is
  nothing to choose, so no vote is held — the election poll is recorded and closed at once,
  with no ballots (status `closed`, `uncontested: true`), and every candidate is elected.
- **Delegate poll** (`POST /api/v1/polls/delegate-polls`): a poll at a higher-level chapter whose
  electorate is the live delegates of its direct child chapters, fixed when it opens; each
  delegate's weight is the child chapter's active members (sub-chapters included), split
  among that chapter's delegates by largest remainder (10 members, 3 delegates → 4, 3, 3: the
  weights always sum to the members). Ballots are roll-call: besides the sealed ballot that is
  counted, every delegate's latest answers are public (`GET /api/v1/polls/{id}/roll-call`,
  `GET /api/v1/delegates/{member_id}/votes`), by design.
- **Recall vote**: on `members.recall.threshold_reached` polls opens, by itself, a majority
  poll in the delegate's chapter (`recall` / `keep`, `vote_hours` long, at least
  `POLLS_RECALL_MIN_HOURS`); one per petition whatever the redeliveries; it announces
  `polls.recall.opened` {petition_id, poll_id, mandate_id, delegate_id, chapter_id, closes_at}
  (+ delegate_name, chapter_name). At close `polls.poll.closed` carries `purpose: "recall"` and
  `recall: {petition_id, mandate_id, passed, votes_for, votes_against}` (passed: more weight for
  `recall` than for `keep`).

Consumed (worker consumer `delegates`): `members.mandate.granted` / `.revoked` / `.ended`
(delegate mandates with their terms; an ended one no longer counts), and
`members.recall.threshold_reached`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from services.common.bus.outbox import add_event
from services.common.errors import ApiError
from services.polls import store
from services.polls.secrecy import new_poll_key

log = logging.getLogger("councils.polls.delegates")

# Polls learns of chapters from members' events: a chapter founded a moment ago may not be here.
UNKNOWN_CHAPTER = (
    "Unknown chapter: it does not exist, or was founded a moment ago and has not reached polls"
    " yet (retry in a few seconds)."
)

PRODUCER = "polls"
SYSTEM = "system"
RECALL_OPTIONS = ["recall", "keep"]
DEFAULT_TERM_DAYS = 365


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _when(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def split_weights(members: int, delegates: int) -> list[int]:
    """`members` split among `delegates` as equally as integers allow (largest remainder)."""
    if delegates <= 0:
        return []
    base, extra = divmod(members, delegates)
    return [base + (1 if i < extra else 0) for i in range(delegates)]


# --- hooks called by PollsService --------------------------------------------------------------


def fix_electorate(cur, poll: dict, now) -> int | None:
    """The weighted electorate of a delegate poll (None for any other poll)."""
    purpose = store.poll_purpose(cur, poll["id"])
    if purpose is None or purpose["purpose"] != "delegate_poll":
        return None
    rows = store.child_chapter_delegates(cur, purpose["chapter_id"], now)
    by_chapter: dict[str, list[dict]] = {}
    for row in rows:
        by_chapter.setdefault(row["chapter_id"], []).append(row)
    electors = 0
    for chapter_id, delegates in by_chapter.items():
        members = delegates[0]["members"]
        for row, weight in zip(delegates, split_weights(members, len(delegates)), strict=True):
            if weight <= 0:
                continue  # a delegate of an empty chapter carries no say
            store.add_weighted_elector(cur, poll["id"], row["member_id"], chapter_id, weight,
                                       members, len(delegates))
            electors += 1
    return electors


def record_public_vote(cur, poll_id, member_id: str, answers: list, weight: int) -> None:
    """Roll-call: a delegate's vote in a delegate poll is public (no-op for other polls)."""
    purpose = store.poll_purpose(cur, poll_id)
    if purpose is not None and purpose["purpose"] == "delegate_poll":
        store.record_public_vote(cur, poll_id, member_id, weight, answers)


def closed_extras(cur, poll: dict, per_question: list[dict]) -> dict:
    """Extra fields of `polls.poll.closed` for delegate elections and recall votes."""
    purpose = store.poll_purpose(cur, poll["id"])
    if purpose is None:
        return {}
    details = purpose["details"] or {}
    if purpose["purpose"] == "delegate_election":
        candidates = details.get("candidates") or {}
        winners = per_question[0].get("winners", []) if per_question else []
        return {
            "purpose": "delegate_election",
            "election": {
                "chapter_id": purpose["chapter_id"],
                "seats": details.get("seats", 1),
                "term_days": details.get("term_days", DEFAULT_TERM_DAYS),
                "elected": list(candidates.values()) if details.get("uncontested")
                else [candidates[w] for w in winners if w in candidates],
                "uncontested": bool(details.get("uncontested")),
            },
        }
    if purpose["purpose"] == "recall":
        questions = store.get_questions(cur, poll["id"])
        totals = store.weighted_choices(cur, poll["id"], str(questions[0]["id"]))
        votes_for, votes_against = totals.get("recall", 0), totals.get("keep", 0)
        return {
            "purpose": "recall",
            "recall": {
                "petition_id": purpose["petition_id"],
                "mandate_id": details.get("mandate_id"),
                "passed": votes_for > votes_against,
                "votes_for": votes_for,
                "votes_against": votes_against,
            },
        }
    return {"purpose": purpose["purpose"]}


# --- creating the polls ------------------------------------------------------------------------


def _create(service, cur, *, title, text, chapter_id, questions, opens_at, closes_at,
            created_by, purpose, details, petition_id=None, request_id=None, open_now=True):
    """Insert the poll, its questions, key and purpose; open it now if due. None when a recall
    poll for `petition_id` exists already."""
    poll_id = uuid.uuid4()
    store.insert_poll(cur, {
        "id": poll_id, "title": title, "text": text or "", "scope_type": "chapter",
        "scope_id": chapter_id, "status": "scheduled", "opens_at": opens_at,
        "closes_at": closes_at, "created_by": created_by, "live_results": False,
        "proposal_id": None,
    })
    for position, question in enumerate(questions):
        store.insert_question(
            cur, {"id": uuid.uuid4(), "poll_id": poll_id, "position": position, **question}
        )
    store.insert_key(cur, poll_id, *new_poll_key(service.secret_keys[0], poll_id))
    if not store.insert_purpose(cur, poll_id, purpose, chapter_id, details, petition_id):
        return None
    if open_now and opens_at <= service.clock():
        service._open(cur, poll_id, request_id)
    return poll_id


def _times(service, data) -> tuple[dt.datetime, dt.datetime]:
    now = service.clock()
    opens_at = data.get("opens_at") or now
    closes_at = data["closes_at"]
    if closes_at <= now or closes_at <= opens_at:
        raise ApiError(422, "closes_at must be in the future and after opens_at.",
                       "validation_failed", {"closes_at": ["Must be later."]})
    return opens_at, closes_at


def create_election(service, identity, data: dict, request_id=None) -> dict:
    chapter_id = str(data["chapter_id"])
    candidates = data["candidates"]
    names = [c["name"].strip() for c in candidates]
    member_ids = [str(c["member_id"]) for c in candidates]
    if len(set(names)) != len(names) or len(set(member_ids)) != len(member_ids):
        raise ApiError(422, "Each candidate appears once, under a name of their own.",
                       "validation_failed", {"candidates": ["Duplicate candidate or name."]})
    seats = data.get("seats") or 1
    text = data.get("question") or f"Elect {seats} delegate(s) of this chapter"
    if len(member_ids) <= seats:  # uncontested: nothing to vote on, so nothing to check
        question = {"text": text, "method": "stv", "options": names,
                    "settings": {"seats": len(names)}}
    else:
        [question] = service._check_questions([{
            "text": text, "method": "stv", "options": names, "seats": seats,
        }])
    opens_at, closes_at = _times(service, data)
    with service.db.transaction() as cur:
        service._require_launch(cur, identity, "chapter", chapter_id)
        if not store.chapter_exists(cur, chapter_id):
            raise ApiError(422, f"Unknown chapter {chapter_id!r}.", "validation_failed",
                           {"chapter_id": [UNKNOWN_CHAPTER]})
        for index, member_id in enumerate(member_ids):
            if not _active_member_of(cur, member_id, chapter_id):
                raise ApiError(422, "Candidates are active members of the chapter.",
                               "validation_failed",
                               {f"candidates[{index}].member_id": ["Not an active member here."]})
        uncontested = len(member_ids) <= seats
        details = {"seats": seats, "term_days": data.get("term_days") or DEFAULT_TERM_DAYS,
                   "candidates": dict(zip(names, member_ids, strict=True)),
                   "uncontested": uncontested}
        poll_id = _create(service, cur, title=data["title"], text=data.get("text"),
                          chapter_id=chapter_id, questions=[question], opens_at=opens_at,
                          closes_at=closes_at, created_by=identity.member_id,
                          purpose="delegate_election", details=details, request_id=request_id,
                          open_now=not uncontested)
        if uncontested:  # nothing to choose: elected without a vote, closed at once
            service._close(cur, store.get_poll(cur, poll_id, lock="update"),
                           identity.member_id, request_id)
        view = service._view(cur, poll_id)
        view["purpose"] = "delegate_election"
        view["uncontested"] = uncontested
        return view


def _active_member_of(cur, member_id: str, chapter_id: str) -> bool:
    cur.execute(
        "SELECT 1 FROM replica_memberships s JOIN replica_members m ON m.member_id = s.member_id"
        " WHERE s.member_id = %s AND m.status = 'active' AND NOT m.deleted"
        "   AND (s.chapter_id = %s OR %s = ANY(s.ancestors)) LIMIT 1",
        (member_id, chapter_id, chapter_id),
    )
    return cur.fetchone() is not None


def create_delegate_poll(service, identity, data: dict, request_id=None) -> dict:
    chapter_id = str(data["chapter_id"])
    questions = service._check_questions(data["questions"])
    opens_at, closes_at = _times(service, data)
    with service.db.transaction() as cur:
        service._require_launch(cur, identity, "chapter", chapter_id)
        if not store.chapter_exists(cur, chapter_id):
            raise ApiError(422, f"Unknown chapter {chapter_id!r}.", "validation_failed",
                           {"chapter_id": [UNKNOWN_CHAPTER]})
        poll_id = _create(service, cur, title=data["title"], text=data.get("text"),
                          chapter_id=chapter_id, questions=questions, opens_at=opens_at,
                          closes_at=closes_at, created_by=identity.member_id,
                          purpose="delegate_poll", details={}, request_id=request_id)
        view = service._view(cur, poll_id)
        view["purpose"] = "delegate_poll"
        return view


def open_recall_poll(service, cur, event: dict, min_hours: float) -> uuid.UUID | None:
    """The recall vote for a petition that reached its threshold (idempotent per petition)."""
    data = event["data"]
    petition_id = str(data["petition_id"])
    store.lock_petition_key(cur, petition_id)
    if store.recall_poll_of(cur, petition_id) is not None:
        log.info("recall poll for petition %s exists already", petition_id)
        return None
    chapter_id = str(data["chapter_id"])
    name = data.get("delegate_name") or "the delegate"
    chapter_name = data.get("chapter_name") or "this chapter"
    now = service.clock()
    hours = max(float(data.get("vote_hours") or 0), min_hours)
    closes_at = now + dt.timedelta(hours=hours)
    [question] = service._check_questions([{
        "text": f"Recall {name} as delegate of {chapter_name}?",
        "method": "majority", "options": list(RECALL_OPTIONS),
    }])
    details = {"mandate_id": str(data["mandate_id"]), "delegate_id": str(data["delegate_id"]),
               "reason": data.get("reason")}
    poll_id = _create(service, cur, title=f"Recall vote: {name} ({chapter_name})",
                      text=f"A recall petition reached its threshold "
                           f"({data.get('signatures')} signatures). Reason given: "
                           f"{data.get('reason') or ''}",
                      chapter_id=chapter_id, questions=[question], opens_at=now,
                      closes_at=closes_at, created_by=SYSTEM, purpose="recall",
                      details=details, petition_id=petition_id,
                      request_id=event.get("request_id"))
    if poll_id is None:
        return None
    add_event(cur, "polls.recall.opened", {
        "petition_id": petition_id, "poll_id": str(poll_id),
        "mandate_id": str(data["mandate_id"]), "delegate_id": str(data["delegate_id"]),
        "chapter_id": chapter_id, "delegate_name": data.get("delegate_name"),
        "chapter_name": data.get("chapter_name"), "closes_at": closes_at.isoformat(),
    }, producer=PRODUCER, request_id=event.get("request_id"))
    return poll_id


# --- reading -----------------------------------------------------------------------------------


def roll_call(service, poll_id) -> dict:
    with service.db.transaction() as cur:
        poll = store.get_poll(cur, poll_id)
        purpose = store.poll_purpose(cur, poll_id) if poll else None
        if purpose is None or purpose["purpose"] != "delegate_poll":
            raise ApiError(404, "No delegate poll with this id.", "not_found")
        votes = {v["member_id"]: v for v in store.public_votes_of_poll(cur, poll_id)}
        electors = []
        for e in store.delegate_electors(cur, poll_id):
            vote = votes.get(e["member_id"])
            electors.append({
                "member_id": e["member_id"], "chapter_id": e["chapter_id"],
                "members_represented": e["members"], "delegates_of_chapter": e["delegates"],
                "weight": e["weight"], "voted": vote is not None,
                "answers": vote["answers"] if vote else None,
                "cast_at": _iso(vote["cast_at"]) if vote else None,
            })
        return {"poll_id": str(poll_id), "title": poll["title"], "status": poll["status"],
                "chapter_id": purpose["chapter_id"], "electors": electors}


def votes_of(service, member_id: str) -> dict:
    with service.db.transaction() as cur:
        rows = store.public_votes_of_member(cur, member_id)
    return {"member_id": member_id, "votes": [
        {"poll_id": str(r["poll_id"]), "title": r["title"], "chapter_id": r["chapter_id"],
         "represents": r["represents"], "status": r["status"],
         "closes_at": _iso(r["closes_at"]), "weight": r["weight"], "answers": r["answers"],
         "cast_at": _iso(r["cast_at"])}
        for r in rows]}


# --- consumer --------------------------------------------------------------------------------


def handlers(service, min_hours: float = 1.0) -> dict:
    def mandate_granted(cur, event: dict) -> None:
        data = event["data"]
        if str(data["role"]) != "delegate" or data.get("chapter_id") is None:
            return
        store.upsert_delegate_mandate(cur, str(data["mandate_id"]), str(data["member_id"]),
                                      str(data["chapter_id"]), _when(data.get("starts_at")),
                                      _when(data.get("ends_at")))

    def mandate_revoked(cur, event: dict) -> None:
        data = event["data"]
        if str(data["role"]) == "delegate":
            store.revoke_delegate_mandate(cur, str(data["mandate_id"]))

    def threshold_reached(cur, event: dict) -> None:
        open_recall_poll(service, cur, event, min_hours)

    return {
        "members.mandate.granted": mandate_granted,
        "members.mandate.revoked": mandate_revoked,
        "members.mandate.ended": mandate_revoked,
        "members.recall.threshold_reached": threshold_reached,
    }
