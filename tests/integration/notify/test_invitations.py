"""Invitations to vote go to exactly the electorate polls fixed (issue 17): notify's own replica
may lag differently from polls', so it never picks the invitees itself."""

from __future__ import annotations

import uuid


def test_only_the_electorate_polls_announces_is_invited(notify):
    in_both, only_in_notify = str(uuid.uuid4()), str(uuid.uuid4())
    notify.member(in_both, "both@example.org")
    notify.member(only_in_notify, "late@example.org")  # polls' replica had not seen them yet
    poll_id = str(uuid.uuid4())
    common = {
        "poll_id": poll_id,
        "title": "Convention date",
        "scope": {"type": "organisation"},
        "closes_at": "2030-01-02T18:00:00+00:00",
    }
    notify.handle("polls.poll.opened", {**common, "electorate": 1, "invitation_parts": 1})
    assert notify.deliveries("email") == []
    notify.handle(
        "polls.poll.invitations", {**common, "member_ids": [in_both], "part": 1, "parts": 1}
    )
    invited = {row["member_id"] for row in notify.deliveries("email")}
    assert invited == {in_both}


def test_an_opened_event_from_before_the_invitations_still_invites_the_scope(notify):
    member = str(uuid.uuid4())
    notify.member(member, "old@example.org")
    notify.poll_opened("An old event in flight during an upgrade")
    assert {row["member_id"] for row in notify.deliveries("email")} == {member}
