"""A PostgreSQL restart, on a server of this test's own (never the machine's shared one): while
it is away requests get 503 with Retry-After; once it is back, every request succeeds at once
(the pool never hands out the connections that died with the old server)."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import pytest

from services.common.embedded_pg import start_embedded
from services.members.app import create_app
from tests.support.runtime import make_runtime

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def own_pg():
    # Not under pytest's tmp_path: other pytest sessions on the machine reset its permissions
    # (0700, which the unprivileged server user cannot cross) and prune its old directories.
    home = Path(tempfile.mkdtemp(prefix="councils-own-pg-"))
    server = start_embedded(home / "data")
    yield server
    server.stop("immediate")
    shutil.rmtree(home, ignore_errors=True)


def _login(client) -> int:
    body = {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.org", "password": "Wrong-pass-1!"}
    return client.post("/api/v1/auth/login", json=body).status_code


def _fill_pool(db, n: int) -> None:
    """Leave `n` connections idle in the pool, as a busy service would."""
    held = [db.connection() for _ in range(n)]
    for cm in held:
        cm.__enter__().cursor().execute("SELECT 1")
    for cm in reversed(held):
        cm.__exit__(None, None, None)


def test_requests_get_503_while_the_database_is_away_and_succeed_once_it_is_back(own_pg):
    runtime = make_runtime("members", own_pg.url)
    client = create_app(runtime).test_client()
    try:
        assert _login(client) == 401
        _fill_pool(runtime.db, 4)

        own_pg.stop("immediate")
        away = client.post("/api/v1/auth/login", json={"email": "a@example.org", "password": "x1"})
        assert away.status_code == 503, away.get_json()
        assert away.headers.get("Retry-After")
        assert away.get_json()["error"]["code"] == "unavailable"

        own_pg.start()
        back = time.monotonic()
        statuses = [_login(client) for _ in range(12)]
        assert statuses == [401] * 12, statuses
        assert time.monotonic() - back < 10
    finally:
        runtime.db.close()


def test_a_failing_transaction_raises_the_database_error_not_an_interface_error(own_pg):
    runtime = make_runtime("members", own_pg.url)
    try:
        with pytest.raises(psycopg2.OperationalError):
            with runtime.db.transaction() as cur:
                cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        with runtime.db.transaction() as cur:
            cur.execute("SELECT 1 AS one")
            assert cur.fetchone()["one"] == 1
    finally:
        runtime.db.close()
