"""Ballot secrecy against a copy of the database; receipts find ballots after close."""

from __future__ import annotations

import hashlib
import json
import uuid

from tests.integration.polls.conftest import auth, in_an_hour, new_member, sql

ADMIN = str(uuid.uuid4())
VOTERS = 40


def test_nothing_in_the_database_links_a_member_to_a_ballot(runtime, client):
    members = [new_member(runtime) for _ in range(VOTERS)]
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Secret",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [
                {"text": "Pick", "method": "plurality", "options": [f"o{i}" for i in range(VOTERS)]}
            ],
        },
    ).json
    pid, qid = poll["id"], poll["questions"][0]["id"]
    receipts = {}
    for index, member in enumerate(members):
        headers = {**auth(member), "Idempotency-Key": f"k-{index}"}
        cast = client.post(
            f"/api/v1/polls/{pid}/ballots",
            headers=headers,
            json={"answers": [{"question_id": qid, "choice": f"o{index}"}]},
        )
        assert cast.status_code == 201
        receipts[member] = cast.json["receipt"]
    # While open: nothing readable is published; sealed rows are opaque.
    assert sql(runtime, "SELECT count(*) AS n FROM ballots WHERE poll_id = %s", (pid,))[0]["n"] == 0
    sealed = sql(runtime, "SELECT sealed FROM ballot_slots WHERE poll_id = %s", (pid,))
    assert len(sealed) == VOTERS
    assert len({len(bytes(r["sealed"])) for r in sealed}) == 1  # padded: one length
    # Nothing written while casting names a voter: no roll row before close.
    assert sql(runtime, "SELECT count(*) AS n FROM roll WHERE poll_id = %s", (pid,))[0]["n"] == 0
    # Plaintext would carry the JSON key; random ciphertext holding these 10 bytes is ~2^-80 rare.
    assert all(b'"choice":' not in bytes(r["sealed"]) for r in sealed)
    assert all(b"question_id" not in bytes(r["sealed"]) for r in sealed)
    assert client.get(f"/api/v1/polls/{pid}/ballots").status_code == 409

    assert (
        client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True)).status_code
        == 200
    )

    # The shapes: roll and ballots share no column but the poll id, and have no timestamps.
    columns = {
        table: {
            r["column_name"]
            for r in sql(
                runtime,
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'polls' AND table_name = %s",
                (table,),
            )
        }
        for table in ("roll", "ballots")
    }
    assert columns["roll"] == {"poll_id", "member_id", "retry_tag"}
    assert columns["ballots"] == {"id", "poll_id", "weight", "answers"}

    # The key is destroyed, the sealed ballots and retry tags are gone.
    assert (
        sql(runtime, "SELECT count(*) AS n FROM poll_keys WHERE poll_id = %s", (pid,))[0]["n"] == 0
    )
    assert (
        sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid,))[0]["n"]
        == 0
    )
    assert (
        sql(
            runtime,
            "SELECT count(*) AS n FROM roll WHERE poll_id = %s AND retry_tag IS NOT NULL",
            (pid,),
        )[0]["n"]
        == 0
    )

    # Transaction ids: the roll and the published ballots were all written by the close, one
    # transaction; so xmin pairs nothing.
    ballot_xmins = {
        r["x"]
        for r in sql(runtime, "SELECT xmin::text AS x FROM ballots WHERE poll_id = %s", (pid,))
    }
    roll_xmins = {
        r["x"] for r in sql(runtime, "SELECT xmin::text AS x FROM roll WHERE poll_id = %s", (pid,))
    }
    assert len(ballot_xmins) == 1 and roll_xmins == ballot_xmins

    # Physical order: the roll is in member id order; the ballots' order on disk is not the
    # casting order.
    in_roll_order = [
        r["member_id"]
        for r in sql(runtime, "SELECT member_id FROM roll WHERE poll_id = %s ORDER BY ctid", (pid,))
    ]
    assert in_roll_order == sorted(members)
    choices_on_disk = [
        r["answers"][0]["choice"]
        for r in sql(
            runtime, "SELECT answers FROM ballots WHERE poll_id = %s ORDER BY ctid", (pid,)
        )
    ]
    cast_order = [f"o{i}" for i in range(VOTERS)]
    assert sorted(choices_on_disk) == sorted(cast_order)
    assert choices_on_disk != cast_order and choices_on_disk != cast_order[::-1]

    # No table holds both member ids and receipt hashes.
    hashes = {
        r["commitment"]
        for r in sql(runtime, "SELECT commitment FROM counted_receipts WHERE poll_id = %s", (pid,))
    }
    tables = [
        r["table_name"]
        for r in sql(
            runtime,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'polls'"
            " AND table_type = 'BASE TABLE'",
        )
    ]
    for table in tables:
        text = json.dumps(
            [
                r["t"]
                for r in sql(runtime, f'SELECT row_to_json(t)::text AS t FROM polls."{table}" t')
            ]
        )
        has_member = any(m in text for m in members)
        has_hash = any(h in text for h in hashes)
        has_receipt = any(r in text for r in receipts.values())
        assert not has_receipt, table
        assert not (has_member and has_hash), table

    # Each member finds their ballot counted by receipt (not its content: receipt-free).
    for member in members[:5]:
        mine = client.post(f"/api/v1/polls/{pid}/ballots/check", json={"receipt": receipts[member]})
        assert mine.status_code == 200
        assert mine.json == {
            "status": "counted",
            "entry": hashlib.sha256(receipts[member].encode()).hexdigest(),
        }
        assert mine.json["entry"] in hashes


def test_a_vote_is_changed_with_the_receipt_before_close(runtime, client):
    voter, other = new_member(runtime), new_member(runtime)
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Change",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Q", "method": "approval", "options": ["a", "b", "c"]}],
        },
    ).json
    pid, qid = poll["id"], poll["questions"][0]["id"]
    receipt = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voter),
        json={"answers": [{"question_id": qid, "approve": ["a"]}]},
    ).json["receipt"]
    url = f"/api/v1/polls/{pid}/ballots"
    legacy = f"/api/v1/polls/{pid}/ballots/{receipt}"
    # Someone else's receipt is not theirs to change.
    assert client.put(
        url,
        headers=auth(other),
        json={"receipt": receipt, "answers": [{"question_id": qid, "approve": ["c"]}]},
    ).status_code in (403, 404)
    bad = client.put(url, headers=auth(voter), json={"receipt": "x", "answers": []})
    assert bad.status_code == 422 and "receipt" in str(bad.json["error"]["fields"])
    assert (
        client.put(
            legacy,
            headers=auth(voter),
            json={"answers": [{"question_id": qid, "approve": ["a", "b"]}]},
        ).status_code
        == 200
    )  # deprecated form, still working
    for approve in (["b"], ["b", "c"]):
        changed = client.put(
            url,
            headers=auth(voter),
            json={"receipt": receipt, "answers": [{"question_id": qid, "approve": approve}]},
        )
        assert changed.status_code == 200 and changed.json["receipt"] == receipt
    # One slot per voter, however often it changes.
    assert (
        sql(runtime, "SELECT count(*) AS n FROM ballot_slots WHERE poll_id = %s", (pid,))[0]["n"]
        == 1
    )
    client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True))
    published = client.get(url).json["ballots"]
    assert [b["answers"] for b in published] == [[{"question_id": qid, "approve": ["b", "c"]}]]
    results = client.get(f"/api/v1/polls/{pid}/results").json
    assert results["voters"] == 1 and results["ballots"] == 1
    assert (
        client.put(
            url,
            headers=auth(voter),
            json={"receipt": receipt, "answers": [{"question_id": qid, "approve": ["a"]}]},
        ).status_code
        == 409
    )


def test_the_receipt_check_is_receipt_free_and_receipts_stay_out_of_urls(runtime, client):
    voter = new_member(runtime)
    poll = client.post(
        "/api/v1/polls",
        headers=auth(ADMIN, admin=True),
        json={
            "title": "Check",
            "scope": {"type": "organisation"},
            "closes_at": in_an_hour(),
            "questions": [{"text": "Agree?", "method": "consensus"}],
        },
    ).json
    pid, qid = poll["id"], poll["questions"][0]["id"]
    receipt = client.post(
        f"/api/v1/polls/{pid}/ballots",
        headers=auth(voter),
        json={"answers": [{"question_id": qid, "response": "block", "reason": "Too soon."}]},
    ).json["receipt"]
    check = f"/api/v1/polls/{pid}/ballots/check"
    malformed = client.post(check, json={"receipt": "short"})
    assert malformed.status_code == 422 and "receipt" in malformed.json["error"]["fields"]
    unknown = client.post(check, json={"receipt": "A" * 24})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "receipt_not_found"
    assert client.post(check, json={"receipt": receipt}).json == {
        "status": "recorded",
        "entry": None,
    }
    for url in (
        f"/api/v1/polls/{pid}/ballots/{receipt}",
        f"/api/v1/polls/{pid}/ballots?receipt={receipt}",
    ):
        gone = client.get(url)
        assert gone.status_code == 410 and gone.json["error"]["code"] == "use_ballot_check"

    client.post(f"/api/v1/polls/{pid}/close", headers=auth(ADMIN, admin=True))
    commitment = hashlib.sha256(receipt.encode()).hexdigest()
    counted = client.post(check, json={"receipt": receipt})
    assert counted.json == {"status": "counted", "entry": commitment}
    assert client.get(f"/api/v1/polls/{pid}/commitments").json == {
        "commitments": [commitment],
        "next": None,
    }
    # Nothing published pairs the receipt (or its commitment) with the content.
    published = json.dumps(
        [
            client.get(f"/api/v1/polls/{pid}/ballots").json,
            client.get(f"/api/v1/polls/{pid}/results").json,
        ]
    )
    assert "Too soon." in published and commitment not in published and receipt not in published
