"""`python -m services.common.bus parked list|show|requeue|drop`: the operator's parking tool.

  parked list                          queues with parked messages, and how many
  parked show QUEUE [--position N]     each parked message: event, reason, attempts
  parked requeue QUEUE (--position N | --event ID | --all)   back in QUEUE as a first attempt
  parked drop QUEUE (--position N | --event ID | --all)      gone for good

Positions count from 1 (the oldest) as `show` prints them. Requeue only once the cause is
fixed (a consumer deployed that handles it), else the message comes straight back.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, TextIO

from services.common.bus import parking
from services.common.bus.transport import Transport


def _transport(env: Mapping[str, str]) -> Transport:
    from services.common.bus import transport_from_settings

    if not env.get("DATABASE_URL") and not env.get("AMQP_URL"):
        raise SystemExit("set AMQP_URL (RabbitMQ) or DATABASE_URL (the PostgreSQL transport)")
    settings = SimpleNamespace(
        amqp_url=env.get("AMQP_URL") or None,
        database_url=env.get("DATABASE_URL"),
        bus_exchange=env.get("BUS_EXCHANGE") or "councils.events",
        bus_queue_prefix=env.get("BUS_QUEUE_PREFIX") or "",
        get=lambda name, default=None: env.get(name, default),
    )
    return transport_from_settings(settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m services.common.bus",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="group", required=True)
    parked = sub.add_parser("parked", help="parked messages").add_subparsers(
        dest="action", required=True
    )
    listing = parked.add_parser("list")
    listing.add_argument("--queue", action="append", default=[], help="also ask about QUEUE")
    shown = parked.add_parser("show")
    shown.add_argument("queue")
    shown.add_argument("--position", type=int, action="append", default=[])
    for action in ("requeue", "drop"):
        settle = parked.add_parser(action)
        settle.add_argument("queue")
        settle.add_argument("--position", type=int, action="append", default=[])
        settle.add_argument("--event", action="append", default=[])
        settle.add_argument("--all", action="store_true")
    return parser


def run(argv: list[str], transport: Any, out: TextIO = sys.stdout) -> int:
    # Any: both transports settle parked messages, the Transport interface leaves it out.
    args = _parser().parse_args(argv)
    if args.action == "list":
        counts = parking.parked_counts(transport, args.queue)
        for queue, n in sorted(counts.items()):
            print(f"{n:6d}  {queue}", file=out)
        return 0
    if args.action == "show":
        records = transport.parked(args.queue)
        for position, record in enumerate(records, start=1):
            if not args.position or position in args.position:
                print(parking.show(position, record), file=out)
        if not records:
            print(f"nothing parked in {args.queue}", file=out)
        return 0
    try:
        choose = parking.chooser(args.position, args.event, args.all)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    n = transport.settle_parked(args.queue, choose, requeue=args.action == "requeue")
    done = "re-queued" if args.action == "requeue" else "dropped"
    print(f"{done} {n} message(s) of {args.queue}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    transport = _transport(os.environ)
    try:
        return run(sys.argv[1:] if argv is None else argv, transport)
    finally:
        transport.close()


if __name__ == "__main__":
    raise SystemExit(main())
