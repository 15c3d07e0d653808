package desk

import (
	"livedesk/internal/livedesk"
)

// An operator's rights inside a transaction: their status allows the action, the
// conversation is theirs.

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

// actingIn is actor and ownConversation together: the operator, whose status allows a, and
// a conversation they may write in.
func actingIn(tx livedesk.Tx, account, opID, conversation livedesk.ID, a livedesk.Action) (*livedesk.Operator, *livedesk.Conversation, error) {
	op, err := actor(tx, account, opID, a)
	if err != nil {
		return nil, nil, err
	}
	c, err := ownConversation(tx, op, conversation)
	return op, c, err
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
