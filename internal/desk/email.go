package desk

import (
	"context"
	"encoding/json"
	"errors"
	"net/mail"
	"strings"
	"time"

	"livedesk/internal/attachment"
	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// NormalizeAddress checks a bare email address (no display name) and returns it in lower case.
func NormalizeAddress(s string) (string, bool) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
		return "", false
	}
	return strings.ToLower(a.Address), true
}

// MailboxAddress is the address of an email contact point (settings.address; "" when unset).
func MailboxAddress(cp *livedesk.ContactPoint) string {
	var s struct {
		Address string `json:"address"`
	}
	_ = json.Unmarshal(cp.Settings, &s) // stored settings are always an object
	return s.Address
}

// newMailID makes a Message-ID (without angle brackets) in the domain of the mailbox.
func newMailID(mailbox string) string {
	domain := "livedesk.invalid"
	if i := strings.LastIndexByte(mailbox, '@'); i >= 0 {
		domain = mailbox[i+1:]
	}
	return "livedesk." + strings.ToLower(auth.RandomKey(12)) + "@" + domain
}

// InboundMail is one mail to an email contact point, as the email channel read it.
type InboundMail struct {
	// FromAddress (lower case) and FromName identify the visitor.
	FromAddress, FromName string
	Subject               string
	// MessageID is the mail's Message-ID without angle brackets ("" when it had none).
	MessageID string
	// Thread lists In-Reply-To and References, oldest first.
	Thread []string
	// Text is the body as text, at most MaxText characters: of a reply that quotes the
	// thread, only its new text.
	Text string
	// FullText is the whole text when quoted history was split off Text ("" otherwise); the
	// operators see it on «Показать всё письмо».
	FullText string
	// Files are the mail's attachments, stored and pinned already (attachment.Files.Put);
	// they are recorded as the visitor's and sent with the message.
	Files []attachment.Upload
	// Notes say what of the mail could not be taken; they become an internal comment.
	Notes []string
	// NoAutoReply says the mail is automatic itself (an auto-reply, list or bulk mail, a
	// robot's, a delivery report, sent with the null envelope sender): AutoReason says why.
	// See AutoReplyRefusal.
	NoAutoReply bool
	AutoReason  string
}

// AutoReplyRefusal says why livedesk must not answer a received mail automatically, "" when it
// may. Every automatic mail livedesk sends to a mail's sender (an auto-answer, a receipt, an
// out-of-hours notice; none exists yet) must ask it first and carry Auto-Submitted:
// auto-replied itself. Answering is refused for mail that is automatic itself
// (in.NoAutoReply: auto-replies, lists, robots, delivery reports, the null envelope sender),
// mail without a sender's address, and mail from the mailbox itself: answering any of them is
// how mail loops start. An operator's own reply is not automatic and is never refused.
func AutoReplyRefusal(in InboundMail, mailbox string) string {
	switch _, ok := NormalizeAddress(in.FromAddress); {
	case in.NoAutoReply && in.AutoReason != "":
		return in.AutoReason
	case in.NoAutoReply:
		return "automatic mail"
	case !ok || strings.HasSuffix(in.FromAddress, ".invalid"):
		return "no sender address"
	case strings.EqualFold(in.FromAddress, mailbox):
		return "from the mailbox itself"
	}
	return ""
}

// MaxText is the longest message text, in characters (DESIGN: 10,000).
const MaxText = 10000

// ReceiveMail stores a mail to the email contact point cp: the sender becomes (or is) a
// visitor of cp; the mail joins the open conversation it answers (In-Reply-To/References),
// else the sender's open conversation, else a new routed one. A mail whose Message-ID the
// account already has is taken once: the stored message is returned. What could not be
// taken is written as an internal comment, never dropped silently.
func (d *Desk) ReceiveMail(ctx context.Context, cp *livedesk.ContactPoint, in InboundMail) (*livedesk.Message, error) {
	if cp.Channel != livedesk.ChannelEmail {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "contact point %d is not a mailbox", cp.ID)
	}
	if in.MessageID == "" {
		in.MessageID = newMailID(MailboxAddress(cp))
	}
	text := strings.TrimSpace(in.Text)
	if text == "" && len(in.Files) == 0 {
		text = "(пустое письмо)"
	}
	var out *livedesk.Message
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		// The thread's conversation when it is still open, else the sender's open one.
		var c *livedesk.Conversation
		if t, err := tx.ConversationOfMail(cp.AccountID, cp.ID, in.Thread); err == nil && t.State != livedesk.StateClosed && !t.VisitorClosed {
			c = t
		} else if err != nil && !livedesk.IsCode(err, livedesk.CodeNotFound) {
			return err
		}
		var v *livedesk.Visitor
		if c != nil && c.ContactPoint.ID != cp.ID {
			// A widget conversation continued by email (followup.go): the mail is its
			// visitor's answer when it comes from their address; from another address it
			// is a mail of its own.
			w, err := tx.Visitor(cp.AccountID, c.Visitor.ID)
			if err != nil {
				return err
			}
			if strings.EqualFold(w.Email, in.FromAddress) {
				v = w
			} else {
				c = nil
			}
		}
		if v == nil {
			var err error
			v, err = tx.VisitorByEmail(cp.AccountID, cp.ID, in.FromAddress)
			if livedesk.IsCode(err, livedesk.CodeNotFound) {
				v = &livedesk.Visitor{AccountID: cp.AccountID, ContactPointID: cp.ID, Name: in.FromName, Email: in.FromAddress}
				err = tx.CreateVisitor(v)
			} else if err == nil && v.Name == "" && in.FromName != "" {
				v.Name = in.FromName
				err = tx.UpdateVisitor(v)
			}
			if err != nil {
				return err
			}
		}
		if c == nil {
			if o, err := tx.OpenConversationOf(cp.AccountID, v.ID, cp.ID); err == nil {
				c = o
			} else if !livedesk.IsCode(err, livedesk.CodeNotFound) {
				return err
			}
		}
		m := &livedesk.Message{Kind: livedesk.KindText, Text: text, EmailMessageID: in.MessageID, EmailSubject: in.Subject,
			Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: v.ID, Name: v.DisplayName}}
		if full := strings.TrimSpace(in.FullText); full != "" && full != text {
			m.FullText = full
		}
		files, err := recordFiles(tx, cp.AccountID, livedesk.AuthorVisitor, v.ID, in.Files)
		if err != nil {
			return err
		}
		ids := make([]livedesk.ID, len(files))
		for i, f := range files {
			ids[i] = f.ID
		}
		if m.Attachments, err = claimAttachments(tx, cp.AccountID, livedesk.AuthorVisitor, v.ID, ids); err != nil {
			return err
		}
		if c, err = visitorMessageIn(tx, cp, c, v.ID, m); err != nil {
			return err
		}
		if err := tx.BindAttachments(m.ID, ids); err != nil {
			return err
		}
		if c.Subject == "" && in.Subject != "" {
			// The thread had no subject yet (its first mail had none).
			if err := tx.SetEmailSubject(c.ID, in.Subject); err != nil {
				return err
			}
		}
		out = m
		if len(in.Notes) == 0 {
			return nil
		}
		note := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindComment, Author: livedesk.Author{Type: livedesk.AuthorSystem},
			Text: "Из письма взято не всё: " + strings.Join(in.Notes, "; ")}
		if err := tx.InsertMessage(cp.AccountID, note); err != nil {
			return err
		}
		return emitMessage(tx, c, note, 0)
	})
	if errors.Is(err, livedesk.ErrDuplicateMail) {
		return d.store.MessageByMailID(ctx, cp.AccountID, in.MessageID)
	}
	return out, err
}

// MailSent records that the relay took a reply's mail and tells the operators.
func (d *Desk) MailSent(ctx context.Context, account, message livedesk.ID) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.EmailSent(message); err != nil {
			return err
		}
		_, _, err := emitMailState(tx, account, message)
		return err
	})
}

// DueMail takes up to limit replies whose mail is due now, oldest first, for this sender (see
// MailClaimLease): no other sender, on this node or another, gets them meanwhile.
func (d *Desk) DueMail(ctx context.Context, limit int) ([]livedesk.OutgoingEmail, error) {
	var due []livedesk.OutgoingEmail
	err := d.store.Write(ctx, func(tx livedesk.Tx) (err error) {
		due, err = tx.ClaimDueEmails(limit, MailClaimLease)
		return err
	})
	return due, err
}

// MailClaimLease is how long a reply taken by a sender is not due for another: a node that
// dies while sending leaves it to the others after this.
const MailClaimLease = 5 * time.Minute

// OutgoingMail reads what the sender needs to write a reply waiting in the outbox.
func (d *Desk) OutgoingMail(ctx context.Context, account, message livedesk.ID) (*livedesk.OutgoingMail, error) {
	out, err := d.store.OutgoingMail(ctx, account, message)
	if err != nil {
		return nil, err
	}
	return out, d.ratingLinkOf(ctx, account, out)
}

// MailRetry records a failed attempt to send a reply's mail and when to try again.
func (d *Desk) MailRetry(ctx context.Context, message livedesk.ID, why string, next time.Time) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.EmailRetry(message, why, next) })
}

// MailboxOf returns the email contact point that takes mail for an address (normalised), or
// not_found.
func (d *Desk) MailboxOf(ctx context.Context, address string) (*livedesk.ContactPoint, error) {
	return d.store.Mailbox(ctx, address)
}

// MailNotDelivered marks a reply's mail as failed for good and says so in its conversation
// with an internal comment, so the operator knows the visitor did not get it.
func (d *Desk) MailNotDelivered(ctx context.Context, account, message livedesk.ID, reason string) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return mailNotDelivered(tx, account, message, reason) })
}

func mailNotDelivered(tx livedesk.Tx, account, message livedesk.ID, reason string) error {
	if err := tx.EmailRetry(message, reason, time.Time{}); err != nil {
		return err
	}
	_, c, err := emitMailState(tx, account, message)
	if err != nil {
		return err
	}
	note := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindComment, Author: livedesk.Author{Type: livedesk.AuthorSystem},
		Text: "Письмо с ответом не доставлено: " + preview(reason)}
	if err := tx.InsertMessage(account, note); err != nil {
		return err
	}
	return emitMessage(tx, c, note, 0)
}

// MailBounced takes a report that the mail with Message-ID mailID was not delivered, sent to
// the mailbox cp: when mailID is an operator's reply of cp's account that went out by mail,
// its mail is marked failed with the reason, as MailNotDelivered does (delivery state,
// message.updated, the comment «Письмо с ответом не доставлено: …»), and ours is true. A
// report that names no reply of the account changes nothing (ours false). A reply already
// failed stays as it is: a report delivered twice, or after the relay refused, adds nothing.
func (d *Desk) MailBounced(ctx context.Context, cp *livedesk.ContactPoint, mailID, reason string) (ours bool, err error) {
	if mailID == "" {
		return false, nil
	}
	found, err := d.store.MessageByMailID(ctx, cp.AccountID, mailID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if found.Author.Type != livedesk.AuthorOperator || found.EmailDelivery == nil {
		return false, nil // a visitor's mail, or no mail of ours
	}
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		m, err := tx.MessageByID(cp.AccountID, found.ID)
		if err != nil || m.EmailDelivery == nil || m.EmailDelivery.State == "failed" {
			return err
		}
		return mailNotDelivered(tx, cp.AccountID, m.ID, reason)
	})
	return true, err
}

// emitMailState sends message.updated with the reply's new delivery state to the operators
// of its conversation (the visitor is not told: they get the mail or not).
func emitMailState(tx livedesk.Tx, account, message livedesk.ID) (*livedesk.Message, *livedesk.Conversation, error) {
	m, err := tx.MessageByID(account, message)
	if err != nil {
		return nil, nil, err
	}
	c, err := tx.Conversation(account, m.ConversationID)
	if err != nil {
		return nil, nil, err
	}
	err = tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventMessageUpdated, OperatorID: c.AssigneeID, Staff: true,
		Payload: mustJSON(struct {
			ConversationID livedesk.ID       `json:"conversation_id"`
			Message        *livedesk.Message `json:"message"`
		}{c.ID, m})})
	return m, c, err
}
