"""Template contexts the notify unit tests render mail with: what every kind gets, and what
a kind needs besides."""

from __future__ import annotations

CONTEXT = {
    "verify_url": "https://x/v",
    "reset_url": "https://x/reset?token=t",
    "title": "T <b>",
    "closes_at": "2030-01-01 10:00 UTC",
    "poll_url": "https://x/p",
    "results_url": "https://x/r",
    "subject": "S",
    "body": "B",
    "translations": {},
}


# What a kind needs beyond CONTEXT (notify/recall.py builds it from the recall events).
KIND_CONTEXT = {
    "recall": {
        "step": "decided",
        "petition_id": "p1",
        "delegate_name": "Ada <b>",
        "chapter_name": "Leeds",
        "reason": "Ignored us",
        "signatures": 4,
        "threshold": 5,
        "expires_at": "2030-01-01 10:00 UTC",
        "outcome": "kept",
        "votes_for": 2,
        "votes_against": 5,
        "petition_url": "https://x/r/p1",
    },
    "mention": {"author_name": "Bob <b>", "comment_url": "https://x/p#c1"},
    "by_election": {
        "step": "opened",
        "reason": "",
        "delegate_name": "Ada <b>",
        "chapter_name": "Leeds",
        "closes_at": "2030-01-01 10:00 UTC",
        "poll_url": "https://x/polls/b1",
    },
    "upward_request": {
        "step": "refused",
        "chapter_name": "Leeds <b>",
        "parent_name": "Yorkshire",
        "answer_due_at": "2030-01-01 10:00 UTC",
        "reason": "Decided last spring",
        "answered_late": True,
        "request_url": "https://x/requests/r1",
        "poll_url": "",
    },
    "challenge": {
        "step": "filed",
        "member_name": "Ada <b>",
        "reason": "Leeds is not alone",
        "count": 2,
        "needed": 3,
        "opens_at": "2030-01-01 10:00 UTC",
        "challenges_url": "https://x/polls/p1#challenges-h",
    },
}
