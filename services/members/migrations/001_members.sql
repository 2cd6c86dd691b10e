-- Members: identity and credentials. Deleted members stay as anonymised rows (aggregates).
CREATE TABLE members (
    id                uuid PRIMARY KEY,
    email             text NOT NULL,
    password_hash     text NOT NULL,
    display_name      text NOT NULL,
    country           char(2) NOT NULL,
    language          text,
    phone             text,
    gender            text CHECK (gender IN ('woman', 'man', 'non_binary', 'other')),
    introduction      text,
    status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'active', 'deleted')),
    email_verified_at timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    activated_at      timestamptz,
    activated_by      text,
    deleted_at        timestamptz
);
CREATE UNIQUE INDEX members_email_key ON members (lower(email));
CREATE INDEX members_status ON members (status);
CREATE INDEX members_created ON members (created_at DESC);

-- One-time tokens (email verification, password reset): only their SHA-256 is stored.
CREATE TABLE member_tokens (
    token_hash  text PRIMARY KEY,
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    email       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX member_tokens_member ON member_tokens (member_id, purpose);

-- Refresh tokens rotate within a family (one login session); reuse of a rotated one revokes
-- the whole family. Only hashes are stored.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family_id   uuid NOT NULL,
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    replaced_by uuid
);
CREATE INDEX refresh_tokens_member ON refresh_tokens (member_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- An active member vouches that a pending member's introduction was written by a human.
CREATE TABLE vouches (
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    voucher_id  uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, voucher_id)
);

-- Chapters form a tree: international > national > regional > local.
CREATE TABLE chapters (
    id          uuid PRIMARY KEY,
    parent_id   uuid REFERENCES chapters (id),
    name        text NOT NULL,
    level       text NOT NULL CHECK (level IN ('international', 'national', 'regional', 'local')),
    country     char(2),
    place       text,
    continent   text,
    description text,
    founded_on  date NOT NULL DEFAULT current_date,
    founded_by  uuid REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX chapters_parent ON chapters (parent_id);
CREATE INDEX chapters_newest ON chapters (founded_on DESC, created_at DESC);

-- Direct memberships; membership of a chapter implies membership of all its ancestors.
CREATE TABLE memberships (
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    chapter_id  uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, chapter_id)
);
CREATE INDEX memberships_chapter ON memberships (chapter_id);

-- Currents: named groups across chapters, free to join and leave.
CREATE TABLE currents (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    description text,
    created_by  uuid REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX currents_name_key ON currents (lower(name));

CREATE TABLE current_memberships (
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    current_id  uuid NOT NULL REFERENCES currents (id) ON DELETE CASCADE,
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, current_id)
);
CREATE INDEX current_memberships_current ON current_memberships (current_id);

-- Roles are mandates: a member, a role, a scope (a chapter, or the whole organisation when
-- chapter_id is NULL), a start, an optional end; revocable.
CREATE TABLE mandates (
    id          uuid PRIMARY KEY,
    member_id   uuid NOT NULL REFERENCES members (id),
    role        text NOT NULL CHECK (role IN ('admin', 'coordinator')),
    chapter_id  uuid REFERENCES chapters (id),
    starts_at   timestamptz NOT NULL DEFAULT now(),
    ends_at     timestamptz,
    granted_by  uuid REFERENCES members (id),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    note        text,
    revoked_at  timestamptz,
    revoked_by  uuid REFERENCES members (id),
    revoke_reason text,
    CHECK ((role = 'admin') = (chapter_id IS NULL))
);
CREATE INDEX mandates_member ON mandates (member_id);
CREATE INDEX mandates_chapter ON mandates (chapter_id);

-- The public audit log of every grant and revocation (and other acts of delegated power).
CREATE TABLE audit_log (
    seq         bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    action      text NOT NULL,
    actor_id    uuid,
    member_id   uuid,
    mandate_id  uuid,
    role        text,
    chapter_id  uuid,
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- Meetings recorded by coordinators (the "active" part of a working chapter).
CREATE TABLE meetings (
    id          uuid PRIMARY KEY,
    chapter_id  uuid NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    held_on     date NOT NULL,
    note        text,
    recorded_by uuid REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_chapter ON meetings (chapter_id, held_on DESC);

-- Founding-convention targets.
CREATE TABLE targets (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL
                CHECK (kind IN ('members', 'working_chapters', 'women_share', 'countries',
                                'continents')),
    target      numeric NOT NULL CHECK (target >= 0),
    deadline    date,
    position    integer NOT NULL DEFAULT 0,
    created_by  uuid REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Fixed-window counters for rate limits, shared by every process of the service.
CREATE TABLE rate_counters (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);
