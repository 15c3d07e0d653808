-- Ratings (issue 17, CSAT), as SQLite's 0026_ratings.sql: one rating per conversation, its
-- scale, score, comment and source; the outbox marks the closing mail that asks for one.
CREATE TABLE ratings (
    conversation_id BIGINT   PRIMARY KEY REFERENCES conversations(id),
    account_id      BIGINT   NOT NULL REFERENCES accounts(id),
    visitor_id      BIGINT   NOT NULL REFERENCES visitors(id),
    scale           TEXT     NOT NULL,
    score           BIGINT   NOT NULL,
    comment         TEXT     NOT NULL DEFAULT '',
    source          TEXT     NOT NULL,
    created_at      BIGINT   NOT NULL,
    updated_at      BIGINT   NOT NULL
);
CREATE INDEX ratings_account_created ON ratings(account_id, created_at);

ALTER TABLE email_outbox ADD COLUMN rating_request SMALLINT NOT NULL DEFAULT 0;
