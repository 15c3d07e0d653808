-- The event log is read per account: its bounds (the oldest and newest event a client may
-- resume from) and each operator's replay.
CREATE INDEX events_account ON events(account_id, id);

-- The newest event id each account had when pruning deleted its events: an account whose log
-- was pruned empty still resumes a client that saw its last event.
CREATE TABLE event_marks (
    account_id INTEGER PRIMARY KEY,
    last_id    INTEGER NOT NULL
);
