"""What every use case of the members service is handed: the process's runtime (database,
transport) and its settings, built once at a composition root (app.py, worker.py,
bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.runtime import Runtime, build_runtime
from services.members.rules import Policy
from services.members.settings import MembersSettings, members_settings


@dataclass
class MembersContext:
    runtime: Runtime
    settings: MembersSettings

    @property
    def db(self):
        return self.runtime.db

    @property
    def transport(self):
        return self.runtime.transport

    @property
    def policy(self) -> Policy:
        return self.settings.policy


def build_context(runtime: Runtime | None = None) -> MembersContext:
    runtime = runtime or build_runtime("members")
    return MembersContext(runtime=runtime, settings=members_settings(runtime.settings))
