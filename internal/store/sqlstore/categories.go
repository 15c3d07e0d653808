package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"livedesk/internal/livedesk"
)

// PatchCategory changes the given fields of a live category of the account (nil: keep the
// value) and returns the category as stored.
func (tx *Tx) PatchCategory(account, id livedesk.ID, name *string, position *int) (*livedesk.Category, error) {
	c := &livedesk.Category{ID: id}
	err := tx.queryRow(`UPDATE conversation_categories SET name = COALESCE(?, name), position = COALESCE(?, position)
		WHERE id = ? AND account_id = ? AND deleted = 0 RETURNING name, position`, name, position, id, account).Scan(&c.Name, &c.Position)
	if err != nil {
		return nil, notFound(err, "category")
	}
	return c, nil
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
