-- A mailbox's address is used as the sender of replies only once its account proved control
-- of it (issue 13, item 5): a confirmation code is mailed to the address through the relay
-- and entered in the admin cabinet. Until then replies go out from the platform address
-- (--smtp-from) with Reply-To the mailbox. Mailboxes that existed before are not confirmed.
ALTER TABLE mailboxes ADD COLUMN verified_at       INTEGER;                    -- NULL: not confirmed
ALTER TABLE mailboxes ADD COLUMN code_hash         TEXT    NOT NULL DEFAULT ''; -- SHA-256 of the code sent last
ALTER TABLE mailboxes ADD COLUMN code_expires_at   INTEGER;
ALTER TABLE mailboxes ADD COLUMN code_attempts     INTEGER NOT NULL DEFAULT 0; -- wrong codes entered since it was sent
ALTER TABLE mailboxes ADD COLUMN confirm_due_at    INTEGER;                    -- a confirmation mail is to be sent then
ALTER TABLE mailboxes ADD COLUMN confirm_attempts  INTEGER NOT NULL DEFAULT 0; -- failed sends of the due mail
ALTER TABLE mailboxes ADD COLUMN confirm_sent_at   INTEGER;
ALTER TABLE mailboxes ADD COLUMN confirm_error     TEXT    NOT NULL DEFAULT '';
CREATE INDEX mailboxes_confirm_due ON mailboxes(confirm_due_at) WHERE confirm_due_at IS NOT NULL;
