-- Ratings (issue 17, CSAT): a visitor's rating of a conversation after it ended, one per
-- conversation (changed in place while it may still change), with the scale it was given on
-- (stars 1–5, thumbs 0/1), an optional comment and where it came from (the widget, or the
-- link of an email conversation's closing mail). Reports pick ratings by the time they were
-- given. The closing mail that asks for a rating waits in the outbox like a reply, marked.
CREATE TABLE ratings (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    visitor_id      INTEGER NOT NULL REFERENCES visitors(id),
    scale           TEXT    NOT NULL,
    score           INTEGER NOT NULL,
    comment         TEXT    NOT NULL DEFAULT '',
    source          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ratings_account_created ON ratings(account_id, created_at);

ALTER TABLE email_outbox ADD COLUMN rating_request INTEGER NOT NULL DEFAULT 0;
