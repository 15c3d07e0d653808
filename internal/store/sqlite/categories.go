package sqlite

import (
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
