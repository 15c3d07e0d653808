package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"livedesk/internal/livedesk"
)

// querier is what both the read pool and a write transaction offer.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
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
	_, err := tx.exec(`INSERT INTO sessions(token_hash, operator_id, account_id, created_at, expires_at, seen_at) VALUES (?,?,?,?,?,?)`,
		tokenHash, op.ID, op.AccountID, ms(tx.now), ms(expires), ms(tx.now))
	return err
}

// TouchSessions records that sessions are in use now.
func (tx *Tx) TouchSessions(tokenHashes []string) error {
	for _, h := range tokenHashes {
		if _, err := tx.exec(`UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, ms(tx.now), h); err != nil {
			return err
		}
	}
	return nil
}

// DeleteOperatorSessions ends every session of an operator except keep (a token hash, or
// "") and returns the hashes of the sessions it ended.
func (tx *Tx) DeleteOperatorSessions(account, operator livedesk.ID, keep string) ([]string, error) {
	return tx.strings(`DELETE FROM sessions WHERE account_id = ? AND operator_id = ? AND token_hash <> ? RETURNING token_hash`,
		account, operator, keep)
}

// SetPasswordHash replaces an operator's password hash.
func (tx *Tx) SetPasswordHash(account, operator livedesk.ID, hash string) error {
	_, err := tx.exec(`UPDATE operators SET password_hash = ? WHERE account_id = ? AND id = ?`, hash, account, operator)
	return err
}

// DeleteSession removes a session.
func (tx *Tx) DeleteSession(tokenHash string) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry or not seen since idleSince.
func (tx *Tx) DeleteExpiredSessions(idleSince time.Time) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE expires_at < ? OR seen_at < ?`, ms(tx.now), ms(idleSince))
	return err
}

// SessionOperator returns the operator of a live session (not past its expiry, seen since
// idleSince) and when the session was last seen.
func (s *Store) SessionOperator(ctx context.Context, tokenHash string, idleSince time.Time) (*livedesk.Operator, time.Time, error) {
	var id, account livedesk.ID
	var seen int64
	err := s.rq.QueryRowContext(ctx, `SELECT operator_id, account_id, seen_at FROM sessions WHERE token_hash = ? AND expires_at > ? AND seen_at > ?`,
		tokenHash, ms(s.clock.Now()), ms(idleSince)).Scan(&id, &account, &seen)
	if err != nil {
		return nil, time.Time{}, notFound(err, "session")
	}
	op, err := s.Operator(ctx, account, id)
	return op, fromMS(seen), err
}
