import psycopg2

from services.common.migrate import migrate, migrate_all, plan_for


def test_migrations_apply_once_per_schema(fresh_database_url):
    first = migrate_all(fresh_database_url, ["members", "polls"])
    assert "common/001_outbox_inbox.sql" in first["members"]
    again = migrate_all(fresh_database_url, ["members", "polls"])
    assert again == {"members": [], "polls": []}
    conn = psycopg2.connect(fresh_database_url)
    with conn, conn.cursor() as cur:
        cur.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'"
            " ORDER BY 1"
        )
        assert [r[0] for r in cur.fetchall()] == ["members", "polls"]
    conn.close()


def test_unknown_target_is_refused(fresh_database_url):
    try:
        migrate(fresh_database_url, "nonsense")
    except ValueError as exc:
        assert "nonsense" in str(exc)
    else:
        raise AssertionError("an unknown target must be refused")
    assert plan_for("members")[0][0].startswith("common/")


def test_pool_makes_callers_wait_instead_of_failing(database_url):
    import threading

    from services.common.db import Database

    db = Database(database_url, "public", maxconn=2)
    errors, done = [], []

    def work():
        try:
            with db.transaction() as cur:
                cur.execute("SELECT pg_sleep(0.05)")
            done.append(1)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.close()
    assert errors == [] and len(done) == 12
