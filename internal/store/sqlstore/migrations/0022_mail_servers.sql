-- A team's own mailbox (issue 16): the IMAP and SMTP passwords of an email contact point,
-- sealed by the desk (secret.Box: never in the settings the API returns, never in the clear),
-- and the IMAP watcher's place in the folder: its UIDVALIDITY and the highest UID taken,
-- under the host/username/folder they belong to (another server, user or folder starts
-- afresh). One row per contact point that has either.
CREATE TABLE mail_servers (
    contact_point_id INTEGER PRIMARY KEY REFERENCES contact_points(id),
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    imap_password    TEXT    NOT NULL DEFAULT '', -- sealed; '' none
    smtp_password    TEXT    NOT NULL DEFAULT '', -- sealed; '' none
    imap_place       TEXT    NOT NULL DEFAULT '', -- host, username and folder of the place below
    imap_uidvalidity INTEGER NOT NULL DEFAULT 0,  -- 0: no place (the unread mail is taken)
    imap_last_uid    INTEGER NOT NULL DEFAULT 0
);
-- Passwords typed into the settings before they were write-only were kept there in the
-- clear (and echoed by the API); nothing used them. They are dropped: enter them again.
UPDATE contact_points SET settings = json_remove(settings, '$.imap.password', '$.smtp.password')
    WHERE json_valid(settings) AND (json_extract(settings, '$.imap.password') IS NOT NULL
        OR json_extract(settings, '$.smtp.password') IS NOT NULL);
