package sqlstore

import (
	"context"
	"database/sql"

	"livedesk/internal/livedesk"
)

const transferCols = `id, conversation_id, from_operator_id, to_operator_id, comment, state, created_at, expires_at, resolved_at`

func scanTransfer(sc scanner) (*livedesk.Transfer, error) {
	t := &livedesk.Transfer{}
	var created, expires int64
	var resolved sql.NullInt64
	if err := sc.Scan(&t.ID, &t.ConversationID, &t.FromOperatorID, &t.ToOperatorID, &t.Comment, &t.State,
		&created, &expires, &resolved); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.ResolvedAt = fromMS(created), fromMS(expires), fromNullMS(resolved)
	return t, nil
}

// CreateTransfer stores a transfer; a second pending one for the conversation is a conflict.
func (tx *Tx) CreateTransfer(account livedesk.ID, t *livedesk.Transfer) error {
	t.CreatedAt = tx.now
	var resolved any
	if t.State != livedesk.TransferPending {
		resolved = ms(tx.now)
		now := tx.now
		t.ResolvedAt = &now
	}
	err := tx.queryRow(`INSERT INTO transfers(account_id, conversation_id, from_operator_id, to_operator_id, comment, state,
		created_at, expires_at, resolved_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`,
		account, t.ConversationID, t.FromOperatorID, t.ToOperatorID, t.Comment, t.State, ms(tx.now), ms(t.ExpiresAt), resolved).Scan(&t.ID)
	if isUnique(err) {
		return livedesk.Errorf(livedesk.CodeConflict, "this conversation already has a pending transfer")
	}
	return err
}

// Transfer reads a transfer of the account.
func (tx *Tx) Transfer(account, id livedesk.ID) (*livedesk.Transfer, error) {
	t, err := scanTransfer(tx.queryRow(`SELECT `+transferCols+` FROM transfers WHERE id = ? AND account_id = ?`+tx.lock("transfers"), id, account))
	if err != nil {
		return nil, notFound(err, "transfer")
	}
	return t, nil
}

// ResolveTransfer moves a pending transfer to a final state; false if it was not pending.
func (tx *Tx) ResolveTransfer(t *livedesk.Transfer, state livedesk.TransferState) (bool, error) {
	res, err := tx.exec(`UPDATE transfers SET state = ?, resolved_at = ? WHERE id = ? AND state = 'pending'`, state, ms(tx.now), t.ID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n == 1 {
		now := tx.now
		t.State, t.ResolvedAt = state, &now
	}
	return n == 1, nil
}

func (tx *Tx) transfers(where string, args ...any) ([]*livedesk.Transfer, error) {
	return scanTransfers(tx.tx.QueryContext(tx.ctx, `SELECT `+transferCols+` FROM transfers WHERE `+where, args...))
}

// scanTransfers reads every row of a transfers query (never nil on success).
func scanTransfers(rows *sql.Rows, err error) ([]*livedesk.Transfer, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*livedesk.Transfer{}
	for rows.Next() {
		t, err := scanTransfer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// PendingTransferOf returns the conversation's pending transfer, or nil.
func (tx *Tx) PendingTransferOf(conversation livedesk.ID) (*livedesk.Transfer, error) {
	ts, err := tx.transfers(`conversation_id = ? AND state = 'pending'`, conversation)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	return ts[0], nil
}

// PendingTransfersTo lists pending offers to an operator.
func (tx *Tx) PendingTransfersTo(op livedesk.ID) ([]*livedesk.Transfer, error) {
	return tx.transfers(`to_operator_id = ? AND state = 'pending' ORDER BY id`, op)
}

// ExpiredTransfers lists pending transfers whose time is up, with their account.
func (tx *Tx) ExpiredTransfers() (map[livedesk.ID][]*livedesk.Transfer, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT account_id, `+transferCols+` FROM transfers
		WHERE state = 'pending' AND expires_at <= ? ORDER BY id`, ms(tx.now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[livedesk.ID][]*livedesk.Transfer{}
	for rows.Next() {
		var account livedesk.ID
		t := &livedesk.Transfer{}
		var created, expires int64
		var resolved sql.NullInt64
		if err := rows.Scan(&account, &t.ID, &t.ConversationID, &t.FromOperatorID, &t.ToOperatorID, &t.Comment, &t.State,
			&created, &expires, &resolved); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt = fromMS(created), fromMS(expires)
		out[account] = append(out[account], t)
	}
	return out, rows.Err()
}

// PendingTransfersOf lists the account's pending transfers to or from the operator.
func (s *Store) PendingTransfersOf(ctx context.Context, account, op livedesk.ID) ([]*livedesk.Transfer, error) {
	return scanTransfers(s.rq.QueryContext(ctx, `SELECT `+transferCols+` FROM transfers
		WHERE state = 'pending' AND account_id = ? AND (to_operator_id = ? OR from_operator_id = ?) ORDER BY id`, account, op, op))
}
