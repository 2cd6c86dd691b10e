-- A scheduled poll may be edited (title, text, times, questions) and cancelled, with a public
-- reason, until it opens.
ALTER TABLE polls DROP CONSTRAINT IF EXISTS polls_status_check;
ALTER TABLE polls ADD CONSTRAINT polls_status_check
    CHECK (status IN ('scheduled', 'open', 'closed', 'cancelled'));
ALTER TABLE polls
    ADD COLUMN edited_at     timestamptz,
    ADD COLUMN cancelled_at  timestamptz,
    ADD COLUMN cancelled_by  text,
    ADD COLUMN cancel_reason text;
