"""members' parked events (`/api/v1/parked-events/members`): admins, by their mandates now."""

from __future__ import annotations

from services.common.parked_api import parked_blueprint
from services.common.requests import context, identity
from services.members.service import access

blp = parked_blueprint("members", lambda: access.require_admin_now(context(), identity()))
