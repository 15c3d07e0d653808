package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// Operator status and own settings.

// SetStatus changes an operator's own status. Going available drains the queue; going away
// or offline cancels transfer offers waiting for them.
func (d *Desk) SetStatus(ctx context.Context, account, id livedesk.ID, status livedesk.Status) (*livedesk.Operator, error) {
	if !status.Valid() {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "status must be one of available, pause, away, offline")
	}
	var out *livedesk.Operator
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := tx.Operator(account, id)
		if err != nil {
			return err
		}
		if err := changeStatus(tx, op, status, "receiver_unavailable"); err != nil {
			return err
		}
		out, err = tx.Operator(account, id)
		return err
	})
	return out, err
}

func changeStatus(tx livedesk.Tx, op *livedesk.Operator, status livedesk.Status, reason string) error {
	wasOnline := op.Status != livedesk.StatusOffline
	if err := tx.SetOperatorStatus(op.ID, status); err != nil {
		return err
	}
	if isOnline := status != livedesk.StatusOffline; isOnline != wasOnline {
		if err := emitAvailability(tx, op.AccountID); err != nil {
			return err
		}
	}
	if err := emitOperator(tx, op.AccountID, op.ID); err != nil {
		return err
	}
	if !status.Can(livedesk.ActionAcceptTransfer) {
		offers, err := tx.PendingTransfersTo(op.ID)
		if err != nil {
			return err
		}
		for _, t := range offers {
			if ok, err := tx.ResolveTransfer(t, livedesk.TransferCancelled); err != nil {
				return err
			} else if ok {
				if err := emitTransfer(tx, op.AccountID, livedesk.EventTransferCancelled, t, livedesk.TransferPayload{Reason: reason}); err != nil {
					return err
				}
			}
		}
	}
	if status == livedesk.StatusAvailable {
		return drain(tx, op.AccountID)
	}
	return nil
}

// UpdateSettings changes an operator's own settings (not while offline).
func (d *Desk) UpdateSettings(ctx context.Context, account, id livedesk.ID, s livedesk.OperatorSettings) (*livedesk.Operator, error) {
	var out *livedesk.Operator
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		op, err := actor(tx, account, id, livedesk.ActionSettings)
		if err != nil {
			return err
		}
		if s.AutocompleteQuickMessages != nil {
			op.Settings.AutocompleteQuickMessages = s.AutocompleteQuickMessages
		}
		if s.Spellcheck != nil {
			op.Settings.Spellcheck = s.Spellcheck
		}
		if s.Language != "" {
			op.Settings.Language = s.Language
		}
		if err := tx.UpdateOperator(op); err != nil {
			return err
		}
		out = op
		return nil
	})
	return out, err
}

// emitAvailability tells the account's widgets whether an operator is online now (after an
// operator came online or went offline).
func emitAvailability(tx livedesk.Tx, account livedesk.ID) error {
	online, err := tx.AnyOperatorOnline(account)
	if err != nil {
		return err
	}
	return tx.Emit(&livedesk.Event{AccountID: account, Type: livedesk.EventAvailability, AllVisitors: true,
		Payload: []byte(`{}`), VisitorPayload: mustJSON(livedesk.AvailabilityPayload{Online: online})})
}
