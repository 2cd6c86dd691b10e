"""`make run`: the whole system on one machine, on embedded defaults, stopped cleanly by Ctrl-C.

PostgreSQL at DATABASE_URL, else an embedded one in `.run/pgdata` (its password made once in
`.run/pg_password`); RabbitMQ at AMQP_URL, else the PostgreSQL event transport; development
keys and secrets made once in `.run/` when the environment gives none. Every service and the
gateway run under gunicorn, every worker as a plain process, each supervised (restarted with
back-off; services/common/supervise.py). The console shows the banner, logins, warnings and
errors; every line of every process goes to `.run/councils.log`. Files it makes are private
(umask 077: keys, mail, logs).

Nothing but loopback is served unless COUNCILS_BIND says otherwise (the gateway's address);
the demo organisation, whose logins share a published password, is made only for a
loopback-only run unless COUNCILS_DEMO=1 asks for it anyway.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg2
import requests

from services.common.auth import generate_keypair
from services.common.migrate import migrate_all
from services.common.supervise import Supervisor

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = Path(os.environ.get("COUNCILS_RUN_DIR", ROOT / ".run"))
SERVICES = ("members", "polls", "notify")


_log_sink: list[Supervisor] = []  # the supervisor, once the log file is open


def say(message: str) -> None:
    print(f"[councils] {message}", flush=True)
    for supervisor in _log_sink:
        supervisor.log(
            json.dumps(
                {
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "service": "make-run",
                    "message": message,
                }
            )
        )


def _private_file(path: Path, make: Callable[[], str]) -> str:
    """The content of `path`, made once by `make()` and readable by its owner alone."""
    if not path.exists():
        path.write_text(make())
    path.chmod(0o600)
    return path.read_text().strip()


def _loopback(host: str | None) -> bool:
    host = (host or "").strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _demo_wanted(env: dict[str, Any]) -> bool:
    """The demo organisation: on for a loopback-only run unless COUNCILS_DEMO=0; otherwise off
    unless COUNCILS_DEMO=1, and then said loudly."""
    asked = env.get("COUNCILS_DEMO", "").strip().lower()
    loopback_only = _loopback(env.get("COUNCILS_BIND") or "127.0.0.1") and _loopback(
        urlparse(env.get("PUBLIC_URL") or "http://127.0.0.1").hostname
    )
    if asked in ("0", "false", "no"):
        return False
    if loopback_only:
        if not asked:
            say(
                "demo organisation on (loopback-only run; COUNCILS_DEMO=0 leaves it out): its "
                "members share a published password"
            )
        return True
    if asked in ("1", "true", "yes"):
        say(
            "WARNING: COUNCILS_DEMO=1 on a run reachable beyond this machine: the demo "
            "members' password is published in the README; anyone can log in as them"
        )
        return True
    say("not a loopback-only run: no demo organisation (COUNCILS_DEMO=1 would make one)")
    return False


def _database_url(env: dict[str, str], stack: list[Any]) -> str:
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    from services.common.embedded_pg import start_embedded

    RUN_DIR.mkdir(parents=True, exist_ok=True)
    password = _private_file(RUN_DIR / "pg_password", lambda: secrets.token_urlsafe(24))
    server = start_embedded(RUN_DIR / "pgdata", password=password)
    stack.append(server)
    say(
        f"embedded PostgreSQL on 127.0.0.1:{server.port} (data in {RUN_DIR / 'pgdata'}, "
        f"password in {RUN_DIR / 'pg_password'})"
    )
    admin = psycopg2.connect(server.url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = 'councils'")
        if cur.fetchone() is None:
            cur.execute("CREATE DATABASE councils")
    admin.close()
    return urlunparse(urlparse(server.url)._replace(path="/councils"))


def _development_secrets(env: dict[str, Any]) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    if not env.get("SECRET_KEY"):
        path = RUN_DIR / "secret_key"
        env["SECRET_KEY"] = _private_file(path, lambda: secrets.token_urlsafe(48))
        say(f"SECRET_KEY not set: using a development secret kept in {path}")
    if not env.get("JWT_PRIVATE_KEY") or not env.get("JWT_PUBLIC_KEY"):
        private_path, public_path = RUN_DIR / "jwt_private.pem", RUN_DIR / "jwt_public.pem"
        if not private_path.exists() or not public_path.exists():
            private, public = generate_keypair()
            private_path.write_text(private)
            private_path.chmod(0o600)
            public_path.write_text(public)
        env["JWT_PRIVATE_KEY"] = str(private_path)
        env["JWT_PUBLIC_KEY"] = str(public_path)
        say(f"JWT keys not set: using development keys in {RUN_DIR}")


class Stack:
    """The child processes, supervised, started in order and stopped in reverse."""

    def __init__(self, env: dict[str, Any]) -> None:
        self.env = env
        self.health_ports: dict[str, int] = {}  # worker name -> WORKER_HEALTH_PORT
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = RUN_DIR / "councils.log"
        self.supervisor = Supervisor(ROOT, self.log_path, say)
        _log_sink.append(self.supervisor)

    def start(self, name: str, argv: list[str], extra_env: dict[str, Any] | None = None) -> None:
        env = {**self.env, **(extra_env or {})}
        health = None
        if name in self.health_ports:
            env["WORKER_HEALTH_PORT"] = str(self.health_ports[name])
            health = f"http://127.0.0.1:{self.health_ports[name]}/livez"
        self.supervisor.start(name, argv, env, health)

    def watch(self) -> str | None:
        """Restarts what died or hangs; a reason to stop, when one keeps dying."""
        return self.supervisor.check()

    def stop(self) -> None:
        _log_sink.clear()
        self.supervisor.stop()


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        say(f"{name}={value!r} is not a number: using {default}")
        return default


def gunicorn(
    target: str,
    port: int,
    workers: int | None = None,
    threads: int | None = None,
    *,
    gateway: bool = False,
) -> list[str]:
    """gunicorn. Services: gthread, WEB_WORKERS × WEB_THREADS (default 2 × 8; keep DB_POOL_MAX
    at least WEB_THREADS). The gateway: gevent, GATEWAY_WORKERS (default 2) of up to 1000
    connections each (it mostly waits on the services, and greenlets cost it less CPU per proxied
    call than a thread pool: bench/bench_polls.py). WEB_WORKER_CLASS / GATEWAY_WORKER_CLASS
    override the class. WEB_KEEPALIVE (s, default 75) keeps the gateway's pooled connections to
    the services open between requests (gunicorn's own default, 2 s, closed them under the
    gateway, which then had to reconnect or lost a race with the close). No gunicorn access log
    unless GUNICORN_ACCESS_LOG is set (and then without paths): every app logs each request
    itself, as JSON, with a redacted path."""
    prefix = "GATEWAY" if gateway else "WEB"
    workers = workers or _env_count(f"{prefix}_WORKERS", 2)
    threads = threads or _env_count(f"{prefix}_THREADS", 16 if gateway else 8)
    worker_class = os.environ.get(f"{prefix}_WORKER_CLASS") or ("gevent" if gateway else "gthread")
    concurrency = (
        ["--worker-connections", "1000"]
        if worker_class == "gevent"
        else ["--threads", str(threads)]
    )
    return [
        sys.executable,
        "-m",
        "gunicorn",
        target,
        "--bind",
        f"{_bind_host(gateway)}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        *concurrency,
        "--keep-alive",
        str(_env_count("WEB_KEEPALIVE", 75)),
        "--no-control-socket",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
        # Without the request line: a path may carry a receipt (services/common/redact.py).
        *(
            ["--access-logfile", "-", "--access-logformat", '%(h)s %(t)s "%(m)s" %(s)s %(b)s %(M)s']
            if os.environ.get("GUNICORN_ACCESS_LOG")
            else []
        ),
    ]


def _bind_host(gateway: bool) -> str:
    """The services listen on loopback only; the gateway on COUNCILS_BIND (default loopback)."""
    return (os.environ.get("COUNCILS_BIND") or "127.0.0.1") if gateway else "127.0.0.1"


def _has_module(service: str, module: str) -> bool:
    return (ROOT / "services" / service / f"{module}.py").is_file()


def _announce_transports(env: dict[str, str]) -> None:
    if not env.get("SMTP_URL"):
        env.setdefault("MAIL_DIR", str(RUN_DIR / "mail"))
        say(f"SMTP_URL not set: mail is kept as .eml files in {env['MAIL_DIR']}")
    if env.get("AMQP_URL"):
        say("events on RabbitMQ at AMQP_URL")
    else:
        say("AMQP_URL not set: events on the PostgreSQL transport")


def _run_module(env: dict[str, str], module: str, *args: str, check: bool = True) -> None:
    subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, check=check)


def _prepare_data(env: dict[str, str], demo: bool) -> None:
    """Migrations, queues and bindings, the first members (and the demo's polls)."""
    applied = migrate_all(env["DATABASE_URL"])
    say("migrations: " + ", ".join(f"{t} +{len(n)}" for t, n in applied.items()))
    for name in SERVICES:  # queues and bindings first: the bootstrap's events reach them all
        if _has_module(name, "worker"):
            _run_module(env, f"services.{name}.worker", "--declare-only")
    if _has_module("members", "bootstrap"):
        _run_module(env, "services.members.bootstrap", *(["--demo"] if demo else []))
    if demo and _has_module("polls", "demo"):  # the demo organisation's polls (idempotent)
        _run_module(env, "services.polls.demo")


def _start_sms_standin(env: dict[str, str], stack: Stack, sms_port: int) -> None:
    if _has_module("notify", "sms_standin") and not env.get("SMS_API_URL"):
        env.setdefault("SMS_DIR", str(RUN_DIR / "sms"))
        env.update(
            SMS_API_URL=f"http://127.0.0.1:{sms_port}",
            SMS_ACCOUNT_SID="ACdev",
            SMS_AUTH_TOKEN="dev-token",
        )
        stack.start(
            "sms-standin",
            [
                sys.executable,
                "-m",
                "services.notify.sms_standin",
                "--port",
                str(sms_port),
                "--sid",
                env["SMS_ACCOUNT_SID"],
                "--token",
                env["SMS_AUTH_TOKEN"],
                "--outbox",
                env["SMS_DIR"],
            ],
        )
        say(
            f"SMS_API_URL not set: a local stand-in answers on 127.0.0.1:{sms_port} "
            f"(messages in {env['SMS_DIR']}/outbox.jsonl)"
        )


def _start_processes(stack: Stack, ports: dict[str, int], port: int) -> None:
    for name in SERVICES:
        if _has_module(name, "app"):
            stack.start(name, gunicorn(f"services.{name}.app:create_app()", ports[name]))
        if _has_module(name, "worker"):
            stack.start(f"{name}-worker", [sys.executable, "-m", f"services.{name}.worker"])
    stack.start("gateway", gunicorn("gateway.wsgi:create_app()", port, gateway=True))


def _wait_healthy(stack: Stack, url: str, stopping: threading.Event) -> bool | None:
    """True once the gateway answers, False when it did not within two minutes (or Ctrl-C),
    None when a process died (already said)."""
    deadline = time.monotonic() + 120
    healthy = False
    while not stopping.is_set() and time.monotonic() < deadline and not healthy:
        try:
            healthy = requests.get(url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            pass
        problem = stack.watch()
        if problem:
            say(problem)
            return None
        time.sleep(0.5)
    return healthy


def _announce_up(env: dict[str, str], stack: Stack, url: str) -> None:
    say(f"Councils is up at {url}  (API {url}/api/v1/, OpenAPI {url}/api/v1/openapi.json)")
    if env.get("COUNCILS_ADMIN_EMAIL"):
        say(f"admin login: {env['COUNCILS_ADMIN_EMAIL']} (password from COUNCILS_ADMIN_PASSWORD)")
    say(
        f"every process logs to {stack.log_path} (one JSON line per request); "
        "warnings and errors show here too"
    )
    say("Ctrl-C stops everything")


def _watch(stack: Stack, stopping: threading.Event) -> int:
    while not stopping.is_set():
        problem = stack.watch()
        if problem:
            say(problem)
            return 1
        time.sleep(0.5)
    return 0


def main() -> int:
    env = dict(os.environ)
    port = int(env.get("PORT") or 8080)
    base = int(env.get("SERVICE_PORT_BASE") or port + 21)
    ports = {name: base + i for i, name in enumerate(SERVICES)}
    os.umask(0o077)  # keys, mail files, logs: the owner's alone
    embedded: list[Any] = []
    stack = Stack(env)
    stack.health_ports = {f"{name}-worker": base + 4 + i for i, name in enumerate(SERVICES)}
    stopping = threading.Event()

    def _on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        env["DATABASE_URL"] = _database_url(env, embedded)
        _development_secrets(env)
        env.setdefault("PUBLIC_URL", f"http://127.0.0.1:{port}")
        demo = _demo_wanted(env)
        _announce_transports(env)
        for name in SERVICES:
            env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
        _prepare_data(env, demo)
        _start_sms_standin(env, stack, base + 3)
        stack.env = env
        _start_processes(stack, ports, port)
        url = f"http://127.0.0.1:{port}"
        healthy = _wait_healthy(stack, url, stopping)
        if healthy is None:
            return 1
        if healthy and demo and _has_module("polls", "demo"):
            # The demo's polls open before the stack says it is up (once its members reached
            # polls' replica), not a minute and a half later.
            _run_module(env, "services.polls.demo", "--open-now", check=False)
        if healthy:
            _announce_up(env, stack, url)
        return _watch(stack, stopping)
    finally:
        say("stopping")
        stack.stop()
        for server in embedded:
            server.stop()
        say("stopped")


if __name__ == "__main__":
    raise SystemExit(main())
