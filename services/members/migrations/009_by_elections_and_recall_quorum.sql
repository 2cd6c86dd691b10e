-- By-elections for empty delegate seats and a recall quorum by default (issue 18).
--
-- A recall vote needs a quorum by default: a fifth (20 %) of the chapter's active members must
-- vote. Chapters whose rules said 0 (the old default, never decided by the chapter) get 20; a
-- chapter may set 0 again only with the closed chapter poll that decided it
-- (`quorum_decided_by_poll_id`). Petitions already open keep the quorum they fixed.
ALTER TABLE recall_settings ALTER COLUMN quorum_percent SET DEFAULT 20;
UPDATE recall_settings SET quorum_percent = 20 WHERE quorum_percent = 0;
ALTER TABLE recall_settings ADD COLUMN quorum_decided_by_poll_id text;
ALTER TABLE recall_petitions ALTER COLUMN quorum_percent SET DEFAULT 20;

-- What fills a delegate seat that empties before its term ends: a by-election (default) or the
-- next candidate of the original STV count. A chapter setting, audited when it changes.
ALTER TABLE recall_settings ADD COLUMN vacancy_rule text NOT NULL DEFAULT 'by_election'
    CHECK (vacancy_rule IN ('by_election', 'next_candidate'));

-- The chapter polls that closed (from polls' `polls.poll.closed`): a recorded chapter decision
-- is one of these.
CREATE TABLE closed_chapter_polls (
    poll_id     text PRIMARY KEY,
    chapter_id  uuid NOT NULL,
    title       text,
    closed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX closed_chapter_polls_chapter ON closed_chapter_polls (chapter_id);

-- A mandate won in a by-election fills the seat of the mandate named here, to that seat's end.
ALTER TABLE delegate_terms ADD COLUMN by_election_for uuid REFERENCES mandates (id);
