"""Find (or start) the real servers tests need, and make throw-away databases on them."""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlparse, urlunparse

import psycopg2

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672/%2F"


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def admin_pg_url(embedded_dir: str | None = None) -> str:
    """DATABASE_URL if set, else the machine's PostgreSQL, else an embedded one we start."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if port_open("127.0.0.1", 5432):
        return LOCAL_PG
    from services.common.embedded_pg import start_embedded  # only when nothing else answers

    return start_embedded(embedded_dir or f"/tmp/councils-test-pg-{os.getpid()}").url


def with_database(url: str, dbname: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + dbname))


def create_database(admin_url: str, prefix: str = "councils_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(admin_url, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return with_database(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    conn = psycopg2.connect(admin_url, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def amqp_url() -> str | None:
    """AMQP_URL if set, else the machine's RabbitMQ if it answers, else None."""
    if os.environ.get("AMQP_URL"):
        return os.environ["AMQP_URL"]
    if port_open("127.0.0.1", 5672):
        return LOCAL_AMQP
    return None


def redis_url() -> str | None:
    """REDIS_URL if set, else the machine's Redis if it answers, else None."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if port_open("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    return None
