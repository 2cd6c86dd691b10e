-- Issue 16. Admins refuse a pending member with a reason the member sees when logging in.
ALTER TABLE members DROP CONSTRAINT IF EXISTS members_status_check;
ALTER TABLE members ADD CONSTRAINT members_status_check
    CHECK (status IN ('pending', 'active', 'deleted', 'rejected'));
ALTER TABLE members ADD COLUMN rejected_at timestamptz, ADD COLUMN reject_reason text;
