-- The federation's levels come from configuration (FEDERATION_LEVELS, issue 18): the service
-- checks a chapter's level against it, the table no longer fixes four names.
ALTER TABLE chapters DROP CONSTRAINT IF EXISTS chapters_level_check;
