-- Contact replica, fed by members' events: where and how to reach a member.
CREATE TABLE contacts (
    member_id       text PRIMARY KEY,
    email           text,
    email_verified  boolean NOT NULL DEFAULT false,
    phone           text,                       -- E.164, or NULL
    language        text NOT NULL DEFAULT 'en',
    display_name    text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'pending',
    deleted         boolean NOT NULL DEFAULT false,  -- tombstone: late events never revive it
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_active ON contacts (member_id) WHERE status = 'active' AND NOT deleted;

-- Memberships replica (chapters, with their ancestors, so a scope includes sub-chapters).
CREATE TABLE memberships (
    member_id   text NOT NULL,
    chapter_id  text NOT NULL,
    ancestors   text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (member_id, chapter_id)
);
CREATE INDEX memberships_chapter ON memberships (chapter_id);
CREATE INDEX memberships_ancestors ON memberships USING gin (ancestors);

-- Preferences per member and category; no row means the default (email on, SMS off).
CREATE TABLE preferences (
    member_id   text NOT NULL,
    category    text NOT NULL,
    email       boolean NOT NULL,
    sms         boolean NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, category)
);

-- One notification per event (or newsletter): what to say, to which audience.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,               -- the event id, or the newsletter id
    kind        text NOT NULL,                  -- template name
    category    text NOT NULL,
    context     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The outbox of deliveries: one row per (notification, member, channel), whatever redeliveries.
CREATE TABLE deliveries (
    id               bigserial PRIMARY KEY,
    notification_id  uuid NOT NULL REFERENCES notifications (id),
    member_id        text NOT NULL,
    channel          text NOT NULL CHECK (channel IN ('email', 'sms')),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    address          text,
    message_id       text,
    segments         integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (notification_id, member_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (channel, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_member ON deliveries (member_id, id DESC);

-- Newsletters written by admins; fanned out into deliveries by the worker, once.
CREATE TABLE newsletters (
    id            uuid PRIMARY KEY,
    subject       text NOT NULL,
    body          text NOT NULL,
    translations  jsonb NOT NULL DEFAULT '{}',
    scope         jsonb NOT NULL,
    channels      text[] NOT NULL DEFAULT '{email}',
    created_by    text NOT NULL,
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending')),
    recipients    integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    fanned_out_at timestamptz
);
CREATE INDEX newsletters_queued ON newsletters (created_at) WHERE status = 'queued';
