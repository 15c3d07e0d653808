-- Conversation search (issue 17, docs/search.md). FTS5 tokenizers cannot be written in Go for
-- this SQLite, so the index holds a stemmed copy of each message's text: the functions
-- livedesk_search_terms (the stems, each prefixed by the account: "12xзаказ"),
-- livedesk_search_fold (lower case, ё as е) and livedesk_search_digits are the Go code of
-- internal/search, registered with the driver by the store (a program without them, such
-- as the sqlite3 shell, cannot write messages or visitors of this database). The triggers
-- keep both indexes in step with every write, in the writing transaction.

-- Messages: the text operators read (text and internal comments; a mail's new text, not the
-- quoted thread), rowid = messages.id. Contentless: only the index is stored.
CREATE VIRTUAL TABLE message_search USING fts5(terms, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.kind IN ('text', 'comment') BEGIN
    INSERT INTO message_search(rowid, terms) VALUES (new.id, livedesk_search_terms(new.account_id, new.text));
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF text, kind ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id;
    INSERT INTO message_search(rowid, terms) SELECT new.id, livedesk_search_terms(new.account_id, new.text)
        WHERE new.kind IN ('text', 'comment');
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id;
END;

INSERT INTO message_search(rowid, terms)
    SELECT id, livedesk_search_terms(account_id, text) FROM messages WHERE kind IN ('text', 'comment');

-- The read rule asks, for a closed conversation, whether an operator wrote in it: one index
-- lookup instead of reading the conversation's messages (search scans many conversations).
CREATE INDEX messages_operator ON messages(author_id, conversation_id) WHERE author_type = 'operator';

-- Visitors: name and email folded, the phone's digits; trigrams, so any part of at least
-- three characters finds them. rowid = visitors.id.
CREATE VIRTUAL TABLE visitor_search USING fts5(name, email, phone, content = '', contentless_delete = 1,
    tokenize = 'trigram case_sensitive 0');

CREATE TRIGGER visitors_search_insert AFTER INSERT ON visitors BEGIN
    INSERT INTO visitor_search(rowid, name, email, phone)
        VALUES (new.id, livedesk_search_fold(new.name), livedesk_search_fold(new.email), livedesk_search_digits(new.phone));
END;
CREATE TRIGGER visitors_search_update AFTER UPDATE OF name, email, phone ON visitors BEGIN
    DELETE FROM visitor_search WHERE rowid = old.id;
    INSERT INTO visitor_search(rowid, name, email, phone)
        VALUES (new.id, livedesk_search_fold(new.name), livedesk_search_fold(new.email), livedesk_search_digits(new.phone));
END;
CREATE TRIGGER visitors_search_delete AFTER DELETE ON visitors BEGIN
    DELETE FROM visitor_search WHERE rowid = old.id;
END;

INSERT INTO visitor_search(rowid, name, email, phone)
    SELECT id, livedesk_search_fold(name), livedesk_search_fold(email), livedesk_search_digits(phone) FROM visitors;
