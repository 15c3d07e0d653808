package desk

import (
	"context"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// ChangePassword sets an operator's password after checking the current one, and ends their
// other sessions (keep is the hash of the session making the change) and their connections.
// It returns the hashes of the sessions ended. Any status may do it: a password
// that leaked must be changeable at once.
func (d *Desk) ChangePassword(ctx context.Context, account, operator livedesk.ID, current, next, keep string) ([]string, error) {
	if current == "" || next == "" {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "current_password and new_password are required")
	}
	if current == next {
		return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "the new password is the same as the current one",
			Details: map[string]string{"field": "new_password"}}
	}
	hash, err := auth.HashPassword(next, d.opts.BcryptCost)
	if err != nil {
		return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: livedesk.ErrorMessage(err), Details: map[string]string{"field": "new_password"}}
	}
	var ended []string
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
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
		if ended, err = tx.DeleteOperatorSessions(account, operator, keep); err != nil || len(ended) == 0 {
			return err
		}
		return emitRevoked(tx, account, livedesk.AccessRevoked{OperatorID: operator, Sessions: ended, Reason: "the password was changed"})
	})
	return ended, err
}
