"""`make run`'s embedded PostgreSQL demands a password (also on a data directory first made
without one), so that another local user of a small VM cannot connect as `postgres`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg2
import pytest

from services.common.embedded_pg import start_embedded

pytestmark = pytest.mark.timeout(120)


def test_a_passwordless_data_directory_is_locked_with_the_password():
    home = Path(tempfile.mkdtemp(prefix="councils-pg-password-"))
    server = start_embedded(home / "data")  # made without a password, as before this change
    try:
        psycopg2.connect(server.url).close()
        server.stop()
        server = start_embedded(home / "data", server.port, password="s3cret-for-the-test")
        with pytest.raises(psycopg2.OperationalError, match="password"):
            psycopg2.connect(f"postgresql://postgres@127.0.0.1:{server.port}/postgres")
        conn = psycopg2.connect(server.url)
        conn.close()
        server.stop()
        server.start()  # and again, already locked
        psycopg2.connect(server.url).close()
    finally:
        server.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)
