"""The replica of admin mandates: who may send newsletters and read figures now."""

from __future__ import annotations

from collections.abc import Sequence

# A revoked or ended mandate is kept with this end, so that nothing arriving late (a grant or
# a term change redelivered after the revocation) holds it again; polls does the same.
GONE = "-infinity"


def grant_admin(cur, mandate_id: str, member_id: str, ends_at, starts_at=None) -> None:
    cur.execute(
        "INSERT INTO admin_mandates (mandate_id, member_id, ends_at, starts_at)"
        " VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (mandate_id) DO UPDATE SET ends_at = EXCLUDED.ends_at,"
        "   starts_at = COALESCE(EXCLUDED.starts_at, admin_mandates.starts_at)"
        " WHERE admin_mandates.ends_at IS DISTINCT FROM %s::timestamptz",
        (mandate_id, member_id, ends_at, starts_at, GONE),
    )


def drop_admin(cur, mandate_id: str, member_id: str) -> None:
    cur.execute(
        "INSERT INTO admin_mandates (mandate_id, member_id, ends_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (mandate_id) DO UPDATE SET ends_at = EXCLUDED.ends_at",
        (mandate_id, member_id, GONE),
    )


def replace_admin_mandates(cur, member_id: str, mandates: Sequence[tuple]) -> None:
    """(mandate_id, ends_at[, starts_at]) of every admin mandate the member holds now (the
    revoked and ended ones stay gone)."""
    cur.execute(
        "DELETE FROM admin_mandates WHERE member_id = %s"
        " AND ends_at IS DISTINCT FROM %s::timestamptz",
        (member_id, GONE),
    )
    for mandate_id, ends_at, *starts_at in mandates:
        grant_admin(cur, mandate_id, member_id, ends_at, *starts_at)


def is_admin(cur, member_id: str) -> bool:
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM admin_mandates WHERE member_id = %s"
        " AND (starts_at IS NULL OR starts_at <= now())"
        " AND (ends_at IS NULL OR ends_at > now())) AS admin",
        (member_id,),
    )
    return bool(cur.fetchone()["admin"])
