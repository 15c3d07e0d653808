-- Core schema: accounts, operators, sessions, contact points, visitors, conversations,
-- messages, categories, transfers and the event log. Times are Unix milliseconds (UTC).
CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    settings   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE operators (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'offline',
    status_at        INTEGER NOT NULL,
    lim              INTEGER NOT NULL,
    open_count       INTEGER NOT NULL DEFAULT 0,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,
    last_seen_at     INTEGER NOT NULL DEFAULT 0,
    settings         TEXT    NOT NULL DEFAULT '{}',
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX operators_email ON operators(email);
CREATE INDEX operators_account ON operators(account_id, status);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE contact_points (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name       TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    key        TEXT    NOT NULL UNIQUE,
    settings   TEXT    NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_points_account ON contact_points(account_id);

CREATE TABLE visitors (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    contact_point_id INTEGER NOT NULL REFERENCES contact_points(id),
    name             TEXT    NOT NULL DEFAULT '',
    email            TEXT    NOT NULL DEFAULT '',
    phone            TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);

CREATE TABLE conversation_categories (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name       TEXT    NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX conversation_categories_account ON conversation_categories(account_id, deleted);

CREATE TABLE conversations (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    contact_point_id    INTEGER NOT NULL REFERENCES contact_points(id),
    visitor_id          INTEGER NOT NULL REFERENCES visitors(id),
    channel             TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    assignee_id         INTEGER REFERENCES operators(id),
    queued_at           INTEGER NOT NULL,
    assigned_at         INTEGER,
    closed_at           INTEGER,
    closed_by           INTEGER,
    category_id         INTEGER REFERENCES conversation_categories(id),
    visitor_closed      INTEGER NOT NULL DEFAULT 0,
    last_message_text   TEXT    NOT NULL DEFAULT '',
    last_message_author TEXT    NOT NULL DEFAULT '',
    last_message_at     INTEGER NOT NULL,
    unread_count        INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);
CREATE INDEX conversations_state ON conversations(account_id, state, last_message_at DESC, id DESC);
CREATE INDEX conversations_assignee ON conversations(assignee_id, state, last_message_at DESC, id DESC);
CREATE INDEX conversations_queue ON conversations(account_id, queued_at, id) WHERE state = 'queued';
CREATE UNIQUE INDEX conversations_open_visitor ON conversations(visitor_id, contact_point_id)
    WHERE state <> 'closed' AND visitor_closed = 0;
CREATE INDEX conversations_visitor ON conversations(visitor_id, id);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    author_type     TEXT    NOT NULL,
    author_id       INTEGER NOT NULL,
    author_name     TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    reply_to        INTEGER,
    client_id       TEXT,
    sticker_id      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE UNIQUE INDEX messages_client ON messages(author_type, author_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE transfers (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    from_operator_id INTEGER NOT NULL REFERENCES operators(id),
    to_operator_id   INTEGER NOT NULL REFERENCES operators(id),
    comment          TEXT    NOT NULL DEFAULT '',
    state            TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    resolved_at      INTEGER
);
CREATE UNIQUE INDEX transfers_pending ON transfers(conversation_id) WHERE state = 'pending';
CREATE INDEX transfers_expiry ON transfers(expires_at) WHERE state = 'pending';
CREATE INDEX transfers_to ON transfers(to_operator_id) WHERE state = 'pending';

CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    operator_id     INTEGER,
    operator2_id    INTEGER,
    staff           INTEGER NOT NULL DEFAULT 0,
    all_operators   INTEGER NOT NULL DEFAULT 0,
    visitor_id      INTEGER,
    payload         TEXT    NOT NULL,
    visitor_payload TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX events_visitor ON events(visitor_id, id) WHERE visitor_id IS NOT NULL;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
