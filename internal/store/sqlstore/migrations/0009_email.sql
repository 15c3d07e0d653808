-- The email channel (DESIGN §2.10). A contact point of channel email is a mailbox: its
-- address (lower case) is unique across accounts, so inbound mail finds its account by the
-- recipient. Messages remember the RFC 5322 Message-ID they came with or went out with, for
-- threading (In-Reply-To/References) and to take a redelivered mail only once. Replies to
-- email conversations wait in the outbox until the relay has taken them.
CREATE TABLE mailboxes (
    address          TEXT    PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    contact_point_id INTEGER NOT NULL UNIQUE REFERENCES contact_points(id)
);

ALTER TABLE messages ADD COLUMN email_message_id TEXT;
CREATE UNIQUE INDEX messages_email ON messages(account_id, email_message_id) WHERE email_message_id IS NOT NULL;

ALTER TABLE conversations ADD COLUMN email_subject TEXT NOT NULL DEFAULT '';

CREATE INDEX visitors_email ON visitors(contact_point_id, email) WHERE email <> '';

CREATE TABLE email_outbox (
    message_id      INTEGER PRIMARY KEY REFERENCES messages(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    state           TEXT    NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    sent_at         INTEGER
);
CREATE INDEX email_outbox_due ON email_outbox(next_attempt_at) WHERE state = 'pending';
