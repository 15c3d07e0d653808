package desk

import (
	"context"
	"strings"

	"livedesk/internal/livedesk"
	"livedesk/internal/spell"
)

// AddDictionaryWord adds a word to an operator's own spell-check dictionary (operator ≠ 0:
// a setting, so not while offline) or to the account's (operator 0, the cabinet). It returns
// the word as stored.
func (d *Desk) AddDictionaryWord(ctx context.Context, account, operator livedesk.ID, word string) (string, error) {
	word = strings.TrimSpace(word)
	if why := spell.ValidWord(word); why != "" {
		return "", &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: why, Details: map[string]string{"field": "word"}}
	}
	return word, d.store.Write(ctx, func(tx livedesk.Tx) error {
		if operator != 0 {
			if _, err := actor(tx, account, operator, livedesk.ActionSettings); err != nil {
				return err
			}
		}
		return tx.AddDictionaryWord(account, operator, word, spell.Fold(word))
	})
}

// RemoveDictionaryWord removes a word, in any case, from an operator's own dictionary (not
// while offline) or the account's (operator 0).
func (d *Desk) RemoveDictionaryWord(ctx context.Context, account, operator livedesk.ID, word string) error {
	word = strings.TrimSpace(word)
	if spell.ValidWord(word) != "" {
		return livedesk.NotFound("word")
	}
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		if operator != 0 {
			if _, err := actor(tx, account, operator, livedesk.ActionSettings); err != nil {
				return err
			}
		}
		return tx.RemoveDictionaryWord(account, operator, spell.Fold(word))
	})
}
