"""Large batches: outcomes written chunk by chunk while sending, still one transaction a batch."""

from __future__ import annotations

import pytest

from services.notify.delivery import RECORD_CHUNK, Policy, Sender
from services.notify.store import contacts
from tests.support.crashing import Crash, CrashingGateway

MEMBERS = 3 * RECORD_CHUNK + 50
BOUNCES = {f"bounce{i:03d}@example.org" for i in (5, RECORD_CHUNK + 7, MEMBERS - 1)}


def _seed(notify) -> None:
    with notify.runtime.db.transaction() as cur:
        contacts.upsert_contacts(
            cur,
            (
                {
                    "member_id": f"m{i:03d}",
                    "email": f"bounce{i:03d}@example.org"
                    if f"bounce{i:03d}@example.org" in BOUNCES
                    else f"m{i:03d}@example.org",
                    "email_verified": True,
                    "phone": None,
                    "language": ("en", "fr", "es")[i % 3],
                    "display_name": f"Member {i}",
                    "status": "active",
                }
                for i in range(MEMBERS)
            ),
        )
    notify.poll_opened("Big poll")


def test_a_large_batch_records_every_outcome(notify):
    _seed(notify)
    sender = Sender(notify.ctx, "email", policy=Policy(batch_size=MEMBERS))
    assert sender.send_batch() == MEMBERS
    rows = notify.deliveries("email")
    by_status: dict[str, list] = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append(row)
    assert {r["address"] for r in by_status["failed"]} == BOUNCES
    assert all(
        r["last_error"].startswith("550") and r["attempts"] == 1 for r in by_status["failed"]
    )
    assert len(by_status["sent"]) == MEMBERS - len(BOUNCES)
    assert all(r["message_id"] and r["sent_at"] and r["attempts"] == 1 for r in by_status["sent"])
    received = {r.rcpt_tos[0]: r.message["Message-ID"] for r in notify.sink.received}
    assert received == {r["address"]: r["message_id"] for r in by_status["sent"]}
    sender.gateway.close()


def test_a_crash_after_chunks_were_written_leaves_the_whole_batch_pending(notify):
    _seed(notify)
    sender = Sender(notify.ctx, "email", policy=Policy(batch_size=MEMBERS))
    sender.gateway = CrashingGateway(sender.gateway, after=2 * RECORD_CHUNK + 10)
    with pytest.raises(Crash):
        sender.send_batch()  # two chunks were already written, in the lost transaction
    assert {r["status"] for r in notify.deliveries("email")} == {"pending"}
    assert all(r["attempts"] == 0 for r in notify.deliveries("email"))
    sender.gateway.inner.close()
