-- By-elections for empty delegate seats (issue 18).
--
-- The poll that elected each delegate mandate (from `members.mandate.granted`): a seat is filled
-- when a live mandate was won in a by-election for it. By-elections are delegate elections whose
-- details carry `by_election_for` (the mandate whose seat they fill); one per seat.
ALTER TABLE delegate_mandates ADD COLUMN poll_id text;
CREATE UNIQUE INDEX poll_purposes_by_election
    ON poll_purposes ((details->>'by_election_for'))
    WHERE details ? 'by_election_for';
