-- Issue 18: a poll opened from a members' proposal opens by this time at the latest
-- (POLLS_PROPOSAL_OPEN_MAX_DAYS after it was opened from the proposal); editing the scheduled
-- poll cannot move its opening later. NULL: not opened from a proposal.
ALTER TABLE polls ADD COLUMN opens_by timestamptz;
-- Scheduled polls of proposals already opened keep their date, and cannot be moved later.
UPDATE polls SET opens_by = greatest(opens_at, created_at + interval '30 days')
    WHERE proposal_id IS NOT NULL AND status = 'scheduled';
