-- Issue 16. A newsletter may be scheduled: it stays `queued` until `send_at`, when the fan-out
-- claims it like any queued one (FOR UPDATE SKIP LOCKED, fanned out in one transaction, so a
-- restart around its time sends it once). Until then an admin may move or cancel it.
ALTER TABLE newsletters ADD COLUMN send_at timestamptz;
ALTER TABLE newsletters ADD COLUMN cancelled_at timestamptz;
ALTER TABLE newsletters ADD COLUMN cancelled_by text;
ALTER TABLE newsletters DROP CONSTRAINT newsletters_status_check;
ALTER TABLE newsletters ADD CONSTRAINT newsletters_status_check
    CHECK (status IN ('queued', 'sending', 'cancelled'));
DROP INDEX newsletters_queued;
CREATE INDEX newsletters_queued ON newsletters (coalesce(send_at, created_at)) WHERE status = 'queued';
