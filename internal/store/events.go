package store

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
		AND (all_operators = 1 OR operator_id = ? OR operator2_id = ? OR (staff = 1 AND ?)) ORDER BY id LIMIT ?`,
		after, account, op, op, staff, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// VisitorEvents returns up to limit events after the cursor that the visitor receives.
func (s *Store) VisitorEvents(ctx context.Context, visitor, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE visitor_id = ? AND id > ?
		AND visitor_payload IS NOT NULL ORDER BY id LIMIT ?`, visitor, after, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// EventBounds returns the oldest kept and the newest event id (0, 0 when none).
func (s *Store) EventBounds(ctx context.Context) (oldest, newest livedesk.ID, err error) {
	var lo, hi sql.NullInt64
	// Two subqueries: SQLite answers a lone MIN or MAX from the primary key in one step,
	// but MIN(id), MAX(id) in one select scans the whole table.
	err = s.rq.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM events), (SELECT MAX(id) FROM events)`).Scan(&lo, &hi)
	if err == nil && !lo.Valid {
		// Empty log: the sequence may still have advanced; resume from anything is fine.
		var seq sql.NullInt64
		_ = s.rq.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'events'`).Scan(&seq)
		return livedesk.ID(seq.Int64 + 1), livedesk.ID(seq.Int64), nil
	}
	return livedesk.ID(lo.Int64), livedesk.ID(hi.Int64), err
}

// PruneEvents deletes up to limit of the oldest events created before beforeMS, always keeping
// the newest keep, and returns how many it deleted. Event ids grow with time, so it finds the
// first id to keep and deletes a rowid range below it: no scan of the kept events, and a
// bounded transaction however far behind the pruning is (call it again while it returns limit).
func (tx *Tx) PruneEvents(beforeMS int64, keep, limit int) (int64, error) {
	var cut sql.NullInt64
	err := tx.queryRow(`SELECT MIN(
			COALESCE((SELECT id FROM events WHERE created_at >= ? ORDER BY id LIMIT 1), (SELECT MAX(id) + 1 FROM events)),
			(SELECT MAX(id) FROM events) - ? + 1)`, beforeMS, keep).Scan(&cut)
	if err != nil || !cut.Valid {
		return 0, err
	}
	res, err := tx.exec(`DELETE FROM events WHERE id < MIN(?, (SELECT MIN(id) FROM events) + ?)`, cut.Int64, limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
