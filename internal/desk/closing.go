package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// Closing a conversation.

// Close closes a conversation with a category (required when the account has categories),
// frees the assignee's capacity at once and drains the queue.
func (d *Desk) Close(ctx context.Context, account, opID, conversation, category livedesk.ID) (*livedesk.Conversation, error) {
	var out *livedesk.Conversation
	var mailed bool
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		mailed = false
		op, c, err := actingIn(tx, account, opID, conversation, livedesk.ActionReply)
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
		if mailed, err = d.queueRatingMail(tx, c); err != nil {
			return err
		}
		out, err = tx.Conversation(account, c.ID)
		if err != nil {
			return err
		}
		out.Rating, err = tx.RatingOf(c.ID)
		return err
	})
	if err == nil && mailed && d.mailQueued != nil {
		d.mailQueued()
	}
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
	// A visitor who ended the chat may have rated it already; the widget is asked to rate.
	if closed.Rating, err = tx.RatingOf(c.ID); err != nil {
		return err
	}
	ask, err := ratingRequestIn(tx, c.AccountID, c.ID)
	if err != nil {
		return err
	}
	e := &livedesk.Event{AccountID: c.AccountID, Type: livedesk.EventConversationClosed, OperatorID: c.AssigneeID, Staff: true,
		Payload: mustJSON(livedesk.ConversationPayload{Conversation: closed, Reason: reason}), VisitorID: c.Visitor.ID,
		VisitorPayload: mustJSON(livedesk.VisitorConversationPayload{ConversationID: c.ID, Reason: reason, RatingRequest: ask})}
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
