"""Who may send newsletters and read figures: admins, as notify's replica of mandates says."""

from __future__ import annotations

from services.notify.context import NotifyContext
from services.notify.store import admins


def is_admin(ctx: NotifyContext, member_id: str) -> bool:
    """Whether the member holds an admin mandate now (a revoked one stops counting at once)."""
    with ctx.db.transaction() as cur:
        return admins.is_admin(cur, member_id)
