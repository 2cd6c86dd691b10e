"""Who may call an admin route: checked against notify's replica of the mandates."""

from __future__ import annotations

from services.common.auth import Identity
from services.common.errors import ApiError
from services.common.requests import context, identity
from services.notify.service import admins

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def require_admin() -> Identity:
    """The caller, if they hold an admin mandate now (a revoked mandate stops counting at once,
    whatever the token still says)."""
    caller = identity()
    if not admins.is_admin(context(), caller.member_id):
        raise ApiError(403, "Only admins may do this.", "forbidden")
    return caller
