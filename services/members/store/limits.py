"""SQL of rate counters and failed logins."""

from __future__ import annotations


def login_blocked_for(cur, keys: list[str]) -> float:
    """Seconds until every key may try again (0: none is blocked)."""
    cur.execute(
        "SELECT COALESCE(max(extract(epoch FROM blocked_until - now())), 0)::float8 AS left"
        "  FROM login_failures WHERE key = ANY (%s) AND blocked_until > now()",
        (keys,),
    )
    return float(cur.fetchone()["left"])


def record_login_failure(cur, key: str, free: int, cap_s: float, forget_s: int) -> None:
    """One more failure for `key`: past `free` failures each blocks the key for a delay that
    doubles (1 s, 2 s, 4 s … up to `cap_s`); failures older than `forget_s` are forgotten."""
    cur.execute(
        """
        INSERT INTO login_failures AS f (key, failures) VALUES (%(key)s, 1)
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => %(forget)s)
                            THEN 1 ELSE f.failures + 1 END,
            last_failed_at = now()
        RETURNING failures
        """,
        {"key": key, "forget": forget_s},
    )
    failures = cur.fetchone()["failures"]
    if failures > free:
        delay = min(cap_s, 2.0 ** min(30, failures - free - 1))
        cur.execute(
            "UPDATE login_failures SET blocked_until = now() + make_interval(secs => %s)"
            " WHERE key = %s",
            (delay, key),
        )


def clear_login_failures(cur, key: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE key = %s", (key,))


def prune_login_failures(cur, older_than_s: int) -> None:
    cur.execute(
        "DELETE FROM login_failures WHERE last_failed_at < now() - make_interval(secs => %s)",
        (older_than_s,),
    )


def hit_rate_counter(cur, key: str, window_seconds: int) -> tuple[int, float]:
    """Count one hit in the current fixed window; (hits so far, seconds until it ends)."""
    cur.execute(
        "WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / %(s)s) * %(s)s) AS ws)"
        " INSERT INTO rate_counters (key, window_start, hits) SELECT %(key)s, ws, 1 FROM w"
        " ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1"
        " RETURNING hits,"
        "   extract(epoch FROM window_start + make_interval(secs => %(s)s) - now()) AS left",
        {"key": key, "s": window_seconds},
    )
    row = cur.fetchone()
    return row["hits"], float(row["left"])


def prune_rate_counters(cur, older_than_seconds: int = 3600) -> None:
    cur.execute(
        "DELETE FROM rate_counters WHERE window_start < now() - make_interval(secs => %s)",
        (older_than_seconds,),
    )
