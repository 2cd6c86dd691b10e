"""`make run`: the whole system on one machine, on embedded defaults, stopped cleanly by Ctrl-C.

PostgreSQL at DATABASE_URL, else an embedded one in `.run/pgdata`; RabbitMQ at AMQP_URL, else
the PostgreSQL event transport; development keys and secrets made once in `.run/` when the
environment gives none. Every service and the gateway run under gunicorn, every worker as a
plain process.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2
import requests

from services.common.auth import generate_keypair
from services.common.migrate import migrate_all

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = Path(os.environ.get("COUNCILS_RUN_DIR", ROOT / ".run"))
SERVICES = ("members", "polls", "notify")


def say(message: str) -> None:
    print(f"[councils] {message}", flush=True)


def _database_url(env: dict, stack: list) -> str:
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    from services.common.embedded_pg import start_embedded

    server = start_embedded(RUN_DIR / "pgdata")
    stack.append(server)
    say(f"embedded PostgreSQL on 127.0.0.1:{server.port} (data in {RUN_DIR / 'pgdata'})")
    admin = psycopg2.connect(server.url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = 'councils'")
        if cur.fetchone() is None:
            cur.execute("CREATE DATABASE councils")
    admin.close()
    return urlunparse(urlparse(server.url)._replace(path="/councils"))


def _development_secrets(env: dict) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    if not env.get("SECRET_KEY"):
        path = RUN_DIR / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        env["SECRET_KEY"] = path.read_text().strip()
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
    """The child processes, started in order and stopped in reverse."""

    def __init__(self, env: dict) -> None:
        self.env = env
        self.children: list[tuple[str, list[str], subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], extra_env: dict | None = None) -> None:
        env = {**self.env, **(extra_env or {})}
        process = subprocess.Popen(argv, cwd=ROOT, env=env)
        self.children.append((name, argv, process))

    def watch(self) -> str | None:
        """The name of a child that exited on its own, if any."""
        for name, _, process in self.children:
            if process.poll() is not None:
                return f"{name} exited with {process.returncode}"
        return None

    def stop(self) -> None:
        for _, _, process in reversed(self.children):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for _, _, process in reversed(self.children):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        say(f"{name}={value!r} is not a number: using {default}")
        return default


def gunicorn(target: str, port: int, workers: int | None = None, threads: int | None = None,
             *, gateway: bool = False) -> list[str]:
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
    concurrency = (["--worker-connections", "1000"] if worker_class == "gevent"
                   else ["--threads", str(threads)])
    return [
        sys.executable, "-m", "gunicorn", target,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", worker_class, *concurrency,
        "--keep-alive", str(_env_count("WEB_KEEPALIVE", 75)),
        "--no-control-socket", "--graceful-timeout", "10", "--timeout", "60",
        # Without the request line: a path may carry a receipt (services/common/redact.py).
        *(["--access-logfile", "-", "--access-logformat", '%(h)s %(t)s "%(m)s" %(s)s %(b)s %(M)s']
          if os.environ.get("GUNICORN_ACCESS_LOG") else []),
    ]


def _has_module(service: str, module: str) -> bool:
    return (ROOT / "services" / service / f"{module}.py").is_file()


def main() -> int:
    env = dict(os.environ)
    port = int(env.get("PORT") or 8080)
    base = int(env.get("SERVICE_PORT_BASE") or port + 21)
    ports = {name: base + i for i, name in enumerate(SERVICES)}
    embedded: list = []
    stack = Stack(env)
    stopping = False

    def _on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        env["DATABASE_URL"] = _database_url(env, embedded)
        _development_secrets(env)
        env.setdefault("PUBLIC_URL", f"http://127.0.0.1:{port}")
        if not env.get("SMTP_URL"):
            env.setdefault("MAIL_DIR", str(RUN_DIR / "mail"))
            say(f"SMTP_URL not set: mail is kept as .eml files in {env['MAIL_DIR']}")
        if env.get("AMQP_URL"):
            say("events on RabbitMQ at AMQP_URL")
        else:
            say("AMQP_URL not set: events on the PostgreSQL transport")
        for name in SERVICES:
            env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
        applied = migrate_all(env["DATABASE_URL"])
        say("migrations: " + ", ".join(f"{t} +{len(n)}" for t, n in applied.items()))
        for name in SERVICES:  # queues and bindings first: the bootstrap's events reach them all
            if _has_module(name, "worker"):
                subprocess.run([sys.executable, "-m", f"services.{name}.worker",
                                "--declare-only"], cwd=ROOT, env=env, check=True)
        if _has_module("members", "bootstrap"):
            argv = [sys.executable, "-m", "services.members.bootstrap"]
            if env.get("COUNCILS_DEMO", "1") not in ("0", "false", "no"):
                argv.append("--demo")
            subprocess.run(argv, cwd=ROOT, env=env, check=True)
        demo = env.get("COUNCILS_DEMO", "1") not in ("0", "false", "no")
        if demo and _has_module("polls", "demo"):  # the demo organisation's polls (idempotent)
            subprocess.run([sys.executable, "-m", "services.polls.demo"], cwd=ROOT, env=env,
                           check=True)
        if _has_module("notify", "sms_standin") and not env.get("SMS_API_URL"):
            sms_port = base + 3
            env.update(SMS_API_URL=f"http://127.0.0.1:{sms_port}", SMS_ACCOUNT_SID="ACdev",
                       SMS_AUTH_TOKEN="dev-token")
            stack.start("sms-standin", [sys.executable, "-m", "services.notify.sms_standin",
                                        "--port", str(sms_port)])
            say(f"SMS_API_URL not set: a local stand-in answers on 127.0.0.1:{sms_port}")
        stack.env = env
        for name in SERVICES:
            if _has_module(name, "app"):
                stack.start(name, gunicorn(f"services.{name}.app:create_app()", ports[name]))
            if _has_module(name, "worker"):
                stack.start(f"{name}-worker", [sys.executable, "-m", f"services.{name}.worker"])
        stack.start("gateway", gunicorn("gateway.wsgi:create_app()", port, gateway=True))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        healthy = False
        while not stopping and time.monotonic() < deadline and not healthy:
            try:
                healthy = requests.get(url + "/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                pass
            problem = stack.watch()
            if problem:
                say(problem)
                return 1
            time.sleep(0.5)
        if healthy and demo and _has_module("polls", "demo"):
            # The demo's polls open before the stack says it is up (once its members reached
            # polls' replica), not a minute and a half later.
            subprocess.run([sys.executable, "-m", "services.polls.demo", "--open-now"], cwd=ROOT,
                           env=env, check=False)
        if healthy:
            say(f"Councils is up at {url}  (API {url}/api/v1/, OpenAPI {url}/api/v1/openapi.json)")
            if env.get("COUNCILS_ADMIN_EMAIL"):
                say(f"admin login: {env['COUNCILS_ADMIN_EMAIL']} (password from "
                    "COUNCILS_ADMIN_PASSWORD)")
            say("Ctrl-C stops everything")
        while not stopping:
            problem = stack.watch()
            if problem:
                say(problem + "; stopping the stack")
                return 1
            time.sleep(0.5)
        return 0
    finally:
        say("stopping")
        stack.stop()
        for server in embedded:
            server.stop()
        say("stopped")


if __name__ == "__main__":
    raise SystemExit(main())
