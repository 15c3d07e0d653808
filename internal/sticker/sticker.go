// Package sticker holds livedesk's own sticker pack (original SVG artwork, embedded in the
// binary) and the rules for packs admins upload: raster images only (PNG, WebP, GIF, checked
// by their first bytes), at most MaxImageBytes each and MaxPerPack per pack.
//
// Sticker ids are strings: the default pack's are "livedesk-<name>" (stable across
// releases: messages keep them), uploaded ones are the decimal id of their database row.
package sticker

import (
	"bytes"
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"livedesk/internal/livedesk"
)

// Limits of uploaded packs.
const (
	// MaxImageBytes is the largest sticker image an admin may upload.
	MaxImageBytes = 512 << 10
	// MaxPerPack is how many stickers one pack may hold.
	MaxPerPack = 64
	// MaxPacks is how many uploaded packs one account may have.
	MaxPacks = 50
	// MaxNameRunes is the longest pack or sticker name.
	MaxNameRunes = 64
)

// DefaultPackID is the id of the pack shipped with livedesk.
const DefaultPackID = "livedesk"

// DefaultPrefix starts the id of every sticker of the default pack.
const DefaultPrefix = "livedesk-"

// CSP is the Content-Security-Policy our own SVG stickers are served with: they draw, and
// nothing in them can run or load anything.
const CSP = "default-src 'none'; style-src 'unsafe-inline'"

//go:embed default/*.svg
var defaultFS embed.FS

// Image is one sticker's picture.
type Image struct {
	ContentType string
	Data        []byte
}

// defaultNames are the default pack's stickers in the order the picker shows them, with
// their names (the caption drawn on each).
var defaultNames = []struct{ file, name string }{
	{"privet", "Привет!"}, {"spasibo", "Спасибо!"}, {"ok", "Ок"}, {"klass", "Класс!"},
	{"ura", "Ура!"}, {"izvinite", "Извините"}, {"dumayu", "Думаю…"}, {"zhdu", "Жду"},
	{"serdtse", "Люблю"}, {"gotovo", "Готово"}, {"minutku", "Минутку"}, {"ogo", "Ого!"},
	{"grustno", "Грустно"}, {"haha", "Ха-ха!"}, {"vopros", "Вопрос?"}, {"super", "Супер!"},
	{"kruto", "Круто"}, {"splyu", "Отдыхаю"}, {"poka", "Пока!"},
}

// Default returns the pack shipped with livedesk, with operator URLs (see URL).
func Default() livedesk.StickerPack {
	p := livedesk.StickerPack{ID: DefaultPackID, Name: "Бублик", Builtin: true, Stickers: make([]livedesk.Sticker, 0, len(defaultNames))}
	for _, d := range defaultNames {
		id := DefaultPrefix + d.file
		p.Stickers = append(p.Stickers, livedesk.Sticker{ID: id, Name: d.name, URL: livedesk.StickerURL(id)})
	}
	return p
}

// DefaultSticker returns the default pack's sticker with this id.
func DefaultSticker(id string) (livedesk.Sticker, bool) {
	for _, d := range defaultNames {
		if id == DefaultPrefix+d.file {
			return livedesk.Sticker{ID: id, Name: d.name, URL: livedesk.StickerURL(id)}, true
		}
	}
	return livedesk.Sticker{}, false
}

// DefaultImage returns the picture of a default sticker (image/svg+xml).
func DefaultImage(id string) (Image, bool) {
	if _, ok := DefaultSticker(id); !ok {
		return Image{}, false
	}
	data, err := defaultFS.ReadFile(path.Join("default", strings.TrimPrefix(id, DefaultPrefix)+".svg"))
	if err != nil {
		return Image{}, false
	}
	return Image{ContentType: "image/svg+xml", Data: data}, true
}

// defaultFiles lists the embedded artwork (for the test that every file is in the pack).
func defaultFiles() []string {
	entries, _ := fs.ReadDir(defaultFS, "default")
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".svg"))
	}
	sort.Strings(out)
	return out
}

// IsDefault reports whether id names a sticker of the default pack (existing or not).
func IsDefault(id string) bool { return strings.HasPrefix(id, DefaultPrefix) }

// Sniff returns the content type of a sticker image from its first bytes: image/png,
// image/webp or image/gif; "" for anything else (SVG, HTML, JPEG … are refused: an uploaded
// sticker is always served as a raster image).
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return "image/webp"
	}
	return ""
}
