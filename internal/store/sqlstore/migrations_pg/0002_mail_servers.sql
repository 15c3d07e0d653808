-- A team's own mailbox (issue 16), as SQLite's 0022_mail_servers.sql: sealed IMAP and SMTP
-- passwords of an email contact point and the IMAP watcher's place (UIDVALIDITY, last UID)
-- under the host/username/folder it belongs to. (PostgreSQL databases start at 0001, after
-- passwords became write-only: there are no clear ones to drop.)
CREATE TABLE mail_servers (
    contact_point_id BIGINT PRIMARY KEY REFERENCES contact_points(id),
    account_id       BIGINT NOT NULL REFERENCES accounts(id),
    imap_password    TEXT   NOT NULL DEFAULT '',
    smtp_password    TEXT   NOT NULL DEFAULT '',
    imap_place       TEXT   NOT NULL DEFAULT '',
    imap_uidvalidity BIGINT NOT NULL DEFAULT 0,
    imap_last_uid    BIGINT NOT NULL DEFAULT 0
);
