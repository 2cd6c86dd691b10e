-- Issue 13. Admins suspend (and restore) accounts; a suspended member's tokens stop working.
ALTER TABLE members ADD COLUMN suspended_at timestamptz, ADD COLUMN suspend_reason text;

-- Vouching cannot mint voters: a vouch over the voucher's limit is refused, and one from a
-- member who was themselves vouched in within the window is kept (visible to admins) but does
-- not count towards activation.
ALTER TABLE vouches ADD COLUMN counted boolean NOT NULL DEFAULT true;
CREATE INDEX vouches_voucher ON vouches (voucher_id, created_at);

-- Failed logins per (account, address) and per address: growing delays (see service.login).
CREATE TABLE login_failures (
    key            text PRIMARY KEY,
    failures       integer NOT NULL DEFAULT 0,
    last_failed_at timestamptz NOT NULL DEFAULT now(),
    blocked_until  timestamptz
);

-- Published events that carried a sealed one-time token are deleted from the outbox at once
-- (store.prune_sent_account_events); this index keeps that cheap on a large outbox.
CREATE INDEX outbox_sent_account_mail ON outbox (seq)
    WHERE sent_at IS NOT NULL AND routing_key IN ('members.member.registered',
        'members.member.verification_requested', 'members.member.password_reset_requested');
