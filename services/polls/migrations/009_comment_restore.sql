-- A hidden comment may be restored by a moderator with a public reason; moderators list the
-- hidden comments, latest hidden first.
ALTER TABLE comments
    ADD COLUMN hidden_at       timestamptz,
    ADD COLUMN restored_reason text,
    ADD COLUMN restored_at     timestamptz,
    ADD COLUMN restored_by     text;
CREATE INDEX comments_hidden ON comments (hidden_at DESC, id) WHERE hidden_reason IS NOT NULL;
