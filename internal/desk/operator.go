package desk

import (
	"context"
	"fmt"
	"strings"

	"livedesk/internal/livedesk"
	"livedesk/internal/routing"
)

// actor re-reads the operator inside the transaction and checks that their status allows a.
func actor(tx livedesk.Tx, account, id livedesk.ID, a livedesk.Action) (*livedesk.Operator, error) {
	op, err := tx.Operator(account, id)
	if err != nil {
		return nil, err
	}
	if op.Status == livedesk.StatusOffline {
		return nil, livedesk.Errorf(livedesk.CodeOperatorOffline, "you are offline: choose a status first")
	}
	if !op.Status.Can(a) {
		return nil, livedesk.Errorf(livedesk.CodeForbidden, "status %s does not allow this", op.Status)
	}
	return op, nil
}

// ownConversation loads a conversation the operator may write in: theirs, or any for staff.
func ownConversation(tx livedesk.Tx, op *livedesk.Operator, id livedesk.ID) (*livedesk.Conversation, error) {
	c, err := tx.Conversation(op.AccountID, id)
	if err != nil {
		return nil, err
	}
	if c.State == livedesk.StateClosed {
		return nil, livedesk.Errorf(livedesk.CodeConversationClosed, "the conversation is closed")
	}
	if c.AssigneeID != op.ID && !op.Role.Staff() {
		return nil, livedesk.Errorf(livedesk.CodeForbidden, "the conversation is assigned to another operator")
	}
	return c, nil
}

// SetStatus changes an operator's own status. Going available drains the queue; going away
// or offline cancels transfer offers waiting for them.
func (d *Desk) SetStatus(ctx context.Context, account, id livedesk.ID, status livedesk.Status) (*livedesk.Operator, error) {
	if !status.Valid() {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "status must be one of available, pause, away, offline")
	}
	var out *livedesk.Operator
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := tx.Operator(account, id)
		if err != nil {
			return err
		}
		if err := changeStatus(tx, op, status, "receiver_unavailable"); err != nil {
			return err
		}
		out, err = tx.Operator(account, id)
		return err
	})
	return out, err
}

func changeStatus(tx livedesk.Tx, op *livedesk.Operator, status livedesk.Status, reason string) error {
	wasOnline := op.Status != livedesk.StatusOffline
	if err := tx.SetOperatorStatus(op.ID, status); err != nil {
		return err
	}
	if isOnline := status != livedesk.StatusOffline; isOnline != wasOnline {
		if err := emitAvailability(tx, op.AccountID); err != nil {
			return err
		}
	}
	if err := emitOperator(tx, op.AccountID, op.ID); err != nil {
		return err
	}
	if !status.Can(livedesk.ActionAcceptTransfer) {
		offers, err := tx.PendingTransfersTo(op.ID)
		if err != nil {
			return err
		}
		for _, t := range offers {
			if ok, err := tx.ResolveTransfer(t, livedesk.TransferCancelled); err != nil {
				return err
			} else if ok {
				if err := emitTransfer(tx, op.AccountID, livedesk.EventTransferCancelled, t, livedesk.TransferPayload{Reason: reason}); err != nil {
					return err
				}
			}
		}
	}
	if status == livedesk.StatusAvailable {
		return drain(tx, op.AccountID)
	}
	return nil
}

// UpdateSettings changes an operator's own settings (not while offline).
func (d *Desk) UpdateSettings(ctx context.Context, account, id livedesk.ID, s livedesk.OperatorSettings) (*livedesk.Operator, error) {
	var out *livedesk.Operator
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, id, livedesk.ActionSettings)
		if err != nil {
			return err
		}
		if s.AutocompleteQuickMessages != nil {
			op.Settings.AutocompleteQuickMessages = s.AutocompleteQuickMessages
		}
		if s.Spellcheck != nil {
			op.Settings.Spellcheck = s.Spellcheck
		}
		if s.Language != "" {
			op.Settings.Language = s.Language
		}
		if err := tx.UpdateOperator(op); err != nil {
			return err
		}
		out = op
		return nil
	})
	return out, err
}

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
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		c, err := ownConversation(tx, op, conversation)
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

// Close closes a conversation with a category (required when the account has categories),
// frees the assignee's capacity at once and drains the queue.
func (d *Desk) Close(ctx context.Context, account, opID, conversation, category livedesk.ID) (*livedesk.Conversation, error) {
	var out *livedesk.Conversation
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		c, err := ownConversation(tx, op, conversation)
		if err != nil {
			return err
		}
		has, valid, err := tx.CategoryState(account, category)
		if err != nil {
			return err
		}
		if category != 0 && !valid {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "category_id is not a category of this account")
		}
		if has && category == 0 {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "choose a conversation category to close the conversation")
		}
		if err := closeConversation(tx, c, op.ID, category, "closed"); err != nil {
			return err
		}
		out, err = tx.Conversation(account, c.ID)
		return err
	})
	return out, err
}

func closeConversation(tx livedesk.Tx, c *livedesk.Conversation, by, category livedesk.ID, reason string) error {
	if t := c.PendingTransfer; t != nil {
		if ok, err := tx.ResolveTransfer(t, livedesk.TransferCancelled); err != nil {
			return err
		} else if ok {
			if err := emitTransfer(tx, c.AccountID, livedesk.EventTransferCancelled, t, livedesk.TransferPayload{Reason: "conversation_closed"}); err != nil {
				return err
			}
		}
	}
	if err := tx.CloseConversation(c.ID, by, category); err != nil {
		return err
	}
	closed, err := tx.Conversation(c.AccountID, c.ID)
	if err != nil {
		return err
	}
	e := &livedesk.Event{AccountID: c.AccountID, Type: livedesk.EventConversationClosed, OperatorID: c.AssigneeID, Staff: true,
		Payload: mustJSON(livedesk.ConversationPayload{Conversation: closed, Reason: reason}), VisitorID: c.Visitor.ID,
		VisitorPayload: mustJSON(livedesk.VisitorConversationPayload{ConversationID: c.ID, Reason: reason})}
	if err := tx.Emit(e); err != nil {
		return err
	}
	if c.State == livedesk.StateAssigned && c.AssigneeID != 0 {
		if err := tx.ReleaseCapacity(c.AssigneeID); err != nil {
			return err
		}
		if err := emitOperator(tx, c.AccountID, c.AssigneeID); err != nil {
			return err
		}
		return drain(tx, c.AccountID)
	}
	return nil
}

// Offer starts a transfer of a conversation to another operator. Webchat waits for the
// receiver to accept; email moves at once.
func (d *Desk) Offer(ctx context.Context, account, opID, conversation, to livedesk.ID, commentText string) (*livedesk.Transfer, error) {
	commentText, err := CheckText(commentText, true)
	if err != nil {
		return nil, err
	}
	var out *livedesk.Transfer
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		c, err := ownConversation(tx, op, conversation)
		if err != nil {
			return err
		}
		if c.State != livedesk.StateAssigned {
			return livedesk.Errorf(livedesk.CodeConflict, "only an assigned conversation can be transferred")
		}
		target, err := tx.Operator(account, to)
		if err != nil {
			return err
		}
		if target.Deactivated {
			return livedesk.Errorf(livedesk.CodeTargetUnavailable, "%s has been deactivated", target.Name)
		}
		if target.ID == c.AssigneeID {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "the conversation is already assigned to %s", target.Name)
		}
		if err := routing.CanOffer(c.Channel, target); err != nil {
			return err
		}
		acct, err := tx.Account(account)
		if err != nil {
			return err
		}
		t := &livedesk.Transfer{ConversationID: c.ID, FromOperatorID: c.AssigneeID, ToOperatorID: target.ID,
			Comment: strings.TrimSpace(commentText), State: livedesk.TransferPending}
		if c.Channel == livedesk.ChannelWebchat {
			t.ExpiresAt = tx.Now().Add(secs(acct.Settings.TransferTimeoutSec))
			if err := tx.CreateTransfer(account, t); err != nil {
				return err
			}
			c.PendingTransfer = t
			out = t
			return emitTransfer(tx, account, livedesk.EventTransferOffered, t, livedesk.TransferPayload{Conversation: c})
		}
		// Email: no acceptance, the conversation moves now if the receiver has room.
		if c.PendingTransfer != nil {
			return livedesk.Errorf(livedesk.CodeConflict, "this conversation already has a pending transfer")
		}
		t.State = livedesk.TransferAccepted
		t.ExpiresAt = tx.Now()
		if err := moveConversation(tx, c, target, t); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// moveConversation hands c to target (whose capacity it reserves), records the transfer,
// writes the system line and the comment, and tells everyone.
func moveConversation(tx livedesk.Tx, c *livedesk.Conversation, target *livedesk.Operator, t *livedesk.Transfer) error {
	ok, err := tx.ReserveCapacity(target.ID, false)
	if err != nil {
		return err
	}
	if !ok {
		return livedesk.Errorf(livedesk.CodeLimitReached, "%s has reached the limit of %d open conversations", target.Name, target.Limit)
	}
	if t.ID == 0 {
		if err := tx.CreateTransfer(c.AccountID, t); err != nil {
			return err
		}
	} else if ok, err := tx.ResolveTransfer(t, livedesk.TransferAccepted); err != nil {
		return err
	} else if !ok {
		return livedesk.Errorf(livedesk.CodeTransferNotPending, "the transfer is no longer pending")
	}
	from, err := tx.Operator(c.AccountID, c.AssigneeID)
	if err != nil {
		return err
	}
	if err := tx.ReleaseCapacity(from.ID); err != nil {
		return err
	}
	if err := emitTransfer(tx, c.AccountID, livedesk.EventTransferAccepted, t, livedesk.TransferPayload{}); err != nil {
		return err
	}
	if err := tx.Emit(&livedesk.Event{AccountID: c.AccountID, Type: livedesk.EventConversationRemoved, OperatorID: from.ID,
		Payload: mustJSON(livedesk.RemovedPayload{ConversationID: c.ID, Reason: "transferred", ToOperatorID: target.ID})}); err != nil {
		return err
	}
	if err := assign(tx, c.AccountID, c.ID, target); err != nil {
		return err
	}
	moved, err := tx.Conversation(c.AccountID, c.ID)
	if err != nil {
		return err
	}
	if err := systemLine(tx, moved, fmt.Sprintf("Обращение передано: %s → %s", from.Name, target.Name), 0); err != nil {
		return err
	}
	if t.Comment != "" {
		if _, err := comment(tx, moved, from, "", t.Comment); err != nil {
			return err
		}
	}
	if err := emitOperator(tx, c.AccountID, from.ID); err != nil {
		return err
	}
	if err := emitOperator(tx, c.AccountID, target.ID); err != nil {
		return err
	}
	return drain(tx, c.AccountID)
}

// transferAction loads a pending transfer for accept, decline or cancel.
func transferAction(tx livedesk.Tx, account, id livedesk.ID) (*livedesk.Transfer, error) {
	t, err := tx.Transfer(account, id)
	if err != nil {
		return nil, err
	}
	if t.State != livedesk.TransferPending {
		return nil, livedesk.Errorf(livedesk.CodeTransferNotPending, "the transfer is %s", t.State)
	}
	return t, nil
}

// Accept takes a transfer offered to the operator; the limit is checked atomically now.
func (d *Desk) Accept(ctx context.Context, account, opID, id livedesk.ID) (*livedesk.Transfer, error) {
	var out *livedesk.Transfer
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionAcceptTransfer)
		if err != nil {
			return err
		}
		t, err := tx.Transfer(account, id)
		if err != nil {
			return err
		}
		if t.ToOperatorID != op.ID {
			return livedesk.Errorf(livedesk.CodeForbidden, "this transfer is offered to another operator")
		}
		if t.State != livedesk.TransferPending {
			return livedesk.Errorf(livedesk.CodeTransferNotPending, "the transfer is %s", t.State)
		}
		c, err := tx.Conversation(account, t.ConversationID)
		if err != nil {
			return err
		}
		if err := moveConversation(tx, c, op, t); err != nil {
			return err
		}
		out = t
		return nil
	})
	if livedesk.IsCode(err, livedesk.CodeLimitReached) {
		// The refused accept wrote nothing; tell both sides in a write of its own, so the
		// sender sees «limit reached» too (the offer stays pending).
		if nerr := d.store.Write(ctx, func(tx livedesk.Tx) error {
			t, err := tx.Transfer(account, id)
			if err != nil || t.State != livedesk.TransferPending {
				return err
			}
			return emitTransfer(tx, account, livedesk.EventTransferAcceptRefused, t, livedesk.TransferPayload{Reason: "limit_reached"})
		}); nerr != nil {
			d.log.Warn("accept refused event", "transfer", id, "err", nerr)
		}
	}
	return out, err
}

// PendingTransfer is an offer with its conversation, for a client that (re)loads.
type PendingTransfer struct {
	Transfer     *livedesk.Transfer     `json:"transfer"`
	Conversation *livedesk.Conversation `json:"conversation"`
}

// PendingTransfers lists the pending offers made to the operator and by them, oldest first.
func (d *Desk) PendingTransfers(ctx context.Context, account, opID livedesk.ID) (incoming, outgoing []PendingTransfer, err error) {
	ts, err := d.store.PendingTransfersOf(ctx, account, opID)
	if err != nil {
		return nil, nil, err
	}
	incoming, outgoing = []PendingTransfer{}, []PendingTransfer{}
	for _, t := range ts {
		c, err := d.store.Conversation(ctx, account, t.ConversationID)
		if err != nil {
			return nil, nil, err
		}
		if t.ToOperatorID == opID {
			incoming = append(incoming, PendingTransfer{t, c})
		} else {
			outgoing = append(outgoing, PendingTransfer{t, c})
		}
	}
	return incoming, outgoing, nil
}

// Decline refuses a transfer offered to the operator.
func (d *Desk) Decline(ctx context.Context, account, opID, id livedesk.ID) (*livedesk.Transfer, error) {
	return d.resolve(ctx, account, opID, id, livedesk.TransferDeclined, livedesk.EventTransferDeclined)
}

// Cancel withdraws a transfer the operator (or a supervisor) offered.
func (d *Desk) Cancel(ctx context.Context, account, opID, id livedesk.ID) (*livedesk.Transfer, error) {
	return d.resolve(ctx, account, opID, id, livedesk.TransferCancelled, livedesk.EventTransferCancelled)
}

func (d *Desk) resolve(ctx context.Context, account, opID, id livedesk.ID, state livedesk.TransferState, typ string) (*livedesk.Transfer, error) {
	var out *livedesk.Transfer
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, opID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		t, err := transferAction(tx, account, id)
		if err != nil {
			return err
		}
		if state == livedesk.TransferDeclined && t.ToOperatorID != op.ID {
			return livedesk.Errorf(livedesk.CodeForbidden, "this transfer is offered to another operator")
		}
		if state == livedesk.TransferCancelled && t.FromOperatorID != op.ID && !op.Role.Staff() {
			return livedesk.Errorf(livedesk.CodeForbidden, "only the sender or a supervisor can cancel a transfer")
		}
		if _, err := tx.ResolveTransfer(t, state); err != nil {
			return err
		}
		out = t
		reason := string(state)
		if state == livedesk.TransferCancelled {
			reason = "sender_cancelled"
		}
		return emitTransfer(tx, account, typ, t, livedesk.TransferPayload{Reason: reason})
	})
	return out, err
}

// emitAvailability tells the account's widgets whether an operator is online now (after an
// operator came online or went offline).
func emitAvailability(tx livedesk.Tx, account livedesk.ID) error {
	online, err := tx.AnyOperatorOnline(account)
	if err != nil {
		return err
	}
	return tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventAvailability, AllVisitors: true,
		Payload: []byte(`{}`), VisitorPayload: mustJSON(livedesk.AvailabilityPayload{Online: online})})
}
