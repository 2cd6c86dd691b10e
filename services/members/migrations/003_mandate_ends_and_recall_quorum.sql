-- Mandates whose term ends are announced once (`members.mandate.ended`); recall quorum.
--
-- `ended_announced_at`: when the worker (term over) or a new delegate election (superseded)
-- announced the end of this mandate; NULL while that has not happened. The partial index keeps
-- the periodic job's look-up of due mandates cheap.
ALTER TABLE mandates ADD COLUMN ended_announced_at timestamptz;
CREATE INDEX mandates_end_due ON mandates (ends_at)
    WHERE ended_announced_at IS NULL AND revoked_at IS NULL AND ends_at IS NOT NULL;

-- Optional recall quorum per chapter: the share (percent) of the recall vote's electorate that
-- must vote for the outcome to count; 0 = no quorum. A petition fixes it when it opens, like its
-- threshold; below it the mandate is kept and the petition says why (`outcome_reason`).
ALTER TABLE recall_settings ADD COLUMN quorum_percent numeric NOT NULL DEFAULT 0
    CHECK (quorum_percent >= 0 AND quorum_percent <= 100);
ALTER TABLE recall_petitions ADD COLUMN quorum_percent numeric NOT NULL DEFAULT 0;
ALTER TABLE recall_petitions ADD COLUMN voters integer;
ALTER TABLE recall_petitions ADD COLUMN electorate integer;
ALTER TABLE recall_petitions ADD COLUMN outcome_reason text;
