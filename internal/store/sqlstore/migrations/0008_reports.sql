-- Reports (DESIGN §2.11, the supervisor view): the first operator reply of each conversation,
-- kept on the conversation when it happens, and indexes to pick conversations by creation and
-- by closing time. None of this is touched per message except first_reply_at, which is set by
-- the update every operator reply already makes.
ALTER TABLE conversations ADD COLUMN first_reply_at INTEGER;

UPDATE conversations SET first_reply_at = (
    SELECT MIN(m.created_at) FROM messages m
    WHERE m.conversation_id = conversations.id AND m.author_type = 'operator' AND m.kind <> 'comment');

CREATE INDEX conversations_created ON conversations(account_id, created_at);
CREATE INDEX conversations_closed ON conversations(account_id, closed_at) WHERE closed_at IS NOT NULL;
