"""Bad input: 422 naming the question, 403 for the ineligible, 409 for state — nothing written."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.polls.conftest import auth, feed, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())


@pytest.fixture(scope="module")
def poll(runtime, app):
    client = app.test_client()
    voters = [new_member(runtime) for _ in range(3)]
    body = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Refusals",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [
                {"text": "One", "method": "majority", "options": ["yes", "no"]},
                {"text": "Rank", "method": "schulze", "options": ["A", "B", "C"]},
                {"text": "Agree?", "method": "consensus"},
            ],
        },
    ).json
    return {"id": body["id"], "q": [q["id"] for q in body["questions"]], "voters": voters}


def written(runtime, pid) -> tuple:
    return (
        sql(runtime, "SELECT count(*) AS n FROM roll WHERE poll_id = %s", (pid,))[0]["n"],
        sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid,))[0]["n"],
    )


@pytest.mark.parametrize(
    "answers, field, words",
    [
        ([{"q": 1, "ranking": ["A", "Z"]}], "answers[0].ranking", "'Z' is not one of the options"),
        ([{"q": 1, "ranking": ["A", "A"]}], "answers[0].ranking", "more than once"),
        ([{"q": 1, "ranking": "A,B"}], "answers", None),
        ([{"q": 1, "choice": "A"}], "answers[0].ranking", "answered with 'ranking'"),
        ([{"q": 0, "choice": "maybe"}], "answers[0].choice", "'maybe' is not one of the options"),
        ([{"q": 0, "choice": "yes"}, {"q": 0, "choice": "no"}], "answers[1].question_id", "twice"),
        ([{"q": 2, "response": "block"}], "answers[0].reason", "needs a reason"),
        ([{"q": 2, "response": "meh"}], "answers[0].response", "must be one of"),
    ],
)
def test_malformed_ballots_are_422_naming_the_question(
    runtime, client, poll, answers, field, words
):
    payload = []
    for answer in answers:
        answer = dict(answer)
        payload.append({"question_id": poll["q"][answer.pop("q")], **answer})
    before = written(runtime, poll["id"])
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        json={"answers": payload},
        headers=auth(poll["voters"][0]),
    )
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert any(key.startswith(field) for key in error["fields"]), error
    if words:
        assert words in error["message"]
        assert "question" in error["message"]
    assert written(runtime, poll["id"]) == before


def test_unknown_question_is_422(client, poll):
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(poll["voters"][0]),
        json={"answers": [{"question_id": str(uuid.uuid4()), "choice": "yes"}]},
    )
    assert response.status_code == 422


def test_validation_comes_before_eligibility_and_eligibility_before_state(runtime, client, poll):
    stranger = str(uuid.uuid4())
    late = new_member(runtime)  # active, but joined after the poll opened
    pid, q = poll["id"], poll["q"]
    bad = {"answers": [{"question_id": q[1], "ranking": ["Z"]}]}
    good = {"answers": [{"question_id": q[0], "choice": "yes"}]}
    assert (
        client.post(f"/api/v1/polls/{pid}/ballots", json=bad, headers=auth(stranger)).status_code
        == 422
    )
    for member in (stranger, late):
        refused = client.post(f"/api/v1/polls/{pid}/ballots", json=good, headers=auth(member))
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "not_eligible"
    assert client.post(f"/api/v1/polls/{pid}/ballots", json=good).status_code == 401
    assert written(runtime, pid) == (0, 0)


def test_consensus_answers_with_reasons_are_accepted(runtime, client, poll):
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(poll["voters"][2]),
        json={
            "answers": [
                {"question_id": poll["q"][2], "response": "concern", "reason": "Too fast"},
                {"question_id": poll["q"][1], "ranking": ["B"]},
            ]
        },
    )
    assert response.status_code == 201


def test_closed_poll_409_and_nothing_written(runtime, client, poll):
    pid = poll["id"]
    voter = poll["voters"][1]
    first = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voter),
        json={"answers": [{"question_id": poll["q"][0], "choice": "no"}]},
    )
    assert first.status_code == 201
    second = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voter),
        json={"answers": [{"question_id": poll["q"][0], "choice": "yes"}]},
    )
    assert second.status_code == 409 and second.json["error"]["code"] == "already_voted"
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 409
    )
    roll_before = written(runtime, pid)
    late = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(poll["voters"][0]),
        json={"answers": [{"question_id": poll["q"][0], "choice": "yes"}]},
    )
    assert late.status_code == 409 and late.json["error"]["code"] == "poll_closed"
    assert written(runtime, pid) == roll_before
    results = client.get(f"/api/v1/polls/{pid}/results").json
    assert results["voters"] == 2


def test_launching_needs_the_mandate_for_the_scope(runtime, client):
    root, branch = str(uuid.uuid4()), str(uuid.uuid4())
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": root, "parent_id": None, "name": "UK", "level": "national"},
    )
    feed(
        runtime,
        "members.chapter.founded",
        {"chapter_id": branch, "parent_id": root, "name": "Leeds", "level": "local"},
    )
    coordinator = new_member(runtime, chapters=[(root, [])])
    local = new_member(runtime, chapters=[(branch, [root])])
    elsewhere = new_member(runtime)
    feed(
        runtime,
        "members.mandate.granted",
        {
            "mandate_id": str(uuid.uuid4()),
            "member_id": coordinator,
            "role": "coordinator",
            "chapter_id": root,
        },
    )
    poll = {
        "title": "Leeds",
        "scope": {"type": "chapter", "id": branch},
        "closes_at": in_an_hour(),
        "questions": [{"text": "Q", "method": "majority", "options": ["yes", "no"]}],
    }
    assert client.post("/api/v1/polls", json=poll, headers=auth(local)).status_code == 403
    org = {**poll, "scope": {"type": "organisation"}}
    assert client.post("/api/v1/polls", json=org, headers=auth(coordinator)).status_code == 403
    created = client.post("/api/v1/polls", json=poll, headers=auth(coordinator))
    assert created.status_code == 201, created.json
    assert created.json["electorate"] == 1  # the Leeds member, via the ancestors of Leeds
    pid, qid = created.json["id"], created.json["questions"][0]["id"]
    answer = {"answers": [{"question_id": qid, "choice": "yes"}]}
    assert (
        client.post(
            f"/api/v1/polls/{pid}/ballots", json=answer, headers=auth(elsewhere)
        ).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/polls/{pid}/ballots", json=answer, headers=auth(local)).status_code
        == 201
    )
    # An admin mandate from the replica (not the token) is enough for the whole organisation.
    feed(
        runtime,
        "members.mandate.granted",
        {
            "mandate_id": str(uuid.uuid4()),
            "member_id": elsewhere,
            "role": "admin",
            "chapter_id": None,
        },
    )
    assert client.post("/api/v1/polls", json=org, headers=auth(elsewhere)).status_code == 201
    unknown = {**poll, "scope": {"type": "chapter", "id": str(uuid.uuid4())}}
    assert (
        client.post("/api/v1/polls", json=unknown, headers=auth(ADMIN, admin=True)).status_code
        == 422
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"method": "condorcet"}, "questions.0.method"),
        ({"options": ["only"]}, "questions[0].options"),
        ({"options": ["a", "a"]}, "questions[0].options"),
        ({"method": "stv", "seats": 5}, "questions[0].seats"),
        ({"threshold": "most"}, "questions[0].threshold"),
    ],
)
def test_bad_polls_are_422(client, change, field):
    question = {"text": "Q", "method": "majority", "options": ["yes", "no"], **change}
    response = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Bad",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [question],
        },
    )
    assert response.status_code == 422, response.json
    fields = response.json["error"].get("fields", {})
    flat = set(fields) | {f"{k}.{k2}" for k, v in fields.items() if isinstance(v, dict) for k2 in v}
    assert any(
        f.replace("[", ".").replace("]", "").startswith(field.replace("[", ".").replace("]", ""))
        for f in flat
    ) or field.split(".")[0] in str(fields), fields


# --- text: control characters and lone surrogates ------------------------------------------


def _poll_body(**changes) -> dict:
    body = {
        "title": "Text",
        "text": "About",
        "scope": {"type": "organisation"},
        "closes_at": in_an_hour(),
        "questions": [{"text": "Q", "method": "majority", "options": ["yes", "no"]}],
    }
    body.update(changes)
    return body


def _question(**changes) -> list:
    return [{"text": "Q", "method": "majority", "options": ["yes", "no"], **changes}]


BAD_TEXT = [
    ("/api/v1/polls", _poll_body(title="\ud800"), "title"),
    ("/api/v1/polls", _poll_body(title="a\x00b"), "title"),
    ("/api/v1/polls", _poll_body(title="two\nlines"), "title"),
    ("/api/v1/polls", _poll_body(title="Vote\r\nBcc: x"), "title"),
    ("/api/v1/polls", _poll_body(text="bell\x07"), "text"),
    ("/api/v1/polls", _poll_body(text="lone \udc00 half"), "text"),
    ("/api/v1/polls", _poll_body(questions=_question(options=["ok", "a\x1b[2Jb"])), "options"),
    ("/api/v1/polls", _poll_body(questions=_question(options=["ok", "\ud83d"])), "options"),
    ("/api/v1/polls", _poll_body(questions=_question(options=["ok", "new\nline"])), "options"),
    ("/api/v1/polls", _poll_body(questions=_question(text="c1 \x85 char")), "text"),
    (
        "/api/v1/proposals",
        {"title": "tab\there", "scope": {"type": "organisation"}, "questions": _question()},
        "title",
    ),
    (
        "/api/v1/proposals",
        {"title": "P", "text": "\x00", "scope": {"type": "organisation"}, "questions": _question()},
        "text",
    ),
    ("/api/v1/polls?scope_id=a%00b", None, "scope_id"),
]


@pytest.mark.parametrize("path, body, field", BAD_TEXT)
def test_control_characters_and_lone_surrogates_are_422_naming_the_field(
    runtime, client, path, body, field
):
    before = sql(
        runtime, "SELECT (SELECT count(*) FROM polls) + (SELECT count(*) FROM proposals) AS n"
    )[0]["n"]
    if body is None:
        response = client.get(path, headers=auth(ADMIN, admin=True))
    else:
        response = client.post(path, json=body, headers=auth(ADMIN, admin=True))
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.json["error"]
    assert field in json.dumps(error["fields"]), error
    assert (
        sql(runtime, "SELECT (SELECT count(*) FROM polls) + (SELECT count(*) FROM proposals) AS n")[
            0
        ]["n"]
        == before
    )


def test_multi_line_text_keeps_its_lines_as_lf(client):
    created = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json=_poll_body(
            text="one\r\ntwo\rthree\nfour", questions=_question(text="Agree?\r\nSay why.")
        ),
    )
    assert created.status_code == 201, created.json
    assert created.json["text"] == "one\ntwo\nthree\nfour"
    assert created.json["questions"][0]["text"] == "Agree?\nSay why."


def test_comments_and_ballot_reasons_refuse_control_characters(runtime, client, poll):
    for body in ({"body": "hi\x00"}, {"body": "\ud800"}, {"body": "esc\x1b"}):
        response = client.post(
            f"/api/v1/polls/{poll['id']}/comments", json=body, headers=auth(poll["voters"][0])
        )
        assert response.status_code == 422 and "body" in response.json["error"]["fields"]
    before = written(runtime, poll["id"])
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(poll["voters"][0]),
        json={
            "answers": [{"question_id": poll["q"][2], "response": "block", "reason": "no\ud800"}]
        },
    )
    assert response.status_code == 422 and "reason" in json.dumps(response.json["error"])
    assert written(runtime, poll["id"]) == before


# --- CSV export: no formula cells ---------------------------------------------------------


def test_csv_export_neutralises_formula_cells(runtime, client):
    hostile = ['=HYPERLINK("http://x","y")', "+cmd", "@SUM(A1)", "-1+2"]
    voters = [new_member(runtime) for _ in hostile]
    created = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json=_poll_body(
            questions=[{"text": "=1+1", "method": "plurality", "options": [*hostile, "plain"]}]
        ),
    )
    assert created.status_code == 201, created.json
    pid, qid = created.json["id"], created.json["questions"][0]["id"]
    for voter, option in zip(voters, hostile, strict=True):
        voted = client.post(
            f"/api/v1/polls/{pid}/ballots",
            headers=auth(voter),
            json={"answers": [{"question_id": qid, "choice": option}]},
        )
        assert voted.status_code == 201, voted.json
    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )
    exported = client.get(f"/api/v1/polls/{pid}/export", query_string={"format": "csv"})
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    cells = [c for row in csv.reader(io.StringIO(exported.get_data(as_text=True))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    for option in hostile:
        assert "'" + option in cells
    assert "'=1+1" in cells and "plain" in cells


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 1500 + "1" + "}" * 1500,
        '{"answers": [' + "[" * 40 + "]" * 40 + "]}",
    ],
)
def test_json_nested_too_deep_is_400_too_deep(runtime, client, poll, body):
    before = written(runtime, poll["id"])
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        data=body,
        content_type="application/json",
        headers=auth(poll["voters"][0]),
    )
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"]["code"] == "too_deep"
    assert written(runtime, poll["id"]) == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/delegates/a%00b/votes",
        "/api/v1/delegates/a%0Ab/votes",
        "/api/v1/delegates/%C2%85/votes",
    ],
)
def test_control_characters_in_a_path_match_no_route(client, path):
    response = client.get(path)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert response.json["error"]["code"] == "not_found"


def test_idempotency_key_with_control_characters_is_400_naming_it(runtime, client, poll):
    before = written(runtime, poll["id"])
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        json={"answers": [{"question_id": poll["q"][0], "choice": "yes"}]},
        headers={**auth(poll["voters"][0]), "Idempotency-Key": "k\x00ey"},
    )
    assert response.status_code == 400, response.json
    assert "Idempotency-Key" in response.json["error"]["fields"]
    assert written(runtime, poll["id"]) == before


@pytest.mark.parametrize(
    "question, where",
    [
        ({"threshold": "a\x00"}, "questions[0].threshold"),
        ({"seed": "\ud800"}, "questions[0].seed"),
        ({"fallback": {"x\x00": 1}}, "questions[0].fallback.x\x00"),
        ({"quorum": ["ok", "\udfff"]}, "questions[0].quorum[1]"),
    ],
)
def test_unstorable_text_in_a_free_form_field_is_422_naming_where(runtime, client, question, where):
    before = sql(runtime, "SELECT count(*) AS n FROM polls")[0]["n"]
    response = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json=_poll_body(questions=_question(**question)),
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert where in response.json["error"]["fields"], response.json
    assert sql(runtime, "SELECT count(*) AS n FROM polls")[0]["n"] == before


def test_unstorable_text_in_a_ranking_is_422(runtime, client, poll):
    before = written(runtime, poll["id"])
    response = client.post(
        f"/api/v1/polls/{poll['id']}/ballots",
        headers=auth(poll["voters"][0]),
        json={"answers": [{"question_id": poll["q"][1], "ranking": ["A", "B\x00"]}]},
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "answers[0].ranking[1]" in response.json["error"]["fields"]
    assert written(runtime, poll["id"]) == before


# Control characters and lone surrogates (Cc, Cs) mixed with ordinary letters and spaces.
ANY_TEXT = st.text(
    alphabet=st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Zs", "Ll"]), max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=ANY_TEXT, text=ANY_TEXT, option=ANY_TEXT)
def test_any_text_is_stored_clean_or_refused_never_a_500(client, title, text, option):
    response = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json=_poll_body(
            title=title.strip() or "t",
            text=text,
            questions=_question(options=["yes", option.strip() or "o"]),
        ),
    )
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code == 201:
        poll = response.json
        stored = [poll["title"], poll["text"], *poll["questions"][0]["options"]]
        assert not [
            s
            for s in stored
            if any(
                ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF
                for c in s
            )
        ]
