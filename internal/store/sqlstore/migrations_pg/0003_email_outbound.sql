-- Outgoing email beyond replies (issue 16), as SQLite's 0023_email_outbound.sql: who started
-- a conversation by mail, the mailbox a followup of a widget conversation goes from, and the
-- visitor's last sign of life in the widget.
ALTER TABLE conversations ADD COLUMN started_by BIGINT REFERENCES operators(id);
ALTER TABLE email_outbox ADD COLUMN from_contact_point_id BIGINT REFERENCES contact_points(id);
ALTER TABLE email_outbox ADD COLUMN followup SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE visitors ADD COLUMN seen_at BIGINT;
CREATE INDEX email_outbox_from ON email_outbox(from_contact_point_id) WHERE from_contact_point_id IS NOT NULL;
