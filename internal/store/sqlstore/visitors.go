package sqlstore

import (
	"context"
	"database/sql"

	"livedesk/internal/livedesk"
)

// CreateVisitor stores a visitor.
func (tx *Tx) CreateVisitor(v *livedesk.Visitor) error {
	err := tx.queryRow(`INSERT INTO visitors(account_id, contact_point_id, name, email, phone, created_at)
		VALUES (?,?,?,?,?,?) RETURNING id`, v.AccountID, v.ContactPointID, v.Name, v.Email, v.Phone, ms(tx.now)).Scan(&v.ID)
	v.DisplayName = livedesk.DisplayName(v.Name, v.ID)
	return err
}

// UpdateVisitor stores name, email and phone.
func (tx *Tx) UpdateVisitor(v *livedesk.Visitor) error {
	_, err := tx.exec(`UPDATE visitors SET name = ?, email = ?, phone = ? WHERE id = ? AND account_id = ?`,
		v.Name, v.Email, v.Phone, v.ID, v.AccountID)
	v.DisplayName = livedesk.DisplayName(v.Name, v.ID)
	return err
}

func getVisitor(ctx context.Context, q querier, account, id livedesk.ID) (*livedesk.Visitor, error) {
	v := &livedesk.Visitor{ID: id, AccountID: account}
	var seen sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT contact_point_id, name, email, phone, seen_at FROM visitors WHERE id = ? AND account_id = ?`,
		id, account).Scan(&v.ContactPointID, &v.Name, &v.Email, &v.Phone, &seen)
	if err != nil {
		return nil, notFound(err, "visitor")
	}
	if seen.Valid {
		v.SeenAt = fromMS(seen.Int64)
	}
	v.DisplayName = livedesk.DisplayName(v.Name, v.ID)
	return v, nil
}

// Visitor reads a visitor of the account.
func (s *Store) Visitor(ctx context.Context, account, id livedesk.ID) (*livedesk.Visitor, error) {
	return getVisitor(ctx, s.rq, account, id)
}

// Visitor reads a visitor of the account inside the transaction.
func (tx *Tx) Visitor(account, id livedesk.ID) (*livedesk.Visitor, error) {
	return getVisitor(tx.ctx, tx.tx, account, id)
}
