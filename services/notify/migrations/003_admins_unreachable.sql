-- Issue 13. Admin rights are checked against notify's own replica of the admin mandates (fed by
-- members.mandate.* and member snapshots), never against a token's `admin` claim.
CREATE TABLE admin_mandates (
    mandate_id  text PRIMARY KEY,
    member_id   text NOT NULL,
    ends_at     timestamptz
);
CREATE INDEX admin_mandates_member ON admin_mandates (member_id);

-- How many members of a newsletter's scope it could not reach, and why (at fan-out):
-- {"email": {"unverified": n, "opted_out": n, "no_address": n}, "sms": {...}}.
ALTER TABLE newsletters ADD COLUMN unreachable jsonb;
