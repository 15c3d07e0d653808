package desk

import (
	"context"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

func secs(n int) time.Duration { return time.Duration(n) * time.Second }

// VisitorProfile is what a visitor may tell about themselves.
type VisitorProfile struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
}

func (p VisitorProfile) check() error {
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"name", p.Name, 100}, {"email", p.Email, 254}, {"phone", p.Phone, 40}} {
		if f.v == nil {
			continue
		}
		if _, err := CheckText(*f.v, true); err != nil {
			return err
		}
		if len([]rune(*f.v)) > f.max {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "%s is longer than %d characters", f.name, f.max)
		}
	}
	if p.Email != nil && *p.Email != "" && !strings.Contains(*p.Email, "@") {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "email is not an email address")
	}
	return nil
}

// VisitorSession returns the visitor of a contact point: the one named by id when it belongs
// there, else a new one. The profile fields given are stored.
func (d *Desk) VisitorSession(ctx context.Context, cp *livedesk.ContactPoint, id livedesk.ID, p VisitorProfile) (*livedesk.Visitor, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if id != 0 && p.Name == nil && p.Email == nil && p.Phone == nil {
		// A returning visitor with nothing new: a read, no write transaction.
		if v, err := d.store.Visitor(ctx, cp.AccountID, id); err == nil && v.ContactPointID == cp.ID {
			return v, nil
		}
	}
	var out *livedesk.Visitor
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		var v *livedesk.Visitor
		if id != 0 {
			if found, err := tx.Visitor(cp.AccountID, id); err == nil && found.ContactPointID == cp.ID {
				v = found
			}
		}
		if v == nil {
			v = &livedesk.Visitor{AccountID: cp.AccountID, ContactPointID: cp.ID}
			apply(v, p)
			if err := tx.CreateVisitor(v); err != nil {
				return err
			}
			out = v
			return nil
		}
		if p.Name == nil && p.Email == nil && p.Phone == nil {
			out = v
			return nil
		}
		apply(v, p)
		if err := tx.UpdateVisitor(v); err != nil {
			return err
		}
		out = v
		// The open conversation shows the new name in the operators' lists.
		if c, err := tx.OpenConversationOf(cp.AccountID, v.ID, cp.ID); err == nil {
			return emitConversation(tx, livedesk.EventConversationUpdated, c, 0)
		}
		return nil
	})
	return out, err
}

func apply(v *livedesk.Visitor, p VisitorProfile) {
	if p.Name != nil {
		v.Name = strings.TrimSpace(*p.Name)
	}
	if p.Email != nil {
		v.Email = strings.TrimSpace(*p.Email)
	}
	if p.Phone != nil {
		v.Phone = strings.TrimSpace(*p.Phone)
	}
}

// VisitorMessage stores a visitor's message in their open conversation at the contact point,
// opening a new one (and routing it) when there is none. The same client id twice returns
// the first message.
func (d *Desk) VisitorMessage(ctx context.Context, cp *livedesk.ContactPoint, visitorID livedesk.ID, in MessageInput) (*livedesk.Message, error) {
	if in.ReplyTo != 0 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "visitors cannot quote")
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	// A retried send is caught by the unique client-id index inside the writer and answered
	// with the stored message below; only a message with files looks first, because claiming
	// its already-sent files would refuse the retry.
	if in.ClientID != "" && len(in.AttachmentIDs) > 0 {
		if m, err := d.store.MessageByClientID(ctx, livedesk.AuthorVisitor, visitorID, in.ClientID); err == nil {
			return m, nil
		} else if !livedesk.IsCode(err, livedesk.CodeNotFound) {
			return nil, err
		}
	}
	var out *livedesk.Message
	err := d.store.Write(ctx, func(tx livedesk.Tx) (err error) {
		m := &livedesk.Message{ClientID: in.ClientID, Kind: livedesk.KindText, Text: in.Text,
			Author: livedesk.Author{Type: livedesk.AuthorVisitor, ID: visitorID}}
		if m.Attachments, err = claimAttachments(tx, cp.AccountID, livedesk.AuthorVisitor, visitorID, in.AttachmentIDs); err != nil {
			return err
		}
		if err := applySticker(tx, cp.AccountID, m, in.StickerID); err != nil {
			return err
		}
		out = m
		if err := visitorMessage(tx, cp, visitorID, m); err != nil {
			return err
		}
		return tx.BindAttachments(m.ID, in.AttachmentIDs)
	})
	if livedesk.IsCode(err, livedesk.CodeConflict) && in.ClientID != "" {
		// The same client id is stored already (a retry, or a concurrent attempt): answer with
		// that message (this attempt's changes were rolled back with its savepoint).
		if m, ferr := d.store.MessageByClientID(ctx, livedesk.AuthorVisitor, visitorID, in.ClientID); ferr == nil {
			return m, nil
		}
	}
	return out, err
}

// visitorMessage stores m in the visitor's open conversation (or a new routed one), with the
// visitor's display name as its author name. This is the hottest write path: the store
// appends to the open conversation in one step (one statement on PostgreSQL), and only a new
// conversation reads the visitor.
func visitorMessage(tx livedesk.Tx, cp *livedesk.ContactPoint, visitorID livedesk.ID, m *livedesk.Message) error {
	lm := livedesk.LastMessage{Text: listPreview(m), Author: livedesk.AuthorVisitor, At: tx.Now()}
	c, err := tx.AppendVisitorMessage(cp.AccountID, visitorID, cp.ID, m, lm)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		_, err = visitorMessageIn(tx, cp, nil, visitorID, m)
		return err
	} else if err != nil {
		return err
	}
	c.LastMessage = &lm
	c.LastMessageAt = m.CreatedAt
	c.UnreadCount++
	return emitMessage(tx, c, m, 0)
}

// visitorMessageIn stores m (its author name set, unless c is nil) in the open conversation c,
// or in a new routed one of the visitor when c is nil, and returns the conversation.
func visitorMessageIn(tx livedesk.Tx, cp *livedesk.ContactPoint, c *livedesk.Conversation, visitorID livedesk.ID, m *livedesk.Message) (*livedesk.Conversation, error) {
	isNew := c == nil
	if isNew {
		v, err := tx.Visitor(cp.AccountID, visitorID)
		if err != nil {
			return nil, err
		}
		if m.Author.Name == "" {
			m.Author.Name = v.DisplayName
		}
		id, err := tx.CreateConversation(cp.AccountID, cp, v.ID)
		if err != nil {
			return nil, err
		}
		if m.EmailSubject != "" {
			// Set before the events below are written, so that they carry it.
			if err := tx.SetEmailSubject(id, m.EmailSubject); err != nil {
				return nil, err
			}
		}
		c = &livedesk.Conversation{ID: id, AccountID: cp.AccountID}
	}
	m.ConversationID = c.ID
	lm := livedesk.LastMessage{Text: listPreview(m), Author: livedesk.AuthorVisitor, At: tx.Now()}
	if err := tx.AppendMessage(cp.AccountID, m, lm, true); err != nil {
		return nil, err
	}
	if !isNew {
		// The conversation was read in this transaction; apply the update above to it
		// instead of reading it again (this is the hottest write path).
		c.LastMessage = &lm
		c.LastMessageAt = m.CreatedAt
		c.UnreadCount++
		return c, emitMessage(tx, c, m, 0)
	}
	if err := drain(tx, cp.AccountID); err != nil {
		return nil, err
	}
	c, err := tx.Conversation(cp.AccountID, c.ID)
	if err != nil {
		return nil, err
	}
	if c.State == livedesk.StateQueued {
		if err := emitConversation(tx, livedesk.EventConversationQueued, c, 0); err != nil {
			return nil, err
		}
	}
	return c, emitMessage(tx, c, m, 0)
}

// VisitorClose is the visitor closing their open conversation from the widget: the system
// line «Посетитель закрыл обращение» is written and the operator closes it with a category.
// A conversation still in the queue has nobody to close it and is closed at once.
func (d *Desk) VisitorClose(ctx context.Context, cp *livedesk.ContactPoint, visitorID livedesk.ID) (*livedesk.Conversation, error) {
	var out *livedesk.Conversation
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		c, err := tx.OpenConversationOf(cp.AccountID, visitorID, cp.ID)
		if err != nil {
			return livedesk.Errorf(livedesk.CodeNotFound, "there is no open conversation to close")
		}
		if err := tx.SetVisitorClosed(c.ID); err != nil {
			return err
		}
		c.VisitorClosed = true
		if err := systemLine(tx, c, "Посетитель закрыл обращение", 0); err != nil {
			return err
		}
		if c.State == livedesk.StateQueued {
			if err := closeConversation(tx, c, 0, 0, "visitor_closed"); err != nil {
				return err
			}
		} else {
			if err := emitConversation(tx, livedesk.EventConversationUpdated, c, 0); err != nil {
				return err
			}
			// The visitor's widget is done with it, and asks for a rating (ratings.go).
			ask, err := ratingRequestIn(tx, c.AccountID, c.ID)
			if err != nil {
				return err
			}
			if err := tx.Emit(&livedesk.Event{AccountID: c.AccountID, Type: livedesk.EventConversationClosed,
				VisitorID: c.Visitor.ID, Payload: []byte(`{}`),
				VisitorPayload: mustJSON(livedesk.VisitorConversationPayload{ConversationID: c.ID, Reason: "visitor_closed", RatingRequest: ask})}); err != nil {
				return err
			}
		}
		out, err = tx.Conversation(cp.AccountID, c.ID)
		return err
	})
	return out, err
}
