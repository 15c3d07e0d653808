package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/sticker"
)

// stickerPacks lists the packs an operator can send from: livedesk's own, then the
// account's uploaded ones.
func (s *Server) stickerPacks(w http.ResponseWriter, r *http.Request, c *call) error {
	packs, err := s.desk.StickerPacks(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(packs))
}

// widgetStickerPacks lists the same packs for the visitor, with the widget's picture URLs.
func (s *Server) widgetStickerPacks(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	packs, err := s.desk.StickerPacks(r.Context(), c.visitor.AccountID)
	if err != nil {
		return err
	}
	for i := range packs {
		packs[i] = packs[i].ForVisitor()
	}
	return writeJSON(w, 200, itemsOf(packs))
}

// stickerImage serves a sticker's picture to an operator of the account.
func (s *Server) stickerImage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.serveSticker(w, r, c.op.AccountID)
}

// widgetStickerImage serves a sticker's picture to a visitor of the account.
func (s *Server) widgetStickerImage(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	return s.serveSticker(w, r, c.visitor.AccountID)
}

// serveSticker writes a sticker picture with long cache headers. livedesk's own SVGs are
// served as images under a policy that lets them draw and nothing else; uploaded stickers
// are always raster (checked when they were uploaded) and served as their type.
func (s *Server) serveSticker(w http.ResponseWriter, r *http.Request, account livedesk.ID) error {
	id := r.PathValue("id")
	img, err := s.desk.StickerImage(r.Context(), account, id)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(img.Data)
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	if sticker.IsDefault(id) {
		h.Set("Content-Type", "image/svg+xml")
		h.Set("Content-Security-Policy", sticker.CSP)
		// Our own artwork may be redrawn in a release; a week, then revalidated by ETag.
		h.Set("Cache-Control", "private, max-age=604800")
	} else {
		h.Set("Content-Type", sticker.Sniff(img.Data))
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		// An uploaded sticker's picture never changes under its id.
		h.Set("Cache-Control", "private, max-age=31536000, immutable")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(img.Data))
	return nil
}

// adminStickerPacks lists the packs the account's admins uploaded, with the limits.
func (s *Server) adminStickerPacks(w http.ResponseWriter, r *http.Request, c *call) error {
	packs, err := s.desk.UploadedStickerPacks(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	if packs == nil {
		packs = []livedesk.StickerPack{}
	}
	return writeJSON(w, 200, stickerPacksAnswer{Items: packs, Limits: stickerLimits{
		MaxPacks: sticker.MaxPacks, MaxStickersPerPack: sticker.MaxPerPack, MaxImageBytes: sticker.MaxImageBytes}})
}

// adminCreateStickerPack creates an empty pack.
func (s *Server) adminCreateStickerPack(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.desk.CreateStickerPack(r.Context(), c.op.AccountID, in.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

// adminDeleteStickerPack takes a pack out of the pickers.
func (s *Server) adminDeleteStickerPack(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.DeleteStickerPack(r.Context(), c.op.AccountID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// maxStickerBody bounds a sticker upload request: a full pack of the largest images plus
// room for the multipart framing.
const maxStickerBody = sticker.MaxPerPack*(sticker.MaxImageBytes+4096) + 65536

// adminAddStickers adds pictures to a pack: multipart/form-data, one file part per sticker
// (its file name, without the extension, is the sticker's name).
func (s *Server) adminAddStickers(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.desk.StickerPackExists(r.Context(), c.op.AccountID, r.PathValue("id")); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxStickerBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be multipart/form-data with image parts")
	}
	var items []desk.StickerUpload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return livedesk.Errorf(livedesk.CodeTooLarge, "the request is larger than a full sticker pack")
			}
			return livedesk.Errorf(livedesk.CodeInvalidInput, "the multipart body is malformed")
		}
		if part.FileName() == "" {
			part.Close()
			continue
		}
		if len(items) >= sticker.MaxPerPack {
			part.Close()
			return livedesk.Errorf(livedesk.CodeLimitReached, "a sticker pack holds at most %d stickers", sticker.MaxPerPack)
		}
		data, err := io.ReadAll(io.LimitReader(part, sticker.MaxImageBytes+1))
		part.Close()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return livedesk.Errorf(livedesk.CodeTooLarge, "the request is larger than a full sticker pack")
			}
			return livedesk.Errorf(livedesk.CodeInvalidInput, "could not read the upload")
		}
		if len(data) > sticker.MaxImageBytes {
			return livedesk.Errorf(livedesk.CodeTooLarge, "a sticker image is at most %d KiB", sticker.MaxImageBytes>>10)
		}
		items = append(items, desk.StickerUpload{Name: part.FileName(), Data: data})
	}
	added, err := s.desk.AddStickers(r.Context(), c.op.AccountID, r.PathValue("id"), items)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, itemsOf(added))
}
