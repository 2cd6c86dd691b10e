"""Issue 18: the members concerned hear of upward requests (filed, overdue, answered) and of
challenges to a poll's affected weights (filed, decided) — polls publishes them through its
outbox and RabbitMQ, notify consumes them and mails over real SMTP, each recipient once, in
their language, with links that open pages of the web front end."""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from gateway.config import GatewaySettings
from gateway.web import WebSettings
from gateway.wsgi import create_app as create_gateway
from services.common.auth import Identity, issue_access_token
from services.common.bus import Relay
from services.common.bus.envelope import make_event
from services.common.embedded_pg import free_port
from services.members.app import create_app as members_app
from services.notify import worker as notify_worker
from services.notify.app import create_app as notify_app
from services.notify.context import build_context as notify_context
from services.notify.delivery import Sender
from services.polls import worker as polls_worker
from services.polls.app import create_app as polls_app
from services.polls.context import build_context as polls_context
from services.polls.service.schedule import scheduler_turn
from tests.integration.notify.conftest import FAST
from tests.support.runtime import make_runtime, test_keypair
from tests.support.wait import wait_for

PUBLIC = "http://127.0.0.1:8080"  # notify's PUBLIC_URL in tests: its links start so
URL = re.compile(r"https?://[^\s<>\"]+")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _serve(app) -> tuple[str, object]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


class Stack:
    """Polls and notify on one database, their workers on RabbitMQ, notify's sender on the SMTP
    sink, and the gateway (API edge and web pages) in front of the services."""

    def __init__(self, url: str, amqp_url: str, run_id: str, sink) -> None:
        bus = {"BUS_EXCHANGE": f"councils.test.{run_id}", "BUS_QUEUE_PREFIX": f"{run_id}."}
        self.sink = sink
        self.clock = Clock()
        self.polls_rt = make_runtime("polls", url, amqp_url, **bus)
        self.notify_rt = make_runtime(
            "notify", url, amqp_url, SMTP_URL=f"smtp://127.0.0.1:{sink.port}", **FAST, **bus
        )
        self.members_rt = make_runtime("members", url)
        self.polls = polls_context(self.polls_rt, clock=self.clock)
        self.notify = notify_context(self.notify_rt)
        self.stop = threading.Event()
        self.consumers = [
            *polls_worker.consumers(self.polls),
            *notify_worker.consumers(self.notify),
        ]
        workers = [c.run for c in self.consumers]
        workers.append(Relay(self.polls_rt.db, self.polls_rt.transport, poll_s=0.05).run)
        workers.append(Sender(self.notify, "email").run)
        for consumer in self.consumers:
            consumer.declare()
        self.threads = [
            threading.Thread(target=run, args=(self.stop,), daemon=True) for run in workers
        ]
        for thread in self.threads:
            thread.start()
        self.servers = []
        urls = {}
        polls = polls_app(self.polls_rt, self.polls)
        self.api = polls.test_client()
        for name, app in (
            ("polls", polls),
            ("notify", notify_app(self.notify_rt)),
            ("members", members_app(self.members_rt)),
        ):
            urls[name], server = _serve(app)
            self.servers.append(server)
        port = free_port()
        self.web = f"http://127.0.0.1:{port}"
        gateway = create_gateway(
            GatewaySettings(service_urls=urls, jwt_public_key=test_keypair()[1]),
            WebSettings(secret_key="test-web-secret", gateway_url=self.web),
        )
        server = make_server("127.0.0.1", port, gateway, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers.append(server)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)
        for server in self.servers:
            server.shutdown()
        transport = self.polls_rt.transport
        for consumer in self.consumers:
            transport.delete(consumer.queue)
        transport.delete_exchange()
        for rt in (self.polls_rt, self.notify_rt, self.members_rt):
            rt.close()

    # --- members' events, as members publishes them ---------------------------------------

    def publish(self, type_: str, data: dict) -> dict:
        event = make_event(type_, data, type_.split(".")[0])
        self.polls_rt.transport.publish([event])
        return event

    def person(self, tag: str, language: str, chapter: tuple[str, list[str]]) -> dict:
        member_id = str(uuid.uuid4())
        address = f"{tag}-{member_id[:8]}@example.org"
        self.publish(
            "members.member.registered",
            {
                "member_id": member_id,
                "email": address,
                "display_name": tag.title(),
                "country": "DE",
                "language": language,
                "status": "pending",
                "verification_token": None,
            },
        )
        self.publish("members.member.verified", {"member_id": member_id})
        self.publish("members.member.activated", {"member_id": member_id})
        self.publish(
            "members.membership.joined",
            {"member_id": member_id, "chapter_id": chapter[0], "ancestors": chapter[1]},
        )
        return {"id": member_id, "email": address, "name": tag.title(), "language": language}

    def mandate(self, member: dict, role: str, chapter_id: str | None) -> None:
        self.publish(
            "members.mandate.granted",
            {
                "mandate_id": str(uuid.uuid4()),
                "member_id": member["id"],
                "role": role,
                "chapter_id": chapter_id,
            },
        )

    def sql(self, rt, query: str, params=()) -> list[dict]:
        with rt.db.transaction() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    # --- polls ----------------------------------------------------------------------------

    def call(self, method: str, path: str, member: dict, body=None):
        token = issue_access_token(test_keypair()[0], Identity(member["id"], "active", False))
        response = self.api.open(
            path, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    def scheduler(self) -> dict:
        return scheduler_turn(self.polls)

    # --- what notify did ------------------------------------------------------------------

    def event(self, type_: str, **match) -> dict:
        """The one event of `type_` in polls' outbox whose data match."""
        rows = self.sql(
            self.polls_rt,
            "SELECT envelope FROM outbox WHERE routing_key = %s ORDER BY seq",
            (type_,),
        )
        found = [
            r["envelope"]
            for r in rows
            if all(str(r["envelope"]["data"].get(k)) == str(v) for k, v in match.items())
        ]
        assert len(found) == 1, found
        return found[0]

    def sent(self, event: dict) -> list[dict]:
        """The mails of notify's notification for `event`, once every one of them is sent."""

        def done():
            # The notification and its deliveries commit together: once it is seen, they all are.
            if not self.sql(
                self.notify_rt, "SELECT 1 FROM notifications WHERE id = %s", (event["id"],)
            ):
                return None
            rows = self.sql(
                self.notify_rt,
                "SELECT d.status, c.email FROM deliveries d"
                " JOIN contacts c ON c.member_id = d.member_id"
                " WHERE d.notification_id = %s AND d.channel = 'email'",
                (event["id"],),
            )
            if any(r["status"] == "pending" for r in rows):
                return None
            return rows or [{"status": "none"}]

        rows = wait_for(done, timeout=30, what=f"the mail of {event['type']}")
        assert all(r["status"] == "sent" for r in rows if r["status"] != "none"), rows
        return rows


@pytest.fixture()
def stack(fresh_database_url, amqp_url, run_id, smtp_sink):
    built = Stack(fresh_database_url, amqp_url, run_id, smtp_sink)
    yield built
    built.close()


def text_of(received) -> str:
    return next(
        p.get_content() for p in received.message.walk() if p.get_content_type() == "text/plain"
    )


def mails_with(stack: Stack, marker: str, since: int = 0) -> dict[str, list]:
    """Recipient address → the mails whose text holds `marker` (a link only these mails carry),
    from the `since`-th mail received on."""
    found: dict[str, list] = {}
    for received in stack.sink.received[since:]:
        if marker in text_of(received):
            for address in received.rcpt_tos:
                found.setdefault(address, []).append(received)
    return found


def assert_links_open_pages(stack: Stack, received) -> None:
    """Every link of the mail opens a page of the web front end: 200, or the login page
    that leads back to it."""
    links = set(URL.findall(text_of(received)))
    assert links
    for link in links:
        assert link.startswith(PUBLIC + "/"), link
        parts = urlsplit(link)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = requests.get(
            stack.web + path, headers={"Accept": "text/html"}, allow_redirects=False, timeout=30
        )
        if response.status_code in (302, 303):
            assert urlsplit(response.headers["Location"]).path == "/login", link
            assert parts.path in requests.utils.unquote(response.headers["Location"]), link
            continue
        assert response.status_code == 200, (link, response.status_code, response.text[:300])
        assert response.headers["Content-Type"].startswith("text/html"), link
        if parts.fragment:
            assert f'id="{parts.fragment}"' in response.text, link


def expect(
    stack: Stack, event: dict, marker: str, subjects: dict[str, str], since: int = 0
) -> None:
    """`event` was mailed to exactly the addresses of `subjects`, once each, under the subject
    given (in the recipient's language), with links that open pages (mails from the
    `since`-th received on)."""
    stack.sent(event)
    mails = mails_with(stack, marker, since)
    assert {a: [m.message["Subject"] for m in ms] for a, ms in mails.items()} == {
        a: [s] for a, s in subjects.items()
    }
    for [received] in mails.values():
        assert_links_open_pages(stack, received)


@pytest.fixture()
def federation(stack):
    region, city = str(uuid.uuid4()), str(uuid.uuid4())
    stack.publish(
        "members.chapter.founded",
        {"chapter_id": region, "parent_id": None, "name": "Sachsen", "level": "regional"},
    )
    stack.publish(
        "members.chapter.founded",
        {"chapter_id": city, "parent_id": region, "name": "Leipzig", "level": "local"},
    )
    people = {
        "region_coord": stack.person("renate", "fr", (region, [])),
        "city_coord": stack.person("carmen", "es", (city, [region])),
        "city_member": stack.person("mila", "en", (city, [region])),
        "city_other": stack.person("kai", "fr", (city, [region])),
        "bystander": stack.person("bert", "en", (region, [])),
        "admin": stack.person("ada", "en", (region, [])),
    }
    stack.mandate(people["region_coord"], "coordinator", region)
    stack.mandate(people["city_coord"], "coordinator", city)
    stack.mandate(people["admin"], "admin", None)
    wait_for(
        lambda: (
            stack.sql(stack.polls_rt, "SELECT count(*) AS n FROM replica_mandates")[0]["n"] == 3
            and stack.sql(
                stack.notify_rt,
                "SELECT count(*) AS n FROM contacts c WHERE status = 'active'"
                " AND EXISTS (SELECT 1 FROM memberships m WHERE m.member_id = c.member_id)",
            )[0]["n"]
            == len(people)
            and stack.sql(stack.polls_rt, "SELECT count(*) AS n FROM replica_memberships")[0]["n"]
            == len(people)
        ),
        timeout=30,
        what="members' events in polls' and notify's replicas",
    )
    return {"region": region, "city": city, **people}


def _poll(scope_id: str, title: str, closes_at: dt.datetime, **more) -> dict:
    return {
        "title": title,
        "scope": {"type": "chapter", "id": scope_id},
        "closes_at": closes_at.isoformat(),
        "questions": [{"text": f"{title}?", "method": "majority", "options": ["yes", "no"]}],
        **more,
    }


def _ask(city: str, **more) -> dict:
    return {
        "chapter_id": city,
        "title": "A regional rent campaign",
        "questions": [{"text": "Campaign?", "method": "majority", "options": ["yes", "no"]}],
        **more,
    }


def test_an_upward_request_is_told_to_the_level_asked_then_overdue_then_refused(stack, federation):
    f = federation
    request = stack.call("POST", "/api/v1/polls/upward-requests", f["city_coord"], _ask(f["city"]))
    marker = f"/requests/{request['id']}"

    # Filed: the coordinators of the level asked (Sachsen) alone, in their language.
    filed = stack.event("polls.upward_request.filed", request_id=request["id"])
    assert filed["data"]["member_ids"] == [f["region_coord"]["id"]]
    expect(
        stack,
        filed,
        marker,
        {
            f["region_coord"]["email"]: "Leipzig demande à Sachsen un scrutin de délégués :"
            " A regional rent campaign"
        },
    )

    # Consumed twice, sent once: the copy goes before a sentinel, whose mail proves it handled.
    stack.polls_rt.transport.publish([filed])
    sentinel = stack.publish(
        "polls.challenge.filed",
        {
            "poll_id": str(uuid.uuid4()),
            "title": "Sentinel",
            "scope": {"type": "organisation"},
            "opens_at": "2030-01-01T10:00:00+00:00",
            "count": 1,
            "needed": 3,
            "member_ids": [f["admin"]["id"]],
            "member_name": "Sam",
            "reason": "sentinel",
        },
    )
    stack.sent(sentinel)
    assert len(mails_with(stack, marker)[f["region_coord"]["email"]]) == 1

    # Past the deadline: both sides are reminded, once whatever the scheduler's turns.
    stack.clock.now += dt.timedelta(days=31)
    assert stack.scheduler()["upward_overdue"] == 1
    assert stack.scheduler()["upward_overdue"] == 0
    overdue = stack.event("polls.upward_request.overdue", request_id=request["id"])
    before = {a: len(ms) for a, ms in mails_with(stack, marker).items()}
    stack.sent(overdue)
    after = mails_with(stack, marker)
    assert after[f["region_coord"]["email"]][-1].message["Subject"] == (
        "Sans réponse à l'échéance : A regional rent campaign"
    )
    assert after[f["city_coord"]["email"]][-1].message["Subject"] == (
        "Sin respuesta en su plazo: A regional rent campaign"
    )
    assert {a: len(ms) for a, ms in after.items()} == {
        f["region_coord"]["email"]: before[f["region_coord"]["email"]] + 1,
        f["city_coord"]["email"]: 1,
    }
    for address in (f["region_coord"]["email"], f["city_coord"]["email"]):
        assert_links_open_pages(stack, after[address][-1])

    # Refused (late): those who asked hear it with the public reason.
    stack.call(
        "POST",
        f"/api/v1/polls/upward-requests/{request['id']}/refuse",
        f["region_coord"],
        {"reason": "The region decided it last spring."},
    )
    answered = stack.event("polls.upward_request.answered", request_id=request["id"])
    assert answered["data"]["outcome"] == "refused" and answered["data"]["answered_late"]
    stack.sent(answered)
    mine = mails_with(stack, marker)[f["city_coord"]["email"]]
    assert [m.message["Subject"] for m in mine] == [
        "Sin respuesta en su plazo: A regional rent campaign",
        "Sachsen rechazó la solicitud: A regional rent campaign",
    ]
    assert "The region decided it last spring." in text_of(mine[-1])
    assert len(mails_with(stack, marker)[f["region_coord"]["email"]]) == 2
    assert_links_open_pages(stack, mine[-1])


def test_a_request_the_chapter_voted_for_tells_its_members_the_poll_is_open(stack, federation):
    f = federation
    now = stack.clock.now
    decided = stack.call(
        "POST",
        "/api/v1/polls",
        f["city_coord"],
        _poll(f["city"], "Ask the region", now + dt.timedelta(days=2)),
    )
    stack.call("POST", f"/api/v1/polls/{decided['id']}/close", f["city_coord"])
    request = stack.call(
        "POST",
        "/api/v1/polls/upward-requests",
        f["city_member"],
        _ask(f["city"], decided_by_poll_id=decided["id"]),
    )
    stack.sent(stack.event("polls.upward_request.filed", request_id=request["id"]))
    since = len(stack.sink.received)
    stack.call(
        "POST",
        f"/api/v1/polls/upward-requests/{request['id']}/open",
        f["region_coord"],
        {"closes_at": (now + dt.timedelta(days=7)).isoformat()},
    )
    answered = stack.event("polls.upward_request.answered", request_id=request["id"])
    assert answered["data"]["outcome"] == "opened" and answered["data"]["poll_id"]
    # Those who asked: the city's coordinator, the member who filed it and, since the city's
    # members decided it, every member of the city (Kai too) — each once.
    expect(
        stack,
        answered,
        f"/requests/{request['id']}",
        {
            f["city_coord"]["email"]: "La votación de delegados pedida a Sachsen está abierta:"
            " A regional rent campaign",
            f["city_member"]["email"]: "The delegate poll asked of Sachsen is open:"
            " A regional rent campaign",
            f["city_other"]["email"]: "Le scrutin de délégués demandé à Sachsen est ouvert :"
            " A regional rent campaign",
        },
        since,
    )
    [mail] = mails_with(stack, f"/requests/{request['id']}", since)[f["city_member"]["email"]]
    assert f"{PUBLIC}/polls/{answered['data']['poll_id']}" in text_of(mail)


def test_challenges_to_the_weights_reach_the_creator_and_admins_then_the_outcome(stack, federation):
    f = federation
    now = stack.clock.now
    poll = stack.call(
        "POST",
        "/api/v1/polls",
        f["region_coord"],
        _poll(
            f["region"],
            "Move the regional venue",
            now + dt.timedelta(days=10),
            opens_at=(now + dt.timedelta(days=4)).isoformat(),
            affected=[{"chapter_id": f["city"], "weight": 2, "reason": "The venue is here"}],
        ),
    )
    marker = f"/polls/{poll['id']}#challenges-h"
    stack.call(
        "POST", f"/api/v1/polls/{poll['id']}/challenges", f["bystander"], {"reason": "Unfair"}
    )
    filed = stack.event("polls.challenge.filed", poll_id=poll["id"])
    assert filed["data"]["member_name"] == "Bert" and filed["data"]["count"] == 1
    expect(
        stack,
        filed,
        marker,
        {
            f["region_coord"]["email"]: "Les poids de « Move the regional venue » sont contestés",
            f["admin"]["email"]: 'The weights of "Move the regional venue" are challenged',
        },
    )

    # It opens with one challenge of the three needed: the weights apply, and those told of
    # the challenge and the challenger hear so.
    stack.clock.now = now + dt.timedelta(days=4, hours=1)
    assert stack.scheduler()["opened"] == 1
    decided = stack.event("polls.challenge.decided", poll_id=poll["id"])
    assert decided["data"]["outcome"] == "weights_apply"
    stack.sent(decided)
    mails = mails_with(stack, marker)
    assert {a: [m.message["Subject"] for m in ms] for a, ms in mails.items()} == {
        f["region_coord"]["email"]: [
            "Les poids de « Move the regional venue » sont contestés",
            "Les poids de « Move the regional venue » s'appliquent",
        ],
        f["admin"]["email"]: [
            'The weights of "Move the regional venue" are challenged',
            'The weights of "Move the regional venue" apply',
        ],
        f["bystander"]["email"]: ['The weights of "Move the regional venue" apply'],
    }
    assert "fewer than the 3 needed" in text_of(mails[f["bystander"]["email"]][0])
    assert_links_open_pages(stack, mails[f["bystander"]["email"]][0])


def test_preferences_are_respected(stack, federation):
    """A coordinator who turned poll announcements off is not told of a request."""
    f = federation
    token = issue_access_token(
        test_keypair()[0], Identity(f["region_coord"]["id"], "active", False)
    )
    changed = requests.put(
        f"{stack.web}/api/v1/notifications/preferences",
        json={"categories": {"polls": {"email": False}}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert changed.status_code == 200, changed.text
    request = stack.call("POST", "/api/v1/polls/upward-requests", f["city_coord"], _ask(f["city"]))
    filed = stack.event("polls.upward_request.filed", request_id=request["id"])
    stack.sent(filed)
    assert mails_with(stack, f"/requests/{request['id']}") == {}
