package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"livedesk/internal/livedesk"
	"livedesk/internal/sticker"
)

// uploadedStickerID parses the id of an uploaded sticker (a positive decimal number).
func uploadedStickerID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0 && strconv.FormatInt(n, 10) == id
}

// StickerPacks lists the packs admins of the account uploaded (not deleted), oldest first,
// with their stickers.
func (s *Store) StickerPacks(ctx context.Context, account livedesk.ID) ([]livedesk.StickerPack, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT p.id, p.name, s.id, s.name FROM sticker_packs p
		LEFT JOIN stickers s ON s.pack_id = p.id
		WHERE p.account_id = ? AND p.deleted = 0 ORDER BY p.id, s.id`, account)
	if err != nil {
		return nil, fmt.Errorf("read sticker packs: %w", err)
	}
	defer rows.Close()
	out := []livedesk.StickerPack{}
	for rows.Next() {
		var pack int64
		var name string
		var sid sql.NullInt64
		var sname sql.NullString
		if err := rows.Scan(&pack, &name, &sid, &sname); err != nil {
			return nil, err
		}
		pid := strconv.FormatInt(pack, 10)
		if len(out) == 0 || out[len(out)-1].ID != pid {
			out = append(out, livedesk.StickerPack{ID: pid, Name: name, Stickers: []livedesk.Sticker{}})
		}
		if sid.Valid {
			id := strconv.FormatInt(sid.Int64, 10)
			p := &out[len(out)-1]
			p.Stickers = append(p.Stickers, livedesk.Sticker{ID: id, Name: sname.String, URL: livedesk.StickerURL(id)})
		}
	}
	return out, rows.Err()
}

// CreateStickerPack stores a new, empty pack of the account. An account has at most
// sticker.MaxPacks packs.
func (tx *Tx) CreateStickerPack(account livedesk.ID, name string) (*livedesk.StickerPack, error) {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM sticker_packs WHERE account_id = ? AND deleted = 0`, account).Scan(&n); err != nil {
		return nil, err
	}
	if n >= sticker.MaxPacks {
		return nil, livedesk.Errorf(livedesk.CodeLimitReached, "an account can have at most %d sticker packs", sticker.MaxPacks)
	}
	var id int64
	if err := tx.queryRow(`INSERT INTO sticker_packs(account_id, name, created_at) VALUES (?,?,?) RETURNING id`,
		account, name, ms(tx.now)).Scan(&id); err != nil {
		return nil, fmt.Errorf("insert sticker pack: %w", err)
	}
	return &livedesk.StickerPack{ID: strconv.FormatInt(id, 10), Name: name, Stickers: []livedesk.Sticker{}}, nil
}

// stickerPack finds a pack of the account that is not deleted and counts its stickers.
func (tx *Tx) stickerPack(account livedesk.ID, pack string) (id int64, count int, err error) {
	id, ok := uploadedStickerID(pack)
	if !ok {
		return 0, 0, livedesk.NotFound("sticker pack")
	}
	err = tx.queryRow(`SELECT COUNT(s.id) FROM sticker_packs p LEFT JOIN stickers s ON s.pack_id = p.id
		WHERE p.id = ? AND p.account_id = ? AND p.deleted = 0 GROUP BY p.id`, id, account).Scan(&count)
	if err != nil {
		return 0, 0, notFound(err, "sticker pack")
	}
	return id, count, nil
}

// AddStickers adds pictures to a pack of the account; a pack holds at most
// sticker.MaxPerPack stickers.
func (tx *Tx) AddStickers(account livedesk.ID, pack string, items []livedesk.NewSticker) ([]livedesk.Sticker, error) {
	pid, count, err := tx.stickerPack(account, pack)
	if err != nil {
		return nil, err
	}
	if count+len(items) > sticker.MaxPerPack {
		return nil, livedesk.Errorf(livedesk.CodeLimitReached, "a sticker pack holds at most %d stickers; this one has %d", sticker.MaxPerPack, count)
	}
	out := make([]livedesk.Sticker, 0, len(items))
	for _, it := range items {
		var id int64
		if err := tx.queryRow(`INSERT INTO stickers(account_id, pack_id, name, content_type, size, data, created_at)
			VALUES (?,?,?,?,?,?,?) RETURNING id`, account, pid, it.Name, it.ContentType, len(it.Data), it.Data, ms(tx.now)).Scan(&id); err != nil {
			return nil, fmt.Errorf("insert sticker: %w", err)
		}
		sid := strconv.FormatInt(id, 10)
		out = append(out, livedesk.Sticker{ID: sid, Name: it.Name, URL: livedesk.StickerURL(sid)})
	}
	return out, nil
}

// DeleteStickerPack removes a pack of the account from the pickers. Its pictures stay, so
// the history keeps showing stickers already sent; they cannot be sent any more.
func (tx *Tx) DeleteStickerPack(account livedesk.ID, pack string) error {
	pid, _, err := tx.stickerPack(account, pack)
	if err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE sticker_packs SET deleted = 1 WHERE id = ?`, pid)
	return err
}

// SendableSticker returns the sticker with this id when the account may send it: one of
// the default pack, or of a pack of the account that is not deleted. Anything else,
// another account's sticker included, is not_found.
func (tx *Tx) SendableSticker(account livedesk.ID, id string) (*livedesk.Sticker, error) {
	if st, ok := sticker.DefaultSticker(id); ok {
		return &st, nil
	}
	n, ok := uploadedStickerID(id)
	if !ok {
		return nil, livedesk.NotFound("sticker")
	}
	st := &livedesk.Sticker{ID: id, URL: livedesk.StickerURL(id)}
	err := tx.queryRow(`SELECT s.name FROM stickers s JOIN sticker_packs p ON p.id = s.pack_id
		WHERE s.id = ? AND s.account_id = ? AND p.deleted = 0`, n, account).Scan(&st.Name)
	if err != nil {
		return nil, notFound(err, "sticker")
	}
	return st, nil
}

// livedesk.StickerImage returns the picture of an uploaded sticker of the account (of a deleted
// pack too: the history still shows it).
func (s *Store) StickerImage(ctx context.Context, account livedesk.ID, id string) (*livedesk.StickerImage, error) {
	n, ok := uploadedStickerID(id)
	if !ok {
		return nil, livedesk.NotFound("sticker")
	}
	img := &livedesk.StickerImage{}
	err := s.rq.QueryRowContext(ctx, `SELECT content_type, data FROM stickers WHERE id = ? AND account_id = ?`, n, account).
		Scan(&img.ContentType, &img.Data)
	if err != nil {
		return nil, notFound(err, "sticker")
	}
	return img, nil
}

// withStickers fills the sticker (name and operator URL) of messages of kind sticker.
func withStickers(ctx context.Context, q querier, msgs []*livedesk.Message) error {
	var uploaded []any
	byID := map[string][]*livedesk.Message{}
	for _, m := range msgs {
		if m.StickerID == "" {
			continue
		}
		m.Sticker = &livedesk.Sticker{ID: m.StickerID, URL: livedesk.StickerURL(m.StickerID)}
		if st, ok := sticker.DefaultSticker(m.StickerID); ok {
			m.Sticker.Name = st.Name
			continue
		}
		if n, ok := uploadedStickerID(m.StickerID); ok {
			if byID[m.StickerID] == nil {
				uploaded = append(uploaded, n)
			}
			byID[m.StickerID] = append(byID[m.StickerID], m)
		}
	}
	if len(uploaded) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM stickers WHERE id IN (?`+strings.Repeat(",?", len(uploaded)-1)+`)`, uploaded...)
	if err != nil {
		return fmt.Errorf("read stickers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		for _, m := range byID[strconv.FormatInt(id, 10)] {
			m.Sticker.Name = name
		}
	}
	return rows.Err()
}

// StickerPackExists checks that the account has this pack (not deleted): not_found otherwise.
func (s *Store) StickerPackExists(ctx context.Context, account livedesk.ID, pack string) error {
	id, ok := uploadedStickerID(pack)
	if !ok {
		return livedesk.NotFound("sticker pack")
	}
	var one int
	err := s.rq.QueryRowContext(ctx, `SELECT 1 FROM sticker_packs WHERE id = ? AND account_id = ? AND deleted = 0`, id, account).Scan(&one)
	return notFound(err, "sticker pack")
}
