-- Visitor profiles (issue 17, docs/visitor-profile.md). One row per visitor the widget, the
-- site (Livedesk.identify) or an operator told something about: the widget's context as
-- JSON (pages of the visit, first visit, browser and OS, language, time zone, screen), the
-- IP address apart (kept only while the account's keep_visitor_ips is on, so turning it off
-- erases it with one UPDATE), the site's custom attributes (a JSON list of {key, value}),
-- the operators' note, and the email the site proved with a signed identify (lower case;
-- an email visitor's own address needs no row: mail comes from it). Deleting a visitor is
-- recorded without personal data.
CREATE TABLE visitor_details (
    visitor_id     INTEGER PRIMARY KEY REFERENCES visitors(id),
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    context        TEXT    NOT NULL DEFAULT '',
    ip             TEXT    NOT NULL DEFAULT '',
    attributes     TEXT    NOT NULL DEFAULT '[]',
    note           TEXT    NOT NULL DEFAULT '',
    note_by        INTEGER NOT NULL DEFAULT 0,
    note_at        INTEGER NOT NULL DEFAULT 0,
    verified_email TEXT    NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL
);
CREATE INDEX visitor_details_email ON visitor_details(account_id, verified_email) WHERE verified_email <> '';
CREATE INDEX visitor_details_ip ON visitor_details(account_id) WHERE ip <> '';

CREATE TABLE visitor_deletions (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    visitor_id    INTEGER NOT NULL,
    deleted_by    INTEGER NOT NULL,
    conversations INTEGER NOT NULL,
    messages      INTEGER NOT NULL,
    attachments   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX visitor_deletions_account ON visitor_deletions(account_id, created_at);
