-- Appointed (interim) coordinator and admin mandates (issue 18): members says so in every
-- mandate event (`interim`). An interim coordinator does not stop the chapter's members from
-- launching their own coordinator election. Mandates replicated before this are taken as not
-- interim until members re-announces them (as before: only a chapter without any coordinator
-- launches its own election).
ALTER TABLE replica_mandates ADD COLUMN interim boolean NOT NULL DEFAULT false;
