"""`councils`: log in, launch polls from YAML or JSON files (checked by the server with
--dry-run), list, show, extend, close (after a confirmation) and export them, edit or cancel
them while scheduled (gateway/cli/polledit.py), fetch results as
JSON or CSV; members: see gateway/cli/members.py. Talks only to the gateway (COUNCILS_URL).

Credentials are cached in $XDG_CONFIG_HOME/councils/credentials.json (mode 0600), or given by
COUNCILS_TOKEN; exit codes: 0 done, 1 the API refused, 2 usage or local problem, 3 not yet
(results before counting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import io
import json
import os
import sys
import time
from pathlib import Path

from gateway.cli import members, newsletters, polledit
from gateway.cli.common import (
    DEFAULT_URL,
    CliError,
    client,
    config_dir,
    gateway_url,
    load_credentials,
    remember,
    save_credentials,
)
from gateway.cli.pollfile import instant, poll_from_document, read_document
from gateway.cli.pollhelp import POLL_FILE_HELP
from gateway.client import ApiProblem, Tokens
from services.common import csvcells

# --- commands ------------------------------------------------------------------------------


def cmd_login(args) -> int:
    url = gateway_url(args)
    email = args.email or os.environ.get("COUNCILS_EMAIL") or input("Email: ").strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get("COUNCILS_PASSWORD") or getpass.getpass("Password: ")
    api = client(args, authenticated=False)
    api.tokens = Tokens()
    try:
        tokens = api.post("/api/v1/auth/login", {"email": email, "password": password})
    except ApiProblem as problem:
        if problem.status == 401:
            raise CliError(
                f"wrong email address or password for {email}: check both and run "
                f"`councils login` again (forgot it? {url}/forgot)",
                1,
            ) from None
        raise
    path = save_credentials(
        {
            "url": url,
            "email": email,
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token"),
        }
    )
    who = "an admin" if tokens.get("admin") else "a member"
    print(f"Logged in to {url} as {email} ({who}); credentials kept in {path}")
    return 0


def cmd_logout(args) -> int:
    saved = load_credentials()
    if saved.get("refresh_token"):
        try:
            client(args).post("/api/v1/auth/logout", {"refresh_token": saved["refresh_token"]})
        except (ApiProblem, CliError):
            pass
    path = config_dir() / "credentials.json"
    if path.exists():
        path.unlink()
    print("Logged out.")
    return 0


def _voting_methods(args) -> dict[str, dict] | None:
    """Polls' table of methods (public, so before logging in: a file's problems are told
    first); None when it cannot be read, and the server alone checks the options."""
    try:
        return client(args, authenticated=False).voting_methods()
    except ApiProblem:
        return None


def cmd_poll_create(args) -> int:
    body = poll_from_document(read_document(args.file), methods=_voting_methods(args))
    api = client(args)
    if args.dry_run:
        # the server runs every check of a launch and creates nothing: a dry run that passes
        # means the same file launches
        poll = api.call("POST", "/api/v1/polls", json=body, params={"dry_run": "true"})
        remember(api)
        print(json.dumps(body, indent=2))
        print(
            f"Dry run: the server accepted the poll ({len(poll.get('questions', []))} "
            f"questions, {poll.get('status')}, closes {poll.get('closes_at')}); nothing was "
            "created. Run again without --dry-run to launch it.",
            file=sys.stderr,
        )
        return 0
    poll = api.post("/api/v1/polls", body)
    remember(api)
    if args.json:
        print(json.dumps(poll, indent=2))
    elif args.quiet:
        print(poll["id"])
    else:
        print(
            f"Launched poll {poll['id']}: {poll['title']} ({poll['status']}, "
            f"{len(poll.get('questions', []))} questions, closes {poll['closes_at']})"
        )
    return 0


def cmd_poll_list(args) -> int:
    api = client(args, authenticated=False)
    polls = api.get("/api/v1/polls", status=args.status, limit=args.limit)["polls"]
    if args.search:
        polls = [p for p in polls if args.search.lower() in p["title"].lower()]
    if args.json:
        print(json.dumps(polls, indent=2))
        return 0
    if not polls:
        print("No polls.")
    for poll in polls:
        turnout = (
            f"{poll.get('voters') or 0}/{poll['electorate']} voted"
            if poll.get("electorate")
            else "not open yet"
        )
        print(
            f"{poll['id']}  {poll['status']:<9}  closes {poll.get('closes_at', '')[:16]}  "
            f"{turnout:<16}  {poll['title']}"
        )
    return 0


def cmd_poll_show(args) -> int:
    api = client(args, authenticated=False)
    poll = api.get(f"/api/v1/polls/{args.poll_id}")
    if args.json:
        print(json.dumps(poll, indent=2))
        return 0
    print(f"{poll['title']}  ({poll['status']})\n  id: {poll['id']}")
    print(f"  opens {poll.get('opens_at')}, closes {poll.get('closes_at')}")
    if poll.get("electorate") is not None:
        print(f"  turnout: {poll.get('voters') or 0} of {poll['electorate']} have voted")
    for change in poll.get("deadline_changes") or []:
        print(f"  deadline moved to {change.get('to')}: {change.get('reason')}")
    for number, question in enumerate(poll.get("questions") or [], start=1):
        print(f"  {number}. {question.get('text')} [{question.get('method')}]")
        for option in question.get("options") or []:
            print(f"     - {option}")
    return 0


def _time_left(closes_at: str) -> str:
    left = dt.datetime.fromisoformat(closes_at.replace("Z", "+00:00")) - dt.datetime.now(dt.UTC)
    if left.total_seconds() <= 0:
        return "the deadline has passed"
    hours, rest = divmod(int(left.total_seconds()), 3600)
    return f"{hours // 24} d {hours % 24} h {rest // 60} min left"


def cmd_poll_close(args) -> int:
    api = client(args)
    poll = api.get(f"/api/v1/polls/{args.poll_id}")
    if poll.get("status") == "open":
        waiting = (poll.get("electorate") or 0) - (poll.get("voters") or 0)
        warning = (
            f"Closing {poll['title']!r} early: {waiting} of {poll.get('electorate') or 0}"
            f" members have not voted, {_time_left(poll['closes_at'])}. "
            "Closing cannot be undone."
        )
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError(warning + "\nAdd --yes to close without being asked.")
            print(warning, file=sys.stderr)
            if input("Close it now? [y/N] ").strip().lower() not in ("y", "yes"):
                print("Not closed.")
                return 1
    poll = api.post(f"/api/v1/polls/{args.poll_id}/close")
    remember(api)
    print(f"Closed poll {args.poll_id}: {poll.get('title', '')} (status {poll.get('status')})")
    return 0


def cmd_poll_extend(args) -> int:
    api = client(args)
    poll = api.get(f"/api/v1/polls/{args.poll_id}")
    base = dt.datetime.fromisoformat(poll["closes_at"].replace("Z", "+00:00"))
    closes_at = instant(args.to, "--to", base)
    body = {"closes_at": closes_at, "reason": args.reason}
    poll = api.post(f"/api/v1/polls/{args.poll_id}/deadline", body)
    remember(api)
    print(
        f"Poll {args.poll_id} now closes {poll.get('closes_at')}; members see the reason: "
        f"{args.reason}"
    )
    return 0


def cmd_poll_export(args) -> int:
    api = client(args, authenticated=False)
    response = api._send(
        "GET", f"/api/v1/polls/{args.poll_id}/export", params={"format": args.format}
    )
    if response.status_code >= 400:
        raise ApiProblem.from_response(response)
    if args.output:
        Path(args.output).write_bytes(response.content)
        print(f"Export written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(response.text)
    return 0


def results_csv(document: dict) -> str:
    """One row per option per round: question, method, round, option, votes, winner."""
    out = io.StringIO()
    writer = csvcells.writer(out)
    writer.writerow(["question_id", "question", "method", "round", "option", "votes", "winner"])
    for question in document.get("questions", []):
        rounds = [
            r
            for r in question.get("rounds") or []
            if isinstance(r, dict) and isinstance(r.get("totals"), dict)
        ]
        if not rounds and isinstance(question.get("totals"), dict):
            rounds = [{"round": 1, "totals": question["totals"]}]
        for number, (round_, winners) in enumerate(_winners_by_round(question, rounds), 1):
            for option, votes in round_["totals"].items():
                writer.writerow(
                    [
                        question.get("question_id"),
                        question.get("text", ""),
                        question.get("method", ""),
                        round_.get("round", number),
                        option,
                        votes,
                        "yes" if option in winners else "",
                    ]
                )
    return out.getvalue()


def _winners_by_round(question: dict, rounds: list[dict]):
    """Each round with the winners to mark in it: those the round elected when the count says
    so (IRV, STV), else the question's winners in the last round only."""
    if any("elected" in r for r in rounds):
        return [(r, set(r.get("elected") or [])) for r in rounds]
    winners = set(question.get("winners") or [])
    return [(r, winners if i == len(rounds) - 1 else set()) for i, r in enumerate(rounds)]


def cmd_poll_results(args) -> int:
    api = client(args, authenticated=False)
    deadline = time.monotonic() + args.wait
    while True:
        try:
            document = api.get(f"/api/v1/polls/{args.poll_id}/results")
            break
        except ApiProblem as problem:
            if problem.status != 409:
                raise
            if time.monotonic() >= deadline:
                raise CliError(
                    f"no results yet: {problem.message} (use --wait SECONDS to wait for the count)",
                    3,
                ) from None
            print(
                f"waiting for the count... {int(deadline - time.monotonic())} s left",
                file=sys.stderr,
            )
            time.sleep(1)
    text = results_csv(document) if args.format == "csv" else json.dumps(document, indent=2)
    if args.output:
        Path(args.output).write_text(text)
        print(f"Results written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="councils", description="Councils' admin command line (talks to the gateway)."
    )
    parser.add_argument(
        "--url",
        help=f"the gateway (default: COUNCILS_URL, the URL you logged in to, or {DEFAULT_URL})",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    login = commands.add_parser("login", help="log in and keep the tokens")
    login.add_argument("--email")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else COUNCILS_PASSWORD or a prompt)",
    )
    login.set_defaults(run=cmd_login)
    commands.add_parser("logout", help="forget the kept tokens").set_defaults(run=cmd_logout)

    poll = commands.add_parser(
        "poll", help="launch, list, edit, cancel, close polls and fetch results"
    )
    polls = poll.add_subparsers(dest="poll_command", required=True, metavar="ACTION")
    create = polls.add_parser(
        "create",
        help="launch a poll from a YAML or JSON file",
        epilog=POLL_FILE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("file", help="the poll (YAML or JSON; - for standard input)")
    create.add_argument(
        "--dry-run", action="store_true", help="ask the server to check everything; create nothing"
    )
    create.add_argument("--json", action="store_true", help="print the created poll as JSON")
    create.add_argument("-q", "--quiet", action="store_true", help="print only the poll's id")
    create.set_defaults(run=cmd_poll_create)
    listing = polls.add_parser("list", help="list polls, newest first")
    listing.add_argument("--status", choices=("scheduled", "open", "closed", "cancelled"))
    listing.add_argument("--search", help="part of the title")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_poll_list)
    show = polls.add_parser("show", help="one poll: status, turnout, questions")
    show.add_argument("poll_id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=cmd_poll_show)
    close = polls.add_parser("close", help="close a poll now and count (asks first)")
    close.add_argument("poll_id")
    close.add_argument(
        "--yes", action="store_true", help="do not ask (needed when not at a terminal)"
    )
    close.set_defaults(run=cmd_poll_close)
    extend = polls.add_parser("extend", help="move the deadline later, with a public reason")
    extend.add_argument("poll_id")
    extend.add_argument(
        "--to", required=True, help="the new deadline (ISO date-time), or how much later: 2d, 12h"
    )
    extend.add_argument("--reason", required=True, help="shown to members with the poll")
    extend.set_defaults(run=cmd_poll_extend)
    export = polls.add_parser("export", help="a closed poll's results and ballots")
    export.add_argument("poll_id")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("-o", "--output", help="write to this file instead of stdout")
    export.set_defaults(run=cmd_poll_export)
    results = polls.add_parser("results", help="a closed poll's results")
    results.add_argument("poll_id")
    results.add_argument("--format", choices=("json", "csv"), default="json")
    results.add_argument("-o", "--output", help="write to this file instead of stdout")
    results.add_argument(
        "--wait", type=float, default=0, help="wait up to this many seconds for the count"
    )
    results.set_defaults(run=cmd_poll_results)
    polledit.add_parsers(polls)

    members.add_parsers(commands)
    newsletters.add_parsers(commands)
    return parser


def explain(problem: ApiProblem, args) -> list[str]:
    """What went wrong and what to do about it, one line each."""
    status, message = problem.status, problem.message
    if problem.code == "unreachable":
        return [
            f"cannot reach the gateway at {gateway_url(args)}: is it running? "
            "(set COUNCILS_URL or --url)"
        ]
    if status == 401:
        return [f"your session has expired or was ended ({message}): run `councils login` again"]
    if status == 403:
        who = load_credentials().get("email") or "this account"
        return [
            f"not allowed: {message} (logged in as {who}; this needs an admin or the "
            "chapter's coordinator)"
        ]
    if status == 404:
        return [
            f"not found: {message} Check the id (`councils poll list`, `councils members list`)."
        ]
    if status == 429:
        wait = f" in {problem.retry_after} s" if problem.retry_after else " in a minute"
        return [f"too many attempts: {message} Try again{wait}."]
    lines = [f"{message} (HTTP {status}, {problem.code})"]
    for name, messages in problem.fields.items():
        text = " ".join(map(str, messages)) if isinstance(messages, list) else messages
        lines.append(f"  {name}: {text}")
    if status == 422:
        lines.append("Correct the fields above and run the command again.")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CliError as error:
        print(f"councils: {error}", file=sys.stderr)
        return error.code
    except ApiProblem as problem:
        lines = explain(problem, args)
        print(f"councils: {lines[0]}", file=sys.stderr)
        for line in lines[1:]:
            print(line, file=sys.stderr)
        return 2 if problem.code == "unreachable" else 1
    except KeyboardInterrupt:
        print("councils: interrupted", file=sys.stderr)
        return 130
