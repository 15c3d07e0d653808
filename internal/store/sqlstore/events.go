package sqlstore

import (
	"context"
	"database/sql"

	"livedesk/internal/livedesk"
)

const eventCols = `id, account_id, type, operator_id, operator2_id, staff, all_operators, visitor_id, payload, visitor_payload`

func scanEvents(rows *sql.Rows) ([]*livedesk.Event, error) {
	defer rows.Close()
	var out []*livedesk.Event
	for rows.Next() {
		e := &livedesk.Event{}
		var op, op2, visitor sql.NullInt64
		var payload string
		var vp sql.NullString
		if err := rows.Scan(&e.ID, &e.AccountID, &e.Type, &op, &op2, &e.Staff, &e.AllOperators, &visitor, &payload, &vp); err != nil {
			return nil, err
		}
		e.OperatorID, e.Operator2ID, e.VisitorID = livedesk.ID(op.Int64), livedesk.ID(op2.Int64), livedesk.ID(visitor.Int64)
		e.Payload = []byte(payload)
		if vp.Valid {
			e.VisitorPayload = []byte(vp.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OperatorEvents returns up to limit events after the cursor that the operator receives.
func (s *Store) OperatorEvents(ctx context.Context, account, op livedesk.ID, staff bool, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE id > ? AND account_id = ?
		AND (all_operators = 1 OR operator_id = ? OR operator2_id = ? OR (staff = 1 AND ? = 1)) ORDER BY id LIMIT ?`,
		after, account, op, op, staff, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// AccountEvents returns up to limit of the account's events after the cursor, in order.
func (s *Store) AccountEvents(ctx context.Context, account, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?`,
		account, after, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// VisitorEvents returns up to limit events after the cursor that the visitor of the account
// receives.
func (s *Store) VisitorEvents(ctx context.Context, account, visitor, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE visitor_id = ? AND id > ? AND account_id = ?
		AND visitor_payload IS NOT NULL ORDER BY id LIMIT ?`, visitor, after, account, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// EventBounds returns the oldest kept and the newest event id of the account's log. A log
// pruned empty answers newest+1, newest with the last id it held (0 when it never held one),
// so a client that saw that event resumes with nothing to replay.
func (s *Store) EventBounds(ctx context.Context, account livedesk.ID) (oldest, newest livedesk.ID, err error) {
	if s.pg {
		// The account's counter is its newest id, kept or pruned.
		var lo sql.NullInt64
		err = s.rq.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM events WHERE account_id = ?),
			(SELECT event_seq FROM accounts WHERE id = ?)`, account, account).Scan(&lo, &newest)
		if err == nil && !lo.Valid {
			return newest + 1, newest, nil
		}
		return livedesk.ID(lo.Int64), newest, err
	}
	var lo, hi sql.NullInt64
	var mark int64
	// Separate subqueries: SQLite answers a lone MIN or MAX from the index in one step, but
	// MIN(id), MAX(id) in one select scans the account's events.
	err = s.rq.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM events WHERE account_id = ?),
		(SELECT MAX(id) FROM events WHERE account_id = ?),
		COALESCE((SELECT last_id FROM event_marks WHERE account_id = ?), 0)`, account, account, account).Scan(&lo, &hi, &mark)
	if err == nil && !lo.Valid {
		return livedesk.ID(mark + 1), livedesk.ID(mark), nil
	}
	return livedesk.ID(lo.Int64), livedesk.ID(hi.Int64), err
}

// PruneEvents deletes up to limit of the oldest events created before beforeMS, always keeping
// the newest keep, and returns how many it deleted. Event ids grow with time, so it finds the
// first id to keep and deletes a rowid range below it: no scan of the kept events, and a
// bounded transaction however far behind the pruning is (call it again while it returns limit).
func (tx *Tx) PruneEvents(beforeMS int64, keep, limit int) (int64, error) {
	if tx.pg {
		return tx.pruneEventsPG(beforeMS, keep, limit)
	}
	var cut sql.NullInt64
	err := tx.queryRow(`SELECT MIN(
			COALESCE((SELECT id FROM events WHERE created_at >= ? ORDER BY id LIMIT 1), (SELECT MAX(id) + 1 FROM events)),
			(SELECT MAX(id) FROM events) - ? + 1)`, beforeMS, keep).Scan(&cut)
	if err != nil || !cut.Valid {
		return 0, err
	}
	// Each account's newest deleted id is remembered (EventBounds of a log pruned empty).
	const below = `id < MIN(?, (SELECT MIN(id) FROM events) + ?)`
	if _, err := tx.exec(`INSERT INTO event_marks(account_id, last_id)
		SELECT account_id, MAX(id) FROM events WHERE `+below+` GROUP BY account_id
		ON CONFLICT(account_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)`, cut.Int64, limit); err != nil {
		return 0, err
	}
	res, err := tx.exec(`DELETE FROM events WHERE `+below, cut.Int64, limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// pruneEventsPG is PruneEvents on PostgreSQL, where ids are per account: it deletes up to
// limit of the oldest events created before beforeMS and before the newest keep of all.
func (tx *Tx) pruneEventsPG(beforeMS int64, keep, limit int) (int64, error) {
	var newestKept sql.NullInt64
	if err := tx.queryRow(`SELECT created_at FROM events ORDER BY created_at DESC LIMIT 1 OFFSET ?`, max(keep-1, 0)).
		Scan(&newestKept); err != nil && err != sql.ErrNoRows {
		return 0, err
	}
	cut := beforeMS
	if newestKept.Valid && newestKept.Int64 < cut {
		cut = newestKept.Int64
	}
	res, err := tx.exec(`DELETE FROM events WHERE ctid IN (SELECT ctid FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?)`, cut, limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
