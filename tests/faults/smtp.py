"""An SMTP server of the suite's own that, while `flaky`, refuses every other message with a
transient 451 (as an overloaded relay would) and records what it accepted."""

from __future__ import annotations

import email
import email.policy
import random
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from services.common.embedded_pg import free_port


class FlakyHandler:
    def __init__(self) -> None:
        self.flaky = False
        self.refused = 0
        self.accepted: Counter = Counter()  # (subject, recipient) -> times accepted
        self._random = random.Random(17)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        with self._lock:
            if self.flaky and self._random.random() < 0.5:
                self.refused += 1
                return "451 4.3.0 Overloaded, try again later"
            message = email.message_from_bytes(
                envelope.original_content or envelope.content, policy=email.policy.default
            )
            for rcpt in envelope.rcpt_tos:
                self.accepted[(str(message["Subject"]), rcpt)] += 1
        return "250 OK"

    def received(self, subject: str) -> Counter:
        with self._lock:
            return Counter({r: n for (s, r), n in self.accepted.items() if s == subject})


class FlakySmtp:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = FlakyHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.controller.stop()
