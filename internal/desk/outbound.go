package desk

import (
	"context"
	"strings"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// An operator starts an email conversation (issue 16): a new mail to a customer address,
// from one of the account's email contact points. The rules:
//
//   - Who: any operator whose status lets them take conversations by hand (available or
//     pause, as for a transfer or an assignment from the queue); away and offline may not.
//   - The conversation is assigned to the operator who wrote, and counts against their limit
//     like any other: at the limit the mail is refused (limit_reached), so open ≤ limit holds.
//     It is never queued or routed. The reports count it as created but give it no queue
//     wait and no first response (nobody waited for an answer).
//   - The customer is the visitor of that mailbox with the address (found, or created with
//     the name given): the same visitor their own mail to the mailbox would be, so their
//     answer threads into this conversation (by its Message-ID, else as the sender's open
//     conversation). One open conversation per visitor and mailbox: when they have one, the
//     mail is refused (conflict, details.conversation_id names it).
//   - The mail goes out like a reply, through the outbox: the mailbox's own SMTP server, else
//     the relay; its Message-ID is in the mailbox's domain and its subject has no «Re:».

// NewEmail is what an operator writes to start an email conversation.
type NewEmail struct {
	ClientID       string      `json:"client_id"`
	ContactPointID livedesk.ID `json:"contact_point_id"`
	// To is the customer's address; Name their name (optional).
	To   string `json:"to"`
	Name string `json:"name"`
	// Subject is the mail's subject (required, one line).
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// AttachmentIDs are files the operator uploaded and has not sent yet.
	AttachmentIDs []livedesk.ID `json:"attachment_ids"`
}

// MaxSubject is the longest subject of a mail an operator starts, in characters.
const MaxSubject = 200

func (in *NewEmail) check() error {
	if err := CheckClientID(in.ClientID); err != nil {
		return err
	}
	if in.ContactPointID == 0 {
		return fieldErr("contact_point_id", "is required: the mailbox the mail goes from")
	}
	to, ok := NormalizeAddress(in.To)
	if !ok {
		return fieldErr("to", "must be an email address like client@example.org")
	}
	in.To = to
	name, err := checkName("name", in.Name, 200)
	if err != nil && strings.TrimSpace(in.Name) != "" {
		return err
	}
	in.Name = name
	subject := strings.Join(strings.Fields(in.Subject), " ")
	if !utf8.ValidString(subject) || subject == "" {
		return fieldErr("subject", "is required")
	}
	if utf8.RuneCountInString(subject) > MaxSubject {
		return fieldErr("subject", "is longer than 200 characters")
	}
	in.Subject = subject
	if err := checkAttachmentIDs(in.AttachmentIDs); err != nil {
		return err
	}
	text, err := CheckText(in.Text, len(in.AttachmentIDs) > 0)
	if err != nil {
		return err
	}
	in.Text = text
	return nil
}

// StartedEmail is the conversation an operator started with a mail, and the mail's message.
type StartedEmail struct {
	Conversation *livedesk.Conversation `json:"conversation"`
	Message      *livedesk.Message      `json:"message"`
}

// StartEmail starts an email conversation: the operator's mail to a customer address, sent
// from the email contact point in.ContactPointID (rules above). The same client id twice
// answers the first conversation and message.
func (d *Desk) StartEmail(ctx context.Context, account, opID livedesk.ID, in NewEmail) (*StartedEmail, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *StartedEmail
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionAcceptTransfer)
		if err != nil {
			return err
		}
		if in.ClientID != "" {
			if m, err := tx.MessageByClientID(livedesk.AuthorOperator, op.ID, in.ClientID); err == nil {
				c, err := tx.Conversation(account, m.ConversationID)
				if err != nil {
					return err
				}
				if c.Channel != livedesk.ChannelEmail || c.ContactPoint.ID != in.ContactPointID {
					return livedesk.Errorf(livedesk.CodeClientIDReused, "client_id %q was already used for another message; start every mail with a new client_id", in.ClientID)
				}
				out = &StartedEmail{Conversation: c, Message: m}
				return nil
			} else if !livedesk.IsCode(err, livedesk.CodeNotFound) {
				return err
			}
		}
		cp, err := tx.ContactPoint(account, in.ContactPointID)
		if livedesk.IsCode(err, livedesk.CodeNotFound) || err == nil && cp.Channel != livedesk.ChannelEmail {
			return fieldErr("contact_point_id", "must be an email contact point of the account")
		}
		if err != nil {
			return err
		}
		mailbox := MailboxAddress(cp)
		if mailbox == "" {
			return fieldErr("contact_point_id", "has no address to send from")
		}
		if in.To == mailbox {
			return fieldErr("to", "is the mailbox's own address")
		}
		v, err := tx.VisitorByEmail(account, cp.ID, in.To)
		if livedesk.IsCode(err, livedesk.CodeNotFound) {
			v = &livedesk.Visitor{AccountID: account, ContactPointID: cp.ID, Name: in.Name, Email: in.To}
			err = tx.CreateVisitor(v)
		} else if err == nil && v.Name == "" && in.Name != "" {
			v.Name = in.Name
			err = tx.UpdateVisitor(v)
		}
		if err != nil {
			return err
		}
		if open, err := tx.OpenConversationOf(account, v.ID, cp.ID); err == nil {
			return &livedesk.Error{Code: livedesk.CodeConflict, Message: "this address has an open conversation at the mailbox: write in it",
				Details: map[string]string{"conversation_id": open.ID.String()}}
		} else if !livedesk.IsCode(err, livedesk.CodeNotFound) {
			return err
		}
		ok, err := tx.ReserveCapacity(op.ID, false)
		if err != nil {
			return err
		}
		if !ok {
			return &livedesk.Error{Code: livedesk.CodeLimitReached, Message: "the limit of open conversations is reached: close one first",
				Details: map[string]string{"limit": jsonInt(int64(op.Limit))}}
		}
		id, err := tx.CreateConversation(account, cp, v.ID)
		if err != nil {
			return err
		}
		// Before the events below are written, so that they carry them.
		if err := tx.SetEmailSubject(id, in.Subject); err != nil {
			return err
		}
		if err := tx.SetStartedBy(id, op.ID); err != nil {
			return err
		}
		if err := assign(tx, account, id, op); err != nil {
			return err
		}
		c, err := tx.Conversation(account, id)
		if err != nil {
			return err
		}
		m := &livedesk.Message{ConversationID: c.ID, ClientID: in.ClientID, Kind: livedesk.KindText, Text: in.Text,
			EmailMessageID: newMailID(mailbox), Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: op.ID, Name: op.Name}}
		if m.Attachments, err = claimAttachments(tx, account, livedesk.AuthorOperator, op.ID, in.AttachmentIDs); err != nil {
			return err
		}
		if err := tx.InsertMessage(account, m); err != nil {
			return err
		}
		if err := tx.BindAttachments(m.ID, in.AttachmentIDs); err != nil {
			return err
		}
		if err := tx.QueueEmail(account, m.ID); err != nil {
			return err
		}
		m.EmailDelivery = &livedesk.EmailDelivery{State: "pending"}
		lm := livedesk.LastMessage{Text: listPreview(m), Author: livedesk.AuthorOperator, AuthorID: op.ID, AuthorName: op.Name, At: m.CreatedAt}
		if err := tx.TouchLastMessage(c.ID, lm, false); err != nil {
			return err
		}
		c.LastMessage = &lm
		c.LastMessageAt, c.UnreadCount = m.CreatedAt, 0
		if err := emitMessage(tx, c, m, 0); err != nil {
			return err
		}
		out = &StartedEmail{Conversation: c, Message: m}
		return emitOperator(tx, account, op.ID)
	})
	if err == nil && out.Message.EmailDelivery != nil && out.Message.EmailDelivery.State == "pending" && d.mailQueued != nil {
		d.mailQueued()
	}
	return out, err
}

// SendingMailbox is an email contact point an operator may start a mail from.
type SendingMailbox struct {
	ID      livedesk.ID `json:"id"`
	Name    string      `json:"name"`
	Address string      `json:"address"`
}

// SendingMailboxes lists the account's email contact points that have an address, by id:
// where an operator's new mail may go from.
func (d *Desk) SendingMailboxes(ctx context.Context, account livedesk.ID) ([]SendingMailbox, error) {
	cps, err := d.store.ContactPoints(ctx, account)
	if err != nil {
		return nil, err
	}
	out := []SendingMailbox{}
	for _, cp := range cps {
		if a := MailboxAddress(cp); cp.Channel == livedesk.ChannelEmail && a != "" {
			out = append(out, SendingMailbox{ID: cp.ID, Name: cp.Name, Address: a})
		}
	}
	return out, nil
}
