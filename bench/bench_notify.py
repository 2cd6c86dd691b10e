"""A newsletter to N members into a local SMTP sink, against a plain smtplib loop (the ceiling).

    python bench/bench_notify.py [--members 100000] [--quick]

Both runs send to the same aiosmtpd sink on loopback in the same process run; notify's figure
includes the fan-out (one INSERT ... SELECT), claiming batches, composing each message in the
member's language (templates rendered once per language, the member's name, unsubscribe link,
To and Message-ID put in per message), and recording every outcome in PostgreSQL. The ceiling
and notify take turns batch for batch over their own connections (each timed on its own), so a
machine busy with other work weighs on both alike. Memory: the resident set after a tenth of the
members and at the end (flat: about the same whatever the number of members).
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
from services.notify import links  # noqa: E402
from services.notify.context import build_context  # noqa: E402
from services.notify.delivery import Policy, Sender  # noqa: E402
from services.notify.mail import build_email, to_wire  # noqa: E402
from services.notify.render import render_email  # noqa: E402
from services.notify.service import newsletters  # noqa: E402
from services.notify.store import newsletters as stored_newsletters  # noqa: E402
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


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def plain_messages(settings) -> list[bytes]:
    """The ceiling's messages: one per language, of the size and shape of notify's (a real
    unsubscribe link and name), built once; the sink's cost grows with a message's lines."""
    url = links.unsubscribe_url(settings.public_url, settings.secret_key, "m99999", "newsletters")
    messages = []
    for language in ("en", "es", "fr"):  # the seeded members' languages, in the same order
        rendered = render_email(
            "newsletter",
            language,
            "newsletters",
            {"subject": "News", "body": "Hello.\n\nMore.", "translations": {}},
            name="Member 99999",
            unsubscribe_url=url,
        )
        messages.append(
            to_wire(
                build_email(
                    rendered=rendered,
                    mail_from="Councils <councils@example.org>",
                    to_address="m99999@example.org",
                    to_name="Member 99999",
                    message_id_value="<councils.0123456789abcdef0123456789abcdef@example.org>",
                    unsubscribe_url=url,
                    bulk=True,
                    extra_headers={"X-Councils-Category": "newsletters"},
                )
            )
        )
    return messages


def seed(runtime, n: int) -> None:
    with runtime.db.transaction() as cur:
        cur.execute(
            "INSERT INTO contacts (member_id, email, display_name, language, status)"
            " SELECT 'm' || i, 'm' || i || '@example.org', 'Member ' || i,"
            " (ARRAY['en','es','fr'])[1 + i %% 3], 'active' FROM generate_series(1, %s) i",
            (n,),
        )
        stored_newsletters.add_newsletter(
            cur,
            uuid.uuid4(),
            "News",
            "Hello.\n\nMore.",
            {},
            {"type": "organisation"},
            ["email"],
            "bench",
        )


def interleaved(runtime, port: int, n: int, batch: int) -> dict:
    """Notify's batches and the plain loop take turns, batch for batch, so both see the same
    machine: a load that comes and goes during the run weighs on both alike."""
    messages = plain_messages(runtime.settings)
    ctx = build_context(runtime)
    sender = Sender(ctx, "email", policy=Policy(batch_size=batch))
    figures = {"rss_before": current_rss_mb(), "peak_before": rss_mb()}
    plain_s = 0.0
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        newsletters.fan_out_newsletters(ctx)
        ours_s = time.perf_counter() - started
        sent = 0
        while True:
            started = time.perf_counter()
            settled = sender.send_batch()
            ours_s += time.perf_counter() - started
            if not settled:
                break
            started = time.perf_counter()
            for i in range(sent + 1, sent + settled + 1):
                smtp.sendmail("councils@example.org", [f"m{i}@example.org"], messages[i % 3])
            plain_s += time.perf_counter() - started
            sent += settled
            if "rss_tenth" not in figures and sent >= n // 10:
                figures["rss_tenth"] = current_rss_mb()
    sender.gateway.close()
    figures.update(
        sent=sent,
        ours=sent / ours_s,
        plain=sent / plain_s,
        rss_end=current_rss_mb(),
        peak_growth=rss_mb() - figures["peak_before"],
    )
    figures.setdefault("rss_tenth", figures["rss_end"])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="2,000 members")
    args = parser.parse_args()
    n = 2_000 if args.quick else args.members

    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    admin = admin_pg_url()
    url = create_database(admin, prefix="councils_bench")
    runtime = make_runtime(
        "notify",
        url,
        SMTP_URL=f"smtp://127.0.0.1:{port}",
        MAIL_FROM="Councils <councils@example.org>",
    )
    try:
        seed(runtime, n)
        f = interleaved(runtime, port, n, args.batch)
        assert f["sent"] == n and handler.count == 2 * n, (
            f"sent {f['sent']}, sink got {handler.count}, expected {2 * n}"
        )
    finally:
        runtime.close()
        drop_database(admin, url)
        controller.stop()
    print(f"{'what':<34}{'messages/s':>12}")
    print(f"{'plain smtplib loop (ceiling)':<34}{f['plain']:>12.0f}")
    print(f"{'notify newsletter':<34}{f['ours']:>12.0f}")
    print(f"notify at {100 * f['ours'] / f['plain']:.0f}% of the ceiling for {n} members")
    print(
        f"memory: RSS {f['rss_before']:.1f} MB before, {f['rss_tenth']:.1f} MB after a tenth "
        f"of the members, {f['rss_end']:.1f} MB at the end (peak grew {f['peak_growth']:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
