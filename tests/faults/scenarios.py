"""The fault scenarios: each runs the ballot load through the gateway while a fault is injected
and healed, then closes the poll, counts, and reports one Jepsen-style line."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil
import psycopg2
import requests

from services.common.bus.catalogue import CATALOGUE
from services.common.bus.parking import CONSUMER_QUEUES
from tests.faults.load import ADMIN, PASSWORD, Api, Tally, cast_all
from tests.faults.registrations import MemberCount, count_members, register_stream
from tests.support.wait import within

DEEP = '{"id": "poison", "data": ' + "[" * 3000 + "]" * 3000 + "}"


@dataclass
class Outcome:
    name: str
    tally: Tally
    stored: int
    counted: int
    recovered_s: float
    bound_s: float
    explained: str
    problems: list[str]
    allowed: frozenset = frozenset()
    members: MemberCount | None = None  # the registrations streamed during the scenario

    @property
    def lost(self) -> int:
        return max(0, self.tally.acknowledged - self.counted)

    @property
    def duplicated(self) -> int:
        return max(0, self.counted - self.tally.attempted, self.stored - self.tally.attempted)

    def line(self) -> str:
        t = self.tally
        fives = sum(t.server_errors.values())
        codes = ", ".join(f"{n}×{s}" for s, n in sorted(t.server_errors.items())) or "none"
        return (
            f"{self.name}: attempted {t.attempted}, acknowledged {t.acknowledged}, "
            f"stored {self.stored}, counted {self.counted}, lost {self.lost}, "
            f"duplicated {self.duplicated}, 5xx {fives} ({codes}; allowed: {self.explained}), "
            f"recovered in {self.recovered_s:.1f} s (bound {self.bound_s:.0f} s)"
            + (f"; {self.members.line()}" if self.members else "")
        )

    def failures(self) -> list[str]:
        found = list(self.problems)
        if self.lost or self.duplicated:
            found.append(f"lost {self.lost}, duplicated {self.duplicated}")
        unexplained = {s: n for s, n in self.tally.server_errors.items() if s not in self.allowed}
        if unexplained:
            found.append(f"unexplained 5xx: {unexplained}")
        if self.tally.acknowledged != self.tally.attempted:
            found.append(f"only {self.tally.acknowledged} of {self.tally.attempted} acknowledged")
        if self.recovered_s > self.bound_s:
            found.append(f"recovered in {self.recovered_s:.1f} s, bound {self.bound_s:.0f} s")
        if self.members:
            found += self.members.failures()
            unexplained = {
                s: n
                for s, n in self.members.regs.tally.server_errors.items()
                if s not in self.allowed
            }
            if unexplained:
                found.append(f"unexplained 5xx on registrations: {unexplained}")
        return found


class Harness:
    """The running stack and what the scenarios need to reach behind it."""

    def __init__(self, stack, servers, database: str, transport) -> None:
        self.stack = stack
        self.servers = servers
        self.database = database  # the stack's database name on the own PostgreSQL
        self.transport = transport  # a direct (unproxied) transport, for depths and parkings
        self.api = Api(stack.url)
        self.probe: str | None = None  # a member approved during the fault, to follow
        self.smtp = None  # the FlakySmtp the stack sends mail to

    def approve_probe_member(self) -> None:
        """Register and approve a member now (through the fault): recovery includes their
        approval reaching polls' replica, i.e. outbox, relay, broker and consumer all work."""
        admin = self.api.token(*ADMIN)
        email = f"probe-{time.time_ns()}@example.org"
        reply = self.api.steady(
            "POST",
            "/api/v1/auth/register",
            {"email": email, "password": PASSWORD, "display_name": "Probe", "country": "GB"},
        )
        self.probe = reply.json()["id"]
        self.api.steady("POST", f"/api/v1/members/{self.probe}/approve", token=admin)

    def sql(self, query: str, params=()) -> list[tuple]:
        url = self.servers.pg.admin_url.rsplit("/", 1)[0] + f"/{self.database}"
        conn = psycopg2.connect(url, connect_timeout=3)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def settled(self) -> bool:
        """Everything answers, every outbox is published and every consumer queue drained."""
        try:
            if requests.get(self.stack.url + "/healthz", timeout=3).status_code != 200:
                return False
            backlog = self.sql(
                "SELECT (SELECT count(*) FROM members.outbox WHERE sent_at IS NULL)"
                " + (SELECT count(*) FROM polls.outbox WHERE sent_at IS NULL)"
                " + (SELECT count(*) FROM notify.outbox WHERE sent_at IS NULL)"
            )[0][0]
            depth = sum(self.transport.depth(q) for q in CONSUMER_QUEUES)
        except Exception:  # noqa: BLE001 - anything failing means not yet
            return False
        if backlog or depth:
            return False
        if self.probe:
            rows = self.sql(
                "SELECT status FROM polls.replica_members WHERE member_id = %s", (self.probe,)
            )
            if not rows or rows[0][0] != "active":
                return False
        return True

    def wait_settled(self, since: float, bound_s: float) -> float:
        within(self.settled, since + bound_s + 60 - time.monotonic(), interval=0.25)
        return time.monotonic() - since

    def child(self, module: str) -> psutil.Process:
        for proc in psutil.Process(self.stack.process.pid).children():
            try:
                if module in " ".join(proc.cmdline()) and proc.status() != "zombie":
                    return proc
            except psutil.Error:
                continue
        raise RuntimeError(f"no running {module}")


def run_scenario(
    h: Harness,
    name: str,
    voters: list[str],
    fault: Callable[[], None],
    heal: Callable[[], None],
    *,
    hold_s: float,
    bound_s: float,
    explained: str,
    check: Callable[[], list[str]] | None = None,
    rate: float = 8.0,
    allowed: frozenset = frozenset(),
) -> Outcome:
    poll_id, question_id = h.api.open_poll(f"fault: {name}")
    healed: dict[str, float] = {}

    def inject() -> None:
        time.sleep(len(voters) / rate / 3)  # pacing: the fault lands a third into the load
        fault()
        probe = threading.Thread(target=h.approve_probe_member, daemon=True)
        probe.start()
        time.sleep(hold_s)  # pacing: the fault lasts this long under load
        heal()
        healed["at"] = time.monotonic()
        stream.healed()
        probe.join(90)

    injector = threading.Thread(target=inject, daemon=True)
    with RegistrationStream(h, name) as stream:
        injector.start()
        tally = cast_all(h.api, voters, poll_id, question_id, rate)
        injector.join(120)
    recovered = h.wait_settled(healed.get("at", time.monotonic()), bound_s)
    stored, counted = h.api.close_and_count(poll_id)
    problems = check() if check else []
    return Outcome(
        name,
        tally,
        stored or 0,
        counted,
        recovered,
        bound_s,
        explained,
        problems,
        allowed,
        stream.count(),
    )


class RegistrationStream:
    """New members registered and approved through the gateway at `rate_per_s` from entering
    the block (before the fault) until `tail_s` after `healed()` (or the block's end); leaving
    the block waits for every started one. `count()` reads what became of them once the stack
    has settled."""

    def __init__(self, h: Harness, name: str, rate_per_s: float = 2.0, tail_s: float = 4.0):
        self.h, self.name, self.rate, self.tail_s = h, name, rate_per_s, tail_s
        self.stop = threading.Event()
        self.result: list = []

    def __enter__(self) -> RegistrationStream:
        admin = self.h.api.token(*ADMIN)  # before the fault
        tag = str(abs(hash(self.name)) % 10_000)
        self.thread = threading.Thread(
            target=lambda: self.result.append(
                register_stream(self.h.api, admin, self.rate, self.stop, tag)
            ),
            daemon=True,
        )
        self.thread.start()
        return self

    def healed(self) -> None:
        threading.Timer(self.tail_s, self.stop.set).start()

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(120)

    def count(self) -> MemberCount | None:
        if not self.result:
            return None
        return count_members(self.h.sql, self.result[0])


def gunicorn_worker_kill(h: Harness, voters: list[str]) -> Outcome:
    def fault() -> None:
        master = h.child("services.polls.app")
        master.children()[0].kill()

    return run_scenario(
        h,
        "kill -9 of a polls gunicorn worker",
        voters,
        fault,
        lambda: None,
        hold_s=0,
        bound_s=15,
        allowed=frozenset({502}),
        explained="502 for requests in flight on the killed worker",
    )


def postgres_restart(h: Harness, voters: list[str]) -> Outcome:
    return run_scenario(
        h,
        "PostgreSQL immediate stop, start 3 s later",
        voters,
        h.servers.pg.stop_immediate,
        h.servers.pg.start,
        hold_s=3,
        bound_s=20,
        allowed=frozenset({503}),
        explained="503 with Retry-After while the database is away",
    )


def rabbitmq_kill(h: Harness, voters: list[str]) -> Outcome:
    rabbit = h.servers.rabbit
    return run_scenario(
        h,
        "RabbitMQ kill -9, restarted 2 s later",
        voters,
        rabbit.kill9,
        rabbit.start,
        hold_s=2,
        bound_s=30,
        explained="none expected: ballots go to the outbox",
    )


def poison_everywhere(h: Harness, voters: list[str]) -> Outcome:
    """A message nested too deeply for Python's JSON decoder on every routing key of the
    catalogue (so on every consumed one), sent while ballots flow; each consumer parks its
    share at once and keeps consuming."""
    before = {q: len(h.transport.parked(q)) for q in CONSUMER_QUEUES}
    sent: dict[str, int] = {}

    def fault() -> None:
        if hasattr(h.transport, "dsn"):  # the PostgreSQL transport: straight into each queue
            for queue in CONSUMER_QUEUES:
                h.sql(
                    "INSERT INTO bus.messages (queue, routing_key, envelope)"
                    " VALUES (%s, 'poison', %s::jsonb)",
                    (queue, DEEP),
                )
                sent[queue] = 1
            return
        with h.transport._using("poison") as channel:
            for event_type in CATALOGUE:
                channel.basic_publish(h.transport.exchange, event_type, DEEP.encode())

    def check() -> list[str]:
        parked = {q: len(h.transport.parked(q)) - before[q] for q in CONSUMER_QUEUES}
        return [f"{q}: nothing parked" for q, n in parked.items() if n < 1]

    return run_scenario(
        h,
        "poison message on every consumed routing key",
        voters,
        fault,
        lambda: None,
        hold_s=0,
        bound_s=10,
        check=check,
        explained="none expected",
    )


def describe(outcome: Outcome) -> str:
    return json.dumps({"scenario": outcome.name, "failures": outcome.failures()})


def worker_kill(service: str) -> Callable[[Harness, list[str]], Outcome]:
    def scenario(h: Harness, voters: list[str]) -> Outcome:
        return run_scenario(
            h,
            f"kill -9 of the {service} worker process",
            voters,
            lambda: h.child(f"services.{service}.worker").kill(),
            lambda: None,
            hold_s=0,
            bound_s=15,
            explained="none expected (make run restarts it)",
        )

    scenario.__name__ = f"{service}_worker_kill"
    return scenario


def gateway_kill(h: Harness, voters: list[str]) -> Outcome:
    """kill -9 of the gateway's gunicorn master and workers: clients see refused connections
    (retried) until make run has restarted it."""

    def fault() -> None:
        master = h.child("gateway.")
        for proc in [*master.children(), master]:
            proc.kill()

    return run_scenario(
        h,
        "kill -9 of the gateway",
        voters,
        fault,
        lambda: None,
        hold_s=0,
        bound_s=20,
        explained="none expected (connections refused, retried)",
    )


def consumer_stopped(h: Harness, voters: list[str]) -> Outcome:
    holder: dict = {}

    def fault() -> None:
        holder["proc"] = h.child("services.polls.worker")
        holder["proc"].suspend()  # SIGSTOP

    return run_scenario(
        h,
        "SIGSTOP of polls' worker, SIGCONT 5 s later",
        voters,
        fault,
        lambda: holder["proc"].resume(),
        hold_s=5,
        bound_s=10,
        explained="none expected",
    )


def sessions_terminated(h: Harness, voters: list[str]) -> Outcome:
    stop = threading.Event()

    def terminate_all() -> None:
        while not stop.is_set():
            try:
                h.sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            except psycopg2.Error:
                pass
            stop.wait(2)

    def fault() -> None:
        threading.Thread(target=terminate_all, daemon=True).start()

    return run_scenario(
        h,
        "pg_terminate_backend of every session every 2 s for 8 s",
        voters,
        fault,
        stop.set,
        hold_s=8,
        bound_s=20,
        allowed=frozenset({503}),
        explained="503 for a request whose session was terminated",
    )


def broker_cut(h: Harness, voters: list[str]) -> Outcome:
    proxy = h.servers.rabbit.proxy
    return run_scenario(
        h,
        "broker link cut for 5 s, then healed",
        voters,
        proxy.cut,
        proxy.restore,
        hold_s=5,
        bound_s=15,
        explained="none expected: ballots go to the outbox",
    )


def smtp_flaky_newsletter(h: Harness, voters: list[str]) -> Outcome:
    """A newsletter to the whole organisation while the SMTP server refuses every other
    message (451): every member gets it exactly once, none lost, none twice."""
    smtp = h.smtp
    subject = f"Newsletter {time.time_ns()}"
    admin = h.api.token(*ADMIN)
    smtp.handler.flaky = True
    started = time.monotonic()
    reply = h.api.steady(
        "POST",
        "/api/v1/newsletters",
        token=admin,
        body={
            "subject": subject,
            "body": "Dear members,\n\nthe convention is on.",
            "scope": {"type": "organisation"},
        },
    )
    newsletter = reply.json()
    deadline = started + 90
    recipients = None
    while time.monotonic() < deadline:
        state = h.api.steady("GET", f"/api/v1/newsletters/{newsletter['id']}", token=admin).json()
        recipients = state.get("recipients")
        if recipients and len(smtp.handler.received(subject)) >= recipients:
            break
        time.sleep(0.5)
    recovered = time.monotonic() - started
    smtp.handler.flaky = False
    received = smtp.handler.received(subject)
    tally = Tally(attempted=recipients or 0, acknowledged=recipients or 0)
    tally.statuses[reply.status_code] += 1
    twice = sum(n - 1 for n in received.values() if n > 1)
    problems = [] if smtp.handler.refused else ["the SMTP server never refused a message"]
    return Outcome(
        f"SMTP refusing half the messages during a newsletter ({smtp.handler.refused} refusals)",
        tally,
        recipients or 0,
        len(received) - 0,
        recovered,
        60,
        "none expected",
        problems + ([f"{twice} mails sent twice"] if twice else []),
    )


def broker_blackhole(h: Harness, voters: list[str]) -> Outcome:
    proxy = h.servers.rabbit.proxy
    return run_scenario(
        h,
        "broker link blackholed for 10 s, then healed",
        voters,
        proxy.blackhole,
        proxy.heal,
        hold_s=10,
        bound_s=20,
        explained="none expected: ballots go to the outbox",
    )


def crash_while_closing(h: Harness, voters: list[str]) -> Outcome:
    """Kill -9 the polls processes while one is in the middle of closing a poll: the close
    blocks on a lock of the outbox (its last write) after publishing the ballots, destroying
    the key and marking the poll closed, all uncommitted. Nothing of it may survive: the poll is
    still open and whole; closed again, it counts every ballot once."""
    poll_id, question_id = h.api.open_poll("fault: crash while closing")
    with RegistrationStream(h, "crash while closing") as stream:
        tally = cast_all(h.api, voters, poll_id, question_id, 16.0)
        admin = h.api.token(*ADMIN)
        url = h.servers.pg.admin_url.rsplit("/", 1)[0] + f"/{h.database}"
        blocker = psycopg2.connect(url)
        problems: list[str] = []
        with blocker.cursor() as cur:
            cur.execute("LOCK TABLE polls.outbox IN EXCLUSIVE MODE")
            closing = threading.Thread(target=lambda: _try_close(h, poll_id, admin), daemon=True)
            closing.start()
            waiting = within(
                lambda: (
                    h.sql(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        " WHERE NOT l.granted AND l.relation = 'polls.outbox'::regclass"
                        " AND a.query LIKE 'INSERT INTO outbox%%polls.poll.closed%%'"
                    )[0][0]
                    > 0
                ),
                15,
            )
            if not waiting:
                problems.append("the close never reached its outbox write")
            master = h.child("services.polls.app")
            for worker in master.children():
                worker.kill()
        blocker.rollback()  # releases the lock: the orphaned close finds its client gone
        blocker.close()
        crashed_at = time.monotonic()
        stream.healed()
        closing.join(30)
    state = h.api.steady("GET", f"/api/v1/polls/{poll_id}", token=admin).json()
    if state.get("status") != "open":
        problems.append(f"after the crash the poll is {state.get('status')!r}, not open")
    published = h.sql(
        "SELECT count(*) FROM polls.outbox WHERE routing_key = 'polls.poll.closed'"
        " AND envelope->'data'->>'poll_id' = %s",
        (poll_id,),
    )[0][0]
    if published:
        problems.append("a closed event survived the crash")
    recovered = h.wait_settled(crashed_at, 20)
    stored, counted = h.api.close_and_count(poll_id)
    return Outcome(
        "kill -9 of polls in the middle of closing a poll",
        tally,
        stored or 0,
        counted,
        recovered,
        20,
        "502 for the interrupted close, 503 (Retry-After) while polls restarts",
        problems,
        frozenset({502, 503}),
        stream.count(),
    )


def _try_close(h: Harness, poll_id: str, admin: str) -> None:
    try:
        h.api.call("POST", f"/api/v1/polls/{poll_id}/close", token=admin, timeout=30)
    except requests.RequestException:
        pass
