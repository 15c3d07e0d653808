package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// Typing is who hears a typing indicator: the conversation's assignee and the account's
// staff, and the visitor when Visitor is set.
type Typing struct {
	ConversationID livedesk.ID
	AssigneeID     livedesk.ID
	// Visitor hears the operator typing (0: not this time: only the assignee is shown to
	// the visitor, and not after the visitor closed the conversation).
	Visitor livedesk.ID
	// Name is the operator's name, for an operator typing.
	Name string
}

// VisitorTyping checks that a visitor may show typing: they have an open conversation at
// the contact point that they have not closed themselves.
func (d *Desk) VisitorTyping(ctx context.Context, account, contactPoint, visitor livedesk.ID) (*Typing, error) {
	conv, err := d.store.OpenConversationOf(ctx, account, visitor, contactPoint)
	if err != nil {
		return nil, livedesk.NotFound("open conversation")
	}
	if conv.VisitorClosed {
		return nil, livedesk.Errorf(livedesk.CodeConversationClosed, "you closed this conversation")
	}
	return &Typing{ConversationID: conv.ID, AssigneeID: conv.AssigneeID}, nil
}

// OperatorTyping checks that an operator may show typing in a conversation: they may write
// there (its assignee, or a supervisor or admin; not offline; the conversation not closed).
// A conversation they may not read is not found, like another account's.
func (d *Desk) OperatorTyping(ctx context.Context, account, operator, conversation livedesk.ID) (*Typing, error) {
	op, err := d.store.Operator(ctx, account, operator)
	if err != nil {
		return nil, livedesk.Errorf(livedesk.CodeUnauthenticated, "your operator account is gone")
	}
	if op.Status == livedesk.StatusOffline {
		return nil, livedesk.Errorf(livedesk.CodeOperatorOffline, "you are offline: choose a status first")
	}
	conv, err := d.ReadConversation(ctx, op, conversation)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil, livedesk.NotFound("conversation")
	}
	if err != nil {
		return nil, err
	}
	if conv.State == livedesk.StateClosed {
		return nil, livedesk.Errorf(livedesk.CodeConversationClosed, "the conversation is closed")
	}
	if conv.AssigneeID != op.ID && !op.Role.Staff() {
		return nil, livedesk.Errorf(livedesk.CodeForbidden, "the conversation is assigned to another operator")
	}
	t := &Typing{ConversationID: conv.ID, AssigneeID: conv.AssigneeID, Name: op.Name}
	if conv.AssigneeID == op.ID && !conv.VisitorClosed {
		t.Visitor = conv.Visitor.ID
	}
	return t, nil
}

// EventBounds returns the oldest kept and the newest event id of the account's event log
// (0, 0 when it holds none): a cursor outside them cannot be resumed.
func (d *Desk) EventBounds(ctx context.Context, account livedesk.ID) (oldest, newest livedesk.ID, err error) {
	return d.store.EventBounds(ctx, account)
}

// AccountEvents returns up to limit of the account's events after the cursor, whoever they
// are for (a node fills the gaps of its stream with them).
func (d *Desk) AccountEvents(ctx context.Context, account, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	return d.store.AccountEvents(ctx, account, after, limit)
}

// OperatorEvents returns up to limit events after the cursor that the operator, with the
// role they connected with, receives.
func (d *Desk) OperatorEvents(ctx context.Context, account, operator livedesk.ID, role livedesk.Role, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	return d.store.OperatorEvents(ctx, account, operator, role.Staff(), after, limit)
}

// VisitorEvents returns up to limit events after the cursor that the visitor receives.
func (d *Desk) VisitorEvents(ctx context.Context, account, visitor, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	return d.store.VisitorEvents(ctx, account, visitor, after, limit)
}
