"""The public audit log of mandates, without private details."""

from __future__ import annotations

import re

from services.common.auth import Identity
from services.members.context import MembersContext
from services.members.service import access
from services.members.store import audit as audit_store
from services.members.store import mandates as mandates_store

# Words in a detail key that mark what members may not see of each other (an address, a
# phone number, where a request came from, a secret): such keys never leave the audit view.
PRIVATE_DETAIL = re.compile(
    r"e_?mail|address|(^|_)ip($|_)|phone|token|password|secret|"
    r"agent|gender|birth|forwarded",
    re.IGNORECASE,
)


# Entries whose detail keys are for the member concerned and the admins alone: a refused
# applicant's reason is theirs (they read it when they log in); the other members see that
# someone was refused, by whom and when (docs/governance.md).
FOR_THE_MEMBER = {"member.rejected": ("reason",)}


def _for_caller(row: dict, caller_id, admin: bool) -> dict:
    keys = FOR_THE_MEMBER.get(row.get("action") or "", ())
    if not keys or admin or str(row.get("member_id")) == str(caller_id):
        return row
    return {**row, "detail": {k: v for k, v in (row.get("detail") or {}).items() if k not in keys}}


def _public_detail(value):
    if isinstance(value, dict):
        return {k: _public_detail(v) for k, v in value.items() if not PRIVATE_DETAIL.search(str(k))}
    if isinstance(value, list):
        return [_public_detail(v) for v in value]
    return value


def audit_log(
    ctx: MembersContext,
    identity: Identity,
    *,
    chapter_id=None,
    member_id=None,
    limit=100,
    before=None,
):
    """The log of acts of office, for active members: names as members see each other's,
    never an address, a phone number, a client address or a secret kept in an entry's
    detail."""
    with ctx.db.transaction() as cur:
        caller = access.caller(cur, identity, active=True)
        admin = mandates_store.is_admin(cur, caller["id"])
        rows = audit_store.list_audit(
            cur, chapter_id=chapter_id, member_id=member_id, limit=limit, before=before
        )
    rows = [_for_caller(row, caller["id"], admin) for row in rows]
    return [{**row, "detail": _public_detail(row.get("detail") or {})} for row in rows]
