"""`councils poll edit ID FILE` and `councils poll cancel ID --reason TEXT`: change or cancel a
poll while it is scheduled (`PATCH /api/v1/polls/{id}`, `POST /api/v1/polls/{id}/cancel`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from gateway.cli.common import CliError, client, remember
from gateway.cli.pollfile import instant, read_document

# What may change until the poll opens (the API's PollEditSchema); who votes never does.
EDITABLE = ("title", "text", "opens_at", "closes_at", "questions")
EDIT_HELP = """\
The file (YAML or JSON) holds only what changes, for example:

  title: Budget priorities 2031
  closes_in: 10d          # or closes_at: 2031-05-01T18:00:00Z
  opens_in: 4d            # or opens_at; null opens it at once
  questions:              # replaces every question
    - text: Pick the first project
      method: irv
      options: [Library, Garden, Workshop]

Allowed: title, text, opens_at/opens_in, closes_at/closes_in, questions. Who votes (scope) and
the other settings cannot change: cancel the poll and launch a new one instead.
"""


def edit_from_document(data: dict, now: dt.datetime | None = None) -> dict:
    """The PATCH body from a file's document, refused locally when it names what cannot
    change (CliError naming the fields)."""
    now = now or dt.datetime.now(dt.UTC)
    body = dict(data)
    for relative, field in (("closes_in", "closes_at"), ("opens_in", "opens_at")):
        if relative in body:
            moment = body.pop(relative)
            body.setdefault(field, moment)
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        raise CliError(
            f"the edit file names fields that cannot change: {', '.join(unknown)} "
            f"(allowed: {', '.join(EDITABLE)}; closes_in, opens_in)"
        )
    if not body:
        raise CliError("the edit file changes nothing: give at least one of " + ", ".join(EDITABLE))
    for field in ("closes_at", "opens_at"):
        if body.get(field) is not None:
            body[field] = instant(body[field], field, now)
    questions = body.get("questions")
    if "questions" in body and (not isinstance(questions, list) or not questions):
        raise CliError("questions: give a list of at least one question (it replaces them all)")
    for question in questions or []:
        if isinstance(question, dict) and "options" in question:
            question["options"] = [str(o) for o in question["options"]]
    return body


def cmd_poll_edit(args) -> int:
    body = edit_from_document(read_document(args.file))
    api = client(args)
    poll = api.call("PATCH", f"/api/v1/polls/{args.poll_id}", json=body)
    remember(api)
    if args.json:
        print(json.dumps(poll, indent=2))
        return 0
    print(
        f"Changed poll {poll.get('id', args.poll_id)}: {poll.get('title', '')} "
        f"({poll.get('status')}, opens {poll.get('opens_at')}, closes {poll.get('closes_at')}; "
        f"{len(poll.get('questions') or [])} questions)"
    )
    return 0


def cmd_poll_cancel(args) -> int:
    reason = args.reason.strip()
    if not reason:
        raise CliError("--reason: say why (members see it with the poll)")
    api = client(args)
    poll = api.post(f"/api/v1/polls/{args.poll_id}/cancel", {"reason": reason})
    remember(api)
    print(
        f"Cancelled poll {args.poll_id}: {poll.get('title', '')} (status {poll.get('status')}); "
        f"members see the reason: {reason}"
    )
    return 0


def add_parsers(polls) -> None:
    """`edit` and `cancel` under `councils poll`."""
    edit = polls.add_parser(
        "edit",
        help="change a scheduled poll (title, text, times, questions) from a file",
        description="Change a poll before it opens; once open, closed or cancelled the server "
        "refuses (409).",
        epilog=EDIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    edit.add_argument("poll_id")
    edit.add_argument("file", help="what changes (YAML or JSON; - for standard input)")
    edit.add_argument("--json", action="store_true", help="print the changed poll as JSON")
    edit.set_defaults(run=cmd_poll_edit)
    cancel = polls.add_parser(
        "cancel",
        help="cancel a scheduled poll, with a public reason",
        description="Cancel a poll before it opens; nobody votes in it. Once open, close it "
        "instead (`councils poll close`).",
    )
    cancel.add_argument("poll_id")
    cancel.add_argument("--reason", required=True, help="shown to members with the poll")
    cancel.set_defaults(run=cmd_poll_cancel)
