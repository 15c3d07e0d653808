-- File attachments (DESIGN §2.6). A row is created when a file is uploaded (message_id NULL)
-- and bound to a message when its uploader sends it. Content lives in the attachment
-- storage under sha256; several rows may share one content. When retention is over the row
-- stays (the message shows the file expired) with expired = 1 and the content is deleted
-- once no unexpired row shares it. Unsent uploads are deleted after 24 hours.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    uploader_type TEXT    NOT NULL,            -- operator | visitor
    uploader_id   INTEGER NOT NULL,
    message_id    INTEGER REFERENCES messages(id),
    position      INTEGER NOT NULL DEFAULT 0,  -- order within the message
    name          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    content_type  TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    expired       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_message ON attachments(message_id, position) WHERE message_id IS NOT NULL;
CREATE INDEX attachments_sha256 ON attachments(sha256) WHERE expired = 0;
CREATE INDEX attachments_expiry ON attachments(expires_at) WHERE expired = 0;
CREATE INDEX attachments_unsent ON attachments(created_at) WHERE message_id IS NULL;
