"""The fault suite's own servers, never the machine's shared ones: an embedded PostgreSQL in a
directory of its own, and a second RabbitMQ node (its own RABBITMQ_NODENAME, ports, Mnesia and
log directories, Erlang cookie) — each behind a TcpProxy the suite controls."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

from services.common.embedded_pg import free_port, start_embedded
from tests.support.proxy import TcpProxy
from tests.support.wait import within

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class OwnPostgres:
    def __init__(self, home: Path) -> None:
        self.server = start_embedded(home / "pgdata")
        self.proxy = TcpProxy("127.0.0.1", self.server.port)

    @property
    def admin_url(self) -> str:
        return self.server.url

    def url(self, dbname: str) -> str:
        """A URL of `dbname` through the proxy (what the stack uses)."""
        return self.proxy.url_for(self.server.url).rsplit("/", 1)[0] + f"/{dbname}"

    def stop_immediate(self) -> None:
        self.server.stop("immediate")

    def start(self) -> None:
        self.server.start()

    def close(self) -> None:
        self.proxy.close()
        self.server.stop("immediate")


class OwnRabbit:
    """A RabbitMQ node of the suite's own, started with `rabbitmq-server` (no plugins)."""

    def __init__(self, home: Path) -> None:
        if not os.path.exists(RABBITMQ_SERVER):
            raise RuntimeError(f"{RABBITMQ_SERVER} is not installed")
        self.home = home / "rabbit"
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "enabled_plugins").write_text("[].\n")
        self.port, self.dist_port = free_port(), free_port()
        (self.home / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = {self.port}\nloopback_users = none\n"
        )
        self.name = f"councils-faults-{os.getpid()}@localhost"
        self.process: subprocess.Popen | None = None
        self.start()
        self.proxy = TcpProxy("127.0.0.1", self.port)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.proxy.port}/%2F"

    @property
    def direct_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def _env(self) -> dict:
        h = self.home
        return {
            **os.environ,
            "HOME": str(h),
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(h / "mnesia"),
            "RABBITMQ_LOG_BASE": str(h / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(h / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(h / "rabbitmq"),
            "RABBITMQ_PID_FILE": str(h / "pid"),
        }

    def start(self, timeout: float = 90) -> None:
        log = open(self.home / "server.out", "a")  # noqa: SIM115 - the node's life
        self.process = subprocess.Popen(
            [RABBITMQ_SERVER],
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not within(lambda: _port_open(self.port), timeout, interval=0.25):
            raise RuntimeError(f"RabbitMQ node {self.name} did not start: see {self.home}")

    def kill9(self) -> None:
        """kill -9 of the node (the beam process and its process group)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def close(self) -> None:
        self.proxy.close()
        self.kill9()


class OwnServers:
    def __init__(self, with_rabbit: bool = True) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="councils-faults-"))
        self.pg = OwnPostgres(self.home)
        self.rabbit = OwnRabbit(self.home) if with_rabbit else None

    def close(self) -> None:
        if self.rabbit:
            self.rabbit.close()
        self.pg.close()
        shutil.rmtree(self.home, ignore_errors=True)
