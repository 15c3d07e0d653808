package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"livedesk/internal/livedesk"
)

// CreateQuickCategory adds a category of account-wide quick messages.
func (tx *Tx) CreateQuickCategory(account livedesk.ID, name string, position int) (*livedesk.QuickCategory, error) {
	c := &livedesk.QuickCategory{Name: name, Position: position}
	err := tx.queryRow(`INSERT INTO quick_message_categories(account_id, name, position, created_at) VALUES (?,?,?,?) RETURNING id`,
		account, name, position, ms(tx.now)).Scan(&c.ID)
	return c, err
}

// PatchQuickCategory changes the given fields (nil: keep) and returns the category.
func (tx *Tx) PatchQuickCategory(account, id livedesk.ID, name *string, position *int) (*livedesk.QuickCategory, error) {
	c := &livedesk.QuickCategory{ID: id}
	err := tx.queryRow(`UPDATE quick_message_categories SET name = COALESCE(?, name), position = COALESCE(?, position)
		WHERE id = ? AND account_id = ? RETURNING name, position`, name, position, id, account).Scan(&c.Name, &c.Position)
	if err != nil {
		return nil, notFound(err, "quick message category")
	}
	return c, nil
}

// DeleteQuickCategory deletes a category with its messages (and their hotkeys).
func (tx *Tx) DeleteQuickCategory(account, id livedesk.ID) error {
	res, err := tx.exec(`DELETE FROM quick_message_categories WHERE id = ? AND account_id = ?`, id, account)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("quick message category")
	}
	return nil
}

// CountQuickMessages counts the account's quick messages (on create only, not a hot path).
func (tx *Tx) CountQuickMessages(account livedesk.ID) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM quick_messages WHERE account_id = ?`, account).Scan(&n)
	return n, err
}

// QuickCategoryExists reports whether the category belongs to the account.
func (tx *Tx) QuickCategoryExists(account, id livedesk.ID) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM quick_message_categories WHERE id = ? AND account_id = ?`, id, account).Scan(&n)
	return n > 0, err
}

// CreateQuickMessage stores m (OperatorID set: personal; else CategoryID set).
func (tx *Tx) CreateQuickMessage(account livedesk.ID, m *livedesk.QuickMessage) error {
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	return tx.queryRow(`INSERT INTO quick_messages(account_id, operator_id, category_id, title, text, position, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`, account, nullID(m.OperatorID), nullID(m.CategoryID), m.Title, m.Text,
		m.Position, ms(tx.now), ms(tx.now)).Scan(&m.ID)
}

// PatchQuickMessage changes a quick message owned by owner (0: an account-wide one).
func (tx *Tx) PatchQuickMessage(account, owner, id livedesk.ID, p livedesk.QuickPatch) (*livedesk.QuickMessage, error) {
	var cat any
	if p.CategoryID != nil {
		cat = int64(*p.CategoryID)
	}
	m, err := scanQuick(tx.queryRow(`UPDATE quick_messages SET title = COALESCE(?, title), text = COALESCE(?, text),
		category_id = COALESCE(?, category_id), position = COALESCE(?, position), updated_at = ?
		WHERE id = ? AND account_id = ? AND `+ownerClause(owner)+` RETURNING `+quickColumns,
		p.Title, p.Text, cat, p.Position, ms(tx.now), id, account, int64(owner)))
	if err != nil {
		return nil, notFound(err, "quick message")
	}
	return m, nil
}

// DeleteQuickMessage deletes a quick message owned by owner (0: an account-wide one).
func (tx *Tx) DeleteQuickMessage(account, owner, id livedesk.ID) error {
	res, err := tx.exec(`DELETE FROM quick_messages WHERE id = ? AND account_id = ? AND `+ownerClause(owner), id, account, int64(owner))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return livedesk.NotFound("quick message")
	}
	return nil
}

// ownerClause selects account-wide messages for owner 0, else that operator's personal ones.
// It takes one argument, the owner.
func ownerClause(owner livedesk.ID) string {
	if owner == 0 {
		return `operator_id IS NULL AND ? = 0`
	}
	return `operator_id = ?`
}

// VisibleQuickMessage returns a quick message the operator may use: account-wide, or their own.
func (tx *Tx) VisibleQuickMessage(account, op, id livedesk.ID) (*livedesk.QuickMessage, error) {
	m, err := scanQuick(tx.queryRow(`SELECT `+quickColumns+` FROM quick_messages
		WHERE id = ? AND account_id = ? AND (operator_id IS NULL OR operator_id = ?)`, id, account, op))
	if err != nil {
		return nil, notFound(err, "quick message")
	}
	return m, nil
}

// SetQuickHotkey binds hotkey to the quick message for the operator ("" removes it). A
// hotkey the operator uses for another message is a hotkey_taken error naming that message.
func (tx *Tx) SetQuickHotkey(op, id livedesk.ID, hotkey string) error {
	if hotkey == "" {
		_, err := tx.exec(`DELETE FROM quick_message_hotkeys WHERE operator_id = ? AND quick_message_id = ?`, op, id)
		return err
	}
	var other livedesk.ID
	err := tx.queryRow(`SELECT quick_message_id FROM quick_message_hotkeys WHERE operator_id = ? AND hotkey = ?`, op, hotkey).Scan(&other)
	switch {
	case err == nil && other != id:
		return &livedesk.Error{Code: livedesk.CodeHotkeyTaken, Message: hotkey + " is already your hotkey for another quick message",
			Details: map[string]string{"hotkey": hotkey, "quick_message_id": other.String()}}
	case err != nil && err != sql.ErrNoRows:
		return err
	}
	_, err = tx.exec(`INSERT INTO quick_message_hotkeys(operator_id, quick_message_id, hotkey) VALUES (?,?,?)
		ON CONFLICT(operator_id, quick_message_id) DO UPDATE SET hotkey = excluded.hotkey`, op, id, hotkey)
	return err
}

// EmitQuickChanged tells the operators who see it that quick messages changed: everybody of
// the account for account-wide ones, the owner for personal ones.
func (tx *Tx) EmitQuickChanged(account, owner livedesk.ID) error {
	e := &livedesk.Event{AccountID: account, Type: livedesk.EventQuickMessagesChanged, Payload: []byte(`{}`)}
	if owner == 0 {
		e.AllOperators = true
	} else {
		e.OperatorID = owner
	}
	return tx.Emit(e)
}

const quickColumns = `id, operator_id, category_id, title, text, position, created_at, updated_at`

func scanQuick(sc scanner) (*livedesk.QuickMessage, error) {
	m := &livedesk.QuickMessage{}
	var op, cat sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&m.ID, &op, &cat, &m.Title, &m.Text, &m.Position, &created, &updated); err != nil {
		return nil, err
	}
	m.OperatorID, m.CategoryID, m.Personal = livedesk.ID(op.Int64), livedesk.ID(cat.Int64), op.Valid
	m.CreatedAt, m.UpdatedAt = fromMS(created), fromMS(updated)
	return m, nil
}

// QuickCategories lists the account's categories in their order.
func (s *Store) QuickCategories(ctx context.Context, account livedesk.ID) ([]livedesk.QuickCategory, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id, name, position FROM quick_message_categories WHERE account_id = ?
		ORDER BY position, id`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []livedesk.QuickCategory{}
	for rows.Next() {
		var c livedesk.QuickCategory
		if err := rows.Scan(&c.ID, &c.Name, &c.Position); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// QuickMessages lists every quick message of the account — all operators' personal ones
// first (by operator, position), then account-wide ones by category position and position.
func (s *Store) QuickMessages(ctx context.Context, account livedesk.ID) ([]*livedesk.QuickMessage, error) {
	cols := strings.ReplaceAll(quickColumns, ", ", ", q.")
	rows, err := s.rq.QueryContext(ctx, `SELECT q.`+cols+` FROM quick_messages q
		LEFT JOIN quick_message_categories c ON c.id = q.category_id
		WHERE q.account_id = ?
		ORDER BY q.operator_id IS NULL, q.operator_id, c.position, c.id, q.position, q.id`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*livedesk.QuickMessage
	for rows.Next() {
		m, err := scanQuick(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// QuickHotkeys returns the operator's hotkeys by quick message id.
func (s *Store) QuickHotkeys(ctx context.Context, op livedesk.ID) (map[livedesk.ID]string, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT quick_message_id, hotkey FROM quick_message_hotkeys WHERE operator_id = ?`, op)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[livedesk.ID]string{}
	for rows.Next() {
		var id livedesk.ID
		var hk string
		if err := rows.Scan(&id, &hk); err != nil {
			return nil, err
		}
		out[id] = hk
	}
	return out, rows.Err()
}
