-- Sessions end after an idle time (issue 13, item 11): seen_at is when the session last made
-- an authenticated request or held a socket, updated at most about once a minute.
ALTER TABLE sessions ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET seen_at = created_at;
CREATE INDEX sessions_operator ON sessions(operator_id);
