-- The whole text of a mail that quoted earlier mail of its thread: messages.text holds only
-- the new text, this the mail as it came (operators' «Показать всё письмо»). NULL for
-- every other message.
ALTER TABLE messages ADD COLUMN full_text TEXT;
