-- Polls: the electorate replica fed by members' events, polls and their questions, the roll
-- (who voted), sealed ballots waiting for close, and the published ballots (what was voted).
--
-- Ballot secrecy (see services/polls/secrecy.py for the whole argument): `roll` and `ballots`
-- share no id and no timestamp. While a poll is open a cast writes its roll row and a *sealed*
-- ballot (AES-GCM under a per-poll key derived from SECRET_KEY, which never enters the database,
-- and the poll's salt) into `sealed_ballots`; at close the sealed ballots are opened, shuffled and
-- written into `ballots` in one transaction, and the salt is deleted, so the key is gone.

-- Replica of members: status of every member, memberships with ancestors, mandates, chapters.
CREATE TABLE replica_members (
    member_id   text PRIMARY KEY,
    status      text NOT NULL,
    deleted     boolean NOT NULL DEFAULT false
);

CREATE TABLE replica_chapters (
    chapter_id  text PRIMARY KEY,
    parent_id   text,
    name        text NOT NULL,
    level       text
);

CREATE TABLE replica_memberships (
    member_id   text NOT NULL,
    chapter_id  text NOT NULL,
    ancestors   text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (member_id, chapter_id)
);
CREATE INDEX replica_memberships_chapter ON replica_memberships (chapter_id);
CREATE INDEX replica_memberships_ancestors ON replica_memberships USING gin (ancestors);

CREATE TABLE replica_currents (
    member_id   text NOT NULL,
    current_id  text NOT NULL,
    PRIMARY KEY (member_id, current_id)
);

CREATE TABLE replica_mandates (
    mandate_id  text PRIMARY KEY,
    member_id   text NOT NULL,
    role        text NOT NULL,
    chapter_id  text,
    revoked     boolean NOT NULL DEFAULT false
);
CREATE INDEX replica_mandates_member ON replica_mandates (member_id) WHERE NOT revoked;

-- Polls and questions.
CREATE TABLE polls (
    id            uuid PRIMARY KEY,
    title         text NOT NULL,
    text          text NOT NULL DEFAULT '',
    scope_type    text NOT NULL CHECK (scope_type IN ('organisation', 'chapter', 'current')),
    scope_id      text,
    status        text NOT NULL CHECK (status IN ('scheduled', 'open', 'closed')),
    opens_at      timestamptz NOT NULL,
    closes_at     timestamptz NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    opened_at     timestamptz,
    closed_at     timestamptz,
    closed_by     text,
    live_results  boolean NOT NULL DEFAULT false,
    proposal_id   uuid,
    electorate    integer,
    voters        integer,
    results       jsonb,
    closing_soon_sent boolean NOT NULL DEFAULT false
);
CREATE INDEX polls_due_open ON polls (opens_at) WHERE status = 'scheduled';
CREATE INDEX polls_due_close ON polls (closes_at) WHERE status = 'open';
CREATE INDEX polls_listing ON polls (created_at DESC);

CREATE TABLE questions (
    id         uuid PRIMARY KEY,
    poll_id    uuid NOT NULL REFERENCES polls (id),
    position   integer NOT NULL,
    text       text NOT NULL,
    method     text NOT NULL,
    options    jsonb NOT NULL,
    settings   jsonb NOT NULL DEFAULT '{}',
    UNIQUE (poll_id, position)
);

-- Deadline changes are public: each is logged with who, when and why.
CREATE TABLE deadline_changes (
    poll_id        uuid NOT NULL REFERENCES polls (id),
    old_closes_at  timestamptz NOT NULL,
    new_closes_at  timestamptz NOT NULL,
    reason         text NOT NULL,
    changed_by     text NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deadline_changes_poll ON deadline_changes (poll_id);

-- The electorate, fixed when the poll opens; weight for delegate polls (1 otherwise).
CREATE TABLE electorate (
    poll_id    uuid NOT NULL REFERENCES polls (id),
    member_id  text NOT NULL,
    weight     integer NOT NULL DEFAULT 1,
    PRIMARY KEY (poll_id, member_id)
);

-- The per-poll salt; with SECRET_KEY (outside the database) it gives the poll's key. Deleted
-- at close: from then on nobody can recompute receipts or open sealed ballots.
CREATE TABLE poll_keys (
    poll_id  uuid PRIMARY KEY REFERENCES polls (id),
    salt     bytea NOT NULL
);

-- The roll: who voted. No timestamp. `retry_tag` = HMAC(poll key, member, Idempotency-Key) lets
-- a retried request be recognised while the poll is open; cleared at close.
CREATE TABLE roll (
    poll_id    uuid NOT NULL REFERENCES polls (id),
    member_id  text NOT NULL,
    retry_tag  text,
    PRIMARY KEY (poll_id, member_id)
);

-- Sealed ballots while open: random id, opaque ciphertext, nothing else. Emptied at close.
CREATE TABLE sealed_ballots (
    id       uuid PRIMARY KEY,
    poll_id  uuid NOT NULL REFERENCES polls (id),
    sealed   bytea NOT NULL
);
CREATE INDEX sealed_ballots_poll ON sealed_ballots (poll_id);

-- Published ballots: random id, the receipt's hash, the answers. No timestamp, no member.
-- All of a poll's rows are written by the one close transaction, in shuffled order.
CREATE TABLE ballots (
    id            uuid PRIMARY KEY,
    poll_id       uuid NOT NULL REFERENCES polls (id),
    receipt_hash  text NOT NULL,
    weight        integer NOT NULL DEFAULT 1,
    answers       jsonb NOT NULL,
    UNIQUE (poll_id, receipt_hash)
);

-- Members' drafts for coordinators (or admins) to open as polls.
CREATE TABLE proposals (
    id          uuid PRIMARY KEY,
    title       text NOT NULL,
    text        text NOT NULL DEFAULT '',
    scope_type  text NOT NULL,
    scope_id    text,
    questions   jsonb NOT NULL,
    author_id   text NOT NULL,
    status      text NOT NULL CHECK (status IN ('draft', 'opened', 'withdrawn')),
    poll_id     uuid REFERENCES polls (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposals_listing ON proposals (created_at DESC);

-- Deliberation: comments on a poll or a proposal, with replies, reactions and moderation
-- that hides with a public reason rather than deleting.
CREATE TABLE comments (
    id           uuid PRIMARY KEY,
    poll_id      uuid REFERENCES polls (id),
    proposal_id  uuid REFERENCES proposals (id),
    parent_id    uuid REFERENCES comments (id),
    author_id    text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    hidden_reason text,
    hidden_by    text,
    CHECK ((poll_id IS NULL) <> (proposal_id IS NULL))
);
CREATE INDEX comments_poll ON comments (poll_id, created_at);
CREATE INDEX comments_proposal ON comments (proposal_id, created_at);

CREATE TABLE comment_reactions (
    comment_id  uuid NOT NULL REFERENCES comments (id),
    member_id   text NOT NULL,
    reaction    text NOT NULL CHECK (reaction IN ('like', 'dislike')),
    PRIMARY KEY (comment_id, member_id)
);
