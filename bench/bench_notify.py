"""A newsletter to N members into a local SMTP sink, against a plain smtplib loop (the ceiling).

    python bench/bench_notify.py [--members 20000] [--quick]

Both runs send to the same aiosmtpd sink on loopback in the same process run; notify's figure
includes the fan-out (one INSERT ... SELECT), claiming batches, rendering each message from its
templates in the member's language, and recording every outcome in PostgreSQL.
"""

from __future__ import annotations

import argparse
import resource
import smtplib
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from services.common.embedded_pg import free_port  # noqa: E402
from services.notify import service, store  # noqa: E402
from services.notify.delivery import Policy, Sender  # noqa: E402
from services.notify.mail import build_email, to_wire  # noqa: E402
from services.notify.render import render_email  # noqa: E402
from tests.support.runtime import make_runtime  # noqa: E402
from tests.support.servers import admin_pg_url, create_database, drop_database  # noqa: E402


class Counting:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.count += 1
        return "250 OK"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ceiling(port: int, n: int) -> float:
    rendered = render_email("newsletter", "en", "newsletters",
                            {"subject": "News", "body": "Hello.\n\nMore.", "translations": {}},
                            name="Member", unsubscribe_url="http://127.0.0.1/u/x")
    data = to_wire(build_email(rendered=rendered, mail_from="c@example.org",
                               to_address="m@example.org", to_name="Member",
                               message_id_value="<x@example.org>",
                               unsubscribe_url="http://127.0.0.1/u/x", bulk=True))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(n):
            smtp.sendmail("c@example.org", [f"m{i}@example.org"], data)
    return n / (time.perf_counter() - started)


def notify_rate(runtime, n: int) -> tuple[float, float]:
    with runtime.db.transaction() as cur:
        cur.execute(
            "INSERT INTO contacts (member_id, email, display_name, language, status)"
            " SELECT 'm' || i, 'm' || i || '@example.org', 'Member ' || i,"
            " (ARRAY['en','es','fr'])[1 + i %% 3], 'active' FROM generate_series(1, %s) i",
            (n,),
        )
        store.add_newsletter(cur, uuid.uuid4(), "News", "Hello.\n\nMore.", {},
                             {"type": "organisation"}, ["email"], "bench")
    sender = Sender(runtime.db, runtime.settings, "email", policy=Policy(batch_size=500))
    rss_before = rss_mb()
    started = time.perf_counter()
    service.fan_out_newsletters(runtime)
    while sender.send_batch():
        pass
    elapsed = time.perf_counter() - started
    sender.gateway.close()
    return n / elapsed, rss_mb() - rss_before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="2,000 members")
    args = parser.parse_args()
    n = 2_000 if args.quick else args.members

    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    admin = admin_pg_url()
    url = create_database(admin, prefix="councils_bench")
    runtime = make_runtime("notify", url, SMTP_URL=f"smtp://127.0.0.1:{port}",
                           MAIL_FROM="Councils <councils@example.org>")
    try:
        plain = ceiling(port, n)
        ours, rss_growth = notify_rate(runtime, n)
        assert handler.count == 2 * n, f"sink got {handler.count}, expected {2 * n}"
    finally:
        runtime.close()
        drop_database(admin, url)
        controller.stop()
    print(f"{'what':<34}{'messages/s':>12}")
    print(f"{'plain smtplib loop (ceiling)':<34}{plain:>12.0f}")
    print(f"{'notify newsletter':<34}{ours:>12.0f}")
    print(f"notify at {100 * ours / plain:.0f}% of the ceiling for {n} members; "
          f"peak RSS grew {rss_growth:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
