"""The whole system through the gateway, as a member, an admin and an operator meet it."""

from __future__ import annotations

import datetime as dt

import requests

from tests.support.e2e import (
    ADMIN,
    PASSWORD,
    call,
    close_and_count,
    launch_for,
    login,
    mails_to,
    register,
)


def test_health_and_probes(stack):
    health = requests.get(stack.url + "/healthz", timeout=5)
    assert health.status_code == 200
    assert set(health.json()["services"]) == {"members", "polls", "notify"}
    assert requests.get(stack.url + "/livez", timeout=5).status_code == 200


def test_openapi_lists_every_service(stack):
    document = requests.get(stack.url + "/api/v1/openapi.json", timeout=10).json()
    paths = document["paths"]
    assert "/api/v1/auth/register" in paths
    assert any(p.startswith("/api/v1/polls") for p in paths)
    assert any(
        p.startswith("/api/v1/notifications") or p.startswith("/api/v1/unsubscribe") for p in paths
    )
    assert "x-missing-services" not in document["info"]


def test_bad_input_is_4xx_json(stack):
    cases = [
        (
            "POST",
            "/api/v1/auth/register",
            {"data": "{not json", "headers": {"Content-Type": "application/json"}},
            400,
        ),
        ("POST", "/api/v1/auth/register", {"json": {"email": 7, "password": ["x"]}}, 422),
        ("GET", "/api/v1/no-such-thing", {}, 404),
        (
            "POST",
            "/api/v1/auth/register",
            {"data": "x" * 2_000_000, "headers": {"Content-Type": "application/json"}},
            413,
        ),
    ]
    for method, path, kwargs, status in cases:
        response = requests.request(method, stack.url + path, timeout=30, **kwargs)
        assert response.status_code == status, (path, response.status_code, response.text[:200])
        error = response.json()["error"]
        assert error["code"] and error["message"]


def test_an_event_from_members_is_consumed_by_notify(stack):
    """Registration is written with its event in members; notify consumes it and mails."""
    _, address = register(stack, "mail")
    mails = mails_to(stack, address)
    assert mails, f"no verification mail for {address}:\n{stack.log_tail()}"
    kinds = {part.get_content_type() for part in mails[0].walk()}
    assert {"text/plain", "text/html"} <= kinds


def test_a_poll_from_launch_to_results(stack):
    admin = login(stack, *ADMIN)
    voters = []
    for i in range(4):
        member_id, address = register(stack, f"v{i}")
        assert (
            call(stack, "POST", f"/api/v1/members/{member_id}/approve", token=admin).status_code
            == 200
        )
        voters.append(login(stack, address, PASSWORD))
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    poll = {
        "title": "E2E poll",
        "scope": {"type": "organisation"},
        "closes_at": closes,
        "questions": [
            {
                "text": "Adopt?",
                "method": "majority",
                "threshold": "simple",
                "options": ["yes", "no"],
            },
            {"text": "Capital?", "method": "irv", "options": ["M", "N", "C", "K"]},
        ],
    }
    assert call(stack, "POST", "/api/v1/polls", poll, token=voters[0]).status_code == 403
    # The electorate replica is fed by events, and fixed when a poll opens: launch until every
    # voter made it in (each poll tells a voter whether they are eligible).
    body = launch_for(stack, admin, poll, voters)
    poll_id = body["id"]
    q1, q2 = (q["id"] for q in body["questions"])
    plan = [
        ("yes", ["M", "N", "C", "K"]),
        ("yes", ["K", "C", "N", "M"]),
        ("no", ["N", "C", "K", "M"]),
        ("yes", ["K", "C", "N", "M"]),
    ]
    receipts = []
    for token, (choice, ranking) in zip(voters, plan, strict=True):
        cast = call(
            stack,
            "POST",
            f"/api/v1/polls/{poll_id}/ballots",
            {
                "answers": [
                    {"question_id": q1, "choice": choice},
                    {"question_id": q2, "ranking": ranking},
                ]
            },
            token=token,
        )
        assert cast.status_code == 201, cast.text
        receipts.append(cast.json()["receipt"])
    assert len(set(receipts)) == 4
    assert call(stack, "GET", f"/api/v1/polls/{poll_id}/results", token=admin).status_code == 409
    summary = close_and_count(stack, admin, poll_id)
    assert summary["voters"] == 4
    by_question = {q["question_id"]: q for q in summary["questions"]}
    assert by_question[q1]["winners"] == ["yes"]
    assert by_question[q2]["winners"] == ["K"]
