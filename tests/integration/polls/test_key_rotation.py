"""Rotating SECRET_KEY while polls are open: with the old secret kept in SECRET_KEY_PREVIOUS
nothing breaks; without it, casting and closing are refused clearly and nothing is written
(no ballot is ever sealed under a key that close could not open)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from services.common.auth import Identity
from services.common.errors import ApiError
from services.common.runtime import build_runtime
from services.polls.app import create_app
from services.polls.context import PollsContext, build_context
from services.polls.service import ballots, closing, launch, results
from tests.integration.polls.conftest import auth, new_member, sql

OLD = "old-secret-key-for-rotation-tests"
NEW = "new-secret-key-for-rotation-tests"
ADMIN = Identity(str(uuid.uuid4()), "active", admin=True)


@pytest.fixture()
def services_with(runtime):
    made = []

    def make(secret: str, previous: tuple[str, ...] = ()) -> PollsContext:
        settings = dataclasses.replace(
            runtime.settings, secret_key=secret, previous_secret_keys=previous
        )
        rt = build_runtime("polls", settings)
        made.append(rt)
        return build_context(rt)

    yield make
    for rt in made:
        rt.db.close()


def new_poll(ctx: PollsContext) -> tuple[str, str]:
    poll = launch.create_poll(
        ctx,
        ADMIN,
        {
            "title": "Rotation",
            "scope": {"type": "organisation"},
            "closes_at": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
            "questions": [{"text": "Pick", "method": "plurality", "options": ["a", "b"]}],
        },
    )
    return poll["id"], poll["questions"][0]["id"]


def choice(qid: str, option: str) -> list[dict]:
    return [{"question_id": qid, "choice": option}]


def test_polls_opened_before_a_rotation_keep_working_with_the_previous_secret(
    runtime, services_with
):
    before = services_with(OLD)
    ada, bea = new_member(runtime), new_member(runtime)
    pid, qid = new_poll(before)
    ada_receipt = ballots.cast(before, Identity(ada, "active"), pid, choice(qid, "a"), "ada-1")[
        "receipt"
    ]

    after = services_with(NEW, previous=(OLD,))
    # Same receipt for Ada's retry, her change of vote, and Bea's new ballot: all under the
    # poll's old key.
    retry = ballots.cast(after, Identity(ada, "active"), pid, choice(qid, "a"), "ada-1")
    assert retry == {"receipt": ada_receipt, "replayed": True}
    ballots.change(after, Identity(ada, "active"), pid, ada_receipt, choice(qid, "b"))
    ballots.cast(after, Identity(bea, "active"), pid, choice(qid, "b"))
    # A poll made after the rotation takes the new secret.
    new_pid, new_qid = new_poll(after)
    with pytest.raises(ApiError) as refused:
        ballots.cast(services_with(OLD), Identity(ada, "active"), new_pid, choice(new_qid, "a"))
    assert refused.value.status == 503

    closing.close(after, ADMIN, pid)
    counted = results.results(after, pid)
    assert counted["ballots"] == 2
    assert counted["questions"][0]["winners"] == ["b"]


def test_without_the_old_secret_nothing_is_sealed_and_the_poll_stays_open(runtime, services_with):
    before = services_with(OLD)
    ada, bea = new_member(runtime), new_member(runtime)
    pid, qid = new_poll(before)
    ballots.cast(before, Identity(ada, "active"), pid, choice(qid, "a"))

    forgot = services_with(NEW)  # rotated, the old secret dropped
    client = create_app(forgot.runtime, forgot).test_client()
    cast = client.post(
        f"/api/v1/polls/{pid}/ballots", headers=auth(bea), json={"answers": choice(qid, "b")}
    )
    assert cast.status_code == 503
    assert cast.json["error"]["code"] == "poll_key_unavailable"
    assert "SECRET_KEY" in cast.json["error"]["message"]
    refused_close = client.post(
        f"/api/v1/polls/{pid}/close", headers=auth(ADMIN.member_id, admin=True)
    )
    assert refused_close.status_code == 503
    # Nothing written: one voter, one sealed slot, the poll still open with its key.
    assert (
        sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid,))[0]["n"]
        == 1
    )
    assert sql(runtime, "SELECT status FROM polls WHERE id = %s", (pid,))[0]["status"] == "open"

    # Putting the old secret back (as SECRET_KEY_PREVIOUS) recovers everything.
    restored = services_with(NEW, previous=(OLD,))
    ballots.cast(restored, Identity(bea, "active"), pid, choice(qid, "b"))
    closing.close(restored, ADMIN, pid)
    assert results.results(restored, pid)["ballots"] == 2
