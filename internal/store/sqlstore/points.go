package sqlstore

import (
	"context"
	"encoding/json"
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
