-- Affected scopes (issue 18): a poll may weight the members of the chapters it affects most,
-- stated with a reason on the ballot; members may challenge the weights while it is scheduled.
CREATE TABLE poll_affected (
    poll_id     uuid NOT NULL REFERENCES polls (id),
    chapter_id  text NOT NULL,
    weight      integer NOT NULL CHECK (weight BETWEEN 2 AND 5),
    reason      text NOT NULL,
    -- Set when the poll opened: true if a challenge petition reached its threshold before.
    set_aside   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (poll_id, chapter_id)
);

CREATE TABLE poll_challenges (
    poll_id     uuid NOT NULL REFERENCES polls (id),
    member_id   text NOT NULL,
    reason      text NOT NULL,
    filed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (poll_id, member_id)
);
