package desk

import (
	"context"
	"time"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
	"livedesk/internal/store"
)

// SetBcryptCost sets the cost of new password hashes; a login with an unknown email spends
// a comparison at this cost, so it takes as long as one with a known email. Call it before
// serving (the default is 10).
func (d *Desk) SetBcryptCost(cost int) {
	d.bcryptCost = cost
	d.burner = auth.NewPasswordBurner(cost)
}

// ChangePassword sets an operator's password after checking the current one, and ends their
// other sessions (keep is the hash of the session making the change). It returns the hashes
// of the sessions ended, whose sockets the caller closes. Any status may do it: a password
// that leaked must be changeable at once.
func (d *Desk) ChangePassword(ctx context.Context, account, operator livedesk.ID, current, next, keep string) ([]string, error) {
	if current == "" || next == "" {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "current_password and new_password are required")
	}
	if current == next {
		return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "the new password is the same as the current one",
			Details: map[string]string{"field": "new_password"}}
	}
	hash, err := auth.HashPassword(next, d.bcryptCost)
	if err != nil {
		return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: livedesk.ErrorMessage(err), Details: map[string]string{"field": "new_password"}}
	}
	var ended []string
	err = d.store.Write(ctx, func(tx *store.Tx) error {
		op, err := tx.Operator(account, operator)
		if err != nil {
			return err
		}
		if !auth.CheckPassword(op.PasswordHash, current) {
			return &livedesk.Error{Code: livedesk.CodeForbidden, Message: "the current password is wrong",
				Details: map[string]string{"field": "current_password"}}
		}
		if err := tx.SetPasswordHash(account, operator, hash); err != nil {
			return err
		}
		ended, err = tx.DeleteOperatorSessions(account, operator, keep)
		return err
	})
	return ended, err
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

// PruneSessions deletes sessions past their expiry or idle longer than idle.
func (d *Desk) PruneSessions(ctx context.Context, idle time.Duration) error {
	return d.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteExpiredSessions(tx.Now().Add(-idle)) })
}
