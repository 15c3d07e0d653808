package desk

import (
	"context"
	"fmt"
	"strings"

	"livedesk/internal/livedesk"
	"livedesk/internal/routing"
)

// Transfers: offer, accept at the receiver's limit, decline, cancel.

// Offer starts a transfer of a conversation to another operator. Webchat waits for the
// receiver to accept; email moves at once.
func (d *Desk) Offer(ctx context.Context, account, opID, conversation, to livedesk.ID, commentText string) (*livedesk.Transfer, error) {
	commentText, err := CheckText(commentText, true)
	if err != nil {
		return nil, err
	}
	var out *livedesk.Transfer
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		_, c, err := actingIn(tx, account, opID, conversation, livedesk.ActionReply)
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
