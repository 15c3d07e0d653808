-- Conversation search (issue 17, docs/search.md; SQLite: migrations/0025_search.sql).
-- Messages: the text operators read (text and internal comments; a mail's new text, not the
-- quoted thread) as a tsvector of the `russian` configuration (Snowball Russian for Cyrillic
-- words, English for ASCII ones), ё folded as е; a generated column, so every write keeps it,
-- and a GIN index.
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
    CASE WHEN kind IN ('text', 'comment') THEN to_tsvector('russian'::regconfig, translate(text, 'Ёё', 'Ее')) END) STORED;
CREATE INDEX messages_search ON messages USING gin (search);

-- The read rule asks, for a closed conversation, whether an operator wrote in it: one index
-- lookup instead of reading the conversation's messages (search scans many conversations).
CREATE INDEX messages_operator ON messages(author_id, conversation_id) WHERE author_type = 'operator';

-- Visitors: name and email (lower case, ё as е) and the phone's digits, by trigrams, so any
-- part of at least three characters finds them (pg_trgm: a trusted extension, created by
-- the database's owner).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX visitors_search ON visitors USING gin ((lower(translate(name, 'Ёё', 'Ее')) || ' ' || lower(email)) gin_trgm_ops);
CREATE INDEX visitors_phone ON visitors USING gin ((regexp_replace(phone, '[^0-9]', '', 'g')) gin_trgm_ops);
