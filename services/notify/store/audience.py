"""Whom a mailing reaches: one query for the fan-out, its preview and the unreached figures."""

from __future__ import annotations


def _scope_filter(scope: dict) -> tuple[str, tuple]:
    kind = (scope or {}).get("type", "organisation")
    if kind == "organisation":
        return "", ()
    scope_id = str(scope.get("id"))
    if kind == "current":
        return (
            " AND EXISTS (SELECT 1 FROM current_memberships cm WHERE cm.member_id = c.member_id"
            " AND cm.current_id = %s)",
            (scope_id,),
        )
    # A chapter scope includes its sub-chapters (a membership lists the chapter's ancestors).
    return (
        " AND EXISTS (SELECT 1 FROM memberships m WHERE m.member_id = c.member_id"
        " AND (m.chapter_id = %s OR %s = ANY (m.ancestors)))",
        (scope_id, scope_id),
    )


def _recipients(
    category: str, scope: dict, channel: str, require_verified: bool, member_ids: list | None = None
) -> tuple[str, tuple]:
    """The members a mailing of `category` on `channel` reaches: one query for the send and
    its preview, so the preview's count is always what is sent."""
    if member_ids is not None:
        where, params = " AND c.member_id = ANY (%s)", ([str(m) for m in member_ids],)
    else:
        where, params = _scope_filter(scope)
    if channel == "email":
        wanted = "c.email IS NOT NULL AND COALESCE(p.email, true)"
        if require_verified:
            wanted += " AND c.email_verified"
    else:
        wanted = "c.phone IS NOT NULL AND COALESCE(p.sms, false)"
    sql = f"""SELECT c.member_id
        FROM contacts c
        LEFT JOIN preferences p ON p.member_id = c.member_id AND p.category = %s
        WHERE c.status = 'active' AND NOT c.deleted AND {wanted}{where}"""  # noqa: S608
    return sql, (category, *params)


def fan_out(
    cur,
    notification_id,
    category: str,
    scope: dict,
    channel: str,
    require_verified: bool,
    member_ids: list | None = None,
) -> int:
    """One delivery row per active member of the scope (or of `member_ids`) who wants
    `category` on `channel`."""
    recipients, params = _recipients(category, scope, channel, require_verified, member_ids)
    cur.execute(
        f"""
        INSERT INTO deliveries (notification_id, member_id, channel)
        SELECT %s, r.member_id, %s FROM ({recipients}) r
        ON CONFLICT (notification_id, member_id, channel) DO NOTHING
        """,  # noqa: S608 - fragments are fixed strings; values are bound
        (str(notification_id), channel, *params),
    )
    return cur.rowcount


def count_recipients(cur, category: str, scope: dict, channel: str, require_verified: bool) -> int:
    """How many deliveries `fan_out` would create now (nothing is written)."""
    recipients, params = _recipients(category, scope, channel, require_verified)
    cur.execute(f"SELECT count(*)::int AS n FROM ({recipients}) r", params)  # noqa: S608
    return cur.fetchone()["n"]


def unreachable(cur, category: str, scope: dict, channel: str, require_verified: bool) -> dict:
    """Active members of `scope` a mailing of `category` on `channel` does not reach, by
    reason (each member counted once, under the first reason that applies)."""
    where, params = _scope_filter(scope)
    if channel == "email":
        reasons = """CASE WHEN c.email IS NULL THEN 'no_address'
                          WHEN p.email IS FALSE THEN 'opted_out'
                          WHEN %s AND NOT c.email_verified THEN 'unverified' END"""
        values: tuple = (require_verified,)
    else:
        reasons = """CASE WHEN c.phone IS NULL THEN 'no_phone'
                          WHEN p.sms IS NOT TRUE THEN 'opted_out' END"""
        values = ()
    cur.execute(
        f"""
        SELECT reason, count(*)::int AS n FROM (
            SELECT {reasons} AS reason
            FROM contacts c
            LEFT JOIN preferences p ON p.member_id = c.member_id AND p.category = %s
            WHERE c.status = 'active' AND NOT c.deleted{where}
        ) r WHERE reason IS NOT NULL GROUP BY reason
        """,  # noqa: S608 - fragments are fixed strings; values are bound
        (*values, category, *params),
    )
    return {row["reason"]: row["n"] for row in cur.fetchall()}
