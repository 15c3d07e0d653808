-- Who took part in a conversation (issue 13, item 10: an operator reads closed conversations
-- they took part in) is looked up in its transfers, by conversation.
CREATE INDEX transfers_conversation ON transfers(conversation_id);
