"""Notifications and their deliveries: recorded, claimed by the senders, settled, listed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg2.extras import Json


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
            -- from now, not from the batch's start: a long batch must not shorten the wait
            next_attempt_at = clock_timestamp() + make_interval(secs => v.retry_in),
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
