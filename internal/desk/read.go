package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// Who reads what (issue 13, item 10): supervisors and admins read every conversation of the
// account; an operator reads the conversations assigned to them now, the ones offered to them
// by a pending transfer, and closed ones they took part in (the last assignee, wrote in it,
// or held it before a transfer). Anything else reads as not found, like another account's,
// so nothing is revealed. Every operator read path goes through mayRead: the conversation,
// its history, its files, and typing over the socket.

// readAccess is what the read rule needs to know of a conversation beyond the conversation.
type readAccess struct {
	tookPart func() (bool, error) // the operator took part in it (asked only when it matters)
}

// mayRead applies the read rule.
func mayRead(op *livedesk.Operator, c *livedesk.Conversation, more readAccess) (bool, error) {
	switch {
	case op.Role.Staff():
		return true, nil
	case c.State != livedesk.StateClosed && c.AssigneeID == op.ID:
		return true, nil
	case c.PendingTransfer != nil && c.PendingTransfer.ToOperatorID == op.ID:
		return true, nil
	case c.State == livedesk.StateClosed && c.AssigneeID == op.ID:
		return true, nil
	case c.State == livedesk.StateClosed && more.tookPart != nil:
		return more.tookPart()
	}
	return false, nil
}

// mayReadStored applies the read rule, looking up in the store whether the operator took
// part in the conversation only when that decides.
func (d *Desk) mayReadStored(ctx context.Context, op *livedesk.Operator, c *livedesk.Conversation) (bool, error) {
	return mayRead(op, c, readAccess{tookPart: func() (bool, error) { return d.store.OperatorTookPart(ctx, op.AccountID, c.ID, op.ID) }})
}

// ReadConversation returns a conversation the operator may read.
func (d *Desk) ReadConversation(ctx context.Context, op *livedesk.Operator, id livedesk.ID) (*livedesk.Conversation, error) {
	c, err := d.store.Conversation(ctx, op.AccountID, id)
	if err != nil {
		return nil, err
	}
	ok, err := d.mayReadStored(ctx, op, c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, livedesk.NotFound("conversation")
	}
	return c, d.attachRatings(ctx, op.AccountID, []*livedesk.Conversation{c})
}

// ReadMessages returns a page of the history of a conversation the operator may read,
// internal comments included.
func (d *Desk) ReadMessages(ctx context.Context, op *livedesk.Operator, id, before livedesk.ID, limit int) ([]*livedesk.Message, error) {
	if _, err := d.ReadConversation(ctx, op, id); err != nil {
		return nil, err
	}
	return d.store.Messages(ctx, id, before, limit, true)
}

// ReadAttachment returns a file an operator may download: one sent in a conversation they
// may read, or their own upload not sent yet.
func (d *Desk) ReadAttachment(ctx context.Context, op *livedesk.Operator, id livedesk.ID) (*livedesk.AttachmentFile, error) {
	f, err := d.store.Attachment(ctx, op.AccountID, id)
	if err != nil {
		return nil, err
	}
	if f.MessageID == 0 {
		if f.UploaderType != livedesk.AuthorOperator || f.UploaderID != op.ID {
			return nil, livedesk.NotFound("attachment")
		}
		return f, nil
	}
	if _, err := d.ReadConversation(ctx, op, f.ConversationID); err != nil {
		return nil, livedesk.NotFound("attachment")
	}
	return f, nil
}
