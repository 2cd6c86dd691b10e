"""All SQL of notify: named functions taking a cursor, with bound parameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg2.extras import Json, execute_values

# --- contacts and memberships (replica of members) ----------------------------------------


def upsert_registered(cur, member_id: str, email: str, display_name: str, language: str,
                      status: str) -> None:
    """A newly registered member; never revives a tombstone, never demotes a later status."""
    cur.execute(
        """
        INSERT INTO contacts (member_id, email, display_name, language, status)
        VALUES (%s, %s, %s, %s, %s)
        ON CONFLICT (member_id) DO UPDATE SET
            email = COALESCE(contacts.email, EXCLUDED.email),
            display_name = CASE WHEN contacts.display_name = '' THEN EXCLUDED.display_name
                                ELSE contacts.display_name END,
            language = EXCLUDED.language,
            status = CASE WHEN contacts.status = 'pending' THEN EXCLUDED.status
                          ELSE contacts.status END,
            updated_at = now()
        WHERE NOT contacts.deleted
        """,
        (member_id, email, display_name, language, status),
    )


def set_status(cur, member_id: str, status: str) -> None:
    cur.execute(
        """
        INSERT INTO contacts (member_id, status) VALUES (%s, %s)
        ON CONFLICT (member_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
        WHERE NOT contacts.deleted
        """,
        (member_id, status),
    )


def set_verified(cur, member_id: str) -> None:
    cur.execute(
        """
        INSERT INTO contacts (member_id, email_verified) VALUES (%s, true)
        ON CONFLICT (member_id) DO UPDATE SET email_verified = true, updated_at = now()
        WHERE NOT contacts.deleted
        """,
        (member_id,),
    )


def change_contact(cur, member_id: str, changes: dict) -> None:
    """Apply the given columns (email, phone, language, display_name, email_verified); an email
    without `email_verified` counts as unverified."""
    allowed = {k: v for k, v in changes.items()
               if k in ("email", "phone", "language", "display_name", "email_verified")}
    if "email" in allowed and allowed.get("email_verified") is None:
        allowed["email_verified"] = False  # a new address, unless members says otherwise
    if not allowed:
        cur.execute("INSERT INTO contacts (member_id) VALUES (%s) ON CONFLICT DO NOTHING",
                    (member_id,))
        return
    columns = list(allowed)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    cur.execute(
        f"""
        INSERT INTO contacts (member_id, {", ".join(columns)})
        VALUES (%s, {", ".join(["%s"] * len(columns))})
        ON CONFLICT (member_id) DO UPDATE SET {assignments}, updated_at = now()
        WHERE NOT contacts.deleted
        """,  # noqa: S608 - column names come from the fixed allow-list above
        (member_id, *[allowed[c] for c in columns]),
    )


def tombstone(cur, member_id: str) -> None:
    """Forget how to reach a deleted member; pending deliveries to them are skipped."""
    cur.execute(
        """
        INSERT INTO contacts (member_id, deleted, status) VALUES (%s, true, 'deleted')
        ON CONFLICT (member_id) DO UPDATE SET deleted = true, status = 'deleted', email = NULL,
            phone = NULL, display_name = '', updated_at = now()
        """,
        (member_id,),
    )
    cur.execute("DELETE FROM memberships WHERE member_id = %s", (member_id,))
    cur.execute("DELETE FROM current_memberships WHERE member_id = %s", (member_id,))
    cur.execute("DELETE FROM preferences WHERE member_id = %s", (member_id,))
    cur.execute(
        "UPDATE deliveries SET status = 'skipped', last_error = 'member deleted',"
        " updated_at = now() WHERE member_id = %s AND status = 'pending'",
        (member_id,),
    )


def get_contact(cur, member_id: str) -> dict | None:
    cur.execute("SELECT * FROM contacts WHERE member_id = %s", (member_id,))
    return cur.fetchone()


def join_chapter(cur, member_id: str, chapter_id: str, ancestors: Sequence[str]) -> None:
    cur.execute(
        """
        INSERT INTO memberships (member_id, chapter_id, ancestors) VALUES (%s, %s, %s)
        ON CONFLICT (member_id, chapter_id) DO UPDATE SET ancestors = EXCLUDED.ancestors
        """,
        (member_id, chapter_id, list(ancestors)),
    )


def leave_chapter(cur, member_id: str, chapter_id: str) -> None:
    cur.execute("DELETE FROM memberships WHERE member_id = %s AND chapter_id = %s",
                (member_id, chapter_id))


def join_current(cur, member_id: str, current_id: str) -> None:
    cur.execute(
        "INSERT INTO current_memberships (member_id, current_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, current_id),
    )


def leave_current(cur, member_id: str, current_id: str) -> None:
    cur.execute("DELETE FROM current_memberships WHERE member_id = %s AND current_id = %s",
                (member_id, current_id))


CONTACT_COLUMNS = ("member_id", "email", "email_verified", "phone", "language", "display_name",
                   "status")


def upsert_contacts(cur, rows: Iterable[dict], page_size: int = 1000) -> None:
    """Whole contacts (a member snapshot, or a bulk load): each replaces what was known, except
    that a tombstone stays a tombstone. Rows are dicts keyed by `CONTACT_COLUMNS`."""
    execute_values(
        cur,
        """
        INSERT INTO contacts AS c (member_id, email, email_verified, phone, language,
                                   display_name, status)
        SELECT v.member_id, v.email, COALESCE(v.email_verified, false), v.phone, v.language,
               v.display_name, v.status
        FROM (VALUES %s) AS v (member_id, email, email_verified, phone, language, display_name,
                               status)
        ON CONFLICT (member_id) DO UPDATE SET
            email = EXCLUDED.email,
            email_verified = EXCLUDED.email_verified,
            phone = EXCLUDED.phone,
            language = EXCLUDED.language,
            display_name = EXCLUDED.display_name,
            status = EXCLUDED.status,
            updated_at = now()
        WHERE NOT c.deleted
        """,
        ([row.get(c) for c in CONTACT_COLUMNS] for row in rows),
        template="(%s, %s, %s::boolean, %s, %s, %s, %s)",
        page_size=page_size,
    )


def is_tombstoned(cur, member_id: str) -> bool:
    cur.execute("SELECT deleted FROM contacts WHERE member_id = %s", (member_id,))
    row = cur.fetchone()
    return bool(row and row["deleted"])


def replace_memberships(cur, member_id: str, chapters: Sequence[tuple[str, Sequence[str]]],
                        current_ids: Sequence[str]) -> None:
    """The member's direct chapters (with ancestors) and currents become exactly these."""
    chapter_ids = [c for c, _ in chapters]
    cur.execute("DELETE FROM memberships WHERE member_id = %s AND NOT chapter_id = ANY (%s)",
                (member_id, chapter_ids))
    for chapter_id, ancestors in chapters:
        join_chapter(cur, member_id, chapter_id, ancestors)
    cur.execute(
        "DELETE FROM current_memberships WHERE member_id = %s AND NOT current_id = ANY (%s)",
        (member_id, list(current_ids)),
    )
    for current_id in current_ids:
        join_current(cur, member_id, current_id)


# --- preferences ---------------------------------------------------------------------------


def preferences_of(cur, member_id: str) -> dict[str, dict]:
    cur.execute("SELECT category, email, sms FROM preferences WHERE member_id = %s",
                (member_id,))
    return {row["category"]: {"email": row["email"], "sms": row["sms"]} for row in cur.fetchall()}


def set_preference(cur, member_id: str, category: str, email: bool, sms: bool) -> None:
    cur.execute(
        """
        INSERT INTO preferences (member_id, category, email, sms) VALUES (%s, %s, %s, %s)
        ON CONFLICT (member_id, category) DO UPDATE SET email = EXCLUDED.email,
            sms = EXCLUDED.sms, updated_at = now()
        """,
        (member_id, category, email, sms),
    )


# --- notifications and deliveries ----------------------------------------------------------


def add_notification(cur, notification_id, kind: str, category: str, context: dict) -> bool:
    """True when new; False when this notification was already recorded (a redelivery)."""
    cur.execute(
        """
        INSERT INTO notifications (id, kind, category, context) VALUES (%s, %s, %s, %s)
        ON CONFLICT (id) DO NOTHING
        """,
        (str(notification_id), kind, category, Json(context)),
    )
    return cur.rowcount == 1


def add_delivery(cur, notification_id, member_id: str, channel: str) -> bool:
    cur.execute(
        """
        INSERT INTO deliveries (notification_id, member_id, channel) VALUES (%s, %s, %s)
        ON CONFLICT (notification_id, member_id, channel) DO NOTHING
        """,
        (str(notification_id), member_id, channel),
    )
    return cur.rowcount == 1


def forget_sealed_tokens(cur, notification_ids: Sequence) -> None:
    """Drop the sealed one-time token of account notifications nothing waits to send any more."""
    ids = sorted({str(i) for i in notification_ids})
    if not ids:
        return
    cur.execute(
        """
        UPDATE notifications n SET context = n.context - 'sealed_token'
        WHERE n.id = ANY (%s::uuid[]) AND n.context ? 'sealed_token'
          AND NOT EXISTS (SELECT 1 FROM deliveries d
                          WHERE d.notification_id = n.id AND d.status = 'pending')
        """,
        (ids,),
    )


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


def _recipients(category: str, scope: dict, channel: str, require_verified: bool,
                member_ids: list | None = None) -> tuple[str, tuple]:
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


def fan_out(cur, notification_id, category: str, scope: dict, channel: str,
            require_verified: bool, member_ids: list | None = None) -> int:
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


def count_recipients(cur, category: str, scope: dict, channel: str,
                     require_verified: bool) -> int:
    """How many deliveries `fan_out` would create now (nothing is written)."""
    recipients, params = _recipients(category, scope, channel, require_verified)
    cur.execute(f"SELECT count(*)::int AS n FROM ({recipients}) r", params)  # noqa: S608
    return cur.fetchone()["n"]


def add_own_delivery(cur, notification_id, member_id: str) -> bool:
    """One email to `member_id` alone, only at their own verified address (a test mail)."""
    cur.execute(
        """
        INSERT INTO deliveries (notification_id, member_id, channel)
        SELECT %s, c.member_id, 'email' FROM contacts c
        WHERE c.member_id = %s AND c.email IS NOT NULL AND c.email_verified
        """,
        (str(notification_id), member_id),
    )
    return cur.rowcount == 1


def claim_due(cur, channel: str, limit: int) -> list[dict]:
    """Lock a batch of due deliveries (skipping those another sender holds) with what to send."""
    cur.execute(
        """
        WITH due AS (
            SELECT id FROM deliveries
            WHERE channel = %s AND status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at, id
            LIMIT %s
            FOR UPDATE SKIP LOCKED
        )
        SELECT d.id, d.notification_id, d.member_id, d.channel, d.attempts,
               n.kind, n.category, n.context,
               c.email, c.email_verified, c.phone, c.language, c.display_name, c.deleted,
               p.email AS pref_email, p.sms AS pref_sms
        FROM due JOIN deliveries d ON d.id = due.id
        JOIN notifications n ON n.id = d.notification_id
        LEFT JOIN contacts c ON c.member_id = d.member_id
        LEFT JOIN preferences p ON p.member_id = d.member_id AND p.category = n.category
        ORDER BY d.id
        """,
        (channel, limit),
    )
    return cur.fetchall()


def record_outcomes(cur, outcomes: Iterable[tuple]) -> None:
    """Outcomes: (id, status, attempts, retry_in_s, error, address, message_id, segments)."""
    rows = list(outcomes)
    if not rows:
        return
    # One statement over eight arrays (one column each), adapted by psycopg2 in C.
    columns = [list(column) for column in zip(*rows, strict=True)]
    cur.execute(
        """
        UPDATE deliveries AS d SET
            status = v.status,
            attempts = v.attempts,
            next_attempt_at = now() + make_interval(secs => v.retry_in),
            last_error = v.error,
            address = COALESCE(v.address, d.address),
            message_id = COALESCE(v.message_id, d.message_id),
            segments = COALESCE(v.segments, d.segments),
            sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE d.sent_at END,
            updated_at = now()
        FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::float8[], %s::text[], %s::text[],
                    %s::text[], %s::int[])
             AS v (id, status, attempts, retry_in, error, address, message_id, segments)
        WHERE d.id = v.id AND d.id = ANY (%s::bigint[])
        """,  # the ANY lets the planner look rows up by key, never hash the whole table
        [*columns, columns[0]],
    )


def analyze_deliveries(cur) -> None:
    cur.execute("ANALYZE deliveries")


def deliveries_of(cur, member_id: str, limit: int, before: int | None) -> list[dict]:
    cur.execute(
        """
        SELECT d.id, n.kind, n.category, d.channel, d.status, d.attempts, d.address,
               d.last_error, d.created_at, d.sent_at, d.segments
        FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.member_id = %s AND (%s::bigint IS NULL OR d.id < %s::bigint)
        ORDER BY d.id DESC LIMIT %s
        """,
        (member_id, before, before, limit),
    )
    return cur.fetchall()


def delivery_figures(cur, notification_id=None) -> list[dict]:
    cur.execute(
        """
        SELECT d.channel, n.category, d.status, count(*)::int AS n
        FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE (%s::uuid IS NULL OR d.notification_id = %s::uuid)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,
        (notification_id, notification_id),
    )
    return cur.fetchall()


def contact_figures(cur) -> dict:
    cur.execute(
        """
        SELECT count(*) FILTER (WHERE NOT deleted)::int AS contacts,
               count(*) FILTER (WHERE status = 'active' AND NOT deleted)::int AS active,
               count(*) FILTER (WHERE phone IS NOT NULL AND NOT deleted)::int AS with_phone,
               count(*) FILTER (WHERE email_verified AND NOT deleted)::int AS verified
        FROM contacts
        """
    )
    return cur.fetchone()


# --- newsletters ---------------------------------------------------------------------------


def add_newsletter(cur, newsletter_id, subject: str, body: str, translations: dict,
                   scope: dict, channels: list[str], created_by: str) -> dict:
    cur.execute(
        """
        INSERT INTO newsletters (id, subject, body, translations, scope, channels, created_by)
        VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *
        """,
        (str(newsletter_id), subject, body, Json(translations), Json(scope), channels,
         created_by),
    )
    return cur.fetchone()


def get_newsletter(cur, newsletter_id) -> dict | None:
    cur.execute("SELECT * FROM newsletters WHERE id = %s", (str(newsletter_id),))
    return cur.fetchone()


def list_newsletters(cur, limit: int) -> list[dict]:
    cur.execute("SELECT * FROM newsletters ORDER BY created_at DESC LIMIT %s", (limit,))
    return cur.fetchall()


def newsletter_archive(cur, limit: int, offset: int) -> list[dict]:
    """Newsletters sent to the whole organisation, newest first (the public archive)."""
    cur.execute(
        "SELECT id, subject, body, translations, fanned_out_at AS sent_at FROM newsletters"
        " WHERE status <> 'queued' AND scope->>'type' = 'organisation'"
        " ORDER BY fanned_out_at DESC, id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def next_queued_newsletter(cur) -> dict | None:
    cur.execute(
        "SELECT * FROM newsletters WHERE status = 'queued' ORDER BY created_at"
        " LIMIT 1 FOR UPDATE SKIP LOCKED"
    )
    return cur.fetchone()


def mark_newsletter_sending(cur, newsletter_id, recipients: int,
                            unreachable: dict | None = None) -> None:
    cur.execute(
        "UPDATE newsletters SET status = 'sending', recipients = %s, fanned_out_at = now(),"
        " unreachable = %s WHERE id = %s",
        (recipients, Json(unreachable) if unreachable is not None else None,
         str(newsletter_id)),
    )


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


# --- admin mandates (replica) --------------------------------------------------------------


def grant_admin(cur, mandate_id: str, member_id: str, ends_at) -> None:
    cur.execute(
        "INSERT INTO admin_mandates (mandate_id, member_id, ends_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (mandate_id) DO UPDATE SET ends_at = EXCLUDED.ends_at",
        (mandate_id, member_id, ends_at),
    )


def drop_admin(cur, mandate_id: str) -> None:
    cur.execute("DELETE FROM admin_mandates WHERE mandate_id = %s", (mandate_id,))


def replace_admin_mandates(cur, member_id: str, mandates: Sequence[tuple]) -> None:
    """(mandate_id, ends_at) of every admin mandate the member holds now."""
    cur.execute("DELETE FROM admin_mandates WHERE member_id = %s", (member_id,))
    for mandate_id, ends_at in mandates:
        grant_admin(cur, mandate_id, member_id, ends_at)


def is_admin(cur, member_id: str) -> bool:
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM admin_mandates WHERE member_id = %s"
        " AND (ends_at IS NULL OR ends_at > now())) AS admin",
        (member_id,),
    )
    return bool(cur.fetchone()["admin"])

