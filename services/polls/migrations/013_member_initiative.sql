-- Member initiative (issue 18): members support a proposal; once supporters reach the
-- threshold of the scope's active members, the scheduler opens it as a poll at the end of its
-- discussion period, without a coordinator.
ALTER TABLE proposals ADD COLUMN discussion_ends_at timestamptz;
UPDATE proposals SET discussion_ends_at = created_at + interval '7 days';
ALTER TABLE proposals ALTER COLUMN discussion_ends_at SET NOT NULL;
-- Set when the scheduler opened it on its supporters' strength (null: opened by a mandate).
ALTER TABLE proposals ADD COLUMN initiative_opened_at timestamptz;
CREATE INDEX proposals_discussion_due ON proposals (discussion_ends_at) WHERE status = 'draft';

CREATE TABLE proposal_supporters (
    proposal_id   uuid NOT NULL REFERENCES proposals (id),
    member_id     text NOT NULL,
    supported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (proposal_id, member_id)
);

-- A chapter's own threshold, set by a closed poll of that chapter (the recorded decision).
CREATE TABLE initiative_thresholds (
    chapter_id   text PRIMARY KEY,
    share        numeric NOT NULL CHECK (share > 0 AND share <= 1),
    minimum      integer NOT NULL CHECK (minimum >= 1),
    decided_by_poll_id uuid NOT NULL REFERENCES polls (id),
    set_by       text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
