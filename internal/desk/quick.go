package desk

import (
	"context"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"livedesk/internal/livedesk"
	"livedesk/internal/quick"
)

// Limits of quick messages.
const (
	maxQuickTitle = 100
	maxQuickText  = 4000
	// maxQuickPerAccount bounds what one account can store (the search target is 10,000).
	maxQuickPerAccount = 20000
)

// quickCache keeps, per account, the quick messages prepared for search. Every quick-message
// write of the account drops its entry; the next search rebuilds it from the database.
type quickCache struct {
	mu       sync.Mutex
	accounts map[livedesk.ID]*quickSnapshot
}

type quickSnapshot struct {
	index *quick.Index
	byID  map[livedesk.ID]*livedesk.QuickMessage
	list  []*livedesk.QuickMessage
}

func (c *quickCache) drop(account livedesk.ID) {
	c.mu.Lock()
	delete(c.accounts, account)
	c.mu.Unlock()
}

func (d *Desk) quickSnapshot(ctx context.Context, account livedesk.ID) (*quickSnapshot, error) {
	d.quick.mu.Lock()
	snap := d.quick.accounts[account]
	d.quick.mu.Unlock()
	if snap != nil {
		return snap, nil
	}
	list, err := d.store.QuickMessages(ctx, account)
	if err != nil {
		return nil, err
	}
	items := make([]quick.Item, len(list))
	snap = &quickSnapshot{list: list, byID: make(map[livedesk.ID]*livedesk.QuickMessage, len(list))}
	for i, m := range list {
		items[i] = quick.Item{ID: int64(m.ID), CategoryID: int64(m.CategoryID), OperatorID: int64(m.OperatorID), Title: m.Title, Text: m.Text}
		snap.byID[m.ID] = m
	}
	snap.index = quick.NewIndex(items)
	d.quick.mu.Lock()
	d.quick.accounts[account] = snap
	d.quick.mu.Unlock()
	return snap, nil
}

// QuickFilter selects quick messages for the window and the autocomplete.
type QuickFilter struct {
	Query string
	// Category: "" all, "personal" the operator's own, else a category id.
	Category string
	Limit    int
}

// QuickResult is what the quick-message window shows.
type QuickResult struct {
	Categories []QuickCategoryView      `json:"categories"`
	Items      []*livedesk.QuickMessage `json:"items"`
}

// QuickCategoryView is a category in the window; the personal one comes first.
type QuickCategoryView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Personal bool   `json:"personal"`
}

// QuickMessages lists or searches the quick messages the operator sees, personal first. A
// query shorter than 2 characters lists everything (the window without a search).
func (d *Desk) QuickMessages(ctx context.Context, account, op livedesk.ID, f QuickFilter) (*QuickResult, error) {
	if !utf8.ValidString(f.Query) || utf8.RuneCountInString(f.Query) > 200 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "q must be valid UTF-8 of at most 200 characters")
	}
	category := int64(-1)
	switch f.Category {
	case "":
	case "personal":
		category = 0
	default:
		id, ok := livedesk.ParseID(f.Category)
		if !ok {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, `category_id must be "personal" or a category id`)
		}
		category = int64(id)
	}
	cats, err := d.store.QuickCategories(ctx, account)
	if err != nil {
		return nil, err
	}
	snap, err := d.quickSnapshot(ctx, account)
	if err != nil {
		return nil, err
	}
	hotkeys, err := d.store.QuickHotkeys(ctx, op)
	if err != nil {
		return nil, err
	}
	res := &QuickResult{Categories: []QuickCategoryView{{ID: "personal", Name: livedesk.PersonalQuickCategory, Personal: true}}, Items: []*livedesk.QuickMessage{}}
	for _, c := range cats {
		res.Categories = append(res.Categories, QuickCategoryView{ID: c.ID.String(), Name: c.Name})
	}
	q, ok := quick.ParseQuery(f.Query)
	if !ok {
		q = quick.Query{} // no words: everything matches
	}
	for _, id := range snap.index.Search(q, category, int64(op), f.Limit) {
		m := *snap.byID[livedesk.ID(id)]
		m.Hotkey = hotkeys[m.ID]
		res.Items = append(res.Items, &m)
	}
	return res, nil
}

// QuickInput is a new or changed quick message.
type QuickInput struct {
	Title      *string      `json:"title"`
	Text       *string      `json:"text"`
	CategoryID *livedesk.ID `json:"category_id"`
	Position   *int         `json:"position"`
}

func (in QuickInput) check(create bool) error {
	if in.Title != nil {
		t := strings.TrimSpace(*in.Title)
		if !utf8.ValidString(t) || utf8.RuneCountInString(t) > maxQuickTitle {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "title must be valid UTF-8 of at most %d characters", maxQuickTitle)
		}
		*in.Title = t
	}
	if in.Text != nil || create {
		if in.Text == nil {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "text is required")
		}
		if !utf8.ValidString(*in.Text) || strings.TrimSpace(*in.Text) == "" || utf8.RuneCountInString(*in.Text) > maxQuickText {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "text must be non-empty valid UTF-8 of at most %d characters", maxQuickText)
		}
	}
	if in.Position != nil && (*in.Position < -1_000_000 || *in.Position > 1_000_000) {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "position must be between -1000000 and 1000000")
	}
	return nil
}

// SaveQuickMessage creates (id 0) or changes a quick message. owner 0 is an admin working on
// account-wide ones (a category is required); otherwise the operator's personal ones.
func (d *Desk) SaveQuickMessage(ctx context.Context, account, owner, id livedesk.ID, in QuickInput) (*livedesk.QuickMessage, error) {
	if err := in.check(id == 0); err != nil {
		return nil, err
	}
	if owner != 0 && in.CategoryID != nil {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "personal quick messages have no category")
	}
	var out *livedesk.QuickMessage
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		if owner != 0 {
			if _, err := actor(tx, account, owner, livedesk.ActionSettings); err != nil {
				return err
			}
		}
		if owner == 0 && (in.CategoryID != nil || id == 0) {
			if in.CategoryID == nil {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "category_id is required")
			}
			ok, err := tx.QuickCategoryExists(account, *in.CategoryID)
			if err != nil {
				return err
			}
			if !ok {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "category_id is not a quick message category of this account")
			}
		}
		if id != 0 {
			m, err := tx.PatchQuickMessage(account, owner, id, livedesk.QuickPatch{Title: in.Title, Text: in.Text, CategoryID: in.CategoryID, Position: in.Position})
			if err != nil {
				return err
			}
			out = m
			return tx.EmitQuickChanged(account, owner)
		}
		m := &livedesk.QuickMessage{OperatorID: owner, Personal: owner != 0, Text: *in.Text}
		if in.Title != nil {
			m.Title = *in.Title
		}
		if in.Position != nil {
			m.Position = *in.Position
		}
		if in.CategoryID != nil {
			m.CategoryID = *in.CategoryID
		}
		if n, err := tx.CountQuickMessages(account); err != nil {
			return err
		} else if n >= maxQuickPerAccount {
			return livedesk.Errorf(livedesk.CodeConflict, "the account has %d quick messages, the most it can have", n)
		}
		if err := tx.CreateQuickMessage(account, m); err != nil {
			return err
		}
		out = m
		return tx.EmitQuickChanged(account, owner)
	})
	if err == nil {
		d.quick.drop(account)
	}
	return out, err
}

// DeleteQuickMessage deletes an account-wide (owner 0) or personal quick message.
func (d *Desk) DeleteQuickMessage(ctx context.Context, account, owner, id livedesk.ID) error {
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		if owner != 0 {
			if _, err := actor(tx, account, owner, livedesk.ActionSettings); err != nil {
				return err
			}
		}
		if err := tx.DeleteQuickMessage(account, owner, id); err != nil {
			return err
		}
		return tx.EmitQuickChanged(account, owner)
	})
	if err == nil {
		d.quick.drop(account)
	}
	return err
}

// SetQuickHotkey binds (or, with "", removes) the operator's hotkey for a quick message they
// see, under the rules of DESIGN §2.8.
func (d *Desk) SetQuickHotkey(ctx context.Context, account, op, id livedesk.ID, hotkey string) (*livedesk.QuickMessage, error) {
	if hotkey != "" {
		canon, err := quick.ParseHotkey(hotkey)
		if err != nil {
			var he *quick.HotkeyError
			if errors.As(err, &he) {
				details := map[string]string{"reason": he.Reason, "hotkey": he.Hotkey}
				if he.UsedBy != "" {
					details["used_by"] = he.UsedBy
				}
				return nil, &livedesk.Error{Code: livedesk.CodeInvalidHotkey, Message: he.Message, Details: details}
			}
			return nil, err
		}
		hotkey = canon
	}
	var out *livedesk.QuickMessage
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		if _, err := actor(tx, account, op, livedesk.ActionSettings); err != nil {
			return err
		}
		m, err := tx.VisibleQuickMessage(account, op, id)
		if err != nil {
			return err
		}
		if err := tx.SetQuickHotkey(op, id, hotkey); err != nil {
			return err
		}
		m.Hotkey = hotkey
		out = m
		return tx.EmitQuickChanged(account, op)
	})
	return out, err
}

// SaveQuickCategory creates (id 0) or changes a category of account-wide quick messages.
func (d *Desk) SaveQuickCategory(ctx context.Context, account, id livedesk.ID, name *string, position *int) (*livedesk.QuickCategory, error) {
	if name != nil {
		n, err := checkName("name", *name, 100)
		if err != nil {
			return nil, err
		}
		name = &n
	} else if id == 0 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "name is required")
	}
	if position != nil && (*position < -1_000_000 || *position > 1_000_000) {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "position must be between -1000000 and 1000000")
	}
	var out *livedesk.QuickCategory
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		var err error
		if id == 0 {
			pos := 0
			if position != nil {
				pos = *position
			}
			out, err = tx.CreateQuickCategory(account, *name, pos)
		} else {
			out, err = tx.PatchQuickCategory(account, id, name, position)
		}
		if err != nil {
			return err
		}
		return tx.EmitQuickChanged(account, 0)
	})
	if err == nil {
		d.quick.drop(account)
	}
	return out, err
}

// DeleteQuickCategory deletes a category and the quick messages in it.
func (d *Desk) DeleteQuickCategory(ctx context.Context, account, id livedesk.ID) error {
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		if err := tx.DeleteQuickCategory(account, id); err != nil {
			return err
		}
		return tx.EmitQuickChanged(account, 0)
	})
	if err == nil {
		d.quick.drop(account)
	}
	return err
}
