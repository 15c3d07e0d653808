-- The archive of closed conversations lists them by closing time, newest first, per operator
-- too (the account-wide order uses conversations_closed from 0008).
CREATE INDEX conversations_assignee_closed ON conversations(assignee_id, closed_at) WHERE closed_at IS NOT NULL;
