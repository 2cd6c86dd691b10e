"""The site with a big organisation (issue 15): how fast the main pages and API reads answer.

    python bench/bench_scale.py [--quick] [--scale 1.0] [--repeat 40] [--explain]
                                [--only discussion|member] [--profile]

Builds, in a throw-away database on the PostgreSQL of the tests (DATABASE_URL, else
127.0.0.1:5432, else an embedded one), 100,000 members, 2,000 chapters (a tree: international,
national, regional, local), 1,000 polls (open, scheduled and chapter-scoped ones) and one poll
with 2,000 comments (threads with replies and likes), in bulk SQL: members' tables and polls'
replica of them, as the bus would have filled it. Then starts the whole stack as `make run`
does (`tests.support.stack.start_stack`, private ports, the benchmark's keys) and times each
page and API read, one request at a time on a kept-alive connection, anonymous and as an
active member, printing p50/p95/max beside the 300 ms aim.

`--quick`: 2% of the sizes (2,000 members, 40 chapters, 20 polls, 40 comments), 8 requests
each. `--explain`: also EXPLAIN ANALYZE of members' per-chapter figures (the known slow query)
and of a page of the big discussion.
`--only discussion`: only the big poll's page and its comments (what `ONLY` lists), every
request to the stack's 127.0.0.1 ports; `--only member`: only the pages as a logged-in member.
`--profile`: also, with the web pages and polls in this process (`bench/discussion_profile.py`),
the SQL queries, rows and HTML bytes of each discussion page, and where its time goes
(cProfile); then the member's pages: the API calls each makes, polls' statements, bytes, time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg2  # noqa: E402
import requests  # noqa: E402

from services.common.auth import Identity, issue_access_token  # noqa: E402
from services.common.migrate import migrate_all  # noqa: E402
from services.members import passwords  # noqa: E402
from tests.support import servers  # noqa: E402
from tests.support.runtime import make_settings, test_keypair  # noqa: E402

AIM_P95_MS = 300.0
SIZES = {"members": 100_000, "chapters": 2_000, "polls": 1_000, "comments": 2_000}
NATIONALS = 20
MEMBER_LOGIN = ("scale-0@bench.example", "Scale-bench-password-1")

# Deterministic ids from a tag and a number, so that every table can refer to them in SQL.
ID = "md5('{tag}' || ({n}))::uuid"


def _sizes(scale: float) -> dict:
    return {k: max(int(v * scale), 40 if k == "chapters" else 20) for k, v in SIZES.items()}


def seed_members(cur, members: int, chapters: int) -> None:
    """Chapters 0 (international), 1..NATIONALS (national), then a sixth of the rest regional,
    the others local; every member active, in one local chapter."""
    regionals = max(1, (chapters - 1 - NATIONALS) // 6)
    first_local = 1 + NATIONALS + regionals
    pw = passwords.hash_password("Scale-bench-password-1", "fast")
    cur.execute(
        f"""
        INSERT INTO members.chapters (id, parent_id, name, level, country, continent, founded_on)
        SELECT {ID.format(tag="c", n="i")},
               CASE WHEN i = 0 THEN NULL
                    WHEN i <= %(nat)s THEN {ID.format(tag="c", n="0")}
                    WHEN i < %(loc)s THEN {ID.format(tag="c", n="1 + i %% %(nat)s")}
                    ELSE {ID.format(tag="c", n="1 + %(nat)s + i %% %(reg)s")} END,
               'Chapter ' || i,
               CASE WHEN i = 0 THEN 'international' WHEN i <= %(nat)s THEN 'national'
                    WHEN i < %(loc)s THEN 'regional' ELSE 'local' END,
               CASE WHEN i = 0 THEN NULL ELSE 'GB' END, 'Europe',
               date '2013-01-01' + i
          FROM generate_series(0, %(n)s - 1) AS i ORDER BY i""",
        {"nat": NATIONALS, "loc": first_local, "reg": regionals, "n": chapters},
    )
    locals_ = chapters - first_local
    cur.execute(
        f"""
        INSERT INTO members.members (id, email, password_hash, display_name, country, gender,
                                     status, email_verified_at, activated_at)
        SELECT {ID.format(tag="m", n="i")}, 'scale-' || i || '@bench.example', %(pw)s,
               'Member ' || i, 'GB', (ARRAY['woman', 'man', NULL, 'non_binary'])[1 + i %% 4],
               'active', now(), now()
          FROM generate_series(0, %(n)s - 1) AS i;
        INSERT INTO members.memberships (member_id, chapter_id)
        SELECT {ID.format(tag="m", n="i")}, {ID.format(tag="c", n="%(loc)s + i %% %(locs)s")}
          FROM generate_series(0, %(n)s - 1) AS i;
        INSERT INTO members.meetings (id, chapter_id, held_on, note)
        SELECT gen_random_uuid(), id, current_date - 20, 'seeded' FROM members.chapters;
        INSERT INTO members.mandates (id, member_id, role, note)
        VALUES (gen_random_uuid(), {ID.format(tag="m", n="1")}, 'admin', 'bench admin');""",
        {"pw": pw, "n": members, "loc": first_local, "locs": locals_},
    )


def fill_figures(url: str) -> None:
    """Members' kept chapter figures, as its worker's recount makes them (the bulk rows above
    went around them)."""
    from psycopg2.extras import RealDictCursor

    from services.members.service import figures

    conn = psycopg2.connect(url, options="-c search_path=members")
    try:
        with conn, conn.cursor(cursor_factory=RealDictCursor) as cur:
            figures.recount_all(cur)
    finally:
        conn.close()


def seed_replica(cur) -> None:
    """Polls' replica of members, chapters and memberships (with ancestors), as the members'
    events would have built it."""
    cur.execute("""
        INSERT INTO polls.replica_members (member_id, status, display_name)
        SELECT id::text, status, display_name FROM members.members;
        INSERT INTO polls.replica_chapters (chapter_id, parent_id, name, level)
        SELECT id::text, parent_id::text, name, level FROM members.chapters;
        WITH RECURSIVE up (chapter_id, ancestor_id) AS (
            SELECT id, parent_id FROM members.chapters WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT up.chapter_id, c.parent_id FROM up
              JOIN members.chapters c ON c.id = up.ancestor_id WHERE c.parent_id IS NOT NULL
        ), ancestry AS (
            SELECT chapter_id, array_agg(ancestor_id::text) AS ancestors FROM up GROUP BY 1
        )
        INSERT INTO polls.replica_memberships (member_id, chapter_id, ancestors)
        SELECT m.member_id::text, m.chapter_id::text, COALESCE(a.ancestors, '{}')
          FROM members.memberships m LEFT JOIN ancestry a ON a.chapter_id = m.chapter_id;""")


def seed_polls(cur, polls: int, chapters: int, comments: int) -> str:
    """`polls` polls (a fifth scheduled, the rest open; every third one scoped to a chapter),
    each with one question; poll 0 is organisation-wide, with the whole organisation as its
    electorate and `comments` comments (every fourth a reply, every other one liked).
    Returns poll 0's id."""
    cur.execute(
        f"""
        INSERT INTO polls.polls (id, title, text, scope_type, scope_id, status, opens_at,
                                 closes_at, created_by, created_at, opened_at, electorate)
        SELECT {ID.format(tag="p", n="i")}, 'Poll ' || i || ': which way forward?',
               'What the members decide.',
               CASE WHEN i > 0 AND i %% 3 = 0 THEN 'chapter' ELSE 'organisation' END,
               CASE WHEN i > 0 AND i %% 3 = 0 THEN ({ID.format(tag="c", n="i %% %(ch)s")})::text
                    END,
               CASE WHEN i %% 5 = 4 THEN 'scheduled' ELSE 'open' END,
               CASE WHEN i %% 5 = 4 THEN now() + interval '2 days' ELSE now() - interval '1 day'
                    END,
               now() + interval '7 days', 'bench', now() - i * interval '1 minute',
               CASE WHEN i %% 5 = 4 THEN NULL ELSE now() - interval '1 day' END,
               CASE WHEN i = 0 THEN (SELECT count(*) FROM polls.replica_members) END
          FROM generate_series(0, %(n)s - 1) AS i;
        INSERT INTO polls.questions (id, poll_id, position, text, method, options)
        SELECT gen_random_uuid(), id, 0, 'Which?', 'irv', '["A", "B", "C", "D"]'::jsonb
          FROM polls.polls;
        INSERT INTO polls.poll_keys (poll_id, salt)
        SELECT id, decode(md5(id::text) || md5(title), 'hex') FROM polls.polls
         WHERE status = 'open';
        INSERT INTO polls.electorate (poll_id, member_id)
        SELECT {ID.format(tag="p", n="0")}, member_id FROM polls.replica_members;
        INSERT INTO polls.comments (id, poll_id, parent_id, author_id, body, created_at)
        SELECT {ID.format(tag="k", n="i")}, {ID.format(tag="p", n="0")},
               CASE WHEN i %% 4 = 3 THEN {ID.format(tag="k", n="i - 3")} END,
               ({ID.format(tag="m", n="i * 7")})::text,
               'Comment ' || i || E': I think we should.\\nThat is all.',
               now() - (%(c)s - i) * interval '1 minute'
          FROM generate_series(0, %(c)s - 1) AS i;
        INSERT INTO polls.comment_reactions (comment_id, member_id, reaction)
        SELECT {ID.format(tag="k", n="i")}, ({ID.format(tag="m", n="i + 1")})::text, 'like'
          FROM generate_series(0, %(c)s - 1, 2) AS i;""",
        {"n": polls, "ch": chapters, "c": comments},
    )
    cur.execute(f"SELECT ({ID.format(tag='p', n='0')})::text")
    return cur.fetchone()[0]


def build(url: str, sizes: dict) -> dict:
    """Migrate every schema and load the organisation; the ids the timed paths need."""
    migrate_all(url)
    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cur:
            seed_members(cur, sizes["members"], sizes["chapters"])
            seed_replica(cur)
            big_poll = seed_polls(cur, sizes["polls"], sizes["chapters"], sizes["comments"])
            cur.execute(
                f"SELECT ({ID.format(tag='c', n='0')})::text,"
                f" ({ID.format(tag='c', n='%s')})::text, ({ID.format(tag='m', n='0')})"
                f"::text, ({ID.format(tag='m', n='1')})::text",
                (sizes["chapters"] - 1,),
            )
            root, local, member, admin = cur.fetchone() or (None, None, None, None)
        fill_figures(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    finally:
        conn.close()
    return {"poll": big_poll, "root": root, "local": local, "member": member, "admin": admin}


def paths(ids: dict) -> list[tuple[str, str, str]]:
    """(label, path, as whom: "" anonymous, "member" or "admin") of every timed request."""
    poll, root, local = ids["poll"], ids["root"], ids["local"]
    pages = [
        ("/", "/"),
        ("/polls", "/polls"),
        ("/polls?page=3", "/polls?page=3"),
        ("/polls/<big poll>", f"/polls/{poll}"),
        ("/polls/<big poll>?page=20", f"/polls/{poll}?page=20"),
        ("/polls/<big poll>?sort=best", f"/polls/{poll}?sort=best"),
        ("/chapters", "/chapters"),
        ("/chapters/<international>", f"/chapters/{root}"),
        ("/chapters/<local>", f"/chapters/{local}"),
        ("/delegates", "/delegates"),
    ]
    api = [
        ("/api/v1/polls", "/api/v1/polls"),
        ("/api/v1/polls?status=open", "/api/v1/polls?status=open&limit=50"),
        ("/api/v1/polls/<big poll>", f"/api/v1/polls/{poll}"),
        ("/api/v1/polls/<big poll>/comments", f"/api/v1/polls/{poll}/comments?limit=20"),
        (
            "/api/v1/polls/<big poll>/comments offset 400",
            f"/api/v1/polls/{poll}/comments?limit=20&offset=400",
        ),
        ("/api/v1/chapters", "/api/v1/chapters"),
        ("/api/v1/chapters?sort=name", "/api/v1/chapters?sort=name&limit=50"),
        ("/api/v1/chapters/<international>", f"/api/v1/chapters/{root}"),
        ("/api/v1/chapters/<local>", f"/api/v1/chapters/{local}"),
        ("/api/v1/chapters/working", "/api/v1/chapters/working"),
        ("/api/v1/targets", "/api/v1/targets"),
        ("/api/v1/members/me", "/api/v1/members/me"),
    ]
    admin = [
        ("/api/v1/members?q=<name> (admin)", "/api/v1/members?q=Member%2012345"),
        ("/api/v1/members?q=<address> (admin)", "/api/v1/members?q=scale-9876%40"),
        ("/api/v1/members?q=<nobody> (admin)", "/api/v1/members?q=zzqx"),
    ]
    rows = [(f"page {label}", path, "") for label, path in pages]
    rows += [(f"page {label} (member)", path, "member") for label, path in pages]
    rows += [(f"api {label}", path, "member") for label, path in api]
    rows += [(f"api {label}", path, "admin") for label, path in admin]
    return rows


# The requests of `--only <name>`: labels containing one of these.
ONLY = {"discussion": ("big poll",), "member": ("(member)",)}


def time_path(
    session: requests.Session, url: str, headers: dict, repeat: int, budget_s: float = 20.0
) -> dict:
    """`repeat` requests, fewer (at least 5) when they take more than `budget_s` in all: a
    path that answers in seconds is slow enough to see, and the run stays bounded."""
    session.get(url, headers=headers, timeout=60)  # warm up (caches, connections)
    times: list[float] = []
    statuses: set[int] = set()
    ends = time.perf_counter() + budget_s
    for _ in range(repeat):
        if len(times) >= 5 and time.perf_counter() > ends:
            break
        started = time.perf_counter()
        reply = session.get(url, headers=headers, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(reply.status_code)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
        "status": ",".join(str(s) for s in sorted(statuses)),
        "bytes": len(reply.content),
        "n": len(times),
    }


def member_session(base: str, email: str, password: str) -> requests.Session:
    """A browser's session logged in through the login form (pages as a member)."""
    import re

    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    session.post(
        f"{base}/login",
        data={"email": email, "password": password, "csrf_token": token.group(1) if token else ""},
        timeout=60,
    )
    return session


def measure(
    stack, ids: dict, private_key: str, repeat: int, only: str | None = None
) -> list[tuple[str, dict]]:
    bearers = {
        who: {"Authorization": f"Bearer {issue_access_token(private_key, identity)}"}
        for who, identity in (
            ("member", Identity(ids["member"], "active")),
            ("admin", Identity(ids["admin"], "active", admin=True)),
        )
    }
    anonymous = requests.Session()
    member = member_session(stack.url, *MEMBER_LOGIN)
    api = requests.Session()
    rows = []
    for label, path, who in paths(ids):
        if only and not any(part in label for part in ONLY[only]):
            continue
        if path.startswith("/api/"):
            rows.append((label, time_path(api, stack.url + path, bearers[who], repeat)))
        else:
            session = member if who else anonymous
            rows.append((label, time_path(session, stack.url + path, {}, repeat)))
        print(f"  timed {label}", flush=True)
    return rows


def _explained(conn, calls: list) -> str:
    """EXPLAIN ANALYZE of the one statement each call (title, call(cursor)) runs."""
    from psycopg2.extras import RealDictCursor

    plans: list[str] = []

    class Explaining(RealDictCursor):
        def execute(self, query, params=None):
            if query.lstrip().upper().startswith("SET "):  # settings apply, unexplained
                return super().execute(query, params)
            super().execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query, params)
            plans.append(
                "\n".join(  # the id lists make lines of kilobytes
                    r["QUERY PLAN"][:140] for r in super().fetchall()
                )
            )

        def fetchall(self):
            return []

        def fetchone(self):
            return None

    with conn.cursor(cursor_factory=Explaining) as cur:
        for _, call in calls:
            call(cur)
    titles = [title for title, _ in calls]
    return "\n\n".join(f"-- {t}\n{p}" for t, p in zip(titles, plans, strict=True))


def explain_chapter_figures(url: str, ids: dict) -> str:
    """EXPLAIN ANALYZE of members' reads that grew with the organisation (issue 15): the kept
    per-chapter figures for a page of 50 chapters and for every chapter, one member's
    chapters (/members/me), the admin's member search, and the recount of every chapter."""
    from services.members.store import figures, members, memberships

    conn = psycopg2.connect(url, options="-c search_path=members")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM chapters ORDER BY founded_on DESC LIMIT 50")
            page = [r[0] for r in cur.fetchall()]
        return _explained(
            conn,
            [
                (
                    "kept chapter_figures, a page of 50 chapters",
                    lambda c: figures.chapter_figures(c, page),
                ),
                ("kept chapter_figures, every chapter", lambda c: figures.chapter_figures(c)),
                (
                    "effective_chapter_ids of one member (/members/me)",
                    lambda c: memberships.effective_chapter_ids(c, ids["member"]),
                ),
                ("admin search by name", lambda c: members.list_members(c, query="Member 12345")),
                (
                    "the recount: counted_figures of every chapter",
                    lambda c: figures.counted_figures(c),
                ),
            ],
        )
    finally:
        conn.close()


def start(url: str, run_dir: Path):
    from tests.support.stack import start_stack

    private, public = test_keypair()
    (run_dir / "jwt_private.pem").write_text(private)
    (run_dir / "jwt_public.pem").write_text(public)
    return private, start_stack(
        run_dir,
        url,
        extra_env={
            "SECRET_KEY": make_settings("polls", url).secret_key,
            "JWT_PRIVATE_KEY": str(run_dir / "jwt_private.pem"),
            "JWT_PUBLIC_KEY": str(run_dir / "jwt_public.pem"),
            "RATE_LIMITS": "off",
            "RATE_LIMIT_IP": "10000000/minute",
            "RATE_LIMIT_MEMBER": "10000000/minute",
            "MAIL_DIR": str(run_dir / "mail"),
        },
    )


def report(sizes: dict, built_s: float, rows: list[tuple[str, dict]]) -> None:
    print(
        f"scale benchmark: {sizes['members']:,} members, {sizes['chapters']:,} chapters, "
        f"{sizes['polls']:,} polls, {sizes['comments']:,} comments on one poll "
        f"(built in {built_s:.0f} s)"
    )
    width = max(len(label) for label, _ in rows)
    print(
        f"{'request':<{width}}  {'n':>3}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  "
        f"status  {'bytes':>8}  p95<{AIM_P95_MS:g}"
    )
    for label, r in rows:
        print(
            f"{label:<{width}}  {r['n']:>3}  {r['p50']:>8.1f}  {r['p95']:>8.1f}  "
            f"{r['max']:>8.1f}  {r['status']:<6}  {r['bytes']:>8}  "
            f"{'yes' if r['p95'] < AIM_P95_MS else 'NO'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2%% of the sizes, 8 requests each")
    parser.add_argument("--scale", type=float, default=None, help="fraction of the full sizes")
    parser.add_argument("--repeat", type=int, default=None, help="requests per path (40)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries")
    parser.add_argument("--only", choices=sorted(ONLY), help="time only these requests")
    parser.add_argument(
        "--profile", action="store_true", help="queries, rows, bytes and cProfile of a page"
    )
    args = parser.parse_args()
    sizes = _sizes(args.scale or (0.02 if args.quick else 1.0))
    repeat = args.repeat or (8 if args.quick else 40)
    admin_url = servers.admin_pg_url(tempfile.mkdtemp(prefix="councils-bench-pg-"))
    url = servers.create_database(admin_url, prefix="councils_bench_scale")
    run_dir = Path(tempfile.mkdtemp(prefix="councils-bench-scale-"))
    stack = None
    try:
        started = time.perf_counter()
        ids = build(url, sizes)
        built_s = time.perf_counter() - started
        print(f"built in {built_s:.0f} s; starting the stack (logs in {run_dir})...", flush=True)
        private, stack = start(url, run_dir)
        rows = measure(stack, ids, private, repeat, args.only)
        report(sizes, built_s, rows)
        if args.profile:
            from bench.discussion_profile import profile_discussion, profile_member

            print(profile_discussion(url, stack.url, ids["poll"]))
            others = [(f"page {label}", path) for label, path, _who in paths(ids)[:10]]
            others = [row for row in others if "big poll" not in row[0]]
            print(profile_member(url, stack.url, ids["poll"], *MEMBER_LOGIN, others))
        if args.explain:
            if args.only != "discussion":
                print(explain_chapter_figures(url, ids))
            from bench.discussion_profile import explain_discussion

            print(explain_discussion(url, ids["poll"], _explained))
    finally:
        if stack is not None:
            from tests.support.stack import stop_stack

            stop_stack(stack)
        servers.drop_database(admin_url, url)
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
