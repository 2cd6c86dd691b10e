"""A generated organisation for tests and benchmarks, loaded in bulk through the store.

`python -m services.members.seed --members 10000 --chapters 300` loads one into DATABASE_URL
(never on a production database: the members it makes share one known password).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from services.common.federation import DEFAULT_LEVELS
from services.common.runtime import Runtime, build_runtime
from services.members import geo, passwords
from services.members.service import figures
from services.members.store import bulk as bulk_store

COUNTRIES = [
    "GB",
    "US",
    "DE",
    "FR",
    "IN",
    "BR",
    "AU",
    "ZA",
    "KE",
    "AR",
    "JP",
    "SE",
    "CA",
    "MX",
    "NG",
    "ES",
    "IT",
    "NZ",
    "CL",
    "PH",
]
GENDERS = ["woman"] * 34 + ["man"] * 44 + [None] * 17 + ["non_binary"] * 3 + ["other"] * 2
STATUSES = ["active"] * 90 + ["pending"] * 8 + ["deleted"] * 2
SEED_PASSWORD = "Seeded-member-password-1"


@dataclass
class Organisation:
    """What was generated, for computing the expected figures independently."""

    members: dict = field(default_factory=dict)  # id → (status, gender, country)
    chapters: dict = field(default_factory=dict)  # id → (parent_id, level)
    memberships: list = field(default_factory=list)  # (member_id, chapter_id)
    last_meeting: dict = field(default_factory=dict)  # chapter_id → date
    country_of: dict = field(default_factory=dict)  # chapter_id → country


def generate(
    members: int = 10_000, chapters: int = 300, seed: int = 7, today: dt.date | None = None
) -> Organisation:
    rng = random.Random(seed)
    today = today or dt.date.today()
    org = Organisation()
    root = uuid.UUID(int=rng.getrandbits(128))
    org.chapters[root] = (None, "international")
    nationals = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(min(20, chapters // 15))]
    country_of = {}
    for index, nid in enumerate(nationals):
        org.chapters[nid] = (root, "national")
        country_of[nid] = COUNTRIES[index % len(COUNTRIES)]
    regionals = []
    for _ in range(max(1, chapters // 6)):
        rid = uuid.UUID(int=rng.getrandbits(128))
        parent = rng.choice(nationals)
        org.chapters[rid] = (parent, "regional")
        country_of[rid] = country_of[parent]
        regionals.append(rid)
    locals_ = []
    while len(org.chapters) < chapters:
        lid = uuid.UUID(int=rng.getrandbits(128))
        parent = rng.choice(regionals + nationals[:3])
        org.chapters[lid] = (parent, "local")
        country_of[lid] = country_of[parent]
        locals_.append(lid)
    # Each local chapter gets its own lean: some have few women, some are tiny.
    lean = {lid: rng.choice([0.1, 0.25, 0.35, 0.5]) for lid in locals_}
    weight = [rng.choice([1, 1, 2, 5, 12]) for _ in locals_]
    for _ in range(members):
        mid = uuid.UUID(int=rng.getrandbits(128))
        status = rng.choice(STATUSES)
        if rng.random() < 0.8:
            chapter = rng.choices(locals_, weight)[0]
            gender = (
                "woman"
                if rng.random() < lean[chapter]
                else rng.choice(["man", "man", None, "non_binary"])
            )
            org.memberships.append((mid, chapter))
            if rng.random() < 0.05:  # some also join a regional chapter directly
                org.memberships.append((mid, rng.choice(regionals)))
            country = country_of[chapter]
        else:
            gender = rng.choice(GENDERS)
            country = rng.choice(COUNTRIES)
        org.members[mid] = (status, gender, country)
    for cid in org.chapters:
        roll = rng.random()
        if roll < 0.6:
            org.last_meeting[cid] = today - dt.timedelta(days=rng.randint(0, 80))
        elif roll < 0.8:
            org.last_meeting[cid] = today - dt.timedelta(days=rng.randint(100, 400))
    org.country_of = country_of
    return org


def load(runtime: Runtime, org: Organisation) -> None:
    """Bulk-load a generated organisation (parents before children)."""
    password_hash = passwords.hash_password(SEED_PASSWORD, "fast")
    now = dt.datetime.now(dt.UTC)
    chapters = sorted(org.chapters.items(), key=lambda item: DEFAULT_LEVELS.index(item[1][1]))
    with runtime.db.transaction() as cur:
        bulk_store.bulk_insert(
            cur,
            "chapters",
            ("id", "parent_id", "name", "level", "country", "continent", "founded_on"),
            [
                (
                    cid,
                    parent,
                    f"{level.title()} {str(cid)[:8]}",
                    level,
                    org.country_of.get(cid),
                    geo.continent_of(org.country_of.get(cid)),
                    dt.date(2013, 1, 1) + dt.timedelta(days=i),
                )
                for i, (cid, (parent, level)) in enumerate(chapters)
            ],
        )
        bulk_store.bulk_insert(
            cur,
            "members",
            (
                "id",
                "email",
                "password_hash",
                "display_name",
                "country",
                "gender",
                "status",
                "created_at",
            ),
            [
                (
                    mid,
                    f"seed-{mid}@seed.example",
                    password_hash,
                    f"Seed {str(mid)[:8]}",
                    country,
                    gender,
                    status,
                    now,
                )
                for mid, (status, gender, country) in org.members.items()
            ],
        )
        bulk_store.bulk_insert(
            cur, "memberships", ("member_id", "chapter_id"), list(dict.fromkeys(org.memberships))
        )
        bulk_store.bulk_insert(
            cur,
            "meetings",
            ("id", "chapter_id", "held_on", "note"),
            [(uuid.uuid4(), cid, held_on, "seeded") for cid, held_on in org.last_meeting.items()],
        )
        figures.recount_all(cur)  # bulk rows bypass the kept figures: count them once
        cur.execute("ANALYZE members; ANALYZE memberships; ANALYZE chapters; ANALYZE meetings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    runtime = build_runtime("members")
    load(runtime, generate(args.members, args.chapters, args.seed))
    print(f"loaded {args.members} members in {args.chapters} chapters (password {SEED_PASSWORD})")
    runtime.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
