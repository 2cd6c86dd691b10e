"""Use cases of the polls service; each owns its transaction and writes state + outbox rows."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

from services.common.bus.outbox import add_event
from services.common.config import env_int
from services.common.errors import ApiError
from services.common.runtime import Runtime
from services.polls import delegate_polls, slots, store
from services.polls.answers import (
    CONSENSUS_METHODS,
    FALLBACK_OPTIONS,
    METHODS,
    RESPONSES,
    check_answers,
)
from services.polls.counting import count_poll
from services.polls.discussion import Discussion
from services.polls.padding import ballot_size
from services.polls.secrecy import (
    KeyUnavailable,
    PollKey,
    new_poll_key,
    poll_key,
    receipt_hash,
    shuffled,
)
from services.polls.slots import SEALED_BY_ROLL, BallotContext

log = logging.getLogger("councils.polls")

PRODUCER = "polls"
MAX_OPTIONS = 200
MAX_QUESTIONS = 100
SETTING_KEYS = (
    "seats",
    "threshold",
    "quorum",
    "max_stand_asides",
    "max_rounds",
    "fallback",
    "fallback_quorum",
    "seed",
    # Set by the service only (the API schema does not take them): a consensus round's history.
    "process",
    "previous_poll_id",
)
CLOSING_SOON_PAGE = 500
DEFINITIONS_CACHED = 256  # open polls whose questions a process keeps


class _DryRun(Exception):
    """Stops a dry-run launch inside its transaction, carrying the poll it would create."""

    def __init__(self, view: dict) -> None:
        super().__init__("dry run")
        self.view = view


def _count():
    from services.polls.voting import count  # the voting core; imported when first needed

    return count


def _invalid_election():
    from services.polls.voting.errors import InvalidElection

    return InvalidElection


def scope_of(row: dict) -> dict:
    scope = {"type": row["scope_type"]}
    if row.get("scope_id") is not None:
        scope["id"] = row["scope_id"]
    return scope


def _iso(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def question_view(row: dict) -> dict:
    view = {
        "id": str(row["id"]),
        "position": row["position"],
        "text": row["text"],
        "method": row["method"],
        "options": row["options"],
    }
    view.update(row.get("settings") or {})
    return view


class PollsService:
    """Everything the API and the worker do with polls; `clock` is injectable for tests."""

    def __init__(self, runtime: Runtime, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.secret_keys = runtime.settings.secret_keys  # SECRET_KEY, then previous ones
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._definitions: OrderedDict[str, tuple[list[dict], int]] = OrderedDict()
        # Live results are refreshed in batches of at least this many new voters (per poll,
        # fixed at creation; POLLS_LIVE_RESULTS_BATCH).
        self.live_batch = env_int(
            runtime.settings.extra, "POLLS_LIVE_RESULTS_BATCH", slots.LIVE_BATCH_DEFAULT,
            minimum=slots.LIVE_BATCH_MINIMUM,
        )
        self._definitions_lock = threading.Lock()
        self.discussion = Discussion(self)  # comments, reactions, mentions, reports

    # --- rights ------------------------------------------------------------------------------

    def _is_admin(self, cur, identity) -> bool:
        """An admin mandate in polls' replica, not the token's `admin` claim: a revoked mandate
        stops counting as soon as its event arrives."""
        return store.has_admin_mandate(cur, identity.member_id)

    def can_launch(self, cur, identity, scope_type: str, scope_id: str | None) -> bool:
        if identity is None:
            return False
        if self._is_admin(cur, identity):
            return True
        if not identity.active:
            return False
        if scope_type == "chapter" and scope_id is not None:
            return store.coordinates(cur, identity.member_id, scope_id)
        return False

    def _require_launch(self, cur, identity, scope_type, scope_id, action="launch") -> None:
        if not self.can_launch(cur, identity, scope_type, scope_id):
            what = {
                "organisation": "an admin mandate",
                "chapter": "a coordinator mandate for this chapter (or one above it)",
                "current": "an admin mandate",
            }[scope_type]
            raise ApiError(403, f"To {action} a poll with this scope you need {what}.", "forbidden")

    # --- creating and opening ------------------------------------------------------------------

    def _check_questions(self, questions: list[dict]) -> list[dict]:
        if not questions:
            raise ApiError(
                422,
                "A poll needs at least one question.",
                "validation_failed",
                {"questions": ["At least one question."]},
            )
        if len(questions) > MAX_QUESTIONS:
            raise ApiError(
                422,
                f"At most {MAX_QUESTIONS} questions.",
                "validation_failed",
                {"questions": [f"At most {MAX_QUESTIONS} questions."]},
            )
        clean = []
        for index, question in enumerate(questions):
            where = f"questions[{index}]"
            method = question["method"]
            if method not in METHODS:
                raise ApiError(
                    422,
                    f"{where}: unknown method {method!r}.",
                    "validation_failed",
                    {f"{where}.method": [f"One of {', '.join(sorted(METHODS))}."]},
                )
            options = list(question.get("options") or [])
            if method == "consensus":
                options = list(RESPONSES)
            elif method == "consensus_vote":
                options = list(FALLBACK_OPTIONS)
            problem = None
            if len(options) < 2:
                problem = "Give at least two options."
            elif len(options) > MAX_OPTIONS:
                problem = f"At most {MAX_OPTIONS} options."
            elif any(not isinstance(o, str) or not o.strip() for o in options):
                problem = "Options are non-empty names."
            elif len(set(options)) != len(options):
                problem = "An option appears twice."
            if problem:
                raise ApiError(
                    422, f"{where}: {problem}", "validation_failed", {f"{where}.options": [problem]}
                )
            settings = {k: question[k] for k in SETTING_KEYS if question.get(k) is not None}
            if method == "stv":
                settings.setdefault("seats", 1)
            seats = settings.get("seats")
            if seats is not None and not 1 <= seats <= len(options):
                raise ApiError(
                    422,
                    f"{where}: seats must be between 1 and the number of options.",
                    "validation_failed",
                    {f"{where}.seats": ["Out of range."]},
                )
            if method in CONSENSUS_METHODS:
                self._check_rules(where, settings)
            else:
                self._dry_count(where, method, options, settings)
            clean.append(
                {
                    "text": question["text"],
                    "method": method,
                    "options": options,
                    "settings": settings,
                }
            )
        return clean

    def _check_rules(self, where: str, settings: dict) -> None:
        from services.polls.voting import ConsensusRules

        try:
            ConsensusRules.from_dict(settings)
        except _invalid_election() as exc:
            field = getattr(exc, "field", "question")
            raise ApiError(
                422, f"{where}: {exc}", "validation_failed", {f"{where}.{field}": [str(exc)]}
            ) from None

    def _dry_count(self, where: str, method: str, options: list, settings: dict) -> None:
        """Let the voting core refuse settings it cannot count (a bad threshold, quorum...)."""
        election = {"method": method, "options": options, "ballots": [], "electorate": 1}
        election.update(
            {k: v for k, v in settings.items() if k in ("seats", "threshold", "quorum", "seed")}
        )
        try:
            _count()(election)
        except _invalid_election() as exc:
            field = getattr(exc, "field", "question")
            raise ApiError(
                422, f"{where}: {exc}", "validation_failed", {f"{where}.{field}": [str(exc)]}
            ) from None
        except ImportError:  # the voting core is not installed yet: its checks come later
            pass

    def validate_poll(self, identity, data: dict) -> dict:
        """Every check of create_poll, in the same transaction shape, then roll back: a poll
        that passes here is created by the same request without dry_run."""
        try:
            self.create_poll(identity, data, dry_run=True)
        except _DryRun as done:
            return done.view
        raise AssertionError("dry run did not stop")  # pragma: no cover

    def create_poll(self, identity, data: dict, *, proposal_id=None, request_id=None,
                    dry_run: bool = False) -> dict:
        scope = data["scope"]
        scope_type, scope_id = scope["type"], scope.get("id")
        questions = self._check_questions(data["questions"])
        now = self.clock()
        opens_at = data.get("opens_at") or now
        closes_at = data["closes_at"]
        if closes_at <= now or closes_at <= opens_at:
            raise ApiError(
                422,
                "closes_at must be in the future and after opens_at.",
                "validation_failed",
                {"closes_at": ["Must be later."]},
            )
        with self.db.transaction() as cur:
            self._require_launch(cur, identity, scope_type, scope_id)
            if scope_type == "chapter" and not store.chapter_exists(cur, scope_id):
                raise ApiError(
                    422,
                    f"Unknown chapter {scope_id!r}.",
                    "validation_failed",
                    {"scope.id": [delegate_polls.UNKNOWN_CHAPTER]},
                )
            poll_id = uuid.uuid4()
            store.insert_poll(
                cur,
                {
                    "id": poll_id,
                    "title": data["title"],
                    "text": data.get("text") or "",
                    "scope_type": scope_type,
                    "scope_id": scope_id,
                    "status": "scheduled",
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                    "created_by": identity.member_id,
                    "live_results": bool(data.get("live_results")),
                    "proposal_id": proposal_id,
                    "live_batch": self.live_batch,
                },
            )
            for position, question in enumerate(questions):
                store.insert_question(
                    cur, {"id": uuid.uuid4(), "poll_id": poll_id, "position": position, **question}
                )
            store.insert_key(cur, poll_id, *new_poll_key(self.secret_keys[0], poll_id))
            if opens_at <= now:
                self._open(cur, poll_id, request_id)
            if dry_run:
                raise _DryRun(self._view(cur, poll_id))  # rolls the transaction back
            return self._view(cur, poll_id)

    def _open(self, cur, poll_id, request_id=None) -> None:
        poll = store.get_poll(cur, poll_id)
        electorate = delegate_polls.fix_electorate(cur, poll, self.clock())  # issue 7
        if electorate is None:
            electorate = store.fix_electorate(cur, poll_id, poll["scope_type"], poll["scope_id"])
        store.mark_open(cur, poll_id, electorate)
        members = store.electorate_member_ids(cur, poll_id)
        parts = [members[i:i + 1000] for i in range(0, len(members), 1000)]
        add_event(
            cur,
            "polls.poll.opened",
            {
                "poll_id": str(poll_id),
                "title": poll["title"],
                "scope": scope_of(poll),
                "opens_at": _iso(poll["opens_at"]),
                "closes_at": _iso(poll["closes_at"]),
                "electorate": electorate,
                "invitation_parts": len(parts),
            },
            producer=PRODUCER,
            request_id=request_id,
        )
        self._invite(cur, poll_id, poll, parts, request_id)

    def _invite(self, cur, poll_id, poll, parts: list[list[str]], request_id=None) -> None:
        """`polls.poll.invitations` for exactly the electorate just fixed (issue 17: notify must
        not invite from its own, differently lagging, replica), in parts of 1,000 members."""
        for number, member_ids in enumerate(parts, start=1):
            add_event(
                cur,
                "polls.poll.invitations",
                {
                    "poll_id": str(poll_id),
                    "title": poll["title"],
                    "scope": scope_of(poll),
                    "closes_at": _iso(poll["closes_at"]),
                    "member_ids": member_ids,
                    "part": number,
                    "parts": len(parts),
                },
                producer=PRODUCER,
                request_id=request_id,
            )

    # --- reading -------------------------------------------------------------------------------

    def _view(self, cur, poll_id, identity=None, questions=None) -> dict:
        poll = store.get_poll(cur, poll_id)
        if poll is None:
            raise ApiError(404, "No such poll.")
        if questions is None:
            questions = store.get_questions(cur, poll_id)
        view = self._poll_view(poll, questions)
        view["deadline_changes"] = [
            {
                "from": _iso(c["old_closes_at"]),
                "to": _iso(c["new_closes_at"]),
                "reason": c["reason"],
                "by": c["changed_by"],
                "at": _iso(c["changed_at"]),
            }
            for c in store.deadline_changes(cur, poll_id)
        ]
        if poll["status"] == "open":
            view["voters"] = store.open_voters(cur, poll_id)
        if identity is not None:
            view["eligible"] = store.elector_weight(cur, poll_id, identity.member_id) is not None
            view["voted"] = self._has_voted(cur, poll, identity.member_id)
        return view

    def _has_voted(self, cur, poll: dict, member_id: str) -> bool:
        if store.roll_entry(cur, poll["id"], member_id) is not None:
            return True  # closed, or sealed the old way
        if poll["status"] != "open":
            return False
        key = self._key_of(cur, poll["id"])
        return key is not None and store.slot_sealed(
            cur, poll["id"], key.slot(key.receipt(member_id))) is not None

    def _poll_view(self, poll: dict, questions: list[dict]) -> dict:
        return {
            "id": str(poll["id"]),
            "title": poll["title"],
            "text": poll["text"],
            "scope": scope_of(poll),
            "status": poll["status"],
            "opens_at": _iso(poll["opens_at"]),
            "closes_at": _iso(poll["closes_at"]),
            "created_by": poll["created_by"],
            "created_at": _iso(poll["created_at"]),
            "opened_at": _iso(poll["opened_at"]),
            "closed_at": _iso(poll["closed_at"]),
            "proposal_id": str(poll["proposal_id"]) if poll["proposal_id"] else None,
            "electorate": poll["electorate"],
            "voters": poll["voters"],
            "counted": poll["counted"],
            "live_results": poll["live_results"],
            "live_results_rule": (
                slots.live_rule(poll["live_batch"]) if poll["live_results"] else None
            ),
            "questions": [question_view(q) for q in questions],
        }

    def get_poll(self, poll_id, identity=None) -> dict:
        with self.db.transaction() as cur:
            return self._view(cur, poll_id, identity)

    def list_polls(self, *, status=None, scope_type=None, scope_id=None, limit=50, offset=0,
                   title=None, method=None, purpose=None):
        with self.db.transaction() as cur:
            polls = store.list_polls(
                cur,
                status=status,
                scope_type=scope_type,
                scope_id=scope_id,
                limit=limit,
                offset=offset,
                title=title,
                method=method,
                purpose=purpose,
            )
            questions = store.questions_for(cur, [p["id"] for p in polls])
            return [self._poll_view(p, questions.get(p["id"], [])) for p in polls]

    # --- ballots -------------------------------------------------------------------------------

    def _questions_of_open_poll(self, cur, poll_id) -> tuple[list[dict], int]:
        """A poll's questions and the size of its padded ballots, cached per process: they
        never change once the poll is created, and are only cached once it is open (so
        certainly committed)."""
        key = str(poll_id)
        with self._definitions_lock:
            known = self._definitions.get(key)
            if known is not None:
                self._definitions.move_to_end(key)
                return known
        questions = store.get_questions(cur, poll_id)
        known = (questions, ballot_size(questions))
        with self._definitions_lock:
            self._definitions[key] = known
            while len(self._definitions) > DEFINITIONS_CACHED:
                self._definitions.popitem(last=False)
        return known

    def _forget_definition(self, poll_id) -> None:
        with self._definitions_lock:
            self._definitions.pop(str(poll_id), None)

    def _ballot_context(self, cur, poll_id, identity, answers):
        """Clean answers, elector weight, poll key and purpose — in the order validation, 403,
        409 — from one locking query (and the per-process cache of the poll's questions)."""
        context = store.ballot_context(cur, poll_id, identity.member_id)
        if context is None:
            raise ApiError(404, "No such poll.")
        status = context["status"]
        if status == "open":
            questions, size = self._questions_of_open_poll(cur, poll_id)
        else:
            questions, size = store.get_questions(cur, poll_id), 0
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
            self._forget_definition(poll_id)
            raise ApiError(409, "This poll is closed.", "poll_closed")
        salt = context["salt"]
        if salt is None:  # cannot happen while open; never cast without the key
            raise ApiError(409, "This poll is closed.", "poll_closed")
        check = context["key_check"]
        key = self._poll_key(poll_id, bytes(salt), None if check is None else bytes(check))
        return BallotContext(clean, weight, key, context["purpose"], context["sealing"], size)

    def _poll_key(self, poll_id, salt: bytes, check: bytes | None) -> PollKey:
        try:
            return poll_key(self.secret_keys, poll_id, salt, check)
        except KeyUnavailable:
            log.error("poll %s: none of the configured secrets made its key (SECRET_KEY was "
                      "rotated; put the old one in SECRET_KEY_PREVIOUS)", poll_id)
            raise ApiError(
                503,
                "This poll's key cannot be derived: SECRET_KEY changed while the poll was "
                "open. Nothing was recorded; the operators must restore the previous secret "
                "(SECRET_KEY_PREVIOUS).",
                "poll_key_unavailable",
            ) from None

    def _record_public_vote(self, cur, purpose, poll_id, member, clean, weight) -> None:
        if purpose == "delegate_poll":  # roll-call (a no-op for every other poll)
            delegate_polls.record_public_vote(cur, poll_id, member, clean, weight)

    def cast(self, identity, poll_id, answers, idempotency_key: str | None = None) -> dict:
        """201 {receipt}; a retry with the same Idempotency-Key and the same answers gets the
        same receipt, with other answers a 409. The one row written names nobody: the slot
        HMAC(key, receipt), the ballot padded to the poll's one length and sealed."""
        with self.db.transaction() as cur:
            ctx = self._ballot_context(cur, poll_id, identity, answers)
            member = identity.member_id
            receipt = ctx.key.receipt(member)
            tag = ctx.key.retry_tag(member, idempotency_key) if idempotency_key else None
            if ctx.sealing == SEALED_BY_ROLL:
                sealed = ctx.key.seal(receipt_hash(receipt), ctx.clean, ctx.weight, ctx.size)
                if not store.cast_sealed(cur, poll_id, member, tag, sealed):
                    entry = store.roll_entry(cur, poll_id, member)
                    self._second_cast(tag, entry and entry["retry_tag"], True)
                    return {"receipt": receipt, "replayed": True}
            else:
                slot = ctx.key.slot(receipt)
                sealed = ctx.key.seal(receipt_hash(receipt), ctx.clean, ctx.weight, ctx.size, tag)
                if not store.insert_slot(cur, poll_id, slot, sealed):
                    first = ctx.key.open(store.slot_sealed(cur, poll_id, slot))
                    self._second_cast(tag, first.get("t"), first["a"] == ctx.clean)
                    return {"receipt": receipt, "replayed": True}
            self._record_public_vote(cur, ctx.purpose, poll_id, member, ctx.clean, ctx.weight)
            return {"receipt": receipt, "replayed": False}

    @staticmethod
    def _second_cast(tag: str | None, first_tag: str | None, same_answers: bool) -> None:
        """A cast by someone who has voted: a replay (return) of the same request, or a 409."""
        if not (tag and first_tag and hmac.compare_digest(first_tag, tag)):
            raise ApiError(
                409,
                "You have already voted in this poll; change your vote "
                "with PUT and your receipt.",
                "already_voted",
            )
        if not same_answers:
            raise ApiError(
                409,
                "This Idempotency-Key was used for a ballot with other answers; use a new key "
                "for a new request (or PUT with your receipt to change your vote).",
                "idempotency_key_reused",
            )

    def change(self, identity, poll_id, receipt: str, answers) -> dict:
        """Replace the caller's sealed ballot (nothing else is written: no roll row is read
        for update or touched)."""
        with self.db.transaction() as cur:
            ctx = self._ballot_context(cur, poll_id, identity, answers)
            member = identity.member_id
            sealed = ctx.key.seal(receipt_hash(receipt), ctx.clean, ctx.weight, ctx.size)
            if not ctx.key.owns(member, receipt):
                changed = False
            elif ctx.sealing == SEALED_BY_ROLL:
                changed = store.change_sealed(cur, poll_id, member, sealed)
            else:
                changed = store.replace_slot(cur, poll_id, ctx.key.slot(receipt), sealed)
            if not changed:
                raise ApiError(404, "No ballot of yours with this receipt.", "not_found")
            self._record_public_vote(cur, ctx.purpose, poll_id, member, ctx.clean, ctx.weight)
            return {"receipt": receipt}

    def check(self, poll_id, receipt: str) -> dict:
        """Receipt-free check: "recorded" (a sealed ballot under this receipt waits for the
        count) or "counted" (its commitment is among the counted ones, `entry`); never the
        answers."""
        with self.db.transaction() as cur:
            poll = store.get_poll(cur, poll_id)
            if poll is None:
                raise ApiError(404, "No such poll.")
            commitment = receipt_hash(receipt)
            if poll["status"] == "closed":
                if store.is_counted(cur, poll_id, commitment):
                    return {"status": "counted", "entry": commitment}
            elif poll["status"] == "open" and self._recorded(cur, poll, receipt, commitment):
                return {"status": "recorded", "entry": None}
        raise ApiError(404, "No ballot with this receipt in this poll.", "receipt_not_found")

    def _recorded(self, cur, poll: dict, receipt: str, commitment: str) -> bool:
        key = self._key_of(cur, poll["id"])
        if key is None:
            return False
        if store.slot_sealed(cur, poll["id"], key.slot(receipt)) is not None:
            return True
        if poll["sealing"] != SEALED_BY_ROLL:
            return False
        return any(b["r"] == commitment for b in self._latest_sealed(cur, poll["id"]))

    # --- closing and counting ------------------------------------------------------------------

    def close(self, identity, poll_id, request_id=None) -> dict:
        with self.db.transaction() as cur:
            poll = store.get_poll(cur, poll_id, lock="update")
            if poll is None:
                raise ApiError(404, "No such poll.")
            self._require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "close")
            if poll["status"] != "open":
                raise ApiError(409, f"This poll is {poll['status']}, not open.", "not_open")
            self._close(cur, poll, identity.member_id, request_id)
        self._forget_retry_tags(poll_id)
        return self.get_poll(poll_id)

    def _forget_retry_tags(self, poll_id) -> None:
        """After close (in a transaction of its own, so that no roll row is rewritten by the
        transaction that wrote the ballots): the retry tags are useless without the destroyed
        key, and are cleared all the same."""
        with self.db.transaction() as cur:
            store.clear_retry_tags(cur, poll_id)

    def _key_of(self, cur, poll_id) -> PollKey | None:
        stored = store.poll_salt(cur, poll_id)
        return None if stored is None else self._poll_key(poll_id, *stored)

    def _latest_sealed(self, cur, poll_id, read_sealed=store.read_sealed) -> list[dict]:
        """Each voter's latest sealed ballot (a changed vote supersedes a row sealed the old
        way), opened with the poll's key; `read_sealed` reads (or takes) the sealed rows."""
        key = self._key_of(cur, poll_id)
        if key is None:
            return []
        latest: dict[str, dict] = {}
        for sealed in read_sealed(cur, poll_id):
            ballot = key.open(sealed)
            known = latest.get(ballot["r"])
            if known is None or ballot["v"] > known["v"]:
                latest[ballot["r"]] = ballot
        return list(latest.values())

    def _close(self, cur, poll: dict, closed_by: str | None, request_id=None) -> dict:
        """Open the sealed ballots, publish them shuffled, destroy the key, count, announce."""
        poll_id = poll["id"]
        store.lock_ballots_exclusive(cur, poll_id)  # waits for casts and changes in flight
        self._forget_definition(poll_id)
        key = self._key_of(cur, poll_id)
        if key is not None and poll["sealing"] != SEALED_BY_ROLL:  # the roll, from the slots
            filled = store.slot_ids(cur, poll_id)
            store.add_roll(
                cur, poll_id, slots.voters_in_slots(key, store.electors(cur, poll_id), filled)
            )
        latest = shuffled(self._latest_sealed(cur, poll_id, store.take_sealed))
        rows = slots.counting_rows(latest)
        if rows:
            store.insert_ballots(cur, poll_id, [(r["weight"], r["answers"]) for r in rows])
        store.insert_commitments(cur, poll_id, [b["r"] for b in latest])
        store.destroy_key(cur, poll_id)
        voters = store.roll_count(cur, poll_id)
        electorate = store.electorate_weight(cur, poll_id)
        questions = store.get_questions(cur, poll_id)
        per_question = count_poll(questions, rows, electorate, _count())
        closed_at = self.clock()
        results = {
            "poll_id": str(poll_id),
            "title": poll["title"],
            "voters": voters,
            "electorate": electorate,
            "ballots": len(rows),
            "turnout": round(voters / electorate, 4) if electorate else None,
            "closed_at": closed_at.isoformat(),
            "questions": per_question,
        }
        store.mark_closed(cur, poll_id, closed_by, voters, results)
        add_event(
            cur,
            "polls.poll.closed",
            {
                "poll_id": str(poll_id),
                "title": poll["title"],
                "scope": scope_of(poll),
                "closed_at": closed_at.isoformat(),
                "voters": voters,
                "electorate": electorate,
                "results": [
                    {
                        "question_id": q["question_id"],
                        "text": q["text"],
                        "method": q.get("method"),
                        "winners": q.get("winners", []),
                        "answered": q["answered"],
                    }
                    for q in per_question
                ],
                # delegate elections and recall votes say what they decided (issue 7)
                **delegate_polls.closed_extras(cur, poll, per_question),
            },
            producer=PRODUCER,
            request_id=request_id,
        )
        log.info("poll %s closed: %s voters of %s", poll_id, voters, electorate)
        return results

    def results(self, poll_id) -> dict:
        with self.db.transaction() as cur:
            poll = store.get_poll(cur, poll_id)
            if poll is None:
                raise ApiError(404, "No such poll.")
            if poll["status"] == "open" and poll["live_results"]:
                return self._live_results(cur, poll)
            if poll["status"] != "closed" or not poll["counted"]:
                raise ApiError(
                    409,
                    "Results are published once the poll has closed and been counted.",
                    "not_counted",
                )
            return {**store.poll_results(cur, poll_id), "final": True}

    def _live_results(self, cur, poll: dict) -> dict:
        """Partial counts of an open poll that chose live results (`"final": false`), published
        in batches: the stored snapshot, refreshed only once at least `live_batch` new voters
        have voted since it was taken (so two readings never differ by fewer votes). No receipt
        hash leaves here: consensus responses are keyed by throwaway tokens."""
        poll_id, batch = poll["id"], poll["live_batch"]
        snapshot = store.live_snapshot(cur, poll_id)
        if snapshot is None:  # the first reading: nothing counted yet
            store.save_live_snapshot(cur, poll_id, 0, self._count_open(cur, poll, []), batch)
            snapshot = store.live_snapshot(cur, poll_id)
        if store.open_voters(cur, poll_id) >= snapshot["voters"] + batch:
            fresh = self._count_open(cur, poll)
            if fresh["voters"] >= snapshot["voters"] + batch:
                store.save_live_snapshot(cur, poll_id, fresh["voters"], fresh, batch)
                snapshot = store.live_snapshot(cur, poll_id)  # the stored one, whoever won
        return {**snapshot["results"], "live_results_rule": slots.live_rule(batch)}

    def _count_open(self, cur, poll: dict, ballots: list | None = None) -> dict:
        poll_id = poll["id"]
        if ballots is None:
            ballots = shuffled(self._latest_sealed(cur, poll_id))
        rows = slots.counting_rows(ballots)
        electorate = store.electorate_weight(cur, poll_id)
        return {
            "poll_id": str(poll_id),
            "title": poll["title"],
            "voters": len(rows),
            "electorate": electorate,
            "ballots": len(rows),
            "turnout": round(len(rows) / electorate, 4) if electorate else None,
            "closed_at": None,
            "final": False,
            "questions": count_poll(store.get_questions(cur, poll_id), rows, electorate, _count()),
        }

    def _closed_poll(self, cur, poll_id) -> dict:
        poll = store.get_poll(cur, poll_id)
        if poll is None:
            raise ApiError(404, "No such poll.")
        if poll["status"] != "closed":
            raise ApiError(409, "Ballots are published once the poll has closed.", "not_closed")
        return poll

    def published_ballots(self, poll_id, limit=1000, after=None) -> dict:
        """The counted ballots' contents, without receipts (their commitments are published
        apart, sorted: `commitments`)."""
        with self.db.transaction() as cur:
            self._closed_poll(cur, poll_id)
            rows = store.published_ballots(cur, poll_id, limit, after)
            return {
                "ballots": [dict(r) for r in rows],
                "next": rows[-1]["id"] if len(rows) == limit else None,
            }

    def commitments(self, poll_id, limit=1000, after=None) -> dict:
        with self.db.transaction() as cur:
            self._closed_poll(cur, poll_id)
            found = store.commitments(cur, poll_id, limit, after)
            return {"commitments": found, "next": found[-1] if len(found) == limit else None}

    def export(self, poll_id) -> tuple[dict, list[dict]]:
        with self.db.transaction() as cur:
            poll = self._closed_poll(cur, poll_id)
            results = store.poll_results(cur, poll_id)
            ballots = [dict(r) for r in store.all_ballots(cur, poll_id)]
            counted = store.commitments(cur, poll_id, 10_000_000, None)
            view = self._poll_view(poll, store.get_questions(cur, poll_id))
            return {"poll": view, "results": results, "commitments": counted}, ballots

    # --- consensus rounds ----------------------------------------------------------------------

    def next_round(self, identity, poll_id, question_id, data: dict, request_id=None) -> dict:
        """After a consensus round without consensus: the next round with the amended text
        (while rounds remain), else the fallback vote the rules name. A new poll, same scope."""
        with self.db.transaction() as cur:
            poll = store.get_poll(cur, poll_id)
            if poll is None:
                raise ApiError(404, "No such poll.")
            self._require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "continue")
            if poll["status"] != "closed" or not poll["counted"]:
                raise ApiError(409, "The round is still open.", "not_counted")
            results = store.poll_results(cur, poll_id)
        entry = next(
            (q for q in results["questions"] if q["question_id"] == str(question_id)), None
        )
        if entry is None or entry.get("method") != "consensus" or "process" not in entry:
            raise ApiError(404, "No consensus question with this id in this poll.")
        process, status = entry["process"], entry["status"]
        rules = {k: v for k, v in process["rules"].items() if v is not None}
        if rules.get("fallback") == "no_decision":
            rules.pop("fallback")
        if status == "needs_amendment":
            text = (data.get("text") or "").strip()
            if not text:
                raise ApiError(
                    422,
                    "The next round needs the amended text.",
                    "validation_failed",
                    {"text": ["Required for a new round."]},
                )
            question = {"text": text, "method": "consensus", **rules}
            stage, number = "round", len(process["rounds"]) + 1
            title = f"{poll['title']} (round {number})"
        elif status == "fallback_vote":
            question = {"text": process["rounds"][-1]["text"], "method": "consensus_vote", **rules}
            stage, number = "fallback_vote", len(process["rounds"])
            title = f"{poll['title']} (fallback vote)"
        else:
            raise ApiError(
                409, f"This consensus process is {status}: no further round.", "process_finished"
            )
        question.update({"process": process, "previous_poll_id": str(poll_id)})
        scope = scope_of(poll)
        created = self.create_poll(
            identity,
            {
                "title": title,
                "text": poll["text"],
                "scope": scope,
                "questions": [question],
                "closes_at": data["closes_at"],
                "opens_at": data.get("opens_at"),
            },
            request_id=request_id,
        )
        with self.db.transaction() as cur:
            add_event(
                cur,
                "polls.consensus.round_started",
                {
                    "poll_id": created["id"],
                    "question_id": created["questions"][0]["id"],
                    "previous_poll_id": str(poll_id),
                    "title": title,
                    "scope": scope,
                    "stage": stage,
                    "round": number,
                    "text": question["text"],
                    "closes_at": created["closes_at"],
                },
                producer=PRODUCER,
                request_id=request_id,
            )
        return created

    # --- deadlines -----------------------------------------------------------------------------

    def extend(self, identity, poll_id, closes_at: dt.datetime, reason: str, request_id=None):
        with self.db.transaction() as cur:
            poll = store.get_poll(cur, poll_id, lock="update")
            if poll is None:
                raise ApiError(404, "No such poll.")
            self._require_launch(cur, identity, poll["scope_type"], poll["scope_id"], "extend")
            if poll["status"] == "closed":
                raise ApiError(409, "This poll is closed.", "poll_closed")
            if closes_at <= poll["closes_at"]:
                raise ApiError(
                    422,
                    "A deadline can only be extended.",
                    "validation_failed",
                    {"closes_at": ["Must be later than the current deadline."]},
                )
            store.set_closes_at(cur, poll_id, closes_at)
            store.log_deadline_change(
                cur, poll_id, poll["closes_at"], closes_at, reason, identity.member_id
            )
            add_event(
                cur,
                "polls.poll.deadline_extended",
                {
                    "poll_id": str(poll_id),
                    "title": poll["title"],
                    "scope": scope_of(poll),
                    "old_closes_at": _iso(poll["closes_at"]),
                    "closes_at": _iso(closes_at),
                    "reason": reason,
                },
                producer=PRODUCER,
                request_id=request_id,
            )
            return self._view(cur, poll_id)

    # --- scheduler -----------------------------------------------------------------------------

    def open_due(self) -> int:
        with self.db.transaction() as cur:
            due = store.due_to_open(cur, self.clock())
        # While the electorate replica may be behind (issue 17), a due poll waits, at most
        # POLLS_OPEN_MAX_WAIT seconds past its opening time, so that members approved before
        # it opens are in its electorate.
        latest = self.clock()
        if due and self.replica_behind():
            wait = float(self.runtime.settings.get("POLLS_OPEN_MAX_WAIT", "600") or 600)
            latest -= dt.timedelta(seconds=wait)
            log.warning("the electorate replica may be behind: %d due poll(s) wait", len(due))
        opened = 0
        for poll_id in due:
            with self.db.transaction() as cur:
                poll = store.get_poll(cur, poll_id, lock="update")
                if poll and poll["status"] == "scheduled" and poll["opens_at"] <= latest:
                    self._open(cur, poll_id)
                    opened += 1
        return opened

    def replica_behind(self) -> bool:
        """Whether events from members may be waiting: the broker does not answer, or the
        electorate queue holds messages not yet handled."""
        transport = self.runtime.transport
        try:
            if not transport.ping():
                return True
            return transport.depth(f"{transport.queue_prefix}polls.electorate") > 0
        except Exception:  # noqa: BLE001 - unknown is behind
            return True

    def close_due(self) -> int:
        with self.db.transaction() as cur:
            due = store.due_to_close(cur, self.clock())
        closed = 0
        for poll_id in due:
            with self.db.transaction() as cur:
                poll = store.get_poll(cur, poll_id, lock="update")
                if poll and poll["status"] == "open" and poll["closes_at"] <= self.clock():
                    self._close(cur, poll, None)
                    closed += 1
                else:
                    continue
            self._forget_retry_tags(poll_id)
        return closed

    def announce_closing_soon(self, horizon: dt.timedelta) -> int:
        """`polls.poll.closing_soon` for polls closing within `horizon`, listing in pages the
        members who have not voted yet (never anything about what anyone voted)."""
        now = self.clock()
        sent = 0
        with self.db.transaction() as cur:
            for poll in store.closing_soon(cur, now, now + horizon):
                waiting = self._non_voters(cur, poll["id"])
                pages = max(1, -(-len(waiting) // CLOSING_SOON_PAGE))
                for page in range(pages):
                    chunk = waiting[page * CLOSING_SOON_PAGE : (page + 1) * CLOSING_SOON_PAGE]
                    add_event(
                        cur,
                        "polls.poll.closing_soon",
                        {
                            "poll_id": str(poll["id"]),
                            "title": poll["title"],
                            "scope": scope_of(poll),
                            "closes_at": _iso(poll["closes_at"]),
                            "member_ids": chunk,
                            "page": page + 1,
                            "pages": pages,
                        },
                        producer=PRODUCER,
                    )
                store.mark_closing_soon_sent(cur, poll["id"])
                sent += 1
        return sent

    def _non_voters(self, cur, poll_id) -> list[str]:
        """Electors who have not voted: the roll's complement, or (slots) worked out under the
        poll's key, since no roll row exists before close."""
        key = self._key_of(cur, poll_id)
        if key is None or store.roll_count(cur, poll_id):
            return store.non_voters(cur, poll_id)
        electors = store.electors(cur, poll_id)
        voted = set(slots.voters_in_slots(key, electors, store.slot_ids(cur, poll_id)))
        return [m for m in electors if m not in voted]

    def scrub(self) -> None:
        """VACUUM the tables whose dead rows held keys, sealed ballots or retry tags."""
        conn = self.db.connect()
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                for table in ("poll_keys", "sealed_ballots", "ballot_slots", "roll"):
                    cur.execute(f"VACUUM {table}")
        finally:
            conn.close()

    # --- proposals -----------------------------------------------------------------------------

    def _require_active(self, identity, action: str) -> None:
        if not identity.active:
            raise ApiError(403, f"Only active members may {action}.", "forbidden")

    @staticmethod
    def _proposal_view(row: dict) -> dict:
        scope = {"type": row["scope_type"]}
        if row["scope_id"] is not None:
            scope["id"] = row["scope_id"]
        return {
            "id": str(row["id"]),
            "title": row["title"],
            "text": row["text"],
            "scope": scope,
            "questions": row["questions"],
            "author_id": row["author_id"],
            "author_name": row.get("author_name"),
            "status": row["status"],
            "poll_id": str(row["poll_id"]) if row["poll_id"] else None,
            "created_at": _iso(row["created_at"]),
            "updated_at": _iso(row["updated_at"]),
        }

    def create_proposal(self, identity, data: dict) -> dict:
        self._require_active(identity, "draft proposals")
        self._check_questions(data["questions"])
        proposal_id = uuid.uuid4()
        with self.db.transaction() as cur:
            store.insert_proposal(
                cur,
                {
                    "id": proposal_id,
                    "title": data["title"],
                    "text": data.get("text") or "",
                    "scope_type": data["scope"]["type"],
                    "scope_id": data["scope"].get("id"),
                    "questions": data["questions"],
                    "author_id": identity.member_id,
                },
            )
            return self._proposal_view(store.get_proposal(cur, proposal_id))

    def list_proposals(self, status, limit, offset) -> list[dict]:
        with self.db.transaction() as cur:
            return [
                self._proposal_view(r) for r in store.list_proposals(cur, status, limit, offset)
            ]

    def get_proposal(self, proposal_id, identity=None) -> dict:
        """One proposal, with whether the caller may open it as a poll (`may_open`)."""
        with self.db.transaction() as cur:
            row = store.get_proposal(cur, proposal_id)
            if row is None:
                raise ApiError(404, "No such proposal.")
            may_open = row["status"] == "draft" and self.can_launch(
                cur, identity, row["scope_type"], row["scope_id"])
            return {**self._proposal_view(row), "may_open": may_open}

    def _draft_for(self, cur, identity, proposal_id, *, author_only: bool) -> dict:
        row = store.get_proposal(cur, proposal_id, lock=True)
        if row is None:
            raise ApiError(404, "No such proposal.")
        mine = row["author_id"] == identity.member_id
        if not mine and (
            author_only or not self.can_launch(cur, identity, row["scope_type"], row["scope_id"])
        ):
            raise ApiError(
                403, "Only its author (or whoever may open it) may do this.", "forbidden"
            )
        if row["status"] != "draft":
            raise ApiError(409, f"This proposal is {row['status']}.", "not_draft")
        return row

    def update_proposal(self, identity, proposal_id, data: dict) -> dict:
        if "questions" in data:
            self._check_questions(data["questions"])
        with self.db.transaction() as cur:
            self._draft_for(cur, identity, proposal_id, author_only=True)
            if data:
                store.update_proposal(cur, proposal_id, data)
            return self._proposal_view(store.get_proposal(cur, proposal_id))

    def withdraw_proposal(self, identity, proposal_id) -> dict:
        with self.db.transaction() as cur:
            self._draft_for(cur, identity, proposal_id, author_only=False)
            store.update_proposal(cur, proposal_id, {"status": "withdrawn"})
            return self._proposal_view(store.get_proposal(cur, proposal_id))

    def open_proposal(self, identity, proposal_id, data: dict, request_id=None) -> dict:
        with self.db.transaction() as cur:
            row = store.get_proposal(cur, proposal_id)
            if row is None:
                raise ApiError(404, "No such proposal.")
            self._require_launch(cur, identity, row["scope_type"], row["scope_id"], "open")
            if row["status"] != "draft":
                raise ApiError(409, f"This proposal is {row['status']}.", "not_draft")
        scope = {"type": row["scope_type"]}
        if row["scope_id"] is not None:
            scope["id"] = row["scope_id"]
        poll = self.create_poll(
            identity,
            {
                "title": row["title"],
                "text": row["text"],
                "scope": scope,
                "questions": row["questions"],
                "closes_at": data["closes_at"],
                "opens_at": data.get("opens_at"),
            },
            proposal_id=proposal_id,
            request_id=request_id,
        )
        with self.db.transaction() as cur:
            store.update_proposal(cur, proposal_id, {"status": "opened", "poll_id": poll["id"]})
        return poll
