package livedesk

import "time"

// PersonalQuickCategory names the category of an operator's own quick messages; it is always
// first in the list (DESIGN §2.8).
const PersonalQuickCategory = "Мои быстрые сообщения"

// QuickCategory groups account-wide quick messages.
type QuickCategory struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// QuickMessage is a ready-made text an operator inserts into a reply. Account-wide ones
// have a category; personal ones belong to one operator and have none.
type QuickMessage struct {
	ID         ID     `json:"id"`
	CategoryID ID     `json:"category_id,omitempty"`
	Personal   bool   `json:"personal"`
	OperatorID ID     `json:"-"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Position   int    `json:"position"`
	// Hotkey is the requesting operator's hotkey for this message, if any.
	Hotkey    string    `json:"hotkey,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
