"""Start-up tasks: `python -m services.members.bootstrap [--demo] [--announce]`.

- the first admin from COUNCILS_ADMIN_EMAIL / COUNCILS_ADMIN_PASSWORD (idempotent: an existing
  account keeps its password and is made active). Its admin mandate is *interim* (issue 18): it
  ends after BOOTSTRAP_ADMIN_TERM_DAYS (90) and the members' first admin election supersedes it.
  It is granted only while the organisation never had an admin mandate: once the interim term
  ended or the members elected, a restart gives nobody the right back;
- `--demo`: a small demo organisation (a chapter tree international → national → regional →
  local, members, coordinators, a meeting, the founding-convention targets), idempotent;
- `--announce`: re-announce the current state as snapshot events (see announce.announce_state).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import sys
import zlib

import psycopg2

from services.common.bus import emit
from services.common.config import ConfigError
from services.members import geo, passwords, rules
from services.members.context import MembersContext, build_context
from services.members.events import chapter_data, registered_data
from services.members.service import announce, approval, chapters, mandates
from services.members.store import bulk as bulk_store
from services.members.store import chapters as chapters_store
from services.members.store import mandates as mandates_store
from services.members.store import meetings as meetings_store
from services.members.store import members as members_store
from services.members.store import targets as targets_store
from services.members.store.rows import existing

log = logging.getLogger("councils.members.bootstrap")
_LOCK = zlib.crc32(b"councils.members.bootstrap")


@functools.lru_cache(maxsize=4)
def _hash_once(password: str, profile: str) -> str:
    """Demo members share one password: hash it once, not once per member."""
    return passwords.hash_password(password, profile)


def _ensure_member(
    cur,
    ctx: MembersContext,
    *,
    email,
    password,
    display_name,
    country,
    gender=None,
    language="en",
    status="active",
) -> tuple[dict, bool]:
    """(member, created): an existing account is left as it is, except being activated."""
    policy = ctx.policy
    found = members_store.member_credentials_by_email(cur, email)
    if found is not None:
        if found["status"] == "pending" and status == "active":
            found = approval.activate(cur, found, "bootstrap")
        return found, False
    member = existing(
        members_store.insert_member(
            cur,
            email=email,
            password_hash=_hash_once(password, policy.argon2_profile),
            display_name=display_name,
            country=country,
            language=language,
            gender=gender,
            status=status,
        )
    )
    members_store.mark_email_verified(cur, member["id"])
    member = existing(members_store.member_by_id(cur, member["id"]))
    emit(cur, "members.member.registered", registered_data(member))
    # Its address counts as verified (the operator typed it): notify's replica must agree.
    emit(cur, "members.member.verified", {"member_id": member["id"], "email": member["email"]})
    if status == "active":
        emit(
            cur,
            "members.member.activated",
            {"member_id": member["id"], "by": "bootstrap", "chapter_ids": [], "current_ids": []},
        )
    return member, True


def bootstrap_admin(ctx: MembersContext) -> dict | None:
    """Make sure the admin named in the environment exists and is active, and holds the interim
    admin mandate if the organisation never had an admin. Returns {id, email, created, granted}
    or None when no admin is configured."""
    email = ctx.settings.admin_email
    password = ctx.settings.admin_password
    if not email:
        return None
    if not password:
        raise ConfigError("COUNCILS_ADMIN_PASSWORD is required when COUNCILS_ADMIN_EMAIL is set")
    try:
        email = rules.email_address(email.strip())
    except ValueError as exc:
        raise ConfigError(f"COUNCILS_ADMIN_EMAIL is not a valid address: {exc}") from None
    with ctx.db.transaction() as cur:
        bulk_store.lock(cur, _LOCK)
        member, created = _ensure_member(
            cur,
            ctx,
            email=email,
            password=password,
            display_name="Administrator",
            country=ctx.settings.admin_country,
        )
        granted = False
        if not mandates_store.any_admin_mandate_ever(cur):
            now = dt.datetime.now(dt.UTC)
            mandates.grant(
                cur,
                member_id=member["id"],
                role="admin",
                chapter_id=None,
                starts_at=now,
                ends_at=now + dt.timedelta(days=ctx.settings.bootstrap_admin_term_days),
                actor_id=None,
                note="bootstrapped from COUNCILS_ADMIN_EMAIL",
                interim=True,
            )
            granted = True
    return {"id": member["id"], "email": email, "created": created, "granted": granted}


DEMO_PASSWORD = "Demo-member-pass-2024"
DEMO_DOMAIN = "demo.councils.example"

# (key, name, level, parent key, country, place)
DEMO_CHAPTERS = [
    ("intl", "Councils International", "international", None, None, None),
    ("gb", "Councils UK", "national", "intl", "GB", None),
    ("in", "Councils India", "national", "intl", "IN", None),
    ("england", "England", "regional", "gb", "GB", "England"),
    ("delhi-ncr", "Delhi NCR", "regional", "in", "IN", "New Delhi (NCR)"),
    ("surrey", "Surrey", "local", "england", "GB", "Surrey, England"),
    ("london", "London North", "local", "england", "GB", "London, England"),
    ("vasant-kunj", "Vasant Kunj", "local", "delhi-ncr", "IN", "New Delhi (NCR), India"),
]

# (key, display name, country, gender, chapter key, coordinator?)
DEMO_MEMBERS = [
    ("ada", "Ada Okafor", "GB", "woman", "surrey", True),
    ("ben", "Ben Hughes", "GB", "man", "surrey", False),
    ("chloe", "Chloe Martin", "GB", "woman", "surrey", False),
    ("dev", "Dev Patel", "GB", "man", "surrey", False),
    ("emma", "Emma Lewis", "GB", None, "surrey", False),
    ("farah", "Farah Khan", "GB", "woman", "london", True),
    ("george", "George Smith", "GB", "man", "london", False),
    ("isha", "Isha Sharma", "IN", "woman", "vasant-kunj", True),
    ("jay", "Jay Mehta", "IN", "man", "vasant-kunj", False),
    ("kavya", "Kavya Rao", "IN", "woman", "vasant-kunj", False),
    ("lena", "Lena Bauer", "DE", "woman", None, False),
]

DEMO_TARGETS = [
    ("Online membership", "members", 3500),
    ("Working chapters", "working_chapters", 20),
    ("Women overall (%)", "women_share", 30),
    ("Nation states", "countries", 5),
    ("Continents", "continents", 3),
]


def load_demo(ctx: MembersContext) -> dict:
    """A small demo organisation; running it again changes nothing. Returns what to log in
    with."""
    with ctx.db.transaction() as cur:
        bulk_store.lock(cur, _LOCK)
        admin_id = _any_admin(cur)
        keys = _demo_chapters(cur, admin_id)
        logins = _demo_members(cur, ctx, keys, admin_id)
        pending, created = _ensure_member(
            cur,
            ctx,
            email=f"newcomer@{DEMO_DOMAIN}",
            password=DEMO_PASSWORD,
            display_name="Nia Newcomer",
            country="KE",
            gender="woman",
            status="pending",
        )
        if created:
            members_store.update_member(
                cur,
                pending["id"],
                {
                    "introduction": "Hello! I organise a food co-op in Nairobi and would like to "
                    "start a chapter here."
                },
            )
        surrey = keys["surrey"]
        if not meetings_store.list_meetings(cur, surrey["id"], 1, 0):
            meetings_store.insert_meeting(
                cur,
                surrey["id"],
                {
                    "held_on": dt.date.today() - dt.timedelta(days=7),
                    "place": "Guildford library",
                    "agenda": "Planning the autumn reading group.",
                    "attendance": 9,
                },
                None,
            )
        if not targets_store.list_targets(cur):
            for position, (name, kind, value) in enumerate(DEMO_TARGETS):
                targets_store.insert_target(
                    cur,
                    name=name,
                    kind=kind,
                    target=value,
                    deadline=dt.date.today() + dt.timedelta(days=365),
                    position=position,
                    created_by=admin_id,
                )
    return {
        "password": DEMO_PASSWORD,
        "logins": logins,
        "members": [f"{k}@{DEMO_DOMAIN}" for k, *_ in DEMO_MEMBERS],
        "pending": f"newcomer@{DEMO_DOMAIN}",
    }


def _demo_chapters(cur, admin_id) -> dict[str, dict]:
    """The demo's chapters by key, founded unless they exist."""
    keys: dict[str, dict] = {}
    for key, name, level, parent_key, country, place in DEMO_CHAPTERS:
        row = chapters_store.chapter_named(cur, name, level)
        if row is not None:
            keys[key] = existing(chapters_store.chapter_by_id(cur, row["id"]))
            continue
        parent = keys.get(parent_key) if parent_key else None
        chapter = chapters_store.insert_chapter(
            cur,
            name=name,
            level=level,
            parent_id=parent["id"] if parent else None,
            country=country,
            place=place,
            continent=geo.continent_of(country),
            description="Demo chapter",
            founded_on=None,
            founded_by=admin_id,
        )
        ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter["id"])]
        emit(cur, "members.chapter.founded", chapter_data(chapter, ancestors))
        keys[key] = chapter
    return keys


def _demo_members(cur, ctx: MembersContext, keys: dict[str, dict], admin_id) -> list[str]:
    """The demo's members in their chapters, coordinators with their mandates; their logins."""
    logins = []
    for key, name, country, gender, chapter_key, coordinator in DEMO_MEMBERS:
        email = f"{key}@{DEMO_DOMAIN}"
        member, _ = _ensure_member(
            cur,
            ctx,
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            country=country,
            gender=gender,
        )
        if not chapter_key:
            continue
        chapter = keys[chapter_key]
        ancestors = [a["id"] for a in chapters_store.ancestors_of(cur, chapter["id"])]
        chapters.join(cur, member["id"], chapter["id"], ancestors)
        if coordinator and not mandates_store.coordinates(cur, member["id"], [chapter["id"]]):
            now = mandates_store.transaction_now(cur)
            mandates.grant(
                cur,
                member_id=member["id"],
                role="coordinator",
                chapter_id=chapter["id"],
                starts_at=now,
                ends_at=mandates.interim_cap(ctx, now, now),
                actor_id=admin_id,
                note="demo coordinator",
                interim=True,
            )
        if coordinator:
            logins.append(f"{email} (coordinator of {chapter['name']})")
    return logins


def _any_admin(cur):
    admins = mandates_store.list_mandates(cur, role="admin", limit=1)
    return admins[0]["member_id"] if admins else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bootstrap the members service.")
    parser.add_argument("--demo", action="store_true", help="load the demo organisation")
    parser.add_argument(
        "--announce", action="store_true", help="re-announce the current state as snapshot events"
    )
    args = parser.parse_args(argv)
    try:
        ctx = build_context()
        result = bootstrap_admin(ctx)
        if result is None:
            print("[members] COUNCILS_ADMIN_EMAIL not set: no admin bootstrapped")
        else:
            what = "created" if result["created"] else "exists"
            print(
                f"[members] admin {result['email']} {what}"
                + (" (interim admin mandate granted)" if result["granted"] else "")
            )
        if args.demo:
            demo = load_demo(ctx)
            print(
                f"[members] demo organisation loaded; log in as any of "
                f"{', '.join(demo['members'][:3])}, ... with password {demo['password']}"
            )
            for line in demo["logins"]:
                print(f"[members]   {line}")
            print(f"[members]   {demo['pending']} is pending approval")
        if args.announce:
            done = announce.announce_state(ctx)
            print(
                f"[members] announced {done['chapters']} chapters and {done['members']} "
                f"members ({done['announce_id']})"
            )
        ctx.runtime.close()
    except ConfigError as exc:
        print(f"[members] bootstrap: {exc}", file=sys.stderr)
        return 2
    except psycopg2.Error as exc:
        print(f"[members] bootstrap: database error: {str(exc).strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
