package livedesk

// Sticker is one picture of a sticker pack, and what a message of kind sticker carries.
// URL is where an operator loads the picture; visitors see VisitorStickerURL.
type Sticker struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// StickerPack is a named set of stickers: livedesk's own (Builtin) or one an admin uploaded.
type StickerPack struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Builtin  bool      `json:"builtin"`
	Stickers []Sticker `json:"stickers"`
}

// StickerURL is where operators load a sticker's picture.
func StickerURL(id string) string { return "/api/v1/stickers/" + id }

// VisitorStickerURL is where visitors (the widget, with its token) load a sticker's picture.
func VisitorStickerURL(id string) string { return "/api/v1/widget/stickers/" + id + "/image" }

// ForVisitor returns the pack with the widget's picture URLs.
func (p StickerPack) ForVisitor() StickerPack {
	out := p
	out.Stickers = make([]Sticker, len(p.Stickers))
	for i, s := range p.Stickers {
		s.URL = VisitorStickerURL(s.ID)
		out.Stickers[i] = s
	}
	return out
}
