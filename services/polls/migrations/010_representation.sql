-- Representation without holes (issue 18): every member of a delegate poll's scope counted once.

-- When polls learnt of a membership: a member in several chapters under a delegate poll's
-- chapter counts in the child chapter they joined first.
ALTER TABLE replica_memberships ADD COLUMN joined_at timestamptz NOT NULL DEFAULT now();

-- When and why a delegate's seat emptied (revoked: resigned, recalled, …; ended: term, superseded).
ALTER TABLE delegate_mandates ADD COLUMN ended_at timestamptz;
ALTER TABLE delegate_mandates ADD COLUMN end_reason text;

-- How a delegate poll's scope was represented when its electorate was fixed, one row per child
-- chapter (kind 'chapter': its members, the seats it elected, how many were filled, and each empty
-- seat's weight with its reason and since when) and one for the direct members (kind 'direct').
CREATE TABLE poll_representation (
    poll_id        uuid NOT NULL REFERENCES polls (id),
    chapter_id     text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('chapter', 'direct')),
    members        integer NOT NULL,
    seats          integer NOT NULL,
    filled         integer NOT NULL,
    unrepresented  jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (poll_id, chapter_id, kind)
);

-- The weight of the seat each delegate holds in a delegate poll (a member holding two seats has
-- their sum in `electorate`).
ALTER TABLE delegate_electors ADD COLUMN weight integer;
