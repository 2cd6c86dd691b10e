"""Delegates and recall across members, polls and notify on one real PostgreSQL database (one
schema per service), events carried between them by the services' own consumers (inbox and
all), pumped from each service's outbox as the relays would publish it."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import pytest

from services.common.auth import Identity, issue_access_token
from services.common.bus import Consumer
from services.common.bus.catalogue import validate_event
from services.members.app import create_app as members_app
from services.members.bootstrap import bootstrap_admin
from services.members.context import build_context as members_context
from services.members.handlers import DELEGATES_AND_RECALL
from services.notify.context import build_context as notify_context
from services.notify.handlers import CONTACTS_AND_ANNOUNCEMENTS
from services.polls.app import create_app as polls_app
from services.polls.context import build_context
from services.polls.worker import consumers as polls_consumers
from tests.integration.members.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Api
from tests.support import servers
from tests.support.runtime import make_runtime, test_keypair


class World:
    def __init__(self, members_rt, polls_rt, notify_rt):
        self.members_rt, self.polls_rt, self.notify_rt = members_rt, polls_rt, notify_rt
        self.members_ctx = members_context(members_rt)
        self.polls_ctx = build_context(polls_rt)
        self.members_client = members_app(members_rt).test_client()
        self.polls_client = polls_app(polls_rt, self.polls_ctx).test_client()
        self.api = Api(self.members_client, members_rt)
        self.consumers = {
            "polls": polls_consumers(self.polls_ctx),  # electorate, delegates
            "members": [
                Consumer(
                    members_rt.db,
                    members_rt.transport,
                    DELEGATES_AND_RECALL.consumer,
                    DELEGATES_AND_RECALL.bind(self.members_ctx),
                ),
            ],
            "notify": [
                Consumer(
                    notify_rt.db,
                    notify_rt.transport,
                    CONTACTS_AND_ANNOUNCEMENTS.consumer,
                    CONTACTS_AND_ANNOUNCEMENTS.bind(notify_context(notify_rt)),
                ),
            ],
        }
        self.seen = {"members": 0, "polls": 0}
        self.paused: set[str] = set()

    def runtime(self, name):
        return {"members": self.members_rt, "polls": self.polls_rt, "notify": self.notify_rt}[name]

    def deliver(self, service: str, event: dict) -> None:
        """Hand one event to `service`'s consumers, as the transport would."""
        validate_event(event)
        for consumer in self.consumers[service]:
            if consumer.handlers_for(event["type"]):
                consumer._run_handlers(event)

    def pump(self) -> int:
        """Publish what the outboxes hold (as the relays do) to every consumer, until quiet."""
        total = 0
        while True:
            moved = 0
            for producer in ("members", "polls"):
                with self.runtime(producer).db.transaction() as cur:
                    cur.execute(
                        "SELECT seq, envelope FROM outbox WHERE seq > %s ORDER BY seq",
                        (self.seen[producer],),
                    )
                    rows = cur.fetchall()
                for row in rows:
                    self.seen[producer] = row["seq"]
                    for service in ("members", "polls", "notify"):
                        if service != producer and service not in self.paused:
                            self.deliver(service, row["envelope"])
                    moved += 1
            total += moved
            if not moved:
                return total

    def outbox(self, producer: str, type_: str, **match) -> list[dict]:
        with self.runtime(producer).db.transaction() as cur:
            cur.execute("SELECT envelope FROM outbox WHERE routing_key = %s ORDER BY seq", (type_,))
            rows = [r["envelope"] for r in cur.fetchall()]
        return [e for e in rows if all(str(e["data"].get(k)) == str(v) for k, v in match.items())]

    def sql(self, service: str, query: str, params=()) -> list[dict]:
        with self.runtime(service).db.transaction() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else []

    # --- people and chapters --------------------------------------------------------------

    def admin_token(self) -> str:
        return self.api.token(ADMIN_EMAIL, ADMIN_PASSWORD)

    def member(self, tag="m"):
        member_id, email, token = self.api.active_member(tag, display_name=f"Member {tag}")
        return {"id": member_id, "email": email, "token": token, "name": f"Member {tag}"}

    def rename(self, person: dict, name: str) -> dict:
        """The member takes `name` as display name (the name a ballot shows them under)."""
        body = {"display_name": name}
        code, reply = self.api.call("PATCH", "/api/v1/members/me", body, token=person["token"])
        assert code == 200, reply
        person["name"] = name
        return person

    def chapter(self, name, level, parent_id=None, founder=None) -> str:
        token = founder["token"] if founder else self.admin_token()
        body = {"name": f"{name} {uuid.uuid4().hex[:6]}", "level": level, "country": "GB"}
        if parent_id:
            body["parent_id"] = parent_id
        code, reply = self.api.call("POST", "/api/v1/chapters", body, token=token)
        assert code == 201, reply
        return reply["id"]

    def local(self, parent_id, size: int) -> tuple[str, list[dict]]:
        """A local chapter founded by the first of `size` new members, all of whom join it."""
        people = [self.member(f"l{i}") for i in range(size)]
        chapter_id = self.chapter("Local", "local", parent_id, founder=people[0])
        for person in people[1:]:
            code, reply = self.api.call(
                "POST", f"/api/v1/chapters/{chapter_id}/join", token=person["token"]
            )
            assert code == 200, reply
        return chapter_id, people

    # --- polls ----------------------------------------------------------------------------

    @staticmethod
    def polls_auth(member_id, admin=False) -> dict:
        token = issue_access_token(test_keypair()[0], Identity(member_id, "active", admin))
        return {"Authorization": f"Bearer {token}"}

    def admin_id(self) -> str:
        """The bootstrapped admin: polls knows its admin mandate from members' events (admin
        rights are checked against that replica, never the token's claim alone)."""
        rows = self.sql(
            "members",
            "SELECT member_id::text AS id FROM mandates WHERE role = "
            "'admin' AND revoked_at IS NULL ORDER BY granted_at LIMIT 1",
        )
        return rows[0]["id"]

    def polls_call(self, method, path, body=None, member_id=None, admin=False):
        if admin and not member_id:
            member_id = self.admin_id()
        headers = self.polls_auth(member_id, admin) if member_id else {}
        response = self.polls_client.open(path, method=method, json=body, headers=headers)
        return response.status_code, response.get_json(silent=True)

    def vote(self, poll_id, member_id, answer: dict) -> str:
        code, poll = self.polls_call("GET", f"/api/v1/polls/{poll_id}")
        assert code == 200, poll
        question_id = poll["questions"][0]["id"]
        code, reply = self.polls_call(
            "POST",
            f"/api/v1/polls/{poll_id}/ballots",
            {"answers": [{"question_id": question_id, **answer}]},
            member_id=member_id,
        )
        assert code == 201, reply
        return reply["receipt"]

    def close(self, poll_id) -> None:
        code, reply = self.polls_call("POST", f"/api/v1/polls/{poll_id}/close", admin=True)
        assert code == 200, reply

    def elect(
        self, chapter_id, candidates: list[dict], voters: list[dict], seats=1, ranking=None
    ) -> str:
        """Run a delegate election to its end; returns the poll id."""
        names = {c["id"]: c["name"] for c in candidates}  # the ballot shows members' own names
        code, poll = self.polls_call(
            "POST",
            "/api/v1/polls/delegate-elections",
            {
                "chapter_id": chapter_id,
                "title": "Delegate election",
                "seats": seats,
                "candidates": [{"member_id": c["id"], "name": names[c["id"]]} for c in candidates],
                "closes_at": in_an_hour(),
            },
            admin=True,
        )
        assert code == 201, poll
        order = [names[c["id"]] for c in (ranking or candidates)]
        for voter in voters:
            self.vote(poll["id"], voter["id"], {"ranking": order})
        self.close(poll["id"])
        self.pump()
        return poll["id"]


def in_an_hour() -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()


# Recall steps the delegate test modules share.
def delegate_mandate(world, member_id) -> dict:
    code, record = world.api.call("GET", f"/api/v1/members/{member_id}/record")
    assert code == 200, record
    [mandate] = [m for m in record["mandates"] if m["role"] == "delegate"]
    return mandate


def open_petition(world, person, mandate_id, reason="Ignores our mandate"):
    return world.api.call(
        "POST",
        "/api/v1/recalls",
        {"mandate_id": mandate_id, "reason": reason},
        token=person["token"],
    )


def sign(world, person, petition_id):
    return world.api.call("POST", f"/api/v1/recalls/{petition_id}/signature", token=person["token"])


def recall_poll_of(world, petition_id) -> list[dict]:
    return world.sql(
        "polls", "SELECT poll_id FROM poll_purposes WHERE petition_id = %s", (petition_id,)
    )


@contextlib.contextmanager
def open_world(pg_admin_url, **env):
    """A World on a database of its own; `env` is given to members and polls alike."""
    url = servers.create_database(pg_admin_url, prefix="councils_delegates_test")
    members_rt = make_runtime(
        "members",
        url,
        COUNCILS_ADMIN_EMAIL=ADMIN_EMAIL,
        COUNCILS_ADMIN_PASSWORD=ADMIN_PASSWORD,
        MEMBER_ACTIVATION="either",
        RATE_LIMITS="off",
        **env,
    )
    polls_rt = make_runtime("polls", url, **env)
    # Recall steps are what these tests follow, not the verified-address gate (tested in notify).
    notify_rt = make_runtime("notify", url, NOTIFY_REQUIRE_VERIFIED="false")
    bootstrap_admin(members_context(members_rt))
    w = World(members_rt, polls_rt, notify_rt)
    w.pump()
    try:
        yield w
    finally:
        for rt in (members_rt, polls_rt, notify_rt):
            rt.db.close()
        servers.drop_database(pg_admin_url, url)


@pytest.fixture(scope="module")
def world(pg_admin_url):
    with open_world(pg_admin_url) as w:
        yield w


# --- a federation of any depth (issue 18: "a five-level federation built from configuration
# runs every test above") ---------------------------------------------------------------------

FOUR = ("international", "national", "regional", "local")
FIVE = ("world", "continent", "country", "province", "town")


def found(world, name, level, parent_id=None, founder=None) -> str:
    body = {"name": f"{name} {uuid.uuid4().hex[:6]}", "level": level, "country": "DE"}
    if parent_id:
        body["parent_id"] = parent_id
    token = founder["token"] if founder else world.admin_token()
    code, reply = world.api.call("POST", "/api/v1/chapters", body, token=token)
    assert code == 201, reply
    return reply["id"]


def join(world, person, chapter_id) -> None:
    code, reply = world.api.call(
        "POST", f"/api/v1/chapters/{chapter_id}/join", token=person["token"]
    )
    assert code == 200, reply


def bottom(world, levels, parent_id, size, tag) -> tuple[str, list[dict]]:
    """A bottom-level chapter under `parent_id`, founded by the first of `size` new members."""
    people = [world.member(f"{tag}{i}") for i in range(size)]
    chapter_id = found(world, tag, levels[-1], parent_id, founder=people[0])
    for person in people[1:]:
        join(world, person, chapter_id)
    return chapter_id, people


class Federation:
    """A World whose members service was configured with `levels` (FEDERATION_LEVELS), and its
    spine: one chapter per level above the bottom, each under the one before, top first."""

    def __init__(self, world, levels):
        self.world, self.levels = world, levels
        self.spine: list[str] = []
        for depth, level in enumerate(levels[:-1]):
            self.spine.append(found(world, f"L{depth}", level, self.spine[-1] if depth else None))
        world.pump()

    def at(self, where: str) -> Place:
        return Place(self, where)


class Place:
    """Where in a Federation a test runs: `deepest` (a bottom-level chapter) or `middle` (a
    chapter one level above the bottom, with members of its own and a sub-chapter)."""

    def __init__(self, federation: Federation, where: str):
        self.federation, self.where, self.world = federation, where, federation.world
        self.depth = len(federation.levels) - (1 if where == "deepest" else 2)
        self.level = federation.levels[self.depth]
        self.parent = federation.spine[self.depth - 1]  # the chapter above, one level up

    def chapter(self, size: int, tag: str = "p", parent_id=None) -> tuple[str, list[dict]]:
        """A fresh chapter of `size` new active members at this place's level (under `parent_id`,
        by default the spine chapter one level up). Its first member is its first coordinator:
        at the bottom as its founder; higher up appointed by the admin, a direct member, with
        every other member in a bottom-level sub-chapter the last one founded (and coordinates)."""
        world, parent_id = self.world, parent_id or self.parent
        if self.where == "deepest":
            chapter_id, people = bottom(world, self.federation.levels, parent_id, size, tag)
            world.pump()
            return chapter_id, people
        chapter_id = found(world, tag, self.level, parent_id)
        first = world.member(f"{tag}0")
        join(world, first, chapter_id)
        code, reply = world.api.call(
            "POST",
            "/api/v1/mandates",
            {"member_id": first["id"], "role": "coordinator", "chapter_id": chapter_id},
            token=world.admin_token(),
        )
        assert code == 201, reply
        _sub, rest = bottom(world, self.federation.levels, chapter_id, size - 1, f"{tag}s")
        world.pump()
        return chapter_id, [first, *rest[1:], rest[0]]


@pytest.fixture(scope="module", params=[FOUR, FIVE], ids=["four-levels", "five-levels"])
def federation(request, pg_admin_url):
    """A World per module and depth: four levels, and five named by FEDERATION_LEVELS."""
    with open_world(pg_admin_url, FEDERATION_LEVELS=",".join(request.param)) as world:
        yield Federation(world, request.param)


@pytest.fixture(params=["deepest", "middle"])
def place(request, federation) -> Place:
    """A test taking `place` runs at the bottom level and one level above it, at either depth."""
    return federation.at(request.param)


# Delegate polls and their roll-call, shared by the modules that look at representation.
def delegate_poll(world, chapter_id) -> dict:
    code, poll = world.polls_call(
        "POST",
        "/api/v1/polls/delegate-polls",
        {
            "chapter_id": chapter_id,
            "title": "Federal budget",
            "closes_at": in_an_hour(),
            "questions": [{"text": "Adopt it?", "method": "plurality", "options": ["yes", "no"]}],
        },
        admin=True,
    )
    assert code == 201, poll
    return poll


def roll_call(world, poll_id) -> dict:
    code, roll = world.polls_call("GET", f"/api/v1/polls/{poll_id}/roll-call")
    assert code == 200, roll
    return roll


def by_chapter(roll) -> dict:
    return {c["chapter_id"]: c for c in roll["chapters"] if c["kind"] == "chapter"}
