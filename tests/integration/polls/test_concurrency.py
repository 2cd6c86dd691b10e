"""200 concurrent casts with retries from 100 members, against a real threaded HTTP server."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from werkzeug.serving import ThreadedWSGIServer

from tests.integration.polls.conftest import auth, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())
MEMBERS = 100


class BoundedServer(ThreadedWSGIServer):
    """A thread per request, at most `limit` at once (the app's pool holds 10 connections)."""

    limit = 8

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(self.limit)

    def process_request(self, request, client_address):
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


@pytest.fixture(scope="module")
def base_url(app):
    server = BoundedServer("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def again(url, headers, key, qid, choice):
    return requests.post(
        url,
        headers={**headers, "Idempotency-Key": key},
        timeout=30,
        json={"answers": [{"question_id": qid, "choice": choice}]},
    )


def test_concurrent_casts_and_retries_give_one_ballot_per_member(runtime, base_url):
    members = [new_member(runtime) for _ in range(MEMBERS)]
    created = requests.post(
        f"{base_url}/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Rush",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "plurality", "options": ["a", "b"]}],
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    pid, qid = created.json()["id"], created.json()["questions"][0]["id"]
    url = f"{base_url}/api/v1/polls/{pid}/ballots"
    tokens = {m: auth(m) for m in members}
    barrier = threading.Barrier(40, timeout=30)

    def cast(job):
        member, attempt = job
        headers = {**tokens[member], "Idempotency-Key": f"{member}-once"}
        if attempt < 40:
            barrier.wait()  # the first 40 leave together
        with requests.Session() as session:
            response = session.post(
                url,
                headers=headers,
                timeout=60,
                json={"answers": [{"question_id": qid, "choice": "a" if attempt % 2 else "b"}]},
            )
        return member, response.status_code, response.json().get("receipt")

    # Each member's cast sent twice at once (a client retrying before the first answered).
    jobs = [(m, i) for i, m in enumerate(members + members)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(cast, jobs))
    assert {code for _, code, _ in outcomes} == {201}
    receipts: dict[str, set] = {}
    for member, _, receipt in outcomes:
        receipts.setdefault(member, set()).add(receipt)
    assert all(len(r) == 1 for r in receipts.values())
    assert len({next(iter(r)) for r in receipts.values()}) == MEMBERS

    # A retry after the fact gets the same receipt; the same key with other answers, or a new
    # request (new key), is refused.
    member = members[0]  # attempts 0 and 100: "b"
    retry = again(url, tokens[member], f"{member}-once", qid, "b")
    assert retry.status_code == 201 and {retry.json()["receipt"]} == receipts[member]
    reused = again(url, tokens[member], f"{member}-once", qid, "a")
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    fresh = requests.post(
        url,
        headers={**tokens[member], "Idempotency-Key": "another"},
        json={"answers": [{"question_id": qid, "choice": "a"}]},
        timeout=30,
    )
    assert fresh.status_code == 409

    closed = requests.post(
        f"{base_url}/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True), timeout=60
    )
    assert closed.status_code == 200
    assert (
        sql(runtime, "SELECT count(*) AS n FROM ballots WHERE poll_id = %s", (pid,))[0]["n"]
        == MEMBERS
    )
    results = requests.get(f"{base_url}/api/v1/polls/{pid}/results", timeout=30).json()
    assert results["voters"] == MEMBERS and results["ballots"] == MEMBERS
    assert sum(results["questions"][0]["totals"].values()) == MEMBERS


def test_concurrent_casts_without_a_key_give_one_201_and_409s(runtime, base_url):
    members = [new_member(runtime) for _ in range(10)]
    pid_body = requests.post(
        f"{base_url}/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Twice",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "plurality", "options": ["a", "b"]}],
        },
        timeout=30,
    ).json()
    url = f"{base_url}/api/v1/polls/{pid_body['id']}/ballots"
    body = {"answers": [{"question_id": pid_body["questions"][0]["id"], "choice": "a"}]}

    def cast(member):
        return member, requests.post(url, headers=auth(member), json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(cast, members * 3))
    for member in members:
        codes = sorted(code for m, code in outcomes if m == member)
        assert codes == [201, 409, 409]
    assert (
        sql(
            runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid_body["id"],)
        )[0]["n"]
        == 10
    )


def test_concurrent_changes_of_one_vote_all_succeed_and_leave_one_slot(runtime, base_url):
    member = new_member(runtime)
    body = requests.post(
        f"{base_url}/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Dither",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "plurality", "options": ["a", "b"]}],
        },
        timeout=30,
    ).json()
    url = f"{base_url}/api/v1/polls/{body['id']}/ballots"
    qid = body["questions"][0]["id"]
    receipt = requests.post(
        url,
        headers=auth(member),
        timeout=30,
        json={"answers": [{"question_id": qid, "choice": "a"}]},
    ).json()["receipt"]

    def change(index):
        return requests.put(
            url,
            headers=auth(member),
            timeout=60,
            json={"receipt": receipt, "answers": [{"question_id": qid, "choice": "ab"[index % 2]}]},
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(change, range(16))) == {200}
    assert (
        sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (body["id"],))[0][
            "n"
        ]
        == 1
    )
