"""Members over a real PostgreSQL: one migrated schema per test run, Flask test clients."""

from __future__ import annotations

import uuid

import pytest

from services.members.app import create_app
from services.members.bootstrap import bootstrap_admin
from services.members.context import build_context
from tests.support import servers
from tests.support.runtime import make_runtime

ADMIN_EMAIL = "admin@members-test.example"
ADMIN_PASSWORD = "Admin-test-password-1"
PASSWORD = "Correct-horse-battery-9"


@pytest.fixture(scope="session")
def members_database_url(pg_admin_url):
    """A database of the members tests' own: the first admin is bootstrapped only where the
    organisation never had one, so another test's bootstrap must not come first."""
    url = servers.create_database(pg_admin_url, prefix="councils_members_test")
    yield url
    servers.drop_database(pg_admin_url, url)


def organisation_runtime(database_url: str, **env):
    """A members runtime on `database_url` whose first admin (ADMIN_EMAIL) is bootstrapped;
    `env` adds to the tests' settings."""
    runtime = make_runtime(
        "members",
        database_url,
        COUNCILS_ADMIN_EMAIL=ADMIN_EMAIL,
        COUNCILS_ADMIN_PASSWORD=ADMIN_PASSWORD,
        MEMBER_ACTIVATION="either",
        **env,
    )
    bootstrap_admin(build_context(runtime))
    return runtime


@pytest.fixture(scope="session")
def members_runtime(members_database_url):
    # Every test logs the admin in afresh; the per-address limit is tested with its own
    # runtime (test_operations.py `strict`).
    runtime = organisation_runtime(members_database_url, RATE_LOGIN_PER_EMAIL_PER_MINUTE="100000")
    yield runtime
    runtime.db.close()


@pytest.fixture(scope="session")
def app(members_runtime):
    return create_app(members_runtime)


@pytest.fixture()
def client(app):
    return app.test_client()


class Api:
    """A thin client speaking the members API the way the front end does."""

    def __init__(self, client, runtime):
        self.client = client
        self.runtime = runtime

    def call(self, method, path, body=None, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open(path, method=method, json=body, headers=headers, **kwargs)
        return response.status_code, response.get_json(silent=True)

    def register(self, tag="m", **overrides):
        body = {
            "email": f"{tag}-{uuid.uuid4().hex[:10]}@example.org",
            "password": PASSWORD,
            "display_name": f"Member {tag}",
            "country": "GB",
            **overrides,
        }
        code, reply = self.call("POST", "/api/v1/auth/register", body)
        assert code == 201, reply
        return reply["id"], body["email"]

    def login(self, email, password=PASSWORD):
        code, reply = self.call(
            "POST", "/api/v1/auth/login", {"email": email, "password": password}
        )
        assert code == 200, reply
        return reply

    def token(self, email, password=PASSWORD):
        return self.login(email, password)["access_token"]

    def admin(self):
        """The admin's token, one login per test (logins per address are rate limited)."""
        if getattr(self, "_admin", None) is None:
            self._admin = self.token(ADMIN_EMAIL, ADMIN_PASSWORD)
        return self._admin

    def active_member(self, tag="a", **overrides):
        """(id, email, fresh token) of a member approved by the admin."""
        member_id, email = self.register(tag, **overrides)
        code, reply = self.call("POST", f"/api/v1/members/{member_id}/approve", token=self.admin())
        assert code == 200, reply
        return member_id, email, self.token(email)

    def coordinator(self, tag="co"):
        """(chapter id, mandate, token): a national chapter the admin founds and an active
        member of it granted its coordinator mandate."""
        admin = self.admin()
        body = {"name": f"{tag} {uuid.uuid4().hex[:6]}", "level": "national", "country": "FR"}
        code, chapter = self.call("POST", "/api/v1/chapters", body, token=admin)
        assert code == 201, chapter
        member_id, _, token = self.active_member(tag)
        code, joined = self.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)
        assert code == 200, joined
        grant = {"member_id": member_id, "role": "coordinator", "chapter_id": chapter["id"]}
        code, mandate = self.call("POST", "/api/v1/mandates", grant, token=admin)
        assert code == 201, mandate
        return chapter["id"], mandate, token

    def unseal(self, data, field="sealed_token", purpose=None):
        """The one-time token an account-mail event carries sealed for notify."""
        from services.common.sealing import unseal

        if purpose is None:
            purpose = "reset_password" if "reset" in str(data.get("_type", "")) else "verify_email"
        return unseal(self.runtime.settings.secret_keys, purpose, data[field])

    def events(self, type_, **match):
        """Data of outbox events of `type_` whose data match `match` (as strings)."""
        with self.runtime.db.transaction() as cur:
            cur.execute("SELECT envelope FROM outbox WHERE routing_key = %s ORDER BY seq", (type_,))
            rows = [r["envelope"]["data"] for r in cur.fetchall()]
        return [d for d in rows if all(str(d.get(k)) == str(v) for k, v in match.items())]

    def count(self, sql, *params):
        with self.runtime.db.transaction() as cur:
            cur.execute(sql, params)
            return list(cur.fetchone().values())[0]


@pytest.fixture()
def api(client, members_runtime):
    return Api(client, members_runtime)
