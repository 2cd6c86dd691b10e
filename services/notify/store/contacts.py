"""The contact replica of members: addresses, language, status, chapters and currents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg2.extras import execute_values


def upsert_registered(
    cur, member_id: str, email: str, display_name: str, language: str, status: str
) -> None:
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
    allowed = {
        k: v
        for k, v in changes.items()
        if k in ("email", "phone", "language", "display_name", "email_verified")
    }
    if "email" in allowed and allowed.get("email_verified") is None:
        allowed["email_verified"] = False  # a new address, unless members says otherwise
    if not allowed:
        cur.execute(
            "INSERT INTO contacts (member_id) VALUES (%s) ON CONFLICT DO NOTHING", (member_id,)
        )
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
    cur.execute(
        "DELETE FROM memberships WHERE member_id = %s AND chapter_id = %s", (member_id, chapter_id)
    )


def join_current(cur, member_id: str, current_id: str) -> None:
    cur.execute(
        "INSERT INTO current_memberships (member_id, current_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, current_id),
    )


def leave_current(cur, member_id: str, current_id: str) -> None:
    cur.execute(
        "DELETE FROM current_memberships WHERE member_id = %s AND current_id = %s",
        (member_id, current_id),
    )


CONTACT_COLUMNS = (
    "member_id",
    "email",
    "email_verified",
    "phone",
    "language",
    "display_name",
    "status",
)


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


def replace_memberships(
    cur, member_id: str, chapters: Sequence[tuple[str, Sequence[str]]], current_ids: Sequence[str]
) -> None:
    """The member's direct chapters (with ancestors) and currents become exactly these."""
    chapter_ids = [c for c, _ in chapters]
    cur.execute(
        "DELETE FROM memberships WHERE member_id = %s AND NOT chapter_id = ANY (%s)",
        (member_id, chapter_ids),
    )
    for chapter_id, ancestors in chapters:
        join_chapter(cur, member_id, chapter_id, ancestors)
    cur.execute(
        "DELETE FROM current_memberships WHERE member_id = %s AND NOT current_id = ANY (%s)",
        (member_id, list(current_ids)),
    )
    for current_id in current_ids:
        join_current(cur, member_id, current_id)


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
