"""Receipts never reach a log (issue 13): every receipt the stack issues, searched for in every
log of the running stack (services, workers, gateway) and in the database, after the receipt
was used every way the API knows (the deprecated path form included), is not found."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.e2e import (
    ADMIN,
    approved_voters,
    call,
    cast,
    close_and_count,
    later,
    launch_for,
    login,
)


def logs_of(stack) -> str:
    texts = [stack.log_path.read_text(errors="replace")]
    for path in stack.run_dir.rglob("*.log"):
        if path != stack.log_path:
            texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def test_no_receipt_in_any_log_or_in_clear_in_the_database(stack):
    admin = login(stack, *ADMIN)
    voters = approved_voters(stack, admin, 4, "rcpt")
    poll = launch_for(
        stack,
        admin,
        {
            "title": "Receipts stay private",
            "scope": {"type": "organisation"},
            "closes_at": later(),
            "questions": [{"text": "Pick", "method": "plurality", "options": ["a", "b"]}],
        },
        voters,
    )
    pid, qid = poll["id"], poll["questions"][0]["id"]
    receipts = [cast(stack, pid, token, {"question_id": qid, "choice": "a"}) for token in voters]
    base = f"/api/v1/polls/{pid}/ballots"
    answers = {"answers": [{"question_id": qid, "choice": "b"}]}

    changed = call(stack, "PUT", base, {**answers, "receipt": receipts[0]}, token=voters[0])
    assert changed.status_code == 200, changed.text
    legacy = call(stack, "PUT", f"{base}/{receipts[1]}", answers, token=voters[1])
    assert legacy.status_code == 200, legacy.text
    wrong = call(stack, "PUT", f"{base}/{receipts[2]}", answers, token=voters[3])
    assert wrong.status_code in (403, 404), wrong.text
    checked = call(stack, "POST", f"{base}/check", {"receipt": receipts[2]})
    assert checked.status_code == 200 and checked.json() == {"status": "recorded", "entry": None}
    assert call(stack, "GET", f"{base}/{receipts[3]}").status_code == 410
    assert call(stack, "GET", base, params={"receipt": receipts[3]}).status_code == 410

    summary = close_and_count(stack, admin, pid)
    assert summary["questions"][0]["totals"] == {"a": 2, "b": 2}
    counted = call(stack, "POST", f"{base}/check", {"receipt": receipts[3]})
    assert counted.status_code == 200 and counted.json()["status"] == "counted", counted.text
    assert "answers" not in counted.json()

    logs = logs_of(stack)
    assert f"/api/v1/polls/{pid}/ballots" in logs  # the requests were logged ...
    for receipt in receipts:
        assert receipt not in logs  # ... never with a receipt
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not on PATH: the logs were checked, the database was not")
    dump = subprocess.run(
        [pg_dump, "--data-only", stack.env["DATABASE_URL"]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for receipt in receipts:
        assert receipt not in dump
