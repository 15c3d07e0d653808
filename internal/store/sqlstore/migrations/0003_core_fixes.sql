-- Core fixes: an admin can deactivate an operator (they can no longer log in; their sessions
-- end). Deactivated operators keep their history and are never deleted.
ALTER TABLE operators ADD COLUMN deactivated INTEGER NOT NULL DEFAULT 0;
