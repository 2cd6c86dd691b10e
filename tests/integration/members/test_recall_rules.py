"""A chapter's recall rules govern the recall of its own coordinators: one of them alone may
make a recall easier, but not harder (a higher threshold or quorum, a longer cooling-off, a
shorter petition or vote) without a closed chapter poll that decided it. Admins and
coordinators above the chapter, whose recall these rules do not govern, may."""

from __future__ import annotations

import uuid

from services.members.service.recall_quorum import record_closed_poll


def _chapter_with_coordinator(api):
    chapter_id, _mandate, token = api.coordinator("rules")
    return chapter_id, token


def test_a_coordinator_alone_cannot_make_their_own_recall_harder(api):
    chapter_id, coordinator = _chapter_with_coordinator(api)
    path = f"/api/v1/chapters/{chapter_id}/recall-settings"
    code, before = api.call("GET", path)
    assert code == 200, before
    harder = [
        {"threshold_percent": 100},
        {"threshold_minimum": 1_000_000},
        {"quorum_percent": 100},
        {"cooling_off_days": 3650},
        {"petition_days": 1},
        {"vote_hours": 1},
    ]
    for change in harder:
        code, body = api.call("PUT", path, change, token=coordinator)
        assert code == 422, (change, body)
        assert "decided_by_poll_id" in body["error"]["fields"], body
    assert api.call("GET", path)[1] == before
    code, easier = api.call(
        "PUT", path, {"threshold_percent": 10, "vacancy_rule": "next_candidate"}, coordinator
    )
    assert code == 200 and easier["threshold_percent"] == 10, easier
    assert api.call("PUT", path, {"quorum_percent": 100}, token=api.admin())[0] == 200


def test_a_closed_chapter_poll_lets_the_coordinator_record_harder_rules(api):
    chapter_id, coordinator = _chapter_with_coordinator(api)
    poll_id = str(uuid.uuid4())
    with api.runtime.db.transaction() as cur:
        record_closed_poll(
            cur,
            {
                "data": {
                    "poll_id": poll_id,
                    "scope": {"type": "chapter", "id": chapter_id},
                    "title": "Our recall rules",
                }
            },
        )
    path = f"/api/v1/chapters/{chapter_id}/recall-settings"
    other = {"threshold_percent": 40, "decided_by_poll_id": str(uuid.uuid4())}
    code, body = api.call("PUT", path, other, token=coordinator)
    assert code == 422 and "decided_by_poll_id" in body["error"]["fields"], body
    code, rules = api.call(
        "PUT", path, {"threshold_percent": 40, "decided_by_poll_id": poll_id}, coordinator
    )
    assert code == 200 and rules["threshold_percent"] == 40, rules
