package httpapi

import (
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"time"
)

// The shapes of the answers the handlers write that are not a domain object themselves.

// list is the answer of a list endpoint: {"items": [...]}, never null.
type list[T any] struct {
	Items []T `json:"items"`
}

// itemsOf wraps a list answer (a nil slice is written as []).
func itemsOf[T any](v []T) list[T] {
	if v == nil {
		v = []T{}
	}
	return list[T]{Items: v}
}

// page is one page of a longer list with the cursor of the next (null on the last page).
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageOf wraps a page of at most limit items: a full page has a next one, whose cursor is
// cursor(last item).
func pageOf[T any](v []T, limit int, cursor func(T) string) page[T] {
	p := page[T]{Items: v}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(v) == limit && limit > 0 {
		next := cursor(v[len(v)-1])
		p.NextCursor = &next
	}
	return p
}

// publicPoint is what every visitor may know of a contact point: its name and appearance.
type publicPoint struct {
	ID       livedesk.ID           `json:"id"`
	Name     string                `json:"name"`
	Settings desk.WidgetAppearance `json:"settings"`
}

func publicPointOf(cp *livedesk.ContactPoint) publicPoint {
	return publicPoint{ID: cp.ID, Name: cp.Name, Settings: desk.ParseWidgetSettings(cp).Appearance()}
}

// widgetConfigAnswer is GET /widget/{key}/config.
type widgetConfigAnswer struct {
	ContactPoint publicPoint `json:"contact_point"`
	Online       bool        `json:"online"`
}

// widgetSessionAnswer is POST /widget/{key}/session: the visitor's credentials, who they are,
// and their open conversation if they have one.
type widgetSessionAnswer struct {
	VisitorToken   string                    `json:"visitor_token"`
	TokenExpiresAt time.Time                 `json:"token_expires_at"`
	VisitorKey     string                    `json:"visitor_key"`
	Visitor        *livedesk.Visitor         `json:"visitor"`
	ContactPoint   publicPoint               `json:"contact_point"`
	Online         bool                      `json:"online"`
	Conversation   *desk.VisitorConversation `json:"conversation,omitempty"`
	// RatingRequest asks to rate the visitor's latest conversation when it is over (or to
	// change the rating while it may change).
	RatingRequest *livedesk.RatingRequest `json:"rating_request,omitempty"`
}

// loginAnswer is POST /auth/login.
type loginAnswer struct {
	Token    string             `json:"token"`
	Operator *livedesk.Operator `json:"operator"`
}

// pendingTransfersAnswer is GET /transfers: offers to the operator and offers they made.
type pendingTransfersAnswer struct {
	Incoming []desk.PendingTransfer `json:"incoming"`
	Outgoing []desk.PendingTransfer `json:"outgoing"`
}

// stickerLimits are the bounds of uploaded sticker packs, shown in the cabinet.
type stickerLimits struct {
	MaxPacks           int `json:"max_packs"`
	MaxStickersPerPack int `json:"max_stickers_per_pack"`
	MaxImageBytes      int `json:"max_image_bytes"`
}

// stickerPacksAnswer is the cabinet's list of uploaded packs with the limits.
type stickerPacksAnswer struct {
	Items  []livedesk.StickerPack `json:"items"`
	Limits stickerLimits          `json:"limits"`
}

// quickListAnswer is the cabinet's list of shared quick messages with their categories.
type quickListAnswer struct {
	Categories []desk.QuickCategoryView `json:"categories"`
	Items      []*livedesk.QuickMessage `json:"items"`
}

// health is GET /healthz and /readyz.
type health struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
}
