-- What a mailbox's own servers last did, as the cabinet shows it (JSON; '' nothing yet): the
-- IMAP watcher's status, written by the node that watches, and the latest send through the
-- mailbox's SMTP server, written by the node that sent. Kept here so that every node answers
-- the same behind a balancer.
ALTER TABLE mail_servers ADD COLUMN imap_status TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_servers ADD COLUMN smtp_status TEXT NOT NULL DEFAULT '';
