-- The replica as members' events and snapshots carry it: the currents members founded, and the
-- time window of each mandate (members emits no event when a mandate starts or ends, so polls
-- compares `starts_at` / `ends_at` with the clock).
CREATE TABLE replica_current_names (
    current_id  text PRIMARY KEY,
    name        text NOT NULL
);

ALTER TABLE replica_mandates
    ADD COLUMN starts_at timestamptz,
    ADD COLUMN ends_at   timestamptz;
