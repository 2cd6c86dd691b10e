"""SQL of the organisation's targets."""

from __future__ import annotations

import uuid

from services.members.store.rows import update_columns

TARGET_COLUMNS = "id, name, kind, target, deadline, position, created_by, created_at"


def insert_target(cur, *, name, kind, target, deadline, position, created_by) -> dict:
    cur.execute(
        "INSERT INTO targets (id, name, kind, target, deadline, position, created_by)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {TARGET_COLUMNS}",
        (uuid.uuid4(), name, kind, target, deadline, position, created_by),
    )
    return cur.fetchone()


def list_targets(cur) -> list[dict]:
    cur.execute(f"SELECT {TARGET_COLUMNS} FROM targets ORDER BY position, created_at, id")
    return cur.fetchall()


def target_by_id(cur, target_id) -> dict | None:
    cur.execute(f"SELECT {TARGET_COLUMNS} FROM targets WHERE id = %s", (target_id,))
    return cur.fetchone()


def update_target(cur, target_id, changes: dict) -> dict | None:
    allowed = {"name", "kind", "target", "deadline", "position"}
    update_columns(cur, "targets", target_id, changes, allowed)
    return target_by_id(cur, target_id)


def delete_target(cur, target_id) -> bool:
    cur.execute("DELETE FROM targets WHERE id = %s", (target_id,))
    return cur.rowcount == 1
