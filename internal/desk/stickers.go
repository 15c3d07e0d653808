package desk

import (
	"context"
	"strings"
	"unicode/utf8"

	"livedesk/internal/livedesk"
	"livedesk/internal/sticker"
)

// StickerPacks lists what the account's operators and visitors can send: livedesk's own
// pack first, then the packs its admins uploaded. URLs are the operators'; see
// livedesk.StickerPack.ForVisitor.
func (d *Desk) StickerPacks(ctx context.Context, account livedesk.ID) ([]livedesk.StickerPack, error) {
	uploaded, err := d.store.StickerPacks(ctx, account)
	if err != nil {
		return nil, err
	}
	return append([]livedesk.StickerPack{sticker.Default()}, uploaded...), nil
}

// UploadedStickerPacks lists only the packs the account's admins uploaded.
func (d *Desk) UploadedStickerPacks(ctx context.Context, account livedesk.ID) ([]livedesk.StickerPack, error) {
	return d.store.StickerPacks(ctx, account)
}

// checkStickerName trims a pack or sticker name and checks its length.
func checkStickerName(name, what string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is not valid text", what)
	}
	if name == "" {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is empty", what)
	}
	if utf8.RuneCountInString(name) > sticker.MaxNameRunes {
		return "", livedesk.Errorf(livedesk.CodeInvalidInput, "%s is longer than %d characters", what, sticker.MaxNameRunes)
	}
	return name, nil
}

// CreateStickerPack creates an empty pack in the account (admins).
func (d *Desk) CreateStickerPack(ctx context.Context, account livedesk.ID, name string) (*livedesk.StickerPack, error) {
	name, err := checkStickerName(name, "name")
	if err != nil {
		return nil, err
	}
	var out *livedesk.StickerPack
	err = d.store.Write(ctx, func(tx livedesk.Tx) error {
		out, err = tx.CreateStickerPack(account, name)
		return err
	})
	return out, err
}

// StickerUpload is one picture an admin adds to a pack.
type StickerUpload struct {
	Name string
	Data []byte
}

// AddStickers adds pictures to a pack of the account (admins): each a PNG, WebP or GIF by
// its first bytes, at most sticker.MaxImageBytes; at most sticker.MaxPerPack in a pack.
func (d *Desk) AddStickers(ctx context.Context, account livedesk.ID, pack string, items []StickerUpload) ([]livedesk.Sticker, error) {
	if len(items) == 0 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "no sticker images in the request")
	}
	if len(items) > sticker.MaxPerPack {
		return nil, livedesk.Errorf(livedesk.CodeLimitReached, "a sticker pack holds at most %d stickers", sticker.MaxPerPack)
	}
	news := make([]livedesk.NewSticker, 0, len(items))
	for _, it := range items {
		if len(it.Data) > sticker.MaxImageBytes {
			return nil, livedesk.Errorf(livedesk.CodeTooLarge, "a sticker image is at most %d KiB", sticker.MaxImageBytes>>10)
		}
		ct := sticker.Sniff(it.Data)
		if ct == "" {
			return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "a sticker must be a PNG, WebP or GIF image")
		}
		name := it.Name
		if i := strings.LastIndexByte(name, '.'); i > 0 {
			name = name[:i]
		}
		name, err := checkStickerName(name, "sticker name")
		if err != nil {
			name = "sticker"
		}
		news = append(news, livedesk.NewSticker{Name: name, ContentType: ct, Data: it.Data})
	}
	var out []livedesk.Sticker
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		var err error
		out, err = tx.AddStickers(account, pack, news)
		return err
	})
	return out, err
}

// DeleteStickerPack takes a pack of the account out of the pickers (admins). Stickers
// already sent keep showing in the history.
func (d *Desk) DeleteStickerPack(ctx context.Context, account livedesk.ID, pack string) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.DeleteStickerPack(account, pack) })
}

// StickerImage returns the picture of a sticker the account can see: livedesk's own (SVG)
// or one of its uploaded packs (raster).
func (d *Desk) StickerImage(ctx context.Context, account livedesk.ID, id string) (sticker.Image, error) {
	if img, ok := sticker.DefaultImage(id); ok {
		return img, nil
	}
	img, err := d.store.StickerImage(ctx, account, id)
	if err != nil {
		return sticker.Image{}, err
	}
	return sticker.Image{ContentType: img.ContentType, Data: img.Data}, nil
}

// checkStickerInput validates the sticker part of a message before any database work.
func checkStickerInput(in *MessageInput) error {
	if in.StickerID == "" {
		return nil
	}
	if len(in.AttachmentIDs) > 0 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "a sticker is sent without files")
	}
	if len(in.StickerID) > 64 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "sticker_id is not a sticker")
	}
	return nil
}

// applySticker makes m a message of kind sticker when the input names one the account may
// send. Another account's sticker is refused exactly like one that exists nowhere.
func applySticker(tx livedesk.Tx, account livedesk.ID, m *livedesk.Message, id string) error {
	if id == "" {
		return nil
	}
	st, err := tx.SendableSticker(account, id)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "sticker_id: there is no such sticker")
	}
	if err != nil {
		return err
	}
	m.Kind, m.StickerID, m.Sticker = livedesk.KindSticker, st.ID, st
	return nil
}

// listPreview is the conversation list preview of a message: for a sticker without text
// «Стикер «name»», else as messagePreview.
func listPreview(m *livedesk.Message) string {
	if m.Kind == livedesk.KindSticker && m.Sticker != nil && strings.TrimSpace(m.Text) == "" {
		return preview("Стикер «" + m.Sticker.Name + "»")
	}
	return messagePreview(m)
}

// StickerPackExists checks that the account has this uploaded pack (not_found otherwise),
// before an upload into it is read.
func (d *Desk) StickerPackExists(ctx context.Context, account livedesk.ID, pack string) error {
	return d.store.StickerPackExists(ctx, account, pack)
}
