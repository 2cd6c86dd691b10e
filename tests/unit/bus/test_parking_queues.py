"""The parking tool asks RabbitMQ about every consumer queue the workers declare."""

from __future__ import annotations

from services.common.bus.parking import CONSUMER_QUEUES
from services.common.runtime import build_runtime
from tests.support.runtime import make_settings


def test_the_parking_tool_knows_every_consumer_queue():
    from services.members import worker as members_worker
    from services.members.context import build_context as members_context
    from services.notify import worker as notify_worker
    from services.notify.context import build_context as notify_context
    from services.polls import worker as polls_worker
    from services.polls.context import build_context

    def runtime(service):
        return build_runtime(service, make_settings(service, "postgresql://nowhere/none"))

    queues = {
        members_worker.delegates_consumer(members_context(runtime("members"))).queue,
        *(c.queue for c in notify_worker.consumers(notify_context(runtime("notify")))),
        *(c.queue for c in polls_worker.consumers(build_context(runtime("polls")))),
    }
    assert queues == set(CONSUMER_QUEUES)
