package desk

import (
	"context"
	"time"

	"livedesk/internal/livedesk"
)

// Reads that need no rule beyond the account's scope, for the handlers.

// ContactPoint returns a contact point of the account.
func (d *Desk) ContactPoint(ctx context.Context, account, id livedesk.ID) (*livedesk.ContactPoint, error) {
	return d.store.ContactPoint(ctx, account, id)
}

// DictionaryWords lists an operator's own spell-check words (operator 0: the account's).
func (d *Desk) DictionaryWords(ctx context.Context, account, operator livedesk.ID) ([]livedesk.DictionaryWord, error) {
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

// HasAccounts reports whether the database holds any account (the demo seeds an empty one).
func (d *Desk) HasAccounts(ctx context.Context) (bool, error) {
	ids, err := d.store.AccountIDs(ctx)
	return len(ids) > 0, err
}

// Now is the time on the store's clock (reports count whole days of it).
func (d *Desk) Now() time.Time { return d.store.Now() }

// Me returns the operator with their effective settings: an unset autocomplete choice shows
// the account's default, an unset spell check is on.
func (d *Desk) Me(ctx context.Context, op *livedesk.Operator) (*livedesk.Operator, error) {
	me := *op
	if me.Settings.AutocompleteQuickMessages == nil {
		acct, err := d.store.Account(ctx, op.AccountID)
		if err != nil {
			return nil, err
		}
		v := acct.Settings.AutocompleteDefault
		me.Settings.AutocompleteQuickMessages = &v
	}
	if me.Settings.Spellcheck == nil {
		on := true
		me.Settings.Spellcheck = &on
	}
	return &me, nil
}

// OperatorBriefs lists the account's operators as every operator may see them (the transfer
// dialog): name, role, status and load.
func (d *Desk) OperatorBriefs(ctx context.Context, account livedesk.ID) ([]livedesk.OperatorBrief, error) {
	ops, err := d.store.Operators(ctx, account)
	if err != nil {
		return nil, err
	}
	out := make([]livedesk.OperatorBrief, 0, len(ops))
	for _, o := range ops {
		out = append(out, o.Brief())
	}
	return out, nil
}

// Operators lists the account's operators in full (the cabinet).
func (d *Desk) Operators(ctx context.Context, account livedesk.ID) ([]*livedesk.Operator, error) {
	ops, err := d.store.Operators(ctx, account)
	if ops == nil && err == nil {
		ops = []*livedesk.Operator{}
	}
	return ops, err
}

// ContactPoints lists the account's contact points (the cabinet).
func (d *Desk) ContactPoints(ctx context.Context, account livedesk.ID) ([]*livedesk.ContactPoint, error) {
	return d.store.ContactPoints(ctx, account)
}

// Categories lists the account's closing categories.
func (d *Desk) Categories(ctx context.Context, account livedesk.ID) ([]livedesk.Category, error) {
	return d.store.Categories(ctx, account)
}

// AccountSettings returns the account's settings.
func (d *Desk) AccountSettings(ctx context.Context, account livedesk.ID) (*livedesk.Settings, error) {
	acct, err := d.store.Account(ctx, account)
	if err != nil {
		return nil, err
	}
	acct.Settings.Ratings = acct.Settings.RatingScale()
	return &acct.Settings, nil
}

// ReportComments is how many rating comments a report lists (the newest).
const ReportComments = 200

// Report summarises the account's conversations over the days from..to (inclusive) in loc,
// with what the visitors' ratings say (CSAT).
func (d *Desk) Report(ctx context.Context, account livedesk.ID, from, to time.Time, loc *time.Location) (*livedesk.Report, error) {
	rep, err := d.store.Report(ctx, account, from, to, loc)
	if err != nil {
		return nil, err
	}
	rep.CSAT, err = d.store.RatingReport(ctx, account, from, to, loc, ReportComments)
	return rep, err
}

// ListQuery selects a page of an operator's conversation list.
type ListQuery struct {
	// State is "open" (default), "queued" or "closed".
	State string
	// Assignee narrows the list to one operator (staff only; 0: the rule's default).
	Assignee livedesk.ID
	// AfterAt and AfterID are the position of the previous page's last item (zero: first page).
	AfterAt int64
	AfterID livedesk.ID
	Limit   int
}

// ListConversations returns a page of the conversations an operator may list: their own open
// and closed ones, or the account's for supervisors and admins, who alone see the queue and
// may narrow the list to one assignee.
func (d *Desk) ListConversations(ctx context.Context, op *livedesk.Operator, q ListQuery) ([]*livedesk.Conversation, error) {
	f := livedesk.ListFilter{Account: op.AccountID, Limit: q.Limit, AfterAt: q.AfterAt, AfterID: q.AfterID}
	staff := op.Role.Staff()
	switch q.State {
	case "", "open":
		f.State = livedesk.StateAssigned
	case "queued":
		if !staff {
			return nil, livedesk.Errorf(livedesk.CodeForbidden, "the queue is visible to supervisors and admins")
		}
		f.State = livedesk.StateQueued
	case "closed":
		f.State = livedesk.StateClosed
	default:
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "state must be open, queued or closed")
	}
	if f.State != livedesk.StateQueued && !staff {
		f.Assignee = op.ID
	}
	if q.Assignee != 0 {
		if !staff {
			return nil, livedesk.Errorf(livedesk.CodeForbidden, "filtering by assignee is for supervisors and admins")
		}
		f.Assignee = q.Assignee
	}
	cs, err := d.store.Conversations(ctx, f)
	if err != nil {
		return nil, err
	}
	return cs, d.attachRatings(ctx, op.AccountID, cs)
}

// Monitor is the supervisor's live picture of the account.
type Monitor struct {
	Operators []livedesk.OperatorBrief `json:"operators"`
	// Queue is the first 200 waiting conversations, oldest first.
	Queue             []*livedesk.Conversation `json:"queue"`
	OpenConversations int                      `json:"open_conversations"`
	// CSATToday adds up the ratings given today (in the time zone asked for).
	CSATToday livedesk.CSATTally `json:"csat_today"`
}

// Monitor returns the account's operators with their load, the queue, the number of open
// conversations and today's ratings (today in loc).
func (d *Desk) Monitor(ctx context.Context, account livedesk.ID, loc *time.Location) (*Monitor, error) {
	briefs, err := d.OperatorBriefs(ctx, account)
	if err != nil {
		return nil, err
	}
	m := &Monitor{Operators: briefs}
	for _, b := range briefs {
		m.OpenConversations += b.OpenCount
	}
	m.Queue, err = d.store.Conversations(ctx, livedesk.ListFilter{Account: account, State: livedesk.StateQueued, Limit: 200})
	if err != nil {
		return nil, err
	}
	m.CSATToday, err = d.CSATToday(ctx, account, loc)
	return m, err
}
