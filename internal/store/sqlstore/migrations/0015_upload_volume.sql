-- Daily upload volumes (per visitor and per account) are summed over the last 24 hours.
CREATE INDEX attachments_uploader_time ON attachments(account_id, uploader_type, uploader_id, created_at);
CREATE INDEX attachments_account_time ON attachments(account_id, created_at);
