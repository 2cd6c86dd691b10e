"""`/api/v1/parked-events/<service>`: the messages a service's consumers gave up on (parked by
`services.common.bus`), what they were and why, for the admins' desk; replay or discard one.
Every service mounts `parked_blueprint(...)` with its own check of the caller's admin mandate
(against its own data, as every admin route). The operator's tool is `python -m
services.common.bus parked`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import login_required
from services.common.bus import parking
from services.common.errors import ApiError
from services.common.requests import context
from services.common.text import MultiLine, OneLine

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


class ParkedQuery(Schema):
    limit = fields.Int(load_default=5, validate=validate.Range(min=1, max=50))


class ParkedEvent(Schema):
    queue = OneLine()
    event_id = OneLine(allow_none=True)
    type = OneLine(metadata={"description": "The event's type, e.g. members.member.verified."})
    producer = OneLine(allow_none=True)
    occurred_at = OneLine(allow_none=True)
    reason = MultiLine(metadata={"description": "Why the consumer gave up on it."})
    attempts = fields.Int(allow_none=True)


class ParkedEvents(Schema):
    service = OneLine()
    count = fields.Int(metadata={"description": "How many messages are parked in all."})
    events = fields.List(fields.Nested(ParkedEvent), metadata={"description": "Newest first."})


class Settled(Schema):
    service = OneLine()
    queue = OneLine()
    event_id = OneLine()
    done = OneLine(metadata={"description": "replayed or discarded"})


def _documented(
    blp: Any, view: Callable[..., Any], response: type[Schema], query: type[Schema] | None = None
) -> Any:
    """`view` as flask-smorest's decorators make it (they ship no type information): needs a
    token, answers `response`, parses `query` from the query string."""
    view = blp.doc(security=BEARER)(view)
    view = blp.response(200, response)(view)
    return blp.arguments(query, location="query")(view) if query else view


def parked_blueprint(service: str, require_admin: Callable[[], Any]) -> Blueprint:
    """The routes of `service`'s parked events; `require_admin()` returns the caller (with
    `member_id`) if they hold an admin mandate now, else raises 403."""
    blp: Any = Blueprint(
        f"{service}_parked",
        __name__,
        url_prefix=f"/api/v1/parked-events/{service}",
        description=f"Events {service}'s consumers parked: what they were and why (admins).",
    )

    def listing(self: MethodView, query: dict[str, Any]) -> dict[str, Any]:
        """How many events this service parked, and the latest (admins)."""
        require_admin()
        return parking.latest_parked(context().transport, service, query["limit"])

    def settle(event_id: Any, requeue: bool) -> dict[str, Any]:
        admin = require_admin()
        done = parking.settle_event(
            context().transport, service, str(event_id), requeue=requeue, by=admin.member_id
        )
        if not done:
            raise ApiError(404, "No parked event has this id.", "not_parked")
        return done

    def replay(self: MethodView, event_id: Any) -> dict[str, Any]:
        """Put the parked event back in its queue as a first attempt: handled once (admins;
        only once its cause is fixed, or it comes straight back)."""
        return settle(event_id, True)

    def discard(self: MethodView, event_id: Any) -> dict[str, Any]:
        """Drop the parked event for good (admins)."""
        return settle(event_id, False)

    @blp.route("")
    class ParkedResource(MethodView):
        decorators = [login_required]
        get = _documented(blp, listing, ParkedEvents, ParkedQuery)

    @blp.route("/<uuid:event_id>/replay")
    class ReplayResource(MethodView):
        decorators = [login_required]
        post = _documented(blp, replay, Settled)

    @blp.route("/<uuid:event_id>/discard")
    class DiscardResource(MethodView):
        decorators = [login_required]
        post = _documented(blp, discard, Settled)

    return blp
