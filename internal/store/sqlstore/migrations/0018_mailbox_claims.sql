-- An address no longer belongs to whoever typed it first (issue 13, item 5: squatting): any
-- account may claim an address, but only one may confirm it, and only a confirmed mailbox
-- keeps others out. Inbound mail goes to the confirmed mailbox, else to the oldest claim.
-- The table is rebuilt because its primary key was the address.
CREATE TABLE mailboxes_claims (
    contact_point_id INTEGER PRIMARY KEY REFERENCES contact_points(id),
    address          TEXT    NOT NULL,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    verified_at      INTEGER,
    code_hash        TEXT    NOT NULL DEFAULT '',
    code_expires_at  INTEGER,
    code_attempts    INTEGER NOT NULL DEFAULT 0,
    confirm_due_at   INTEGER,
    confirm_attempts INTEGER NOT NULL DEFAULT 0,
    confirm_sent_at  INTEGER,
    confirm_error    TEXT    NOT NULL DEFAULT ''
);
INSERT INTO mailboxes_claims(contact_point_id, address, account_id, verified_at, code_hash, code_expires_at, code_attempts,
    confirm_due_at, confirm_attempts, confirm_sent_at, confirm_error)
    SELECT contact_point_id, address, account_id, verified_at, code_hash, code_expires_at, code_attempts,
    confirm_due_at, confirm_attempts, confirm_sent_at, confirm_error FROM mailboxes;
DROP TABLE mailboxes;
ALTER TABLE mailboxes_claims RENAME TO mailboxes;
CREATE UNIQUE INDEX mailboxes_confirmed ON mailboxes(address) WHERE verified_at IS NOT NULL;
CREATE UNIQUE INDEX mailboxes_account_address ON mailboxes(account_id, address);
CREATE INDEX mailboxes_address ON mailboxes(address, contact_point_id);
CREATE INDEX mailboxes_confirm_due ON mailboxes(confirm_due_at) WHERE confirm_due_at IS NOT NULL;
