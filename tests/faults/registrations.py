"""A stream of registrations through the gateway during a scenario, counted like the ballots:
each new member registered (POST /auth/register) and approved by the admin, both retried
through connection errors, 5xx and 429 until acknowledged or the deadline; afterwards every
attempted address is looked up: stored once in members, one `registered` event, and
replicated once, active, into polls' electorate (its replica) and notify's contacts."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from tests.faults.load import PASSWORD, Api, Tally


@dataclass
class Registrations:
    tally: Tally = field(default_factory=Tally)
    emails: list[str] = field(default_factory=list)  # every attempted address
    conflicts: int = 0  # 409 on a retry: the unanswered attempt before it had registered


def _until_answered(
    api: Api,
    tally: Tally,
    give_up: float,
    send: Callable[[], requests.Response],
) -> tuple[requests.Response | None, bool]:
    """(the first answer that is not a connection error, 5xx or 429, whether an earlier
    attempt went unanswered or failed), or (None, True) at `give_up`."""
    unanswered = False
    while time.monotonic() < give_up:
        try:
            reply = send()
        except requests.RequestException as exc:
            tally.record(error=type(exc).__name__)
            unanswered = True
            time.sleep(0.5)
            continue
        tally.record(status=reply.status_code)
        if reply.status_code < 500 and reply.status_code != 429:
            return reply, unanswered
        unanswered = True
        time.sleep(float(reply.headers.get("Retry-After") or 0.5))
    return None, True


def _register_one(api: Api, admin: str, email: str, regs: Registrations, deadline_s: float) -> None:
    give_up = time.monotonic() + deadline_s
    reply, retried = _until_answered(
        api,
        regs.tally,
        give_up,
        lambda: api.call(
            "POST",
            "/api/v1/auth/register",
            {"email": email, "password": PASSWORD, "display_name": "Streamed", "country": "GB"},
        ),
    )
    if reply is None:
        return
    if reply.status_code == 409 and retried:  # an attempt whose answer was lost had landed
        found, _ = _until_answered(
            api,
            regs.tally,
            give_up,
            lambda: api.call("GET", f"/api/v1/members?q={email}", token=admin),
        )
        members = (found.json() if found is not None and found.ok else None) or []
        members = members.get("members", members) if isinstance(members, dict) else members
        if len(members) != 1:
            return
        member_id = members[0]["id"]
        with regs.tally.lock:
            regs.conflicts += 1
    elif reply.status_code == 201:
        member_id = reply.json()["id"]
    else:
        return  # refused for good: not acknowledged
    approved, _ = _until_answered(
        api,
        regs.tally,
        give_up,
        lambda: api.call("POST", f"/api/v1/members/{member_id}/approve", token=admin),
    )
    if approved is not None and approved.status_code == 200:
        with regs.tally.lock:
            regs.tally.acknowledged += 1


def register_stream(
    api: Api,
    admin: str,
    rate_per_s: float,
    stop: threading.Event,
    tag: str,
    cap: int = 120,
    deadline_s: float = 90.0,
) -> Registrations:
    """Open loop: member i starts at start + i/rate, until `stop` is set (or `cap`); returns
    when every started one is acknowledged or has given up."""
    regs = Registrations()
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for index in range(cap):
            if stop.wait(max(0.0, start + index / rate_per_s - time.monotonic())):
                break
            email = f"stream-{tag}-{index}-{uuid.uuid4().hex[:6]}@example.org"
            regs.emails.append(email)
            regs.tally.attempted += 1
            pool.submit(_register_one, api, admin, email, regs, deadline_s)
    return regs


@dataclass
class MemberCount:
    """What became of the streamed registrations, read from the databases."""

    regs: Registrations
    stored: int  # addresses found in members
    rows: int  # member rows for those addresses (one each, or a duplicate)
    registered_events: int  # `members.member.registered` in members' outbox
    replicated: int  # active in polls' replica
    replica_rows: int
    contacts: int  # in notify's contacts

    @property
    def lost(self) -> int:
        return max(0, self.regs.tally.acknowledged - min(self.stored, self.replicated))

    @property
    def duplicated(self) -> int:
        return max(
            self.rows - self.stored,
            self.registered_events - self.rows,
            self.replica_rows - self.replicated,
            self.contacts - self.rows,
            0,
        )

    def line(self) -> str:
        t = self.regs.tally
        fives = sum(t.server_errors.values())
        codes = ", ".join(f"{n}×{s}" for s, n in sorted(t.server_errors.items())) or "none"
        landed = f", {self.regs.conflicts} found after a lost answer" if self.regs.conflicts else ""
        return (
            f"members: attempted {t.attempted}, acknowledged {t.acknowledged}{landed}, "
            f"stored {self.stored}, replicated {self.replicated}, lost {self.lost}, "
            f"duplicated {self.duplicated}, 5xx {fives} ({codes})"
        )

    def failures(self) -> list[str]:
        t = self.regs.tally
        found = []
        if self.lost or self.duplicated:
            found.append(f"members lost {self.lost}, duplicated {self.duplicated}")
        if t.acknowledged != t.attempted:
            found.append(f"only {t.acknowledged} of {t.attempted} registrations acknowledged")
        if self.replicated != self.stored or self.contacts != self.stored:
            found.append(
                f"{self.stored} members stored, {self.replicated} active in polls' "
                f"replica, {self.contacts} in notify's contacts"
            )
        return found


def count_members(sql: Callable[..., list[tuple]], regs: Registrations) -> MemberCount:
    """`sql(query, params)` on the stack's database; run once everything has settled."""
    emails = [e.lower() for e in regs.emails]
    rows = sql(
        "SELECT id::text, lower(email) FROM members.members WHERE lower(email) = ANY(%s)", (emails,)
    )
    ids = [r[0] for r in rows]
    events = sql(
        "SELECT count(*) FROM members.outbox WHERE routing_key ="
        " 'members.member.registered' AND envelope->'data'->>'member_id' = ANY(%s)",
        (ids,),
    )[0][0]
    replica = sql(
        "SELECT count(*), count(*) FILTER (WHERE status = 'active')"
        " FROM polls.replica_members WHERE member_id = ANY(%s)",
        (ids,),
    )[0]
    contacts = sql("SELECT count(*) FROM notify.contacts WHERE member_id = ANY(%s)", (ids,))
    return MemberCount(
        regs,
        stored=len({r[1] for r in rows}),
        rows=len(rows),
        registered_events=events,
        replicated=replica[1],
        replica_rows=replica[0],
        contacts=contacts[0][0],
    )
