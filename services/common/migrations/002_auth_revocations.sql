-- Issue 13: access tokens stop working before their `exp` when their session ends or their
-- member is suspended or deleted. Every service keeps this deny-list in its own schema, fed by
-- members' events (members writes its own directly); see services/common/revocation.py.
CREATE TABLE auth_revoked_sessions (
    session_id  text PRIMARY KEY,
    member_id   text NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_revoked_sessions_at ON auth_revoked_sessions (revoked_at);

CREATE TABLE auth_blocked_members (
    member_id   text PRIMARY KEY,
    reason      text NOT NULL,
    since       timestamptz NOT NULL DEFAULT now()
);
