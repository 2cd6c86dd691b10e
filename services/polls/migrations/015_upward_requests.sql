-- Chapters put matters upward (issue 18): a chapter asks the level above to hold a delegate
-- poll on a question; the level above opens it or refuses with a public reason, by a deadline.
CREATE TABLE upward_requests (
    id                  uuid PRIMARY KEY,
    chapter_id          text NOT NULL,          -- the chapter asking
    parent_id           text NOT NULL,          -- the level above, asked (fixed when filed)
    title               text NOT NULL,
    text                text NOT NULL DEFAULT '',
    questions           jsonb NOT NULL,
    basis               text NOT NULL CHECK (basis IN ('mandate', 'poll')),
    decided_by_poll_id  uuid REFERENCES polls (id),
    filed_by            text NOT NULL,
    filed_at            timestamptz NOT NULL,
    answer_due_at       timestamptz NOT NULL,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'opened', 'refused')),
    answered_at         timestamptz,
    answered_by         text,
    refusal_reason      text,
    poll_id             uuid REFERENCES polls (id),
    CHECK ((basis = 'poll') = (decided_by_poll_id IS NOT NULL))
);
CREATE INDEX upward_requests_from ON upward_requests (chapter_id, filed_at DESC);
CREATE INDEX upward_requests_to ON upward_requests (parent_id, filed_at DESC);
