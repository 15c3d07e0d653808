-- Outgoing email beyond replies (issue 16). A conversation an operator started by writing a
-- mail names them (started_by: the reports count no queue wait or first response for it). A
-- widget conversation continued by email: its operators' replies wait in the outbox as
-- followups, to go from the email contact point the widget's settings name
-- (from_contact_point_id) once the visitor has been gone long enough, and the visitor's last
-- sign of life in the widget (seen_at: a socket open, marked every heartbeat and when the
-- last one closes) says whether they were.
ALTER TABLE conversations ADD COLUMN started_by INTEGER REFERENCES operators(id);
ALTER TABLE email_outbox ADD COLUMN from_contact_point_id INTEGER REFERENCES contact_points(id);
ALTER TABLE email_outbox ADD COLUMN followup INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visitors ADD COLUMN seen_at INTEGER;
CREATE INDEX email_outbox_from ON email_outbox(from_contact_point_id) WHERE from_contact_point_id IS NOT NULL;
