-- Rights the members give (issue 18): coordinator and admin elections are polls with a purpose
-- like delegate elections. An admin election and the recall vote of an admin belong to no
-- chapter (chapter_id NULL) unless the delegates elect the admins (then: the top chapter).
ALTER TABLE poll_purposes DROP CONSTRAINT IF EXISTS poll_purposes_purpose_check;
ALTER TABLE poll_purposes ADD CONSTRAINT poll_purposes_purpose_check CHECK (purpose IN (
    'delegate_election', 'delegate_poll', 'recall', 'coordinator_election', 'admin_election'));
ALTER TABLE poll_purposes ALTER COLUMN chapter_id DROP NOT NULL;
