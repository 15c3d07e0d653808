package sqlstore

import (
	"context"

	"livedesk/internal/livedesk"
)

// MaxDictionaryWords caps each dictionary (one operator's, or the account's).
const MaxDictionaryWords = 10000

// AddDictionaryWord adds a word to the account's dictionary (operator 0) or to an
// operator's personal one. Adding a word already there (in any case) changes nothing.
func (tx *Tx) AddDictionaryWord(account, operator livedesk.ID, word, folded string) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM dictionary_words WHERE account_id = ? AND operator_id = ?`,
		account, operator).Scan(&n); err != nil {
		return err
	}
	if n >= MaxDictionaryWords {
		return livedesk.Errorf(livedesk.CodeLimitReached, "the dictionary already holds %d words", MaxDictionaryWords)
	}
	_, err := tx.exec(`INSERT INTO dictionary_words(account_id, operator_id, word, folded, created_at) VALUES (?,?,?,?,?)
		ON CONFLICT(account_id, operator_id, folded) DO NOTHING`, account, operator, word, folded, ms(tx.Now()))
	return err
}

// RemoveDictionaryWord removes a word (matched lowercase) from the account's dictionary
// (operator 0) or an operator's.
func (tx *Tx) RemoveDictionaryWord(account, operator livedesk.ID, folded string) error {
	res, err := tx.exec(`DELETE FROM dictionary_words WHERE account_id = ? AND operator_id = ? AND folded = ?`,
		account, operator, folded)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("word")
	}
	return nil
}

// DictionaryWords lists the account's dictionary (operator 0) or an operator's, in
// alphabetical order.
func (s *Store) DictionaryWords(ctx context.Context, account, operator livedesk.ID) ([]livedesk.DictionaryWord, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT word, created_at FROM dictionary_words
		WHERE account_id = ? AND operator_id = ? ORDER BY folded`, account, operator)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []livedesk.DictionaryWord{}
	for rows.Next() {
		var w livedesk.DictionaryWord
		var at int64
		if err := rows.Scan(&w.Word, &at); err != nil {
			return nil, err
		}
		w.CreatedAt = fromMS(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

// KnownWords returns the lowercase words spell check accepts for an operator: theirs and
// the account's.
func (s *Store) KnownWords(ctx context.Context, account, operator livedesk.ID) (map[string]bool, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT folded FROM dictionary_words
		WHERE account_id = ? AND operator_id IN (0, ?)`, account, operator)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		out[f] = true
	}
	return out, rows.Err()
}
