package desk

import (
	"context"
	"time"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// Session returns the operator of a live session (by the hash of its token): not past its
// expiry nor idle longer than Options.SessionIdle. It records the use: the session's last use
// at most once a minute, and the operator's presence (unless offline) at most every 15
// seconds. A session that is not live is unauthenticated.
func (d *Desk) Session(ctx context.Context, tokenHash string) (*livedesk.Operator, error) {
	now := d.store.Now()
	op, seen, err := d.store.SessionOperator(ctx, tokenHash, now.Add(-d.opts.SessionIdle))
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil, livedesk.Errorf(livedesk.CodeUnauthenticated, "the session has expired; log in again")
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(seen) > time.Minute {
		if err := d.TouchSessions(ctx, []string{tokenHash}); err != nil {
			return nil, err
		}
	}
	if op.Status != livedesk.StatusOffline && d.presence.due(op.ID, now) {
		if err := d.Touch(ctx, []livedesk.ID{op.ID}); err != nil {
			d.log.Warn("touch operator", "err", err)
		}
	}
	return op, nil
}

// LogoutEverywhere ends every session of an operator, the current one included, closes all
// their connections, and returns the hashes of the sessions ended.
func (d *Desk) LogoutEverywhere(ctx context.Context, account, operator livedesk.ID) ([]string, error) {
	var ended []string
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		var err error
		if ended, err = tx.DeleteOperatorSessions(account, operator, ""); err != nil {
			return err
		}
		return emitRevoked(tx, account, livedesk.AccessRevoked{OperatorID: operator, Reason: "logged out everywhere"})
	})
	return ended, err
}

// Logout ends the operator's session of token and closes the connections opened with it.
func (d *Desk) Logout(ctx context.Context, op *livedesk.Operator, token string) error {
	hash := auth.HashToken(token)
	return d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.DeleteSession(hash); err != nil {
			return err
		}
		return emitRevoked(tx, op.AccountID, livedesk.AccessRevoked{OperatorID: op.ID, Sessions: []string{hash}, Reason: "logged out"})
	})
}

// emitRevoked tells every node's hub to close the connections whose rights ended (the event
// has no audience: no client receives it).
func emitRevoked(tx livedesk.Tx, account livedesk.ID, r livedesk.AccessRevoked) error {
	return tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventAccessRevoked, Payload: mustJSON(r)})
}

// TouchSessions records that sessions are in use (a request, an open socket).
func (d *Desk) TouchSessions(ctx context.Context, hashes []string) error {
	if len(hashes) == 0 {
		return nil
	}
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.TouchSessions(hashes) })
}

// PruneSessions deletes sessions past their expiry or idle longer than Options.SessionIdle.
func (d *Desk) PruneSessions(ctx context.Context) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.DeleteExpiredSessions(tx.Now().Add(-d.opts.SessionIdle)) })
}
