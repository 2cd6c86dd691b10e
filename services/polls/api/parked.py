"""polls' parked events (`/api/v1/parked-events/polls`): admins, by polls' replica of the
mandates."""

from __future__ import annotations

from services.common.parked_api import parked_blueprint
from services.common.requests import context, identity
from services.polls.service import rights

parked_blp = parked_blueprint("polls", lambda: rights.require_admin(context(), identity()))
