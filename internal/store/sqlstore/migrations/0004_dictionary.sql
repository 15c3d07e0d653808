-- Spell-check dictionaries (issue 7): words an operator added to their personal dictionary
-- («Добавить в словарь») and words an admin added for the whole account (operator_id 0).
-- `folded` is the lowercase spelling the checker matches; `word` is how it was added.
CREATE TABLE dictionary_words (
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    operator_id INTEGER NOT NULL DEFAULT 0,
    word        TEXT    NOT NULL,
    folded      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, operator_id, folded)
);
