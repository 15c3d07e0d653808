package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"livedesk/internal/livedesk"
)

const operatorCols = `id, account_id, name, email, password_hash, role, status, status_at, lim, open_count,
	last_assigned_at, settings, deactivated`

type scanner interface{ Scan(dest ...any) error }

func scanOperator(sc scanner) (*livedesk.Operator, error) {
	o := &livedesk.Operator{}
	var statusAt, lastAssigned int64
	var settings string
	if err := sc.Scan(&o.ID, &o.AccountID, &o.Name, &o.Email, &o.PasswordHash, &o.Role, &o.Status, &statusAt,
		&o.Limit, &o.OpenCount, &lastAssigned, &settings, &o.Deactivated); err != nil {
		return nil, err
	}
	o.StatusAt = fromMS(statusAt)
	o.LastAssignedAt = fromMS(lastAssigned)
	_ = json.Unmarshal([]byte(settings), &o.Settings)
	return o, nil
}

// CreateOperator stores a new operator; a taken email is a conflict.
func (tx *Tx) CreateOperator(o *livedesk.Operator) error {
	settings, _ := json.Marshal(o.Settings)
	o.Email = strings.ToLower(strings.TrimSpace(o.Email))
	if o.Status == "" {
		o.Status = livedesk.StatusOffline
	}
	o.StatusAt = tx.now
	err := tx.queryRow(`INSERT INTO operators(account_id, name, email, password_hash, role, status, status_at, lim,
		settings, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		o.AccountID, o.Name, o.Email, o.PasswordHash, o.Role, o.Status, ms(tx.now), o.Limit, string(settings), ms(tx.now)).Scan(&o.ID)
	if isUnique(err) {
		return &livedesk.Error{Code: livedesk.CodeConflict, Message: "an operator with this email exists",
			Details: map[string]string{"field": "email"}}
	}
	if err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	return nil
}

func getOperator(ctx context.Context, q querier, account, id livedesk.ID) (*livedesk.Operator, error) {
	o, err := scanOperator(q.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE id = ? AND account_id = ?`, id, account))
	if err != nil {
		return nil, notFound(err, "operator")
	}
	return o, nil
}

// Operator reads one operator of the account.
func (s *Store) Operator(ctx context.Context, account, id livedesk.ID) (*livedesk.Operator, error) {
	return getOperator(ctx, s.rq, account, id)
}

// Operator reads one operator of the account inside the transaction.
func (tx *Tx) Operator(account, id livedesk.ID) (*livedesk.Operator, error) {
	o, err := scanOperator(tx.queryRow(`SELECT `+operatorCols+` FROM operators WHERE id = ? AND account_id = ?`+tx.lock("operators"), id, account))
	if err != nil {
		return nil, notFound(err, "operator")
	}
	return o, nil
}

// OperatorByEmail finds an operator for login.
func (s *Store) OperatorByEmail(ctx context.Context, email string) (*livedesk.Operator, error) {
	o, err := scanOperator(s.rq.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))))
	if err != nil {
		return nil, notFound(err, "operator")
	}
	return o, nil
}

func listOperators(ctx context.Context, q querier, where string, args ...any) ([]*livedesk.Operator, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*livedesk.Operator
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Operators lists the operators of an account by name.
func (s *Store) Operators(ctx context.Context, account livedesk.ID) ([]*livedesk.Operator, error) {
	return listOperators(ctx, s.rq, `account_id = ? ORDER BY name, id`, account)
}

// RoutingCandidates lists the account's available operators below their limit.
func (tx *Tx) RoutingCandidates(account livedesk.ID) ([]*livedesk.Operator, error) {
	if tx.pg {
		// One drain of an account at a time (SQLite's single writer gives that for free):
		// two would both take the head of the queue.
		if _, err := tx.exec(`SELECT pg_advisory_xact_lock(?)`, drainLockBase+int64(account)); err != nil {
			return nil, err
		}
	}
	return listOperators(tx.ctx, tx.tx, `account_id = ? AND status = 'available' AND open_count < lim`, account)
}

// ReserveCapacity counts one more open conversation for the operator if, and only if, they
// are below their limit (and, when mustBeAvailable, available). It is the atomic guard of the
// invariant open ≤ limit: never check-then-act.
func (tx *Tx) ReserveCapacity(id livedesk.ID, mustBeAvailable bool) (bool, error) {
	q := `UPDATE operators SET open_count = open_count + 1, last_assigned_at = ? WHERE id = ? AND open_count < lim`
	if mustBeAvailable {
		q += ` AND status = 'available'`
	}
	res, err := tx.exec(q, ms(tx.now), id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseCapacity counts one open conversation less for the operator.
func (tx *Tx) ReleaseCapacity(id livedesk.ID) error {
	_, err := tx.exec(`UPDATE operators SET open_count = open_count - 1 WHERE id = ? AND open_count > 0`, id)
	return err
}

// SetOperatorStatus changes the status and its time.
func (tx *Tx) SetOperatorStatus(id livedesk.ID, status livedesk.Status) error {
	_, err := tx.exec(`UPDATE operators SET status = ?, status_at = ?, last_seen_at = ? WHERE id = ?`,
		status, ms(tx.now), ms(tx.now), id)
	return err
}

// UpdateOperator stores name, role, limit and settings.
func (tx *Tx) UpdateOperator(o *livedesk.Operator) error {
	settings, _ := json.Marshal(o.Settings)
	_, err := tx.exec(`UPDATE operators SET name = ?, role = ?, lim = ?, settings = ? WHERE id = ? AND account_id = ?`,
		o.Name, o.Role, o.Limit, string(settings), o.ID, o.AccountID)
	return err
}

// SetOperatorDeactivated deactivates (or reactivates) an operator; deactivating also ends
// every session of theirs.
func (tx *Tx) SetOperatorDeactivated(account, id livedesk.ID, deactivated bool) error {
	if _, err := tx.exec(`UPDATE operators SET deactivated = ? WHERE id = ? AND account_id = ?`, deactivated, id, account); err != nil {
		return err
	}
	if !deactivated {
		return nil
	}
	_, err := tx.exec(`DELETE FROM sessions WHERE operator_id = ? AND account_id = ?`, id, account)
	return err
}

// TouchOperators marks operators as seen now (they have a live connection).
func (tx *Tx) TouchOperators(ids []livedesk.ID) error {
	for _, id := range ids {
		if _, err := tx.exec(`UPDATE operators SET last_seen_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
			return err
		}
	}
	return nil
}

// UnseenOperators lists operators not offline whose last sign of life is older than before.
func (tx *Tx) UnseenOperators(beforeMS int64) ([]*livedesk.Operator, error) {
	return listOperators(tx.ctx, tx.tx, `status <> 'offline' AND last_seen_at < ?`, beforeMS)
}

// OfflineWithWebchat lists offline operators who still hold open webchat conversations.
func (tx *Tx) OfflineWithWebchat() ([]*livedesk.Operator, error) {
	return listOperators(tx.ctx, tx.tx, `status = 'offline' AND open_count > 0 AND EXISTS (
		SELECT 1 FROM conversations c WHERE c.assignee_id = operators.id AND c.state = 'assigned' AND c.channel = 'webchat')`)
}
