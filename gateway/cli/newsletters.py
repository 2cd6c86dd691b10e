"""`councils newsletter send FILE [--at TIME] [--dry-run] [--yes]`: a newsletter from a YAML or
JSON file (subject, body, optional translations, scope and channels), sent now or scheduled for
`--at`. Before anything is sent the API's own preview says how many members get it by email and
by SMS, and how many not and why; with --dry-run that is all that happens.
`councils newsletter list`, `reschedule ID --at TIME` and `cancel ID` mirror /admin/newsletters."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from gateway.cli.common import CliError, client, remember
from gateway.cli.pollfile import instant, read_document

KEYS = ("subject", "body", "translations", "scope", "channels")
CHANNELS = ("email", "sms")
REASONS = {
    "unverified": "address not verified",
    "opted_out": "opted out",
    "no_address": "no email address",
    "no_phone": "no phone number",
}
EXAMPLE = """\
subject: November news
body: |
  Dear members,

  The convention takes place on 12 March. Read more at https://example.org/convention
translations:            # optional: members reading these languages get this text
  fr: {subject: Nouvelles de novembre, body: "Chers membres, ..."}
scope: organisation      # or {type: chapter, id: <chapter id>} or {type: current, id: ...}
channels: [email, sms]   # optional, email by default
"""


def _scope(value, path: str) -> dict:
    if value in (None, "organisation"):
        return {"type": "organisation"}
    if isinstance(value, dict) and value.get("type") in ("organisation", "chapter", "current"):
        return {k: str(v) for k, v in value.items()}
    raise CliError(
        f"{path}: scope is `organisation` or {{type: chapter, id: ...}} or "
        "{type: current, id: ...}"
    )


def newsletter_from_document(data: dict, path: str) -> dict:
    """The API's body for a newsletter file; unknown keys and missing texts are refused."""
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise CliError(
            f"{path}: unknown key(s) {', '.join(unknown)}; a newsletter file has {', '.join(KEYS)}"
        )
    missing = [k for k in ("subject", "body") if not str(data.get(k) or "").strip()]
    if missing:
        raise CliError(f"{path}: missing {' and '.join(missing)}")
    channels = data.get("channels") or ["email"]
    if isinstance(channels, str):
        channels = [channels]
    wrong = [c for c in channels if c not in CHANNELS]
    if wrong:
        raise CliError(f"{path}: channels are email and sms, not {', '.join(map(str, wrong))}")
    body = {
        "subject": str(data["subject"]).strip(),
        "body": str(data["body"]).rstrip(),
        "scope": _scope(data.get("scope"), path),
        "channels": list(channels),
    }
    if data.get("translations"):
        if not isinstance(data["translations"], dict):
            raise CliError(f"{path}: translations map a language (es, fr) to subject and body")
        body["translations"] = {
            str(lang): {"subject": str(t.get("subject", "")), "body": str(t.get("body", ""))}
            for lang, t in data["translations"].items()
            if isinstance(t, dict)
        }
    return body


def preview_lines(preview: dict, channels: list[str]) -> list[str]:
    """The API's counts, word for word the numbers the send will use."""
    lines = []
    for channel in channels:
        count = (preview.get("recipients") or {}).get(channel, 0)
        lines.append(f"by {channel}: {count} member{'s' if count != 1 else ''} will get it")
        missed = (preview.get("unreachable") or {}).get(channel) or {}
        for reason, n in sorted(missed.items()):
            if n:
                lines.append(f"  not by {channel}: {n} ({REASONS.get(reason, reason)})")
    return lines


def _at(value: str) -> str:
    """--at as the API takes it: an ISO date-time (UTC unless it says otherwise) or a delay."""
    return instant(value, "--at", dt.datetime.now(dt.UTC))


def cmd_newsletter_send(args) -> int:
    body = newsletter_from_document(read_document(args.file), args.file)
    if args.at:
        body["send_at"] = _at(args.at)
    api = client(args)
    preview = api.post("/api/v1/newsletters/preview", body)
    remember(api)
    for line in preview_lines(preview, body["channels"]):
        print(line)
    if args.dry_run:
        print("Dry run: nothing was sent. Run again without --dry-run to send it.", file=sys.stderr)
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("add --yes to send without being asked")
        question = f"Schedule it for {body['send_at']}?" if args.at else "Send it now?"
        if input(f"{question} [y/N] ").strip().lower() not in ("y", "yes"):
            print("Not sent.")
            return 1
    sent = api.post("/api/v1/newsletters", body)
    remember(api)
    if sent.get("send_at"):
        print(
            f"Newsletter {sent.get('id')} scheduled for {sent['send_at']}; who gets it is "
            f"counted when it goes. Change it with `councils newsletter reschedule {sent.get('id')}"
            " --at ...` or `cancel`."
        )
    else:
        print(f"Newsletter {sent.get('id')} queued; it goes out now.")
    return 0


def cmd_newsletter_list(args) -> int:
    api = client(args)
    rows = api.get("/api/v1/newsletters", limit=args.limit)
    remember(api)
    for row in rows:
        when = (
            f"goes {row.get('send_at')}"
            if row.get("status") == "scheduled"
            else f"written {row.get('created_at')}"
        )
        reached = "" if row.get("recipients") is None else f", {row['recipients']} recipients"
        print(f"{row.get('id')}  {row.get('status'):<9}  {when}{reached}  {row.get('subject')}")
    if not rows:
        print("No newsletter yet.")
    return 0


def cmd_newsletter_reschedule(args) -> int:
    api = client(args)
    moved = api.call("PATCH", f"/api/v1/newsletters/{args.id}", json={"send_at": _at(args.at)})
    remember(api)
    print(f"Newsletter {args.id} now goes {moved.get('send_at')}.")
    return 0


def cmd_newsletter_cancel(args) -> int:
    api = client(args)
    api.post(f"/api/v1/newsletters/{args.id}/cancel")
    remember(api)
    print(f"Newsletter {args.id} cancelled: nobody will get it.")
    return 0


def add_parsers(commands) -> None:
    newsletter = commands.add_parser("newsletter", help="send a newsletter (admins)")
    actions = newsletter.add_subparsers(dest="newsletter_command", required=True, metavar="ACTION")
    send = actions.add_parser(
        "send",
        help="send a newsletter from a YAML or JSON file",
        description="Shows first how many members get it by email and by SMS and how many "
        "not and why (the server's own count), then asks. Example file:\n\n" + EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    send.add_argument("file", help="the newsletter (YAML or JSON), - for stdin")
    send.add_argument(
        "--dry-run", action="store_true", help="show who would get it and stop: nothing is sent"
    )
    send.add_argument(
        "--at",
        metavar="TIME",
        help="schedule it instead of sending it now: 2026-12-24T09:00 (UTC unless an offset "
        "is given, e.g. 2026-12-24T09:00+01:00) or a delay such as 2d, 12h, 30m",
    )
    send.add_argument("--yes", action="store_true", help="send without asking")
    send.set_defaults(run=cmd_newsletter_send)
    listing = actions.add_parser(
        "list", help="the scheduled newsletters with their time, then the latest ones"
    )
    listing.add_argument("--limit", type=int, default=20, help="how many (at most 100)")
    listing.set_defaults(run=cmd_newsletter_list)
    move = actions.add_parser("reschedule", help="change when a scheduled newsletter goes")
    move.add_argument("id", help="the newsletter's id (`councils newsletter list`)")
    move.add_argument("--at", metavar="TIME", required=True, help="the new time, as for send")
    move.set_defaults(run=cmd_newsletter_reschedule)
    cancel = actions.add_parser("cancel", help="cancel a scheduled newsletter before it goes")
    cancel.add_argument("id", help="the newsletter's id (`councils newsletter list`)")
    cancel.set_defaults(run=cmd_newsletter_cancel)
