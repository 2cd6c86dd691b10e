-- A page of a large discussion (issue 15) read from indexes in its order: a subject's threads
-- (top-level comments) by time, and a comment's replies oldest first.
CREATE INDEX comments_poll_threads ON comments (poll_id, created_at, id)
    WHERE parent_id IS NULL AND poll_id IS NOT NULL;
CREATE INDEX comments_proposal_threads ON comments (proposal_id, created_at, id)
    WHERE parent_id IS NULL AND proposal_id IS NOT NULL;
DROP INDEX comments_parent;
CREATE INDEX comments_parent ON comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
