"""The one catalogue of event types: a marshmallow schema for the `data` of each.

Adding a type is three lines::

    @event_type("polls.ballot.cast")
    class BallotCast(EventData):
        poll_id = Id(required=True)

Producers are checked when they write to the outbox, consumers when they receive. Unknown extra
keys in `data` are kept (`unknown=INCLUDE`) so that a producer can add fields without breaking
consumers built earlier; removing or retyping a field needs a new type (e.g. `...registered.v2`).
"""

from __future__ import annotations

from marshmallow import fields, validate

from services.common.bus.eventschema import CATALOGUE as CATALOGUE
from services.common.bus.eventschema import EventData as EventData
from services.common.bus.eventschema import EventError as EventError
from services.common.bus.eventschema import Id as Id
from services.common.bus.eventschema import InvalidEvent as InvalidEvent
from services.common.bus.eventschema import Name as Name
from services.common.bus.eventschema import UnknownEvent as UnknownEvent
from services.common.bus.eventschema import event_type as event_type
from services.common.bus.eventschema import validate_data as validate_data
from services.common.bus.eventschema import validate_event as validate_event

# --- system -------------------------------------------------------------------------------


@event_type("system.ping.sent")
class PingSent(EventData):
    message = fields.Str(required=True)


# --- members ------------------------------------------------------------------------------


@event_type("members.member.registered")
class MemberRegistered(EventData):
    member_id = Id(required=True)
    email = fields.Str(required=True)
    display_name = fields.Str(required=True)
    country = fields.Str(required=True)
    language = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    verification_token = fields.Str(allow_none=True)  # before issue 13; members now sends None
    # The one-time token sealed for notify (services/common/sealing.py): never in clear.
    verification_sealed = fields.Str(allow_none=True)


@event_type("members.member.activated")
class MemberActivated(EventData):
    member_id = Id(required=True)


@event_type("members.member.verified")
class MemberVerified(EventData):
    member_id = Id(required=True)


@event_type("members.member.contact_changed")
class MemberContactChanged(EventData):
    member_id = Id(required=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    language = fields.Str(allow_none=True)
    display_name = fields.Str(allow_none=True)


@event_type("members.member.deleted")
class MemberDeleted(EventData):
    member_id = Id(required=True)


@event_type("members.chapter.founded")
class ChapterFounded(EventData):
    chapter_id = Id(required=True)
    parent_id = Id(allow_none=True)
    name = fields.Str(required=True)
    level = Name(required=True)


class MembershipChanged(EventData):
    member_id = Id(required=True)
    chapter_id = Id(required=True)
    ancestors = fields.List(Id(), required=True)


@event_type("members.membership.joined")
class MembershipJoined(MembershipChanged):
    pass


@event_type("members.membership.left")
class MembershipLeft(MembershipChanged):
    pass


class MandateChanged(EventData):
    mandate_id = Id(required=True)
    member_id = Id(required=True)
    role = Name(required=True)
    chapter_id = Id(allow_none=True)


@event_type("members.mandate.granted")
class MandateGranted(MandateChanged):
    pass


@event_type("members.mandate.revoked")
class MandateRevoked(MandateChanged):
    """`reason`: "resigned" (the holder gave it up), "recalled by the vote of poll …", or the
    text of whoever revoked it (null: none given)."""

    reason = fields.Str(allow_none=True)


@event_type("members.mandate.term_changed")
class MandateTermChanged(MandateChanged):
    """An admin set or changed when an admin or coordinator mandate ends (`ends_at`, null: no
    set end); the mandate holds until then. Its end is announced with `.ended` when it passes."""

    starts_at = fields.AwareDateTime(allow_none=True)
    ends_at = fields.AwareDateTime(allow_none=True)


@event_type("members.mandate.ended")
class MandateEnded(MandateChanged):
    """A mandate's term is over, once per mandate: `reason` "term" (its `ends_at` passed) or
    "superseded" (a delegate whose chapter elected new delegates; `ends_at` moved to the start
    of the new terms). Consumers treat it like a revocation from `ends_at` on."""

    ends_at = fields.AwareDateTime(required=True)
    reason = fields.Str(required=True)


# The account mails (issue 13): the one-time token travels sealed (services/common/sealing.py,
# AES-GCM under a key derived from SECRET_KEY), so the outbox, the broker and notify's tables
# hold nothing a database reader could replay. Nothing consumed the clear-token forms.
@event_type("members.member.verification_requested")
class MemberVerificationRequested(EventData):
    member_id = Id(required=True)
    email = fields.Str(required=True)
    sealed_token = fields.Str(required=True)
    language = fields.Str(allow_none=True)


@event_type("members.member.password_reset_requested")
class MemberPasswordResetRequested(EventData):
    member_id = Id(required=True)
    email = fields.Str(required=True)
    sealed_token = fields.Str(required=True)
    language = fields.Str(allow_none=True)


@event_type("members.member.email_changed")
class MemberEmailChanged(EventData):
    """The account's address changed: notify tells the old address."""

    member_id = Id(required=True)
    old_email = fields.Str(required=True)
    language = fields.Str(allow_none=True)


@event_type("members.member.suspended")
class MemberSuspended(EventData):
    """An admin suspended the account: every token of it stops working until restored."""

    member_id = Id(required=True)
    reason = fields.Str(allow_none=True)


@event_type("members.member.restored")
class MemberRestored(EventData):
    member_id = Id(required=True)


@event_type("members.session.revoked")
class SessionRevoked(EventData):
    """Sessions ended (logout, password change or reset, ended by the member): access tokens
    whose `sid` is listed stop working at once, before their `exp`."""

    member_id = Id(required=True)
    session_ids = fields.List(fields.Str(), required=True)


@event_type("members.current.founded")
class CurrentFounded(EventData):
    current_id = Id(required=True)
    name = fields.Str(required=True)


class CurrentMembershipChanged(EventData):
    member_id = Id(required=True)
    current_id = Id(required=True)


@event_type("members.current_membership.joined")
class CurrentMembershipJoined(CurrentMembershipChanged):
    pass


@event_type("members.current_membership.left")
class CurrentMembershipLeft(CurrentMembershipChanged):
    pass


# Re-announcements of current state (`POST /api/v1/members/announce`): each is the whole state
# of one entity, so a consumer applies it as an upsert and replaying it changes nothing.
@event_type("members.member.snapshot")
class MemberSnapshot(EventData):
    member_id = Id(required=True)
    status = fields.Str(required=True)
    announce_id = fields.Str(required=True)
    email = fields.Str(allow_none=True)
    display_name = fields.Str(allow_none=True)
    language = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    email_verified = fields.Bool(allow_none=True)
    chapters = fields.List(fields.Dict(), required=True)
    current_ids = fields.List(Id(), required=True)
    mandates = fields.List(fields.Dict(), required=True)


@event_type("members.chapter.snapshot")
class ChapterSnapshot(EventData):
    chapter_id = Id(required=True)
    parent_id = Id(allow_none=True)
    name = fields.Str(required=True)
    level = Name(required=True)
    ancestors = fields.List(Id(), required=True)
    announce_id = fields.Str(required=True)


# --- polls --------------------------------------------------------------------------------


@event_type("polls.poll.opened")
class PollOpened(EventData):
    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    closes_at = fields.AwareDateTime(required=True)


@event_type("polls.poll.invitations")
class PollInvitations(EventData):
    """Who is invited to vote in a poll that just opened: exactly its electorate as polls fixed
    it, in parts of at most 1,000 members (`part` of `parts`, from 1). notify invites these
    members and no others, so that nobody is invited who cannot vote."""

    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    closes_at = fields.AwareDateTime(required=True)
    member_ids = fields.List(Id(), required=True)
    part = fields.Int(required=True, validate=validate.Range(min=1))
    parts = fields.Int(required=True, validate=validate.Range(min=1))


@event_type("polls.poll.closed")
class PollClosed(EventData):
    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)


# A comment named members with `@Name` (issue 15): notify tells each of them, once.
@event_type("polls.comment.mentioned")
class CommentMentioned(EventData):
    comment_id = Id(required=True)
    subject_type = fields.Str(required=True)  # "poll" | "proposal"
    subject_id = Id(required=True)
    title = fields.Str(required=True)
    author_name = fields.Str(allow_none=True)
    member_ids = fields.List(Id(), required=True)


@event_type("polls.poll.closing_soon")
class PollClosingSoon(EventData):
    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    closes_at = fields.AwareDateTime(required=True)
    member_ids = fields.List(Id(), required=True)  # one page of those who have not voted yet
    page = fields.Int(required=True)
    pages = fields.Int(required=True)


@event_type("polls.poll.deadline_extended")
class PollDeadlineExtended(EventData):
    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    old_closes_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    reason = fields.Str(required=True)


@event_type("polls.consensus.round_started")
class ConsensusRoundStarted(EventData):
    poll_id = Id(required=True)  # the poll holding the new round (or the fallback vote)
    question_id = Id(required=True)
    previous_poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    stage = fields.Str(required=True)  # "round" | "fallback_vote"
    round = fields.Int(required=True)
    text = fields.Str(required=True)
    closes_at = fields.AwareDateTime(required=True)


# --- delegates and recall (issue 7) -------------------------------------------------------
# `polls.poll.closed` may also carry `purpose` ("delegate_election" | "recall" | "delegate_poll")
# with `election` {chapter_id, seats, term_days, elected} or `recall` {petition_id, mandate_id,
# passed, votes_for, votes_against}; `members.mandate.granted` of a delegate adds `poll_id` and
# `members_represented`. Both are extra keys, which consumers built earlier ignore.


# Issue 18: any mandate the members give is recalled the same way. `delegate_id` is the
# mandate's holder whatever its role; `role` (delegate | coordinator | admin) says which;
# `chapter_id` is required but None for an admin's recall (the organisation's members vote).
# `polls.poll.closed` also carries `purpose` "coordinator_election" | "admin_election" with the
# same `election` as a delegate election plus `electorate` ("members" | "delegates").


class RecallEvent(EventData):
    petition_id = Id(required=True)
    mandate_id = Id(required=True)
    delegate_id = Id(required=True)
    chapter_id = Id(required=True, allow_none=True)
    role = Name()


@event_type("members.recall.petition_opened")
class RecallPetitionOpened(RecallEvent):
    reason = fields.Str(required=True)
    threshold = fields.Int(required=True)
    signatures = fields.Int(required=True)
    expires_at = fields.AwareDateTime(required=True)


@event_type("members.recall.threshold_reached")
class RecallThresholdReached(RecallEvent):
    reason = fields.Str(required=True)
    signatures = fields.Int(required=True)
    threshold = fields.Int(required=True)
    vote_hours = fields.Int(required=True)


@event_type("members.recall.decided")
class RecallDecided(RecallEvent):
    poll_id = Id(required=True)
    outcome = fields.Str(required=True)  # "revoked" | "kept"
    votes_for = fields.Int(required=True)
    votes_against = fields.Int(required=True)
    cooling_off_until = fields.AwareDateTime(allow_none=True)
    # Since the recall quorum (optional for consumers built before it):
    voters = fields.Int()
    electorate = fields.Int()
    quorum = fields.Int()
    quorum_met = fields.Bool()
    outcome_reason = fields.Str(allow_none=True)


@event_type("members.recall.expired")
class RecallExpired(RecallEvent):
    pass


@event_type("polls.recall.opened")
class RecallPollOpened(RecallEvent):
    poll_id = Id(required=True)
    closes_at = fields.AwareDateTime(required=True)


# --- by-elections for empty delegate seats (issue 18) ---------------------------------------
# `polls.poll.closed` of a by-election adds `election.by_election_for` (the mandate whose seat it
# fills) and `election.seat_ends_at`.


@event_type("members.delegate.seat_vacated")
class DelegateSeatVacated(EventData):
    mandate_id = Id(required=True)  # the mandate that ended: its seat is empty
    member_id = Id(required=True)
    chapter_id = Id(required=True)
    reason = fields.Str(required=True)  # "recalled" | "revoked" | "resigned" | "term"
    ends_at = fields.AwareDateTime(allow_none=True)  # the seat's term
    election_poll_id = Id(allow_none=True)
    vacancy_rule = fields.Str(required=True)  # "by_election" | "next_candidate"


@event_type("polls.by_election.opened")
class ByElectionOpened(EventData):
    poll_id = Id(required=True)
    chapter_id = Id(required=True)
    mandate_id = Id(required=True)  # the seat
    rule = fields.Str(required=True)  # "by_election" | "next_candidate"
    candidates = fields.Int(required=True)
    filled = fields.Bool(required=True)  # elected at once (one candidate, or the next candidate)
    closes_at = fields.AwareDateTime(allow_none=True)


@event_type("polls.by_election.needed")
class ByElectionNeeded(EventData):
    chapter_id = Id(required=True)
    mandate_id = Id(required=True)
    reason = fields.Str(required=True)  # "no_candidates" | "term_over"


# --- upward requests and challenges to affected weights (issue 18) --------------------------
# `member_ids`: whom polls names to be told (services/polls/events.py says who each is).


class UpwardRequestEvent(EventData):
    request_id = Id(required=True)
    chapter_id = Id(required=True)  # the chapter asking
    chapter_name = fields.Str(required=True)
    parent_id = Id(required=True)  # the level asked
    parent_name = fields.Str(required=True)
    title = fields.Str(required=True)
    basis = fields.Str(required=True, validate=validate.OneOf(["mandate", "poll"]))
    answer_due_at = fields.AwareDateTime(required=True)
    member_ids = fields.List(Id(), required=True)


@event_type("polls.upward_request.filed")
class UpwardRequestFiled(UpwardRequestEvent):
    pass


@event_type("polls.upward_request.answered")
class UpwardRequestAnswered(UpwardRequestEvent):
    outcome = fields.Str(required=True, validate=validate.OneOf(["opened", "refused"]))
    reason = fields.Str(allow_none=True)  # the public reason of a refusal
    poll_id = Id(allow_none=True)  # the delegate poll opened
    answered_late = fields.Bool(required=True)


@event_type("polls.upward_request.overdue")
class UpwardRequestOverdue(UpwardRequestEvent):
    pass


class ChallengeEvent(EventData):
    poll_id = Id(required=True)
    title = fields.Str(required=True)
    scope = fields.Dict(required=True)
    opens_at = fields.AwareDateTime(required=True)
    count = fields.Int(required=True)  # challenges filed (by members still in the scope)
    needed = fields.Int(required=True)  # the petition's threshold
    member_ids = fields.List(Id(), required=True)


@event_type("polls.challenge.filed")
class ChallengeFiled(ChallengeEvent):
    member_name = fields.Str(required=True)
    reason = fields.Str(required=True)


@event_type("polls.challenge.decided")
class ChallengeDecided(ChallengeEvent):
    outcome = fields.Str(required=True, validate=validate.OneOf(["set_aside", "weights_apply"]))
