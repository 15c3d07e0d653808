// Package desk is the conversation service: every operator and visitor action of livedesk
// as one write transaction that checks the rules (status rights, ownership, limits), changes
// the data and emits the events clients see. Handlers call it; it calls the store.
package desk

import (
	"encoding/json"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
	"livedesk/internal/routing"
	"livedesk/internal/secret"
)

// Desk runs the conversation rules on a store.
type Desk struct {
	store livedesk.Store
	log   *slog.Logger
	quick *quickCache
	// mailQueued is called after a reply was put in the mail outbox (nil: nobody listens).
	mailQueued func()
	// mailServersChanged is called after an email contact point was created or changed
	// (nil: nobody listens).
	mailServersChanged func(cp *livedesk.ContactPoint)
	opts               Options
	// burner spends a password check at opts.BcryptCost (logins with an unknown email).
	burner *auth.PasswordBurner
	// presence throttles the presence writes of REST calls.
	presence presenceSeen
}

// Options are the desk's settings; the zero value of a field takes its default.
type Options struct {
	// BcryptCost is the cost of new password hashes (default 10); a login with an unknown
	// email spends a comparison at this cost, so it takes as long as one with a known email.
	BcryptCost int
	// Uploads bounds the daily upload volumes (default DefaultUploadQuota).
	Uploads UploadQuota
	// SessionIdle ends an operator session unused this long (default 12 hours).
	SessionIdle time.Duration
	// Secrets seals and opens the passwords of mailboxes' own IMAP and SMTP servers
	// (mailservers.go); nil refuses to store one.
	Secrets *secret.Box
	// RatingLink makes the address of the rating page for a visitor's conversation, valid
	// until expires (ratings.go); nil: no links can be made (no public address configured),
	// so closing mails do not ask for ratings.
	RatingLink func(account, conversation, visitor livedesk.ID, expires time.Time) string
}

// Configure sets the options. Call it before serving.
func (d *Desk) Configure(o Options) {
	if o.BcryptCost == 0 {
		o.BcryptCost = 10
	}
	if o.Uploads == (UploadQuota{}) {
		o.Uploads = DefaultUploadQuota()
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = 12 * time.Hour
	}
	d.opts = o
	d.burner = auth.NewPasswordBurner(o.BcryptCost)
}

// OnMailQueued sets the function told that a reply waits in the mail outbox (the sender's
// wake-up). Call it before serving.
func (d *Desk) OnMailQueued(fn func()) { d.mailQueued = fn }

// OnMailServersChanged sets the function told that an email contact point was created or
// its settings changed (the IMAP watchers' restart). Call it before serving.
func (d *Desk) OnMailServersChanged(fn func(cp *livedesk.ContactPoint)) { d.mailServersChanged = fn }

// New returns a Desk.
func New(st livedesk.Store, log *slog.Logger) *Desk {
	d := &Desk{store: st, log: log, quick: &quickCache{accounts: map[livedesk.ID]*quickSnapshot{}},
		presence: presenceSeen{at: map[livedesk.ID]time.Time{}}}
	d.Configure(Options{})
	return d
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types are marshalled here
	}
	return b
}

// CheckText validates a message or comment text: valid UTF-8, at most MaxTextRunes
// characters; empty is allowed only when allowEmpty.
func CheckText(text string, allowEmpty bool) (string, error) {
	if !utf8.ValidString(text) {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "text is not valid UTF-8")
	}
	if strings.ContainsRune(text, 0) {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "text contains a NUL character")
	}
	if n := utf8.RuneCountInString(text); n > livedesk.MaxTextRunes {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "text is %d characters long; the maximum is %d", n, livedesk.MaxTextRunes)
	}
	if !allowEmpty && strings.TrimSpace(text) == "" {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "text is empty")
	}
	return text, nil
}

// CheckClientID validates a client id: optional, at most 64 printable ASCII characters.
func CheckClientID(id string) error {
	if len(id) > 64 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "client_id is longer than 64 characters")
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "client_id must be printable ASCII without spaces")
		}
	}
	return nil
}

// preview is the list preview of a message text.
func preview(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > 200 {
		r := []rune(text)
		text = string(r[:200]) + "…"
	}
	return text
}

// emitConversation emits a conversation event to its assignee (and extra operator) and staff.
func emitConversation(tx livedesk.Tx, typ string, c *livedesk.Conversation, extra livedesk.ID) error {
	return tx.Emit(&livedesk.Event{AccountID: c.AccountID, Type: typ, OperatorID: c.AssigneeID, Operator2ID: extra,
		Staff: true, Payload: mustJSON(livedesk.ConversationPayload{Conversation: c})})
}

// emitMessage emits message.created to the operators of the conversation and, unless it is a
// comment, to the visitor.
func emitMessage(tx livedesk.Tx, c *livedesk.Conversation, m *livedesk.Message, extra livedesk.ID) error {
	// Structs, not maps: this runs on the writer for every message.
	e := &livedesk.Event{AccountID: c.AccountID, Type: livedesk.EventMessageCreated, OperatorID: c.AssigneeID,
		Operator2ID: extra, Staff: true, Payload: mustJSON(livedesk.MessagePayload{Conversation: c, Message: m})}
	if m.Kind != livedesk.KindComment {
		e.VisitorID = c.Visitor.ID
		e.VisitorPayload = mustJSON(livedesk.MessagePayload{Message: m.ForVisitor()})
	}
	return tx.Emit(e)
}

// emitOperator tells every operator of the account an operator's status or load changed.
func emitOperator(tx livedesk.Tx, account, id livedesk.ID) error {
	o, err := tx.Operator(account, id)
	if err != nil {
		return err
	}
	return tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventOperatorStatus, AllOperators: true,
		Payload: mustJSON(livedesk.OperatorPayload{Operator: o.Brief()})})
}

// emitTransfer emits a transfer event to both operators and staff (p.Transfer is set here).
func emitTransfer(tx livedesk.Tx, account livedesk.ID, typ string, t *livedesk.Transfer, p livedesk.TransferPayload) error {
	p.Transfer = t
	return tx.Emit(&livedesk.Event{AccountID: account, Type: typ, OperatorID: t.FromOperatorID, Operator2ID: t.ToOperatorID,
		Staff: true, Payload: mustJSON(p)})
}

// drain assigns queued conversations of the account, oldest first, while an available
// operator below the limit exists. Call it after every change that may add capacity.
func drain(tx livedesk.Tx, account livedesk.ID) error {
	candidates, err := tx.RoutingCandidates(account)
	if err != nil || len(candidates) == 0 {
		return err
	}
	capacity := 0
	for _, o := range candidates {
		capacity += o.Limit - o.OpenCount
	}
	queued, err := tx.QueuedConversationIDs(account, capacity)
	if err != nil {
		return err
	}
	touched := map[livedesk.ID]bool{}
	for _, id := range queued {
		best := routing.Pick(candidates)
		if best == nil {
			break
		}
		ok, err := tx.ReserveCapacity(best.ID, true)
		if err != nil {
			return err
		}
		if !ok { // cannot happen with one writer; stay safe if it does
			best.OpenCount = best.Limit
			continue
		}
		best.OpenCount++
		best.LastAssignedAt = tx.Now()
		if err := assign(tx, account, id, best); err != nil {
			return err
		}
		touched[best.ID] = true
	}
	for id := range touched {
		if err := emitOperator(tx, account, id); err != nil {
			return err
		}
	}
	return nil
}

// assign makes op the assignee of a conversation whose capacity is reserved, and tells the
// operator, staff and the visitor.
func assign(tx livedesk.Tx, account, conversation livedesk.ID, op *livedesk.Operator) error {
	if err := tx.AssignConversation(conversation, op.ID); err != nil {
		return err
	}
	c, err := tx.Conversation(account, conversation)
	if err != nil {
		return err
	}
	e := &livedesk.Event{AccountID: account, Type: livedesk.EventConversationAssigned, OperatorID: op.ID, Staff: true,
		Payload: mustJSON(livedesk.ConversationPayload{Conversation: c}), VisitorID: c.Visitor.ID,
		VisitorPayload: mustJSON(livedesk.VisitorConversationPayload{ConversationID: c.ID, Operator: &livedesk.OperatorName{ID: op.ID, Name: op.Name}})}
	return tx.Emit(e)
}
