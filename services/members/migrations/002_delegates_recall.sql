-- Delegates and recall (issue 7).
--
-- A delegate mandate is a row of `mandates` with role 'delegate' and chapter_id = the chapter
-- it represents (at the level above); `delegate_terms` keeps what the election fixed: the poll,
-- the members represented at that moment, the term.
ALTER TABLE mandates DROP CONSTRAINT IF EXISTS mandates_role_check;
ALTER TABLE mandates ADD CONSTRAINT mandates_role_check
    CHECK (role IN ('admin', 'coordinator', 'delegate'));

CREATE TABLE delegate_terms (
    mandate_id          uuid PRIMARY KEY REFERENCES mandates (id),
    chapter_id          uuid NOT NULL REFERENCES chapters (id),
    poll_id             text NOT NULL,
    members_represented integer NOT NULL,
    elected_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (poll_id, mandate_id)
);
CREATE INDEX delegate_terms_chapter ON delegate_terms (chapter_id);
-- One mandate per elected member per election, however often the close is delivered.
CREATE TABLE delegate_elections_recorded (
    poll_id    text NOT NULL,
    member_id  uuid NOT NULL,
    mandate_id uuid NOT NULL REFERENCES mandates (id),
    PRIMARY KEY (poll_id, member_id)
);

-- Per-chapter recall rules; no row means the defaults (RECALL_* settings).
CREATE TABLE recall_settings (
    chapter_id         uuid PRIMARY KEY REFERENCES chapters (id),
    threshold_percent  numeric NOT NULL CHECK (threshold_percent > 0 AND threshold_percent <= 100),
    threshold_minimum  integer NOT NULL CHECK (threshold_minimum >= 1),
    petition_days      integer NOT NULL CHECK (petition_days >= 1),
    cooling_off_days   integer NOT NULL CHECK (cooling_off_days >= 0),
    vote_hours         integer NOT NULL CHECK (vote_hours >= 1),
    updated_by         uuid REFERENCES members (id),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Recall petitions: open → threshold_reached → voting → revoked | kept; or expired.
CREATE TABLE recall_petitions (
    id                 uuid PRIMARY KEY,
    mandate_id         uuid NOT NULL REFERENCES mandates (id),
    chapter_id         uuid NOT NULL REFERENCES chapters (id),
    delegate_id        uuid NOT NULL REFERENCES members (id),
    opened_by          uuid NOT NULL REFERENCES members (id),
    reason             text NOT NULL,
    status             text NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'threshold_reached', 'voting', 'revoked',
                                         'kept', 'expired')),
    threshold          integer NOT NULL,
    members_at_opening integer NOT NULL,
    vote_hours         integer NOT NULL,
    cooling_off_days   integer NOT NULL,
    opened_at          timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    threshold_at       timestamptz,
    poll_id            text,
    decided_at         timestamptz,
    votes_for          integer,
    votes_against      integer,
    cooling_off_until  timestamptz
);
-- At most one live petition per mandate.
CREATE UNIQUE INDEX recall_petitions_live ON recall_petitions (mandate_id)
    WHERE status IN ('open', 'threshold_reached', 'voting');
CREATE INDEX recall_petitions_chapter ON recall_petitions (chapter_id, opened_at DESC);
CREATE INDEX recall_petitions_expiring ON recall_petitions (expires_at) WHERE status = 'open';

CREATE TABLE recall_signatures (
    petition_id  uuid NOT NULL REFERENCES recall_petitions (id),
    member_id    uuid NOT NULL REFERENCES members (id),
    signed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (petition_id, member_id)
);
