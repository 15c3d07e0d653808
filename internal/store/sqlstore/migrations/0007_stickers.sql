-- Sticker packs admins upload (DESIGN §2.7). livedesk's own pack is not here: it is embedded
-- in the binary (internal/sticker). Pictures are kept in the database itself: they are small
-- (at most 512 KiB, 64 per pack), live as long as their pack, and must never be swept by the
-- attachments' retention. Messages name a sticker by messages.sticker_id (text): the decimal
-- id of a row here, or "livedesk-<name>" for the default pack.
CREATE TABLE sticker_packs (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sticker_packs_account ON sticker_packs(account_id, id);

CREATE TABLE stickers (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    pack_id      INTEGER NOT NULL REFERENCES sticker_packs(id),
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,            -- image/png | image/webp | image/gif
    size         INTEGER NOT NULL,
    data         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX stickers_pack ON stickers(pack_id, id);
