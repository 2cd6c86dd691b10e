"""Newsletters: queued by admins, fanned out by the worker, archived."""

from __future__ import annotations

from psycopg2.extras import Json


def add_newsletter(
    cur,
    newsletter_id,
    subject: str,
    body: str,
    translations: dict,
    scope: dict,
    channels: list[str],
    created_by: str,
    send_at=None,
) -> dict:
    cur.execute(
        """
        INSERT INTO newsletters
            (id, subject, body, translations, scope, channels, created_by, send_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *
        """,
        (
            str(newsletter_id),
            subject,
            body,
            Json(translations),
            Json(scope),
            channels,
            created_by,
            send_at,
        ),
    )
    return cur.fetchone()


def get_newsletter(cur, newsletter_id, lock: bool = False) -> dict | None:
    cur.execute(
        "SELECT * FROM newsletters WHERE id = %s" + (" FOR UPDATE" if lock else ""),
        (str(newsletter_id),),
    )
    return cur.fetchone()


def reschedule_newsletter(cur, newsletter_id, send_at) -> dict:
    cur.execute(
        "UPDATE newsletters SET send_at = %s WHERE id = %s RETURNING *",
        (send_at, str(newsletter_id)),
    )
    return cur.fetchone()


def cancel_newsletter(cur, newsletter_id, admin_id: str) -> dict:
    cur.execute(
        "UPDATE newsletters SET status = 'cancelled', cancelled_at = now(), cancelled_by = %s"
        " WHERE id = %s RETURNING *",
        (admin_id, str(newsletter_id)),
    )
    return cur.fetchone()


def list_newsletters(cur, limit: int) -> list[dict]:
    """The scheduled ones first (however long ago they were written), then the newest."""
    cur.execute(
        "SELECT * FROM newsletters ORDER BY (status = 'queued' AND send_at IS NOT NULL) DESC,"
        " created_at DESC LIMIT %s",
        (limit,),
    )
    return cur.fetchall()


def newsletter_archive(cur, limit: int, offset: int) -> list[dict]:
    """Newsletters sent to the whole organisation, newest first (the public archive)."""
    cur.execute(
        "SELECT id, subject, body, translations, fanned_out_at AS sent_at FROM newsletters"
        " WHERE status = 'sending' AND scope->>'type' = 'organisation'"
        " ORDER BY fanned_out_at DESC, id LIMIT %s OFFSET %s",
        (limit, offset),
    )
    return cur.fetchall()


def next_queued_newsletter(cur, now) -> dict | None:
    """The oldest newsletter due (queued to go now, or scheduled for `now` or before), claimed:
    another worker skips it, and it leaves `queued` in the transaction that fans it out."""
    cur.execute(
        "SELECT * FROM newsletters WHERE status = 'queued'"
        " AND coalesce(send_at, created_at) <= greatest(%s, created_at)"
        " ORDER BY coalesce(send_at, created_at) LIMIT 1 FOR UPDATE SKIP LOCKED",
        (now,),
    )
    return cur.fetchone()


def mark_newsletter_sending(
    cur, newsletter_id, recipients: int, unreachable: dict | None = None
) -> None:
    cur.execute(
        "UPDATE newsletters SET status = 'sending', recipients = %s, fanned_out_at = now(),"
        " unreachable = %s WHERE id = %s",
        (recipients, Json(unreachable) if unreachable is not None else None, str(newsletter_id)),
    )
