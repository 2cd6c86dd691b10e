-- Rights the members give and take back (issue 18).
--
-- `interim`: the bootstrapped first admin's mandate, which has an end date
-- (BOOTSTRAP_ADMIN_TERM_DAYS) and which the members' first admin election supersedes. A
-- deployment that bootstrapped its admin before this had no end date: the mandate becomes
-- interim and ends 90 days from this migration (never sooner than that, so no one loses the
-- right without warning).
ALTER TABLE mandates ADD COLUMN interim boolean NOT NULL DEFAULT false;
UPDATE mandates SET interim = true, ends_at = COALESCE(ends_at, now() + interval '90 days')
 WHERE role = 'admin' AND note = 'bootstrapped from COUNCILS_ADMIN_EMAIL'
   AND revoked_at IS NULL AND ended_announced_at IS NULL;

-- An admin's recall petition belongs to no chapter: its electorate is the organisation.
ALTER TABLE recall_petitions ALTER COLUMN chapter_id DROP NOT NULL;
