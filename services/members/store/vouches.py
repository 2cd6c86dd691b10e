"""SQL of vouches."""

from __future__ import annotations


def insert_vouch(cur, member_id, voucher_id, note=None) -> bool:
    cur.execute(
        "INSERT INTO vouches (member_id, voucher_id, note) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (member_id, voucher_id, note),
    )
    return cur.rowcount == 1


def count_vouches(cur, member_id) -> int:
    """The vouches that count towards activation."""
    cur.execute("SELECT count(*) AS n FROM vouches WHERE member_id = %s AND counted", (member_id,))
    return cur.fetchone()["n"]


def count_vouches_given(cur, voucher_id, since) -> int:
    """Vouches the member gave for someone since `since` (counted or not)."""
    cur.execute(
        "SELECT count(*) AS n FROM vouches WHERE voucher_id = %s AND created_at > %s",
        (voucher_id, since),
    )
    return cur.fetchone()["n"]


def mark_vouch_uncounted(cur, member_id, voucher_id) -> None:
    cur.execute(
        "UPDATE vouches SET counted = false WHERE member_id = %s AND voucher_id = %s",
        (member_id, voucher_id),
    )


def vouches_for_admin(cur, member_id) -> dict:
    """Every vouch the member received and gave, with names and whether it counted."""
    cur.execute(
        "SELECT v.voucher_id AS member_id, m.display_name, v.note, v.counted, v.created_at"
        "  FROM vouches v JOIN members m ON m.id = v.voucher_id"
        " WHERE v.member_id = %s ORDER BY v.created_at",
        (member_id,),
    )
    received = cur.fetchall()
    cur.execute(
        "SELECT v.member_id, m.display_name, v.note, v.counted, v.created_at"
        "  FROM vouches v JOIN members m ON m.id = v.member_id"
        " WHERE v.voucher_id = %s ORDER BY v.created_at",
        (member_id,),
    )
    return {"received": received, "given": cur.fetchall()}


def vouches_of(cur, member_id) -> dict:
    cur.execute(
        "SELECT voucher_id, note, created_at FROM vouches WHERE member_id = %s ORDER BY 3",
        (member_id,),
    )
    received = cur.fetchall()
    cur.execute(
        "SELECT member_id, note, created_at FROM vouches WHERE voucher_id = %s ORDER BY 3",
        (member_id,),
    )
    return {"received": received, "given": cur.fetchall()}
