-- A picture's dimensions, read from its header at upload (issue 13, item 12): the apps show
-- pictures up to a pixel count inline and bigger ones as files. 0: unknown / not a picture.
ALTER TABLE attachments ADD COLUMN width  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
