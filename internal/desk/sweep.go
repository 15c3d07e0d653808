package desk

import (
	"context"
	"time"

	"livedesk/internal/livedesk"
)

// ExpireTransfers ends pending transfer offers whose time is up.
func (d *Desk) ExpireTransfers(ctx context.Context) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		expired, err := tx.ExpiredTransfers()
		if err != nil {
			return err
		}
		for account, ts := range expired {
			for _, t := range ts {
				if ok, err := tx.ResolveTransfer(t, livedesk.TransferExpired); err != nil {
					return err
				} else if ok {
					if err := emitTransfer(tx, account, livedesk.EventTransferExpired, t, livedesk.TransferPayload{Reason: "expired"}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// RequeueOffline returns to the queue the webchat conversations of operators who have been
// offline longer than their account's setting, so no visitor waits on nobody. Email
// conversations stay with their operator.
func (d *Desk) RequeueOffline(ctx context.Context) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		ops, err := tx.OfflineWithWebchat()
		if err != nil {
			return err
		}
		drainAccounts := map[livedesk.ID]bool{}
		for _, op := range ops {
			acct, err := tx.Account(op.AccountID)
			if err != nil {
				return err
			}
			if tx.Now().Sub(op.StatusAt) < secs(acct.Settings.OfflineRequeueSec) {
				continue
			}
			ids, err := tx.OpenWebchatOf(op.ID)
			if err != nil {
				return err
			}
			for _, id := range ids {
				c, err := tx.Conversation(op.AccountID, id)
				if err != nil {
					return err
				}
				if t := c.PendingTransfer; t != nil {
					if ok, err := tx.ResolveTransfer(t, livedesk.TransferCancelled); err != nil {
						return err
					} else if ok {
						if err := emitTransfer(tx, op.AccountID, livedesk.EventTransferCancelled, t, livedesk.TransferPayload{Reason: "requeued"}); err != nil {
							return err
						}
					}
				}
				if err := tx.RequeueConversation(id); err != nil {
					return err
				}
				if err := tx.ReleaseCapacity(op.ID); err != nil {
					return err
				}
				if err := tx.Emit(&livedesk.Event{AccountID: op.AccountID, Type: livedesk.EventConversationRemoved, OperatorID: op.ID,
					Payload: mustJSON(livedesk.RemovedPayload{ConversationID: id, Reason: "requeued"})}); err != nil {
					return err
				}
				queued, err := tx.Conversation(op.AccountID, id)
				if err != nil {
					return err
				}
				// The visitor is told too: the widget shows «оператор скоро ответит» again
				// instead of the name of an operator who has gone.
				if err := tx.Emit(&livedesk.Event{AccountID: queued.AccountID, Type: livedesk.EventConversationQueued,
					Staff: true, Payload: mustJSON(livedesk.ConversationPayload{Conversation: queued}),
					VisitorID: queued.Visitor.ID, VisitorPayload: mustJSON(livedesk.VisitorConversationPayload{ConversationID: queued.ID, Reason: "requeued"})}); err != nil {
					return err
				}
			}
			if err := emitOperator(tx, op.AccountID, op.ID); err != nil {
				return err
			}
			drainAccounts[op.AccountID] = true
		}
		for account := range drainAccounts {
			if err := drain(tx, account); err != nil {
				return err
			}
		}
		return nil
	})
}

// Drain assigns what the queue of the account can now get (after a login or a limit change).
func (d *Desk) Drain(ctx context.Context, account livedesk.ID) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return drain(tx, account) })
}

// PruneEvents deletes events older than retention (the newest 100,000 always stay, for
// resuming clients), in chunks that are each their own write, so a long backlog never holds
// the writer.
func (d *Desk) PruneEvents(ctx context.Context, retention time.Duration) error {
	const chunk = 5000
	for {
		var n int64
		err := d.store.Write(ctx, func(tx livedesk.Tx) (err error) {
			n, err = tx.PruneEvents(tx.Now().Add(-retention).UnixMilli(), 100000, chunk)
			return err
		})
		if err != nil || n < chunk {
			return err
		}
	}
}
