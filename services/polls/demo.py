"""`python -m services.polls.demo`: the polls of `make run`'s demo organisation (idempotent).

- The seeds' two polls ("Website Organisation poll", 81 voters; "Final Run-off Poll for IOPS
  Founding Convention Preconditions", 752 voters), cast, closed and counted so that their
  published results are the seeds' totals (members who skipped a question skip it here too).
- One open poll of each method a poll can be launched with (plurality, majority, approval, irv,
  stv, schulze, borda, consensus; `consensus_vote` only ever follows a consensus round that
  falls back, through `next_round`). They open `--open-delay` seconds after loading (default
  90), by the polls worker's scheduler, so that their electorate is fixed from a replica that
  has had time to receive the demo members from members' events; they close in 14 days.

Polls sees members only through events, and the seeds' voters are not members of the demo
organisation. So the seed polls are voted by **synthetic electors** created directly in polls'
own replica through its store (ids derived from the poll and the voter's number, never
registered in members), who cast through the service like anyone else and are retired (marked
deleted in the replica) once their poll is closed, so they never enter another electorate. The
polls are launched by a synthetic demo admin (an identity with the admin flag). A poll of the
demo is recognised by its title and that creator: running this again changes nothing.

The loader also declares the polls worker's electorate queue, so that members' demo events
relayed before the polls worker first starts still reach the replica.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid

from services.common.auth import Identity
from services.common.runtime import Runtime
from services.polls.context import PollsContext, build_context
from services.polls.service import ballots, closing, launch, schedule
from services.polls.store import polls as polls_sql
from services.polls.store import replica as replica_sql

NAMESPACE = uuid.UUID("6f1c9e1e-4b0f-4d55-9a53-4a3c0d5e7a11")
DEMO_ADMIN = Identity(str(uuid.uuid5(NAMESPACE, "demo-admin")), "active", admin=True)

# (title, closed on, total number of voters, [(question, [(option, published votes), ...])])
SEED_POLLS = (
    (
        "Website Organisation poll",
        dt.datetime(2013, 12, 31, 23, 59, tzinfo=dt.UTC),
        81,
        [
            (
                "Should we adopt facebook/youtube style likes and dislikes of comments?",
                [("Yes", 50), ("No", 27)],
            ),
            (
                "How should we weed out bots on the website?",
                [
                    ("Google-style word-in-an-image", 34),
                    (
                        "Require them to write an introductionary message which is acknowledged "
                        "as human-writen by a certified member",
                        16,
                    ),
                    (
                        "Require them to send a message to an admin before they can be "
                        "considered a member",
                        16,
                    ),
                    ("Other", 11),
                ],
            ),
            (
                "How should admins/webmasters for the website be chosen?",
                [
                    ("By a revocable delegate", 35),
                    ("By being selected by other admins", 10),
                    ("By a time limited (term) mandate", 21),
                    (
                        "Everyone should be able to make themselves admins without anyone's "
                        "permission",
                        9,
                    ),
                ],
            ),
            (
                "Backups",
                [
                    ("Backups should be available for download for everybody", 53),
                    ("Backups should be the possession of admins only", 22),
                ],
            ),
        ],
    ),
    (
        "Final Run-off Poll for IOPS Founding Convention Preconditions",
        dt.datetime(2013, 6, 12, 23, 59, tzinfo=dt.UTC),
        752,
        [
            (
                "Online Membership",
                [
                    ("a) at least 3,500 (which is 400 more than we now have)", 521),
                    ("b) more than 5,000 (which is at least 2,000 more than we now have)", 205),
                ],
            ),
            ("Chapter Definition", [("a) at least 5", 524), ("b) at least 9", 210)]),
            ("Chapter Precondition", [("a) at least 20", 477), ("b) at least 30", 236)]),
            (
                "Gender Diversity Precondition",
                [
                    ("a) At least 30% female overall", 441),
                    ("b) At least 45% female overall", 266),
                ],
            ),
            (
                "Chapter Gender Diversity Precondition",
                [
                    ("a) At least 30% female in each chapter.", 505),
                    ("b) At least 40% female in each chapter", 190),
                ],
            ),
            (
                "National Diversity Precondition",
                [("a) At least 5 nation states", 436), ("b) More than 10 nation states", 286)],
            ),
            (
                "Geographical Diversity Precondition",
                [("a) at least 3 continents", 488), ("b) at least 4 continents", 212)],
            ),
            ("Time Frame", [("a) 1 year", 424), ("b) 20 months", 293)]),
        ],
    ),
)

SEED_TEXT = {
    "Final Run-off Poll for IOPS Founding Convention Preconditions": (
        "After a poll with more options, and an assessment of the results of that by the ICC, "
        "we now have a final vote regarding preconditions…"
    ),
}

# (title, text, question) — one open poll per method.
OPEN_POLLS = (
    (
        "Monthly assembly call: which day?",
        "The interim committee will hold one open call a month.",
        {
            "text": "Day of the call",
            "method": "plurality",
            "options": ["Monday", "Wednesday", "Saturday"],
        },
    ),
    (
        "Adopt the membership dues proposal",
        "Voluntary dues, scaled to income; carried by two thirds of valid votes.",
        {
            "text": "Adopt it?",
            "method": "majority",
            "threshold": "two_thirds",
            "options": ["Yes", "No"],
        },
    ),
    (
        "Which working groups should we start first?",
        "Approve as many as you would join.",
        {
            "text": "Working groups",
            "method": "approval",
            "options": ["Outreach", "Translation", "Website", "Education", "Finance"],
        },
    ),
    (
        "Where should the founding convention be held?",
        "Rank the candidate cities; counted by instant run-off.",
        {
            "text": "Convention city",
            "method": "irv",
            "options": ["Lisbon", "Montreal", "Nairobi", "Melbourne"],
        },
    ),
    (
        "Interim committee election (3 seats)",
        "Rank the candidates; single transferable vote, Droop quota.",
        {
            "text": "Interim committee",
            "method": "stv",
            "seats": 3,
            "options": ["Ada", "Bea", "Chidi", "Dara", "Emeka", "Farah"],
        },
    ),
    (
        "Order of the programme statements",
        "Which statement should the convention take up first? Schulze method.",
        {
            "text": "Programme priority",
            "method": "schulze",
            "options": ["Economy", "Polity", "Kinship", "Culture", "Ecology"],
        },
    ),
    (
        "A name for the newsletter",
        "Rank the names; Borda count.",
        {
            "text": "Newsletter name",
            "method": "borda",
            "options": ["Councils", "The Assembly", "Grassroots", "Common Ground"],
        },
    ),
    (
        "Code of conduct (consensus, round 1)",
        "Agree, stand aside, state a concern or block (with a reason).",
        {
            "text": "Adopt the code of conduct as drafted by the interim committee.",
            "method": "consensus",
            "max_rounds": 3,
            "fallback": "2/3",
        },
    ),
)


def _elector(title: str, number: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{title}\x00{number}"))


def _seed_poll(ctx: PollsContext, title, closed_on, voters, questions) -> None:
    electors = [_elector(title, i) for i in range(voters)]
    with ctx.db.transaction() as cur:
        for member_id in electors:
            replica_sql.add_member(cur, member_id, "active")
    text = SEED_TEXT.get(title, "")
    note = f"Recreated from the totals published when it closed on {closed_on:%d %B %Y}."
    poll = launch.create_poll(
        ctx,
        DEMO_ADMIN,
        {
            "title": title,
            "text": f"{text}\n\n{note}".strip(),
            "scope": {"type": "organisation"},
            "closes_at": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
            "questions": [
                {"text": text_, "method": "plurality", "options": [o for o, _ in options]}
                for text_, options in questions
            ],
        },
    )
    # Voter v answers question q with the option whose published slice holds v; those beyond
    # the question's total skip it (as members did).
    answered: list[list[dict]] = [[] for _ in range(voters)]
    for question, (_, options) in zip(poll["questions"], questions, strict=True):
        voter = 0
        for option, votes in options:
            for _ in range(votes):
                answered[voter].append({"question_id": question["id"], "choice": option})
                voter += 1
    for member_id, answers in zip(electors, answered, strict=True):
        ballots.cast(ctx, Identity(member_id, "active"), poll["id"], answers)
    closing.close(ctx, DEMO_ADMIN, poll["id"])
    with ctx.db.transaction() as cur:
        polls_sql.set_closes_at(cur, poll["id"], closed_on)
        polls_sql.set_closed_at(cur, poll["id"], closed_on)
        for member_id in electors:  # retired: they never enter another electorate
            replica_sql.delete_member(cur, member_id)


def load_demo(runtime: Runtime, open_delay: float = 90.0) -> dict:
    """Create what is missing of the demo polls; returns {created: [...], present: [...]}."""
    ctx = build_context(runtime)
    with runtime.db.transaction() as cur:
        # Rights are checked against the replica's mandates, not a token's claim: the demo's
        # own author (no member of members, no token exists for it) holds one here.
        replica_sql.grant_mandate(
            cur,
            str(uuid.uuid5(NAMESPACE, "demo-admin-mandate")),
            DEMO_ADMIN.member_id,
            "admin",
            None,
        )
        known = polls_sql.polls_by_creator(cur, DEMO_ADMIN.member_id)
    created, present = [], []
    for title, closed_on, voters, questions in SEED_POLLS:
        if title in known:
            present.append(title)
            continue
        _seed_poll(ctx, title, closed_on, voters, questions)
        created.append(title)
    now = dt.datetime.now(dt.UTC)
    for title, text, question in OPEN_POLLS:
        if title in known:
            present.append(title)
            continue
        launch.create_poll(
            ctx,
            DEMO_ADMIN,
            {
                "title": title,
                "text": text,
                "scope": {"type": "organisation"},
                "opens_at": now + dt.timedelta(seconds=open_delay),
                "closes_at": now + dt.timedelta(days=14),
                "questions": [question],
            },
        )
        created.append(title)
    return {"created": created, "present": present}


def open_when_ready(
    runtime: Runtime, wait_s: float = 60.0, settle_s: float = 2.0, pause_s: float = 0.5
) -> dict:
    """Open the demo's scheduled polls now, once the replica of members has settled (the
    members the demo loaded have reached polls: their count is above zero and has not changed
    for `settle_s`), waiting at most `wait_s`. `make run` calls it before it says it is up, so
    the home page shows open polls from the first moment. Returns {opened, members, waited}."""
    started = time.monotonic()
    last, since = -1, started
    while True:
        with runtime.db.transaction() as cur:
            count = polls_sql.active_replica_members(cur)
        now = time.monotonic()
        if count != last:
            last, since = count, now
        if (count > 0 and now - since >= settle_s) or now - started >= wait_s:
            break
        time.sleep(pause_s)
    ctx = build_context(runtime)
    with runtime.db.transaction() as cur:
        polls_sql.bring_forward(cur, DEMO_ADMIN.member_id, ctx.clock())
    return {
        "opened": schedule.open_due(ctx),
        "members": last,
        "waited": round(time.monotonic() - started, 1),
    }


def declare_electorate_queue(runtime: Runtime) -> None:
    from services.common.bus import Consumer
    from services.polls.handlers.electorate import ELECTORATE

    ctx = build_context(runtime)
    Consumer(ctx.db, ctx.transport, ELECTORATE.consumer, ELECTORATE.bind(ctx)).declare()


def main(argv: list[str] | None = None) -> int:
    from services.common.config import ConfigError
    from services.common.runtime import build_runtime

    parser = argparse.ArgumentParser(description="Load the polls of the demo organisation.")
    parser.add_argument(
        "--open-delay",
        type=float,
        default=90.0,
        help="seconds before the open demo polls open (their electorate is fixed then)",
    )
    parser.add_argument(
        "--open-now",
        action="store_true",
        help="open the demo's scheduled polls now, once the replica of members has settled "
        "(`make run` does this before it says it is up)",
    )
    args = parser.parse_args(argv)
    try:
        runtime = build_runtime("polls")
    except ConfigError as exc:
        print(f"[polls] demo: {exc}", file=sys.stderr)
        return 2
    try:
        try:
            declare_electorate_queue(runtime)
        except Exception as exc:  # noqa: BLE001 - the demo still loads; the worker declares it
            print(f"[polls] demo: could not declare the electorate queue yet ({exc})")
        if args.open_now:
            opened = open_when_ready(runtime)
            print(
                f"[polls] demo: {opened['opened']} polls opened ({opened['members']} members "
                f"in their electorate, after {opened['waited']}s)"
            )
            return 0
        done = load_demo(runtime, args.open_delay)
    finally:
        runtime.close()
    print(
        f"[polls] demo: {len(done['created'])} polls created, {len(done['present'])} already "
        f"there (open polls open {args.open_delay:.0f}s after they are first loaded)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
