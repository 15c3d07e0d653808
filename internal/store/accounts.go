package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// querier is what both the read pool and a write transaction offer.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// CreateAccount stores a new account.
func (tx *Tx) CreateAccount(name string, settings livedesk.Settings) (*livedesk.Account, error) {
	b, _ := json.Marshal(settings)
	a := &livedesk.Account{Name: name, Settings: settings, CreatedAt: tx.now}
	err := tx.queryRow(`INSERT INTO accounts(name, settings, created_at) VALUES (?,?,?) RETURNING id`,
		name, string(b), ms(tx.now)).Scan(&a.ID)
	if err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	return a, nil
}

func getAccount(ctx context.Context, q querier, id livedesk.ID) (*livedesk.Account, error) {
	a := &livedesk.Account{ID: id}
	var settings string
	var created int64
	err := q.QueryRowContext(ctx, `SELECT name, settings, created_at FROM accounts WHERE id = ?`, id).
		Scan(&a.Name, &settings, &created)
	if err != nil {
		return nil, notFound(err, "account")
	}
	a.CreatedAt = fromMS(created)
	a.Settings = livedesk.DefaultSettings()
	if err := json.Unmarshal([]byte(settings), &a.Settings); err != nil {
		return nil, fmt.Errorf("account %d settings: %w", id, err)
	}
	return a, nil
}

// Account reads an account.
func (s *Store) Account(ctx context.Context, id livedesk.ID) (*livedesk.Account, error) {
	return getAccount(ctx, s.rq, id)
}

// Account reads an account inside the transaction.
func (tx *Tx) Account(id livedesk.ID) (*livedesk.Account, error) {
	return getAccount(tx.ctx, tx.tx, id)
}

// AccountIDs lists all accounts (for sweepers).
func (s *Store) AccountIDs(ctx context.Context) ([]livedesk.ID, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id FROM accounts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []livedesk.ID
	for rows.Next() {
		var id livedesk.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SetAccountSettings replaces an account's settings.
func (tx *Tx) SetAccountSettings(id livedesk.ID, settings livedesk.Settings) error {
	b, _ := json.Marshal(settings)
	res, err := tx.exec(`UPDATE accounts SET settings = ? WHERE id = ?`, string(b), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("account")
	}
	return nil
}

// Meta reads a value of the meta table ("" when absent).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.rq.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetMetaIfAbsent stores value under key unless a value is there; it returns the stored one.
func (tx *Tx) SetMetaIfAbsent(key, value string) (string, error) {
	if _, err := tx.exec(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, key, value); err != nil {
		return "", err
	}
	var v string
	err := tx.queryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	return v, err
}

// CreateSession stores a login session by the hash of its token.
func (tx *Tx) CreateSession(tokenHash string, op *livedesk.Operator, expires time.Time) error {
	_, err := tx.exec(`INSERT INTO sessions(token_hash, operator_id, account_id, created_at, expires_at) VALUES (?,?,?,?,?)`,
		tokenHash, op.ID, op.AccountID, ms(tx.now), ms(expires))
	return err
}

// DeleteSession removes a session.
func (tx *Tx) DeleteSession(tokenHash string) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (tx *Tx) DeleteExpiredSessions() error {
	_, err := tx.exec(`DELETE FROM sessions WHERE expires_at < ?`, ms(tx.now))
	return err
}

// SessionOperator returns the operator of a live session.
func (s *Store) SessionOperator(ctx context.Context, tokenHash string) (*livedesk.Operator, error) {
	var id, account livedesk.ID
	err := s.rq.QueryRowContext(ctx, `SELECT operator_id, account_id FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		tokenHash, ms(s.clock.Now())).Scan(&id, &account)
	if err != nil {
		return nil, notFound(err, "session")
	}
	return s.Operator(ctx, account, id)
}
