package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"

	"livedesk/internal/livedesk"
)

const contactPointCols = `id, account_id, name, channel, key, settings, created_at`

func scanContactPoint(sc scanner) (*livedesk.ContactPoint, error) {
	c := &livedesk.ContactPoint{}
	var settings string
	var created int64
	if err := sc.Scan(&c.ID, &c.AccountID, &c.Name, &c.Channel, &c.Key, &settings, &created); err != nil {
		return nil, err
	}
	c.Settings = json.RawMessage(settings)
	c.CreatedAt = fromMS(created)
	return c, nil
}

// CreateContactPoint stores a contact point.
func (tx *Tx) CreateContactPoint(c *livedesk.ContactPoint) error {
	if len(c.Settings) == 0 {
		c.Settings = json.RawMessage(`{}`)
	}
	c.CreatedAt = tx.now
	err := tx.queryRow(`INSERT INTO contact_points(account_id, name, channel, key, settings, created_at)
		VALUES (?,?,?,?,?,?) RETURNING id`, c.AccountID, c.Name, c.Channel, c.Key, string(c.Settings), ms(tx.now)).Scan(&c.ID)
	if isUnique(err) {
		return livedesk.Errorf(livedesk.CodeConflict, "contact point key is taken")
	}
	return err
}

// UpdateContactPoint stores name and settings.
func (tx *Tx) UpdateContactPoint(c *livedesk.ContactPoint) error {
	_, err := tx.exec(`UPDATE contact_points SET name = ?, settings = ? WHERE id = ? AND account_id = ?`,
		c.Name, string(c.Settings), c.ID, c.AccountID)
	if err == nil {
		tx.changedContactPoints = true
	}
	return err
}

// pointCache keeps contact points read by id: every visitor request authenticates against
// its contact point, and they change only through UpdateContactPoint. The writer clears the
// cache after committing a change; gen keeps a read that raced the change from caching the
// old row.
type pointCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[livedesk.ID]livedesk.ContactPoint
}

func (p *pointCache) get(id livedesk.ID) (livedesk.ContactPoint, uint64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.m[id]
	return c, p.gen, ok
}

func (p *pointCache) put(c *livedesk.ContactPoint, gen uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen {
		return
	}
	if p.m == nil {
		p.m = make(map[livedesk.ID]livedesk.ContactPoint)
	}
	p.m[c.ID] = *c
}

func (p *pointCache) clear() {
	p.mu.Lock()
	p.gen++
	p.m = nil
	p.mu.Unlock()
}

// ContactPoint reads one contact point of the account (from memory after the first time).
func (s *Store) ContactPoint(ctx context.Context, account, id livedesk.ID) (*livedesk.ContactPoint, error) {
	cached, gen, ok := s.points.get(id)
	if ok && cached.AccountID == account {
		return &cached, nil
	}
	c, err := scanContactPoint(s.rq.QueryRowContext(ctx, `SELECT `+contactPointCols+` FROM contact_points
		WHERE id = ? AND account_id = ?`, id, account))
	if err != nil {
		return nil, notFound(err, "contact point")
	}
	s.points.put(c, gen)
	return c, nil
}

// ContactPoint reads one contact point of the account inside the transaction.
func (tx *Tx) ContactPoint(account, id livedesk.ID) (*livedesk.ContactPoint, error) {
	c, err := scanContactPoint(tx.queryRow(`SELECT `+contactPointCols+` FROM contact_points
		WHERE id = ? AND account_id = ?`, id, account))
	return c, notFound(err, "contact point")
}

// AnyOperatorOnline reports whether an operator of the account is online: in any status but
// offline. The widget shows its offline form when nobody is.
func (s *Store) AnyOperatorOnline(ctx context.Context, account livedesk.ID) (bool, error) {
	var online bool
	err := s.rq.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM operators WHERE account_id = ? AND status <> 'offline')`,
		account).Scan(&online)
	return online, err
}

// AnyOperatorOnline, inside a write: whether an operator of the account is online now.
func (tx *Tx) AnyOperatorOnline(account livedesk.ID) (bool, error) {
	var online bool
	err := tx.queryRow(`SELECT EXISTS(SELECT 1 FROM operators WHERE account_id = ? AND status <> 'offline')`, account).Scan(&online)
	return online, err
}

// ContactPointByKey finds the contact point of a widget key.
func (s *Store) ContactPointByKey(ctx context.Context, key string) (*livedesk.ContactPoint, error) {
	c, err := scanContactPoint(s.rq.QueryRowContext(ctx, `SELECT `+contactPointCols+` FROM contact_points WHERE key = ?`, key))
	return c, notFound(err, "contact point")
}

// ContactPoints lists an account's contact points.
func (s *Store) ContactPoints(ctx context.Context, account livedesk.ID) ([]*livedesk.ContactPoint, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+contactPointCols+` FROM contact_points WHERE account_id = ? ORDER BY id`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*livedesk.ContactPoint{}
	for rows.Next() {
		c, err := scanContactPoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

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
	err := q.QueryRowContext(ctx, `SELECT contact_point_id, name, email, phone FROM visitors WHERE id = ? AND account_id = ?`,
		id, account).Scan(&v.ContactPointID, &v.Name, &v.Email, &v.Phone)
	if err != nil {
		return nil, notFound(err, "visitor")
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

// CreateCategory stores a conversation category.
func (tx *Tx) CreateCategory(account livedesk.ID, c *livedesk.Category) error {
	err := tx.queryRow(`INSERT INTO conversation_categories(account_id, name, position, created_at) VALUES (?,?,?,?) RETURNING id`,
		account, c.Name, c.Position, ms(tx.now)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("create category: %w", err)
	}
	return nil
}

// UpdateCategory renames or moves a category.
func (tx *Tx) UpdateCategory(account livedesk.ID, c *livedesk.Category) error {
	res, err := tx.exec(`UPDATE conversation_categories SET name = ?, position = ? WHERE id = ? AND account_id = ? AND deleted = 0`,
		c.Name, c.Position, c.ID, account)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("category")
	}
	return nil
}

// DeleteCategory hides a category; closed conversations keep pointing at it.
func (tx *Tx) DeleteCategory(account, id livedesk.ID) error {
	res, err := tx.exec(`UPDATE conversation_categories SET deleted = 1 WHERE id = ? AND account_id = ? AND deleted = 0`, id, account)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("category")
	}
	return nil
}

// Categories lists an account's live categories in order.
func (s *Store) Categories(ctx context.Context, account livedesk.ID) ([]livedesk.Category, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id, name, position FROM conversation_categories
		WHERE account_id = ? AND deleted = 0 ORDER BY position, name, id`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []livedesk.Category{}
	for rows.Next() {
		var c livedesk.Category
		if err := rows.Scan(&c.ID, &c.Name, &c.Position); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CategoryState tells whether the account has live categories and whether id is one of them.
func (tx *Tx) CategoryState(account, id livedesk.ID) (has, valid bool, err error) {
	err = tx.queryRow(`SELECT EXISTS(SELECT 1 FROM conversation_categories WHERE account_id = ? AND deleted = 0),
		EXISTS(SELECT 1 FROM conversation_categories WHERE account_id = ? AND deleted = 0 AND id = ?)`, account, account, id).Scan(&has, &valid)
	if err == sql.ErrNoRows {
		err = nil
	}
	return has, valid, err
}
