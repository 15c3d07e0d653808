package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// Confirmation of a mailbox's address (issue 13, item 5): an account may write any address
// into an email contact point, but replies go out with that address as the sender only after
// the account proved it controls it, by entering the code mailed to the address. Until then
// they go out from the platform address with Reply-To the mailbox, so replies still thread.
const (
	// MailboxCodeTTL is how long a confirmation code works.
	MailboxCodeTTL = 24 * time.Hour
	// MaxMailboxCodeAttempts is how many wrong codes end a code (a new one must be sent).
	MaxMailboxCodeAttempts = 5
	// MailboxResendPause is the least time between two confirmation mails of a mailbox.
	MailboxResendPause = time.Minute
)

// confirmRetryAfter are the pauses after a confirmation mail could not be sent; after the
// last the error is shown to the admin, who may send again.
var confirmRetryAfter = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

// Mailbox returns where the confirmation of an email contact point's address stands
// (not_found for other contact points and for one without an address).
func (d *Desk) Mailbox(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailboxState, error) {
	return d.store.MailboxState(ctx, account, contactPoint)
}

// ResendMailboxConfirmation sends the mailbox a new code (the old one stops working), at
// most once a minute; a confirmed mailbox is left as it is.
func (d *Desk) ResendMailboxConfirmation(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailboxState, error) {
	var out *livedesk.MailboxState
	queued := false
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		m, err := tx.MailboxState(account, contactPoint)
		if err != nil {
			return err
		}
		out = m
		if m.VerifiedAt != nil || (m.ConfirmDueAt != nil && m.ConfirmError == "") {
			return nil // confirmed, or a mail is on its way
		}
		if m.ConfirmSentAt != nil && tx.Now().Sub(*m.ConfirmSentAt) < MailboxResendPause {
			return &livedesk.Error{Code: livedesk.CodeRateLimited, Message: "a confirmation mail was sent less than a minute ago",
				Details: map[string]string{"retry_after": fmt.Sprint(int((MailboxResendPause - tx.Now().Sub(*m.ConfirmSentAt)).Seconds()) + 1)}}
		}
		if err := tx.ScheduleMailboxConfirmation(contactPoint); err != nil {
			return err
		}
		queued = true
		out, err = tx.MailboxState(account, contactPoint)
		return err
	})
	if err != nil {
		return nil, err
	}
	if queued {
		d.wakeMail()
	}
	return out, nil
}

// ConfirmMailbox checks a code the admin entered: the right one, in time and within
// MaxMailboxCodeAttempts, confirms the address. Spaces and dashes in the code are ignored.
func (d *Desk) ConfirmMailbox(ctx context.Context, account, contactPoint livedesk.ID, code string) (*livedesk.MailboxState, error) {
	code = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code))
	var out *livedesk.MailboxState
	var wrong error
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		m, err := tx.MailboxState(account, contactPoint)
		if err != nil {
			return err
		}
		out = m
		if m.VerifiedAt != nil {
			return nil
		}
		if m.CodeHash == "" || m.CodeExpiresAt == nil || !tx.Now().Before(*m.CodeExpiresAt) || m.CodeAttempts >= MaxMailboxCodeAttempts {
			return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "this code no longer works: send a new one",
				Details: map[string]string{"field": "code", "reason": "expired"}}
		}
		if subtle.ConstantTimeCompare([]byte(mailboxCodeHash(contactPoint, code)), []byte(m.CodeHash)) != 1 {
			// The wrong attempt is counted (committed), the caller gets the error.
			wrong = &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "the code is wrong",
				Details: map[string]string{"field": "code", "reason": "wrong"}}
			return tx.MailboxCodeWrong(contactPoint)
		}
		if err := tx.MailboxVerified(contactPoint); err != nil {
			return err
		}
		out, err = tx.MailboxState(account, contactPoint)
		return err
	})
	if err != nil {
		return nil, err
	}
	if wrong != nil {
		return nil, wrong
	}
	return out, nil
}

// DueMailboxConfirmations claims up to limit mailboxes whose confirmation mail is to be sent
// now, for this sender: no other node sends them while it has them (MailClaimLease).
func (d *Desk) DueMailboxConfirmations(ctx context.Context, limit int) ([]*livedesk.MailboxState, error) {
	var due []*livedesk.MailboxState
	err := d.store.Write(ctx, func(tx livedesk.Tx) (err error) {
		due, err = tx.ClaimMailboxConfirmations(limit, MailClaimLease)
		return err
	})
	return due, err
}

// NewMailboxCode makes the code of the confirmation mail about to be sent to the mailbox
// and records its hash; earlier codes stop working.
func (d *Desk) NewMailboxCode(ctx context.Context, contactPoint livedesk.ID) (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%08d", n.Int64())
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		return tx.SetMailboxCode(contactPoint, mailboxCodeHash(contactPoint, code), tx.Now().Add(MailboxCodeTTL))
	})
	return code, err
}

// MailboxConfirmationSent records that the relay took the mailbox's confirmation mail.
func (d *Desk) MailboxConfirmationSent(ctx context.Context, contactPoint livedesk.ID) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.MailboxConfirmationSent(contactPoint) })
}

// MailboxConfirmationFailed records a confirmation mail that could not be sent: it is tried
// again later unless the refusal was permanent or the retries are used up.
func (d *Desk) MailboxConfirmationFailed(ctx context.Context, m *livedesk.MailboxState, why string, permanent bool) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		var next time.Time
		if !permanent && m.ConfirmAttempts < len(confirmRetryAfter) {
			next = tx.Now().Add(confirmRetryAfter[m.ConfirmAttempts])
		}
		return tx.MailboxConfirmationFailed(m.ContactPointID, preview(why), next)
	})
}

func mailboxCodeHash(contactPoint livedesk.ID, code string) string {
	h := sha256.Sum256(fmt.Appendf(nil, "livedesk mailbox %d:%s", contactPoint, code))
	return hex.EncodeToString(h[:])
}

// wakeMail tells the sender that mail waits (a reply or a confirmation).
func (d *Desk) wakeMail() {
	if d.mailQueued != nil {
		d.mailQueued()
	}
}
