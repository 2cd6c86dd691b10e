"""Fixtures for the polls service: a database per test module, the app, tokens, the replica."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from services.common.auth import Identity, issue_access_token
from services.common.bus.envelope import make_event
from services.polls.app import create_app
from services.polls.context import build_context
from services.polls.handlers.electorate import ELECTORATE
from tests.support import servers
from tests.support.runtime import make_runtime, test_keypair


@pytest.fixture(scope="module")
def polls_database_url(pg_admin_url):
    url = servers.create_database(pg_admin_url, prefix="councils_polls_test")
    yield url
    servers.drop_database(pg_admin_url, url)


@pytest.fixture(scope="module")
def runtime(polls_database_url, request):
    rt = make_runtime("polls", polls_database_url)
    _admin_holds_a_mandate(rt, request.module)
    yield rt
    rt.db.close()


@pytest.fixture(scope="module")
def ctx(runtime):
    return build_context(runtime)


@pytest.fixture(scope="module")
def app(runtime, ctx):
    return create_app(runtime, ctx)


@pytest.fixture()
def client(app):
    return app.test_client()


class Clock:
    """An injectable clock (`build_context(runtime, clock=...)`) a test moves forward instead of
    waiting days."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def token(member_id: str, status: str = "active", admin: bool = False) -> str:
    return issue_access_token(test_keypair()[0], Identity(member_id, status, admin))


def auth(member_id: str, status: str = "active", admin: bool = False) -> dict:
    return {"Authorization": f"Bearer {token(member_id, status, admin)}"}


def _admin_holds_a_mandate(runtime, module) -> None:
    """Polls checks admin rights against its replica of the mandates, not the token's `admin`
    claim (issue 13): a module's ADMIN gets an admin mandate there, as members would announce."""
    admin = getattr(module, "ADMIN", None)
    if admin is None:
        return
    member_id = str(getattr(admin, "member_id", admin))
    feed(
        runtime,
        "members.mandate.granted",
        {
            "mandate_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"admin:{member_id}")),
            "member_id": member_id,
            "role": "admin",
            "chapter_id": None,
        },
    )


def grant(runtime, member_id: str, role: str = "coordinator", chapter_id=None) -> str:
    """A mandate in polls' replica, as members would announce it; its id."""
    mandate_id = str(uuid.uuid4())
    feed(
        runtime,
        "members.mandate.granted",
        {"mandate_id": mandate_id, "member_id": member_id, "role": role, "chapter_id": chapter_id},
    )
    return mandate_id


def feed(runtime, type_: str, data: dict) -> None:
    """Apply one of members' events to the replica, as the worker's consumer would."""
    with runtime.db.transaction() as cur:
        handle(cur, make_event(type_, data, "members"))


def handle(cur, event: dict) -> None:
    """Apply one event to the replica as the electorate consumer would (inside `cur`)."""
    handler = ELECTORATE.bind(None).get(event["type"])
    if handler is not None:
        handler(cur, event)


def new_member(runtime, status: str = "active", chapters=()) -> str:
    member_id = str(uuid.uuid4())
    feed(
        runtime,
        "members.member.registered",
        {
            "member_id": member_id,
            "email": f"{member_id}@example.org",
            "display_name": "M",
            "country": "GB",
            "status": "pending",
        },
    )
    if status == "active":
        feed(runtime, "members.member.activated", {"member_id": member_id})
    for chapter_id, ancestors in chapters:
        feed(
            runtime,
            "members.membership.joined",
            {"member_id": member_id, "chapter_id": chapter_id, "ancestors": list(ancestors)},
        )
    return member_id


def in_an_hour() -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()


def sql(runtime, query: str, params=()) -> list[dict]:
    with runtime.db.transaction() as cur:
        cur.execute(query, params)
        return cur.fetchall() if cur.description else []
