-- Appointed coordinator and admin mandates are interim (issue 18, docs/governance.md "Rights
-- the members give and take back"): the members grant these rights by election; an
-- appointment only bridges the time until they do, and always ends (INTERIM_MANDATE_DAYS).
--
-- Every live coordinator or admin mandate that no election granted becomes interim; one with no
-- end, or an end further away than 90 days, ends 90 days from this migration (an earlier end is
-- kept): nobody loses a right without warning, nobody keeps one the members did not give.
UPDATE mandates md SET interim = true, ends_at = LEAST(md.ends_at, now() + interval '90 days')
 WHERE md.role IN ('admin', 'coordinator')
   AND md.revoked_at IS NULL AND md.ended_announced_at IS NULL
   AND (md.ends_at IS NULL OR md.ends_at > now())
   AND NOT EXISTS (SELECT 1 FROM delegate_elections_recorded er WHERE er.mandate_id = md.id);

-- Whether a mandate was elected is asked of every mandate listed.
CREATE INDEX IF NOT EXISTS delegate_elections_recorded_mandate
    ON delegate_elections_recorded (mandate_id);
