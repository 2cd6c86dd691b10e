"""Members' choice of channels per category."""

from __future__ import annotations


def preferences_of(cur, member_id: str) -> dict[str, dict]:
    cur.execute("SELECT category, email, sms FROM preferences WHERE member_id = %s", (member_id,))
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
