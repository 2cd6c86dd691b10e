"""One valid `data` sample per event type of the catalogue (the contract test checks that every
registered type has one). Add a sample here when you add a type to the catalogue."""

from __future__ import annotations

MEMBER = "6f1c2b9e-8a53-4a8e-9b44-0c7f3b1d2e10"
CHAPTER = "0b5f6a0c-2f38-4b8b-8a5d-7d1e2c3b4a59"
PARENT = "a3d9e8f7-1c2b-4a5d-9e8f-7a6b5c4d3e21"
MANDATE = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
POLL = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
CURRENT = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
PETITION = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"

SAMPLES: dict[str, dict] = {
    "system.ping.sent": {"message": "hello"},
    "members.member.registered": {
        "member_id": MEMBER,
        "email": "ada@example.org",
        "display_name": "Ada",
        "country": "GB",
        "language": "en",
        "status": "pending",
        "verification_token": "tok-123",
    },
    "members.member.activated": {"member_id": MEMBER},
    "members.member.verified": {"member_id": MEMBER},
    "members.member.contact_changed": {"member_id": MEMBER, "email": "ada@example.net"},
    "members.member.deleted": {"member_id": MEMBER},
    "members.chapter.founded": {
        "chapter_id": CHAPTER,
        "parent_id": PARENT,
        "name": "Leeds",
        "level": "local",
    },
    "members.membership.joined": {
        "member_id": MEMBER,
        "chapter_id": CHAPTER,
        "ancestors": [PARENT],
    },
    "members.membership.left": {"member_id": MEMBER, "chapter_id": CHAPTER, "ancestors": []},
    "members.mandate.granted": {
        "mandate_id": MANDATE,
        "member_id": MEMBER,
        "role": "coordinator",
        "chapter_id": CHAPTER,
    },
    "members.mandate.revoked": {"mandate_id": MANDATE, "member_id": MEMBER, "role": "admin"},
    "members.mandate.ended": {
        "mandate_id": MANDATE,
        "member_id": MEMBER,
        "role": "delegate",
        "chapter_id": CHAPTER,
        "starts_at": "2025-12-01T10:00:00+00:00",
        "ends_at": "2026-12-01T10:00:00+00:00",
        "reason": "term",
    },
    "members.member.verification_requested": {
        "member_id": MEMBER,
        "email": "ada@example.org",
        "verification_token": "tok-456",
        "language": "fr",
    },
    "members.member.password_reset_requested": {
        "member_id": MEMBER,
        "email": "ada@example.org",
        "reset_token": "reset-789",
    },
    "members.current.founded": {"current_id": CURRENT, "name": "Ecosocialists"},
    "members.current_membership.joined": {"member_id": MEMBER, "current_id": CURRENT},
    "members.current_membership.left": {"member_id": MEMBER, "current_id": CURRENT},
    "members.member.snapshot": {
        "member_id": MEMBER,
        "status": "active",
        "announce_id": "announce-1",
        "email": "ada@example.org",
        "display_name": "Ada",
        "language": "en",
        "phone": None,
        "email_verified": True,
        "chapters": [{"chapter_id": CHAPTER, "ancestors": [PARENT]}],
        "current_ids": [CURRENT],
        "mandates": [{"mandate_id": MANDATE, "role": "coordinator", "chapter_id": CHAPTER}],
    },
    "members.chapter.snapshot": {
        "chapter_id": CHAPTER,
        "parent_id": PARENT,
        "name": "Leeds",
        "level": "local",
        "ancestors": [PARENT],
        "announce_id": "announce-1",
    },
    "polls.poll.opened": {
        "poll_id": POLL,
        "title": "Founding convention date",
        "scope": {"type": "organisation"},
        "closes_at": "2030-01-31T18:00:00+00:00",
    },
    "polls.poll.closed": {
        "poll_id": POLL,
        "title": "Founding convention date",
        "scope": {"type": "chapter", "id": CHAPTER},
    },
    "polls.poll.closing_soon": {
        "poll_id": POLL,
        "title": "Founding convention date",
        "scope": {"type": "organisation"},
        "closes_at": "2030-01-31T18:00:00+00:00",
        "member_ids": [MEMBER],
        "page": 1,
        "pages": 1,
    },
    "polls.poll.deadline_extended": {
        "poll_id": POLL,
        "title": "Founding convention date",
        "scope": {"type": "organisation"},
        "old_closes_at": "2030-01-31T18:00:00+00:00",
        "closes_at": "2030-02-07T18:00:00+00:00",
        "reason": "quorum not reached",
    },
    "polls.consensus.round_started": {
        "poll_id": POLL,
        "question_id": "q-1",
        "previous_poll_id": POLL,
        "title": "Adopt the charter",
        "scope": {"type": "chapter", "id": "c-1"},
        "stage": "round",
        "round": 2,
        "text": "Amended charter text",
        "closes_at": "2030-02-07T18:00:00+00:00",
    },
    # delegates and recall (issue 7)
    "members.recall.petition_opened": {
        "petition_id": PETITION,
        "mandate_id": MANDATE,
        "delegate_id": MEMBER,
        "chapter_id": CHAPTER,
        "delegate_name": "Ada",
        "chapter_name": "Leeds",
        "reason": "Voted against our mandate",
        "threshold": 3,
        "signatures": 1,
        "expires_at": "2026-12-01T10:00:00+00:00",
    },
    "members.recall.threshold_reached": {
        "petition_id": PETITION,
        "mandate_id": MANDATE,
        "delegate_id": MEMBER,
        "chapter_id": CHAPTER,
        "reason": "Voted against our mandate",
        "signatures": 3,
        "threshold": 3,
        "vote_hours": 168,
    },
    "members.recall.decided": {
        "petition_id": PETITION,
        "mandate_id": MANDATE,
        "delegate_id": MEMBER,
        "chapter_id": CHAPTER,
        "poll_id": POLL,
        "outcome": "kept",
        "votes_for": 2,
        "votes_against": 5,
        "cooling_off_until": "2027-03-01T10:00:00+00:00",
    },
    "members.recall.expired": {
        "petition_id": PETITION,
        "mandate_id": MANDATE,
        "delegate_id": MEMBER,
        "chapter_id": CHAPTER,
    },
    "polls.recall.opened": {
        "petition_id": PETITION,
        "mandate_id": MANDATE,
        "delegate_id": MEMBER,
        "chapter_id": CHAPTER,
        "poll_id": POLL,
        "closes_at": "2026-12-08T10:00:00+00:00",
    },
}
