-- The list shows who wrote the last message (issue 12): «Вы:» on one's own, the author's
-- name on a colleague's; so the preview keeps the author's id and name, not only their kind.
ALTER TABLE conversations ADD COLUMN last_message_author_id   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN last_message_author_name TEXT    NOT NULL DEFAULT '';
