-- Which SECRET_KEY made a poll's key: a check value derived from the key (it reveals nothing
-- of it), so that after a rotation of SECRET_KEY the right secret is found among
-- SECRET_KEY_PREVIOUS, and a poll whose secret is gone is refused clearly instead of having
-- ballots sealed under a key that close could not open. NULL: made before check values.
ALTER TABLE poll_keys ADD COLUMN key_check bytea;
