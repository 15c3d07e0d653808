package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// AssignQueued gives a conversation waiting in the queue to an operator, by hand: a supervisor
// or an admin takes it themselves (target = actor) or assigns it to an operator of the
// account. Like routing, in one transaction: the conversation must still be queued, the
// receiver's status must allow taking conversations by hand (available or pause, as for a
// transfer), and their open conversations stay within their limit (the capacity is reserved
// atomically, so routing cannot fill the same place at the same moment).
func (d *Desk) AssignQueued(ctx context.Context, account, actorID, conversation, targetID livedesk.ID) (*livedesk.Conversation, error) {
	var out *livedesk.Conversation
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		me, err := actor(tx, account, actorID, livedesk.ActionReply)
		if err != nil {
			return err
		}
		if !me.Role.Staff() {
			return livedesk.Errorf(livedesk.CodeForbidden, "only supervisors and admins assign conversations from the queue")
		}
		c, err := tx.Conversation(account, conversation)
		if err != nil {
			return err
		}
		if c.State != livedesk.StateQueued {
			return livedesk.Errorf(livedesk.CodeConflict, "the conversation no longer waits in the queue")
		}
		target, err := tx.Operator(account, targetID)
		if err != nil || target.Deactivated {
			return livedesk.NotFound("operator")
		}
		if !target.Status.Can(livedesk.ActionAcceptTransfer) {
			return &livedesk.Error{Code: livedesk.CodeTargetUnavailable, Message: target.Name + ": status " + string(target.Status) + " does not take conversations",
				Details: map[string]string{"status": string(target.Status)}}
		}
		ok, err := tx.ReserveCapacity(target.ID, false)
		if err != nil {
			return err
		}
		if !ok {
			return &livedesk.Error{Code: livedesk.CodeLimitReached, Message: target.Name + ": the limit of open conversations is reached",
				Details: map[string]string{"limit": jsonInt(int64(target.Limit))}}
		}
		if err := assign(tx, account, conversation, target); err != nil {
			return err
		}
		if err := emitOperator(tx, account, target.ID); err != nil {
			return err
		}
		out, err = tx.Conversation(account, conversation)
		return err
	})
	return out, err
}
