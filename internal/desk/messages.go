package desk

import (
	"context"
	"strings"

	"livedesk/internal/livedesk"
)

// Replies, comments and read marks in an operator's conversation.

// MessageInput is what an operator or visitor sends.
type MessageInput struct {
	ClientID  string      `json:"client_id"`
	Text      string      `json:"text"`
	ReplyTo   livedesk.ID `json:"reply_to"`
	StickerID string      `json:"sticker_id"`
	// AttachmentIDs are files the sender uploaded and has not sent yet (at most 5, 25 MiB
	// together); with them the text may be empty.
	AttachmentIDs []livedesk.ID `json:"attachment_ids"`
}

func (in *MessageInput) check() error {
	if err := CheckClientID(in.ClientID); err != nil {
		return err
	}
	if err := checkAttachmentIDs(in.AttachmentIDs); err != nil {
		return err
	}
	if err := checkStickerInput(in); err != nil {
		return err
	}
	// With files or a sticker the text may be empty.
	files := len(in.AttachmentIDs) > 0 || in.StickerID != ""
	text, err := CheckText(in.Text, files)
	if files && strings.TrimSpace(text) == "" {
		text = ""
	}
	in.Text = text
	return err
}

// SendMessage stores an operator's reply in their conversation. The same client id twice
// returns the first message.
func (d *Desk) SendMessage(ctx context.Context, account, opID, conversation livedesk.ID, in MessageInput) (*livedesk.Message, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *livedesk.Message
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		if m, err := repeatedSend(tx, op.ID, in.ClientID, conversation, false); m != nil || err != nil {
			out = m
			return err
		}
		c, err := ownConversation(tx, op, conversation)
		if err != nil {
			return err
		}
		if c.State != livedesk.StateAssigned {
			return livedesk.Errorf(livedesk.CodeConflict, "the conversation is waiting in the queue")
		}
		if c.VisitorClosed {
			return livedesk.Errorf(livedesk.CodeConversationClosed, "the visitor closed this conversation; close it with a category")
		}
		m := &livedesk.Message{ConversationID: c.ID, ClientID: in.ClientID, Kind: livedesk.KindText, Text: in.Text,
			Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: op.ID, Name: op.Name}}
		if m.Attachments, err = claimAttachments(tx, account, livedesk.AuthorOperator, op.ID, in.AttachmentIDs); err != nil {
			return err
		}
		if err := applySticker(tx, account, m, in.StickerID); err != nil {
			return err
		}
		if in.ReplyTo != 0 {
			q, err := tx.Message(c.ID, in.ReplyTo)
			if err != nil || q.Kind == livedesk.KindComment {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "reply_to must be a message of this conversation")
			}
			m.ReplyTo = q.ID
			m.Quote = &livedesk.Quote{ID: q.ID, Author: q.Author, Text: q.Text}
		}
		if c.Channel == livedesk.ChannelEmail {
			// The reply goes out by mail: it gets its Message-ID now (the visitor's answer will
			// refer to it) and waits in the outbox for the relay.
			cp, err := tx.ContactPoint(account, c.ContactPoint.ID)
			if err != nil {
				return err
			}
			m.EmailMessageID = newMailID(MailboxAddress(cp))
		}
		var fu *followup
		if c.Channel == livedesk.ChannelWebchat {
			// The reply follows the visitor by mail if they are gone by then (followup.go).
			if fu, err = followupOf(tx, c); err != nil {
				return err
			}
			if fu != nil {
				m.EmailMessageID = newMailID(fu.mailbox)
			}
		}
		if err := tx.InsertMessage(account, m); err != nil {
			return err
		}
		if err := tx.BindAttachments(m.ID, in.AttachmentIDs); err != nil {
			return err
		}
		if c.Channel == livedesk.ChannelEmail {
			if err := tx.QueueEmail(account, m.ID); err != nil {
				return err
			}
			m.EmailDelivery = &livedesk.EmailDelivery{State: "pending"}
		}
		if fu != nil {
			if err := tx.QueueFollowup(account, m.ID, fu.from, fu.due); err != nil {
				return err
			}
			m.EmailDelivery = &livedesk.EmailDelivery{State: "pending"}
		}
		lm := livedesk.LastMessage{Text: listPreview(m), Author: livedesk.AuthorOperator, AuthorID: op.ID, AuthorName: op.Name, At: m.CreatedAt}
		if err := tx.TouchLastMessage(c.ID, lm, false); err != nil {
			return err
		}
		c.LastMessage = &lm
		c.LastMessageAt, c.UnreadCount = m.CreatedAt, 0
		out = m
		return emitMessage(tx, c, m, 0)
	})
	if err == nil && out.EmailMessageID != "" && d.mailQueued != nil {
		d.mailQueued()
	}
	return out, err
}

// AddComment stores an internal comment, never shown to the visitor.
func (d *Desk) AddComment(ctx context.Context, account, opID, conversation livedesk.ID, clientID, text string) (*livedesk.Message, error) {
	if err := CheckClientID(clientID); err != nil {
		return nil, err
	}
	text, err := CheckText(text, false)
	if err != nil {
		return nil, err
	}
	var out *livedesk.Message
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		if m, err := repeatedSend(tx, op.ID, clientID, conversation, true); m != nil || err != nil {
			out = m
			return err
		}
		c, err := ownConversation(tx, op, conversation)
		if err != nil {
			return err
		}
		out, err = comment(tx, c, op, clientID, text)
		return err
	})
	return out, err
}

func comment(tx livedesk.Tx, c *livedesk.Conversation, op *livedesk.Operator, clientID, text string) (*livedesk.Message, error) {
	m := &livedesk.Message{ConversationID: c.ID, ClientID: clientID, Kind: livedesk.KindComment, Text: text,
		Author: livedesk.Author{Type: livedesk.AuthorOperator, ID: op.ID, Name: op.Name}}
	if err := tx.InsertMessage(c.AccountID, m); err != nil {
		return nil, err
	}
	return m, emitMessage(tx, c, m, 0)
}

func systemLine(tx livedesk.Tx, c *livedesk.Conversation, text string, extra livedesk.ID) error {
	m := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindSystem, Text: text,
		Author: livedesk.Author{Type: livedesk.AuthorSystem}}
	if err := tx.InsertMessage(c.AccountID, m); err != nil {
		return err
	}
	return emitMessage(tx, c, m, extra)
}

// MarkRead resets the unread counter of a conversation the operator holds.
func (d *Desk) MarkRead(ctx context.Context, account, opID, conversation livedesk.ID) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		_, c, err := actingIn(tx, account, opID, conversation, livedesk.ActionReply)
		if err != nil {
			return err
		}
		if c.UnreadCount == 0 {
			return nil
		}
		if err := tx.MarkRead(c.ID); err != nil {
			return err
		}
		c.UnreadCount = 0
		return emitConversation(tx, livedesk.EventConversationUpdated, c, 0)
	})
}
