"""A real worker process killed (SIGKILL) in the middle of a 5,000-member newsletter, restarted.

Every member gets the email; the only copies are from the batch in flight at the kill, and they
carry the same Message-ID as the first copy, so mail systems drop them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from services.common.embedded_pg import free_port
from services.notify.context import build_context
from services.notify.service import newsletters
from services.notify.store import contacts
from tests.support.runtime import make_runtime, make_settings
from tests.support.wait import wait_for

ROOT = Path(__file__).resolve().parents[3]
MEMBERS = 5_000
BATCH = 250  # above 2 * RECORD_CHUNK: outcomes are written while the batch is sent
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)\r?$", re.MULTILINE | re.IGNORECASE)


class Recorder:
    """Keeps only (recipient, Message-ID) of each message: 5,000 parsed messages would be slow."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[str, bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.seen.append((rcpt, found.group(1) if found else b""))
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.seen)


@pytest.fixture()
def sink():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


def test_worker_killed_mid_newsletter_resends_only_the_batch_in_flight(
    fresh_database_url, sink, tmp_path
):
    recorder, port = sink
    extra = {
        "SMTP_URL": f"smtp://127.0.0.1:{port}",
        "MAIL_FROM": "Councils <c@example.org>",
        "NOTIFY_BATCH_SIZE": str(BATCH),
        "NOTIFY_IDLE_WAIT_S": "0.05",
    }
    runtime = make_runtime("notify", fresh_database_url, **extra)
    settings = make_settings("notify", fresh_database_url, **extra)
    try:
        with runtime.db.transaction() as cur:
            contacts.upsert_contacts(
                cur,
                (
                    {
                        "member_id": f"m{i:05d}",
                        "email": f"m{i:05d}@example.org",
                        "email_verified": True,
                        "phone": None,
                        "language": ("en", "es", "fr")[i % 3],
                        "display_name": f"Member {i}",
                        "status": "active",
                    }
                    for i in range(MEMBERS)
                ),
            )
        newsletter = newsletters.create_newsletter(
            build_context(runtime),
            "admin",
            {"subject": "Big news", "body": "One.\n\nTwo.", "scope": {"type": "organisation"}},
        )

        env = {k: v for k, v in os.environ.items() if k != "AMQP_URL"}
        env.update(
            extra,
            DATABASE_URL=fresh_database_url,
            SECRET_KEY=settings.secret_key,
            PUBLIC_URL=settings.public_url,
            JWT_PUBLIC_KEY=settings.jwt_public_key,
            PYTHONPATH=str(ROOT),
        )

        def start() -> subprocess.Popen:
            log = (tmp_path / f"worker-{time.monotonic_ns()}.log").open("wb")
            return subprocess.Popen(
                [sys.executable, "-m", "services.notify.worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

        def pending() -> int:
            with runtime.db.transaction() as cur:
                cur.execute("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'")
                return cur.fetchone()["n"]

        worker = start()
        try:
            wait_for(
                lambda: recorder.count() >= MEMBERS // 3, 30, "a third of the mail", process=worker
            )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        at_kill = recorder.count()
        assert at_kill < MEMBERS and pending() > 0, "the kill must land mid-newsletter"

        worker = start()
        try:
            wait_for(
                lambda: pending() == 0 and recorder.count() >= MEMBERS,
                30,
                "the rest of the newsletter",
                process=worker,
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(10)

        seen = list(recorder.seen)
        per_address = Counter(rcpt for rcpt, _ in seen)
        assert set(per_address) == {f"m{i:05d}@example.org" for i in range(MEMBERS)}
        copies = {rcpt for rcpt, n in per_address.items() if n > 1}
        assert all(per_address[rcpt] == 2 for rcpt in copies)
        assert len(seen) == MEMBERS + len(copies) and len(copies) <= BATCH
        ids: dict[str, set] = {}
        for rcpt, mid in seen:
            ids.setdefault(rcpt, set()).add(mid)
        assert all(len(v) == 1 and b"" not in v for v in ids.values())  # copies: same id

        with runtime.db.transaction() as cur:
            cur.execute(
                "SELECT id, address, message_id, status FROM deliveries WHERE notification_id = %s",
                (str(newsletter["id"]),),
            )
            rows = cur.fetchall()
        assert len(rows) == MEMBERS and {r["status"] for r in rows} == {"sent"}
        assert all(ids[r["address"]] == {r["message_id"].encode()} for r in rows)
        # The copies are one claimed batch: consecutive rows, at most BATCH of them.
        copied = sorted(r["id"] for r in rows if r["address"] in copies)
        assert not copied or copied[-1] - copied[0] < BATCH
        print(f"killed after {at_kill} messages; {len(copies)} copies from the batch in flight")
    finally:
        runtime.close()
