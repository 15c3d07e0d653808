package desk

import (
	"context"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/store"
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

// LogoutEverywhere ends every session of an operator, the current one included, and
// returns their hashes.
func (d *Desk) LogoutEverywhere(ctx context.Context, account, operator livedesk.ID) ([]string, error) {
	var ended []string
	err := d.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		ended, err = tx.DeleteOperatorSessions(account, operator, "")
		return err
	})
	return ended, err
}

// TouchSessions records that sessions are in use (a request, an open socket).
func (d *Desk) TouchSessions(ctx context.Context, hashes []string) error {
	if len(hashes) == 0 {
		return nil
	}
	return d.store.Write(ctx, func(tx *store.Tx) error { return tx.TouchSessions(hashes) })
}

// PruneSessions deletes sessions past their expiry or idle longer than Options.SessionIdle.
func (d *Desk) PruneSessions(ctx context.Context) error {
	return d.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteExpiredSessions(tx.Now().Add(-d.opts.SessionIdle)) })
}
