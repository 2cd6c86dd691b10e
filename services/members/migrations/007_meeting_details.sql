-- Meetings in fields of their own (they were packed into the note): place, agenda, minutes,
-- the number present, and optionally which members were present; edits are dated.
ALTER TABLE meetings
    ADD COLUMN place      text,
    ADD COLUMN agenda     text,
    ADD COLUMN minutes    text,
    ADD COLUMN attendance integer CHECK (attendance IS NULL OR attendance >= 0),
    ADD COLUMN updated_at timestamptz;

CREATE TABLE meeting_attendees (
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id  uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendees_member ON meeting_attendees (member_id);
