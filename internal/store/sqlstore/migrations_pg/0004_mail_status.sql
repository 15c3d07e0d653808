-- What a mailbox's own servers last did, as the cabinet shows it (JSON; '' nothing yet): see
-- migrations/0024_mail_status.sql.
ALTER TABLE mail_servers ADD COLUMN imap_status TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_servers ADD COLUMN smtp_status TEXT NOT NULL DEFAULT '';
