"""`councils newsletter send FILE [--dry-run] [--yes]`: a newsletter from a YAML or JSON file
(subject, body, optional translations, scope and channels). Before anything is sent the API's
own preview says how many members get it by email and by SMS, and how many not and why; with
--dry-run that is all that happens."""

from __future__ import annotations

import argparse
import sys

from gateway.cli.common import CliError, client, remember
from gateway.cli.pollfile import read_document

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


def cmd_newsletter_send(args) -> int:
    body = newsletter_from_document(read_document(args.file), args.file)
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
        if input("Send it now? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Not sent.")
            return 1
    sent = api.post("/api/v1/newsletters", body)
    remember(api)
    print(f"Newsletter {sent.get('id')} queued for {sent.get('recipients') or 0} members.")
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
    send.add_argument("--yes", action="store_true", help="send without asking")
    send.set_defaults(run=cmd_newsletter_send)
