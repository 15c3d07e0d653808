package desk

import (
	"context"

	"livedesk/internal/livedesk"
	"livedesk/internal/store"
)

// Reads that need no rule beyond the account's scope, for the handlers.

// ContactPoint returns a contact point of the account.
func (d *Desk) ContactPoint(ctx context.Context, account, id livedesk.ID) (*livedesk.ContactPoint, error) {
	return d.store.ContactPoint(ctx, account, id)
}

// DictionaryWords lists an operator's own spell-check words (operator 0: the account's).
func (d *Desk) DictionaryWords(ctx context.Context, account, operator livedesk.ID) ([]store.DictionaryWord, error) {
	return d.store.DictionaryWords(ctx, account, operator)
}

// KnownWords are the folded words spell check accepts for an operator: theirs and the
// account's.
func (d *Desk) KnownWords(ctx context.Context, account, operator livedesk.ID) (map[string]bool, error) {
	return d.store.KnownWords(ctx, account, operator)
}

// QuickCategories lists the account's quick message categories.
func (d *Desk) QuickCategories(ctx context.Context, account livedesk.ID) ([]livedesk.QuickCategory, error) {
	return d.store.QuickCategories(ctx, account)
}

// QueueLength is how many visitors of the account wait in the queue (every operator may
// know it; only staff see who they are).
func (d *Desk) QueueLength(ctx context.Context, account livedesk.ID) (int, error) {
	return d.store.QueueLength(ctx, account)
}
