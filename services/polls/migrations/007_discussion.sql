-- Discussion (issue 15): members' names for the discussion, edits within a window, mentions,
-- reports for moderators, and the indexes that keep a thousand-comment discussion paged.

-- Display names in the replica (from members' registered, contact_changed and snapshot events).
ALTER TABLE replica_members ADD COLUMN display_name text;
-- `@AnaGarcia` names the member whose display name is "Ana García" without spaces, dots or
-- underscores, case-insensitively.
CREATE INDEX replica_members_handle
    ON replica_members (lower(regexp_replace(display_name, '[[:space:]._]', '', 'g')));

ALTER TABLE comments ADD COLUMN edited_at timestamptz;
CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE comment_mentions (
    comment_id  uuid NOT NULL REFERENCES comments (id),
    member_id   text NOT NULL,
    handle      text NOT NULL,
    PRIMARY KEY (comment_id, member_id)
);

-- A member reports a comment once; moderators see open reports, and hiding the comment or
-- dismissing its reports closes them.
CREATE TABLE comment_reports (
    comment_id   uuid NOT NULL REFERENCES comments (id),
    member_id    text NOT NULL,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolved_by  text,
    PRIMARY KEY (comment_id, member_id)
);
CREATE INDEX comment_reports_open ON comment_reports (created_at) WHERE resolved_at IS NULL;
