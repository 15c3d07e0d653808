-- Quick messages (быстрые сообщения): account-wide ones in categories managed by admins, and
-- personal ones of each operator (operator_id set, no category). Hotkeys are per operator,
-- for personal and account-wide messages alike, unique per operator.
CREATE TABLE quick_message_categories (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name       TEXT    NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX quick_message_categories_account ON quick_message_categories(account_id, position);

CREATE TABLE quick_messages (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    operator_id INTEGER REFERENCES operators(id),
    category_id INTEGER REFERENCES quick_message_categories(id) ON DELETE CASCADE,
    title       TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((operator_id IS NULL) <> (category_id IS NULL))
);
CREATE INDEX quick_messages_account ON quick_messages(account_id, operator_id);
CREATE INDEX quick_messages_category ON quick_messages(category_id);

CREATE TABLE quick_message_hotkeys (
    operator_id      INTEGER NOT NULL REFERENCES operators(id),
    quick_message_id INTEGER NOT NULL REFERENCES quick_messages(id) ON DELETE CASCADE,
    hotkey           TEXT    NOT NULL,
    PRIMARY KEY (operator_id, quick_message_id)
);
CREATE UNIQUE INDEX quick_message_hotkeys_unique ON quick_message_hotkeys(operator_id, hotkey);
