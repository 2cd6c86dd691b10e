-- Issue 18: an upward request past its deadline without an answer is announced once
-- (`polls.upward_request.overdue`, from the scheduler); this says when it was.
ALTER TABLE upward_requests ADD COLUMN overdue_announced_at timestamptz;
CREATE INDEX upward_requests_overdue ON upward_requests (answer_due_at)
    WHERE status = 'pending' AND overdue_announced_at IS NULL;
