-- Published ballots get their random ids from PostgreSQL (gen_random_uuid: version 4, from a
-- strong random source), so that closing a poll streams only what was voted into COPY.
ALTER TABLE ballots ALTER COLUMN id SET DEFAULT gen_random_uuid();
