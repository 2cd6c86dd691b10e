"""The commands of the rendered manifests are the project's real commands: each is started
locally (as the container would run it, with the project's venv in place of the image's) and
must become ready: /readyz 200 for the HTTP processes, exit 0 for the Jobs, still running after
a few seconds for the workers. They run from the project's root, as `make run` runs them (the
project's editable install resolves `gateway` as a namespace package elsewhere; the image's
`pip install .` does not). PostgreSQL is the test database; the bus is RabbitMQ when one
answers, else the PostgreSQL transport."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from services.common.auth import generate_keypair
from tests.support import servers
from tests.support.wait import wait_for

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def containers(tmp_path_factory) -> dict[str, dict]:
    """name -> container of the rendered prod overlay (init containers included)."""
    out = tmp_path_factory.mktemp("render")
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "k8s" / "check.py"),
            f"--dump={out}",
            "--skip=schema,project,commands,image,wheel,policy",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = {}
    for obj in json.loads((out / "prod.json").read_text()):
        spec = ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            if "councils" in c.get("image", "").rsplit("/", 1)[-1]:
                found[f"{obj['metadata']['name']}/{c['name']}"] = c
    return found


@pytest.fixture(scope="module")
def local_env(tmp_path_factory, database_url) -> dict[str, str]:
    keys = tmp_path_factory.mktemp("keys")
    private, public = generate_keypair()
    (keys / "private.pem").write_text(private)
    (keys / "public.pem").write_text(public)
    env = {k: v for k, v in os.environ.items() if k not in ("AMQP_URL",)}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="k8s-test-secret-key-0123456789",
        JWT_PRIVATE_KEY=str(keys / "private.pem"),
        JWT_PUBLIC_KEY=str(keys / "public.pem"),
        HOME=str(keys),
        MAIL_DIR=str(keys / "mail"),
        SMS_DIR=str(keys / "sms"),
        BUS_QUEUE_PREFIX="k8stest-" + os.urandom(3).hex(),
        COUNCILS_ADMIN_EMAIL="admin@example.org",
        COUNCILS_ADMIN_PASSWORD="k8s-test-pw-1",
    )
    amqp = servers.amqp_url()
    if amqp:
        env["AMQP_URL"] = amqp
    else:
        subprocess.run(
            [sys.executable, "-m", "services.common.migrate", "bus"],
            env=env,
            cwd=keys,
            check=True,
            timeout=120,
        )
    return env


def argv_of(container: dict, port: int | None = None) -> list[str]:
    argv = [*(container.get("command") or []), *(container.get("args") or [])]
    if argv[0] == "python":
        argv[0] = sys.executable
    elif (VENV_BIN / argv[0]).exists():
        argv[0] = str(VENV_BIN / argv[0])
    if port is not None:
        argv = [f"--bind=127.0.0.1:{port}" if a.startswith("--bind=") else a for a in argv]
    return argv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_200(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def migrated(containers, local_env, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cwd")
    jobs = [
        "migrate-members/migrate",
        "migrate-polls/migrate",
        "migrate-notify/migrate",
        "migrate-members/bootstrap-admin",
    ]
    for name in jobs:
        proc = subprocess.run(
            argv_of(containers[name]),
            env=local_env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"
    return cwd


def test_the_jobs_commands_succeed(migrated):
    assert migrated.exists()


def test_the_gateway_command_answers_livez(containers, local_env, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        argv_of(containers["gateway/app"], port),
        env=local_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: answers_200(f"http://127.0.0.1:{port}/livez"), 60, "/livez", 0.3, process)
    finally:
        stop(process)


@pytest.mark.parametrize("service", ["members", "polls", "notify"])
def test_each_service_command_becomes_ready(containers, local_env, migrated, service):
    port = free_port()
    process = subprocess.Popen(
        argv_of(containers[f"{service}/app"], port),
        env=local_env,
        cwd=migrated,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(
            lambda: answers_200(f"http://127.0.0.1:{port}/readyz"), 60, "/readyz", 0.3, process
        )
    finally:
        stop(process)


@pytest.mark.parametrize("service", ["members", "polls", "notify"])
def test_each_worker_command_keeps_running(containers, local_env, migrated, service):
    port = free_port()  # its probes' port, as the manifests set WORKER_HEALTH_PORT
    process = subprocess.Popen(
        argv_of(containers[f"{service}-worker/app"]),
        env={**local_env, "WORKER_HEALTH_PORT": str(port)},
        cwd=migrated,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Ready (database and bus reached), then alive: every loop has beaten since it started.
        for probe in ("readyz", "livez"):
            wait_for(
                lambda p=probe: answers_200(f"http://127.0.0.1:{port}/{p}"),
                60,
                f"the worker's /{probe}",
                0.3,
                process,
            )
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
    finally:
        stop(process)
    assert process.returncode in (0, -15), process.stderr.read().decode()[-2000:]
