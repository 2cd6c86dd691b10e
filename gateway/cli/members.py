"""`councils members ...`: import members from CSV (country names or codes, a chapter column;
each member gets a mail to choose a password), list, approve, suspend and restore them."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pycountry

from gateway.cli.common import EMAIL, CliError, Progress, client, remember
from gateway.client import ApiProblem

REQUIRED_COLUMNS = ("email", "display_name", "country")
OPTIONAL_COLUMNS = ("language", "phone", "introduction", "chapter")


def country_code(text: str) -> tuple[str | None, str]:
    """The ISO code for a code or a name ("ES", "ESP", "Spain", "spain"), or None and a hint."""
    try:
        return pycountry.countries.lookup(text.strip()).alpha_2, ""
    except LookupError:
        pass
    try:
        guesses = [c.name for c in pycountry.countries.search_fuzzy(text)[:3]]
    except LookupError:
        guesses = []
    hint = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
    return None, f"{text!r} is not a country name or ISO code{hint}"


def read_members_csv(path: str) -> tuple[list[dict], list[str]]:
    """Rows ready to add and the problems found (line numbers as in the file)."""
    file = Path(path)
    if not file.exists():
        raise CliError(f"{path}: no such file")
    reader = csv.DictReader(io.StringIO(file.read_text(encoding="utf-8-sig")))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CliError(
            f"{path}: missing column(s) {', '.join(missing)}; the header needs "
            f"{', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})"
        )
    if "password" in columns:
        print(
            "note: the password column is ignored: each member chooses a password from the "
            "mail they get",
            file=sys.stderr,
        )
    rows, problems, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        email = row.get("email", "").lower()
        if not EMAIL.match(email):
            problems.append(f"line {line}: {row.get('email')!r} is not an email address")
            continue
        if email in seen:
            problems.append(f"line {line}: {email} appears twice")
            continue
        if not row.get("display_name") or not row.get("country"):
            problems.append(f"line {line}: display_name and country are required")
            continue
        code, hint = country_code(row["country"])
        if code is None:
            problems.append(f"line {line}: {hint}")
            continue
        seen.add(email)
        body = {"email": email, "display_name": row["display_name"], "country": code}
        body.update({k: row[k] for k in ("language", "phone", "introduction") if row.get(k)})
        rows.append({"line": line, "body": body, "chapter": row.get("chapter") or ""})
    return rows, problems


def chapter_resolver(api):
    """chapter name or id -> (id, name) or raises CliError; asks the API once per name."""
    cache: dict[str, tuple[str, str]] = {}

    def resolve(text: str) -> tuple[str, str]:
        key = text.lower()
        if key not in cache:
            found = api.get("/api/v1/chapters", q=text, limit=50)
            exact = [c for c in found if c.get("name", "").lower() == key or c.get("id") == text]
            if len(exact) != 1:
                names = ", ".join(c.get("name", "") for c in found[:5]) or "none"
                what = "several chapters are" if exact else "no chapter is"
                raise CliError(
                    f"{what} called {text!r} (close matches: {names}); give the "
                    "chapter's exact name or id"
                )
            cache[key] = (exact[0]["id"], exact[0]["name"])
        return cache[key]

    return resolve


def _describe(row: dict, chapter: str, approve: bool) -> str:
    body = row["body"]
    parts = [f"{body['email']} ({body['display_name']}, {body['country']})"]
    if chapter:
        parts.append(f"in chapter {chapter}")
    parts.append("approved" if approve else "pending approval")
    return " ".join(parts) + "; a mail to choose a password"


def _add(api, resolve, row: dict, approve: bool, dry_run: bool) -> str:
    body = dict(row["body"], approve=approve)
    name = ""
    if row["chapter"]:
        body["chapter_id"], name = resolve(row["chapter"])
    api.call("POST", "/api/v1/members", json=body, params={"dry_run": "true"} if dry_run else None)
    return _describe(row, name, approve)


def _failure(problem: ApiProblem) -> str:
    detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in problem.fields.items())
    return problem.message + (f" [{detail}]" if detail else "")


def cmd_members_import(args) -> int:
    rows, problems = read_members_csv(args.file)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    api = client(args)
    resolve = chapter_resolver(api)
    progress = Progress(len(rows), "checking" if args.dry_run else "importing")
    done, failed = 0, []
    for row in rows:
        try:
            what = _add(api, resolve, row, args.approve, args.dry_run)
            print(f"line {row['line']}: {'would add' if args.dry_run else 'added'} {what}")
            done += 1
        except ApiProblem as problem:
            failed.append(f"line {row['line']} ({row['body']['email']}): {_failure(problem)}")
        except CliError as error:
            failed.append(f"line {row['line']} ({row['body']['email']}): {error}")
        progress.step()
    remember(api)
    for failure in failed:
        print(f"failed {failure}", file=sys.stderr)
    if args.dry_run:
        print(
            f"Dry run: {done} to import, {len(failed)} would fail, {len(problems)} skipped; "
            "nothing was changed."
        )
    else:
        print(
            f"Imported {done} members{' (approved)' if args.approve else ''}; "
            f"{len(failed)} failed, {len(problems)} skipped. Each got a mail to choose a "
            "password."
        )
    return 1 if failed or problems else 0


def cmd_members_list(args) -> int:
    api = client(args)
    members = api.get("/api/v1/members", status=args.status, q=args.search, limit=args.limit)
    remember(api)
    if args.json:
        print(json.dumps(members, indent=2))
        return 0
    if not members:
        print("No members match.")
    for member in members:
        print(
            f"{member['id']}  {member['status']:<8}  {member.get('country') or '':<2}  "
            f"{member['email']}  {member['display_name']}"
        )
    return 0


def _member_action(action: str, done: str):
    def run(args) -> int:
        api = client(args)
        body = {"reason": args.reason} if getattr(args, "reason", None) else None
        api.post(f"/api/v1/members/{args.member_id}/{action}", body)
        remember(api)
        print(f"Member {args.member_id} {done}.")
        return 0

    return run


def add_parsers(commands) -> None:
    members = commands.add_parser("members", help="import, list, approve, suspend members")
    actions = members.add_subparsers(dest="members_command", required=True, metavar="ACTION")
    importing = actions.add_parser(
        "import",
        help="add members from a CSV file (email, display_name, country; optional "
        "language, phone, introduction, chapter)",
        description="Each row: email, display_name, country (a name such as Spain or a code "
        "such as ES); optional language, phone, introduction, chapter (a chapter's exact name "
        "or id). Every member gets a mail saying an admin added them, with a link to choose "
        "a password. --dry-run asks the server to check each row and changes nothing.",
    )
    importing.add_argument("file")
    importing.add_argument(
        "--dry-run", action="store_true", help="check every row with the server, change nothing"
    )
    importing.add_argument(
        "--approve", action="store_true", help="make each imported member active at once"
    )
    importing.set_defaults(run=cmd_members_import)
    listing = actions.add_parser("list", help="list members (admins)")
    listing.add_argument("--status", choices=("pending", "active", "deleted"))
    listing.add_argument("--search", help="part of a name or email address")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_members_list)
    for action, done, help_text in (
        ("approve", "approved", "approve a pending member"),
        ("reject", "refused", "refuse a pending member (they read the reason when they log in)"),
        ("suspend", "suspended", "suspend an account"),
        ("restore", "restored", "lift a suspension"),
    ):
        sub = actions.add_parser(action, help=help_text)
        sub.add_argument("member_id")
        if action == "suspend":
            sub.add_argument("--reason", help="why (kept in the audit log)")
        if action == "reject":
            sub.add_argument("--reason", required=True, help="what the member reads")
        sub.set_defaults(run=_member_action(action, done))
