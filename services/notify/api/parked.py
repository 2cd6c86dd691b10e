"""notify's parked events (`/api/v1/parked-events/notify`): admins, by notify's replica of the
mandates."""

from __future__ import annotations

from services.common.parked_api import parked_blueprint
from services.notify.api.access import require_admin

parked = parked_blueprint("notify", require_admin)
