-- Ballot secrecy against a copy of the data (issue 13); the argument is in
-- services/polls/secrecy.py and docs/security.md.

-- One sealed slot per voter while a poll is open. `slot` = HMAC(poll key, "slot", receipt): it
-- names nobody without the key. `sealed` is the ballot padded to the poll's one length, then
-- AES-GCM: every row of a poll has one length. A cast writes this row and nothing else that
-- names the member (the roll is written at close); a change replaces the row. Stored
-- uncompressed (EXTERNAL): nothing about a row's length depends on what it holds. No foreign
-- key to polls: checking it would lock the poll's row (FOR KEY SHARE), writing WAL and leaving
-- the caster's transaction id in that row's xmax (the service checks the poll exists).
CREATE TABLE ballot_slots (
    poll_id  uuid NOT NULL,
    slot     bytea NOT NULL,
    sealed   bytea NOT NULL,
    PRIMARY KEY (poll_id, slot)
);
ALTER TABLE ballot_slots ALTER COLUMN sealed SET STORAGE EXTERNAL;

-- How a poll's ballots are sealed: 1 = the roll and a sealed row written together at each cast
-- (polls already open when this migration ran keep it until they close); 2 = slots.
ALTER TABLE polls ADD COLUMN sealing smallint NOT NULL DEFAULT 2;
UPDATE polls SET sealing = 1 WHERE status = 'open';

-- Receipt-free publication: the ballots (contents, shuffled) and, apart, the sorted set of the
-- commitments (SHA-256) of the receipts that were counted. Nothing pairs the two.
CREATE TABLE counted_receipts (
    poll_id     uuid NOT NULL REFERENCES polls (id),
    commitment  text NOT NULL,
    PRIMARY KEY (poll_id, commitment)
);
INSERT INTO counted_receipts (poll_id, commitment)
    SELECT poll_id, receipt_hash FROM ballots ORDER BY poll_id, receipt_hash;
ALTER TABLE ballots DROP COLUMN receipt_hash;

-- Live results: refreshed only once at least `live_batch` new members have voted since the
-- last refresh (fixed when the poll is created); the last published snapshot.
ALTER TABLE polls ADD COLUMN live_batch integer NOT NULL DEFAULT 10 CHECK (live_batch >= 2);
CREATE TABLE live_snapshots (
    poll_id  uuid PRIMARY KEY REFERENCES polls (id),
    voters   integer NOT NULL,
    results  jsonb NOT NULL
);
