package livedesk

import (
	"encoding/json"
	"strconv"
	"time"
)

// MarshalJSON writes the id as a string, or null for the zero id.
func (id ID) MarshalJSON() ([]byte, error) {
	if id == 0 {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 22) // one allocation: ids are in every event's JSON
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(id), 10)
	return append(b, '"'), nil
}

// UnmarshalJSON reads an id from a JSON string. Null reads as the zero id; a string that is
// not a valid id reads as -1, which matches nothing and so answers not_found.
func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = 0
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Errorf(CodeInvalidInput, "ids are strings")
	}
	v, ok := ParseID(s)
	if !ok {
		*id = -1
		return nil
	}
	*id = v
	return nil
}

// Account is one customer company (tenant).
type Account struct {
	ID        ID        `json:"id"`
	Name      string    `json:"name"`
	Settings  Settings  `json:"settings"`
	CreatedAt time.Time `json:"created_at"`
}

// OperatorSettings are the settings an operator changes for themselves.
type OperatorSettings struct {
	AutocompleteQuickMessages *bool `json:"autocomplete_quick_messages,omitempty"`
	// Spellcheck turns the composer's spell check on or off (on when unset).
	Spellcheck *bool  `json:"spellcheck,omitempty"`
	Language   string `json:"language,omitempty"`
}

// Operator is a person who answers visitors.
type Operator struct {
	ID             ID               `json:"id"`
	AccountID      ID               `json:"account_id"`
	Name           string           `json:"name"`
	Email          string           `json:"email"`
	Role           Role             `json:"role"`
	Status         Status           `json:"status"`
	StatusAt       time.Time        `json:"status_at"`
	Limit          int              `json:"limit"`
	OpenCount      int              `json:"open_count"`
	LastAssignedAt time.Time        `json:"-"`
	Settings       OperatorSettings `json:"settings"`
	// Deactivated operators cannot log in; an admin can reactivate them.
	Deactivated  bool   `json:"deactivated"`
	PasswordHash string `json:"-"`
}

// OperatorBrief is an operator as listed to colleagues (the transfer dialog).
type OperatorBrief struct {
	ID     ID     `json:"id"`
	Name   string `json:"name"`
	Role   Role   `json:"role"`
	Status Status `json:"status"`
	// StatusAt is when the status last changed.
	StatusAt  time.Time `json:"status_at"`
	OpenCount int       `json:"open_count"`
	Limit     int       `json:"limit"`
}

// Brief returns the colleague view of o.
func (o *Operator) Brief() OperatorBrief {
	return OperatorBrief{ID: o.ID, Name: o.Name, Role: o.Role, Status: o.Status, StatusAt: o.StatusAt, OpenCount: o.OpenCount, Limit: o.Limit}
}

// ContactPoint is one entry of a channel: a website widget or a mailbox.
type ContactPoint struct {
	ID        ID              `json:"id"`
	AccountID ID              `json:"-"`
	Name      string          `json:"name"`
	Channel   Channel         `json:"channel"`
	Key       string          `json:"key"`
	Settings  json.RawMessage `json:"settings"`
	CreatedAt time.Time       `json:"created_at"`
}

// Visitor is a person writing in at one contact point.
type Visitor struct {
	ID             ID     `json:"id"`
	AccountID      ID     `json:"-"`
	ContactPointID ID     `json:"contact_point_id"`
	Name           string `json:"name"`
	DisplayName    string `json:"display_name"`
	Email          string `json:"email,omitempty"`
	Phone          string `json:"phone,omitempty"`
	// SeenAt is the visitor's last sign of life in the widget: a socket held (zero: never).
	SeenAt time.Time `json:"-"`
}

// DisplayName is the visitor's name, or «Гость #4821» when none was given: guests are told
// apart in the list by a short number that stays with the visitor (GuestNumber).
func DisplayName(name string, visitor ID) string {
	if name == "" {
		return GuestName + " #" + strconv.Itoa(GuestNumber(visitor))
	}
	return name
}

// GuestNumber is a visitor's short stable number, 1000–9999: their id scrambled (a
// multiplicative hash), so numbers do not reveal how many visitors came before. The apps
// compute the same (web/shared/guest.ts).
func GuestNumber(visitor ID) int {
	return int(uint32(visitor)*2654435761%9000) + 1000
}

// Category is a conversation category, chosen when a conversation is closed.
type Category struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// Ref is a named reference (a contact point in a list item).
type Ref struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// VisitorRef is the visitor in a list item.
type VisitorRef struct {
	ID          ID     `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
}

// LastMessage is the preview of a list item.
type LastMessage struct {
	Text   string     `json:"text"`
	Author AuthorType `json:"author"`
	// AuthorID and AuthorName say which operator wrote it (0 and "" for a visitor or before
	// they were kept).
	AuthorID   ID        `json:"author_id,omitempty"`
	AuthorName string    `json:"author_name,omitempty"`
	At         time.Time `json:"at"`
}

// Conversation is all messages of one visitor at one contact point until it is closed, as
// shown in the conversation list.
type Conversation struct {
	ID              ID                `json:"id"`
	AccountID       ID                `json:"-"`
	State           ConversationState `json:"state"`
	Channel         Channel           `json:"channel"`
	ContactPoint    Ref               `json:"contact_point"`
	Visitor         VisitorRef        `json:"visitor"`
	LastMessage     *LastMessage      `json:"last_message"`
	LastMessageAt   time.Time         `json:"last_message_at"`
	VisitorClosed   bool              `json:"visitor_closed"`
	AssigneeID      ID                `json:"assignee_id"`
	UnreadCount     int               `json:"unread_count"`
	PendingTransfer *Transfer         `json:"pending_transfer,omitempty"`
	CategoryID      ID                `json:"category_id,omitempty"`
	QueuedAt        time.Time         `json:"queued_at"`
	AssignedAt      *time.Time        `json:"assigned_at,omitempty"`
	ClosedAt        *time.Time        `json:"closed_at,omitempty"`
	CreatedAt       time.Time         `json:"created_at"`
	// Subject is the subject of an email conversation's first mail.
	Subject string `json:"subject,omitempty"`
	// Rating is the visitor's rating of the conversation (rating.go), in the operators'
	// lists and the conversation read; nil when not rated.
	Rating *Rating `json:"rating,omitempty"`
}

// Author is who wrote a message.
type Author struct {
	Type AuthorType `json:"type"`
	ID   ID         `json:"id"`
	Name string     `json:"name"`
}

// Quote is the quoted message shown above a reply.
type Quote struct {
	ID     ID     `json:"id"`
	Author Author `json:"author"`
	Text   string `json:"text"`
}

// Attachment is a file of a message.
type Attachment struct {
	ID          ID     `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	URL         string `json:"url"`
	Expired     bool   `json:"expired"`
	// Width and Height of a picture (0: unknown); Preview says whether the apps may show
	// it inline (a picture within attachment.MaxPreviewPixels).
	Width   int  `json:"width"`
	Height  int  `json:"height"`
	Preview bool `json:"preview"`
}

// EmailDelivery is the state of a reply sent by mail: pending (in the outbox; Error says why
// the last attempt failed, if one did), sent (the relay took it) or failed (for good).
type EmailDelivery struct {
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// Message is one line of a conversation's history.
type Message struct {
	ID             ID           `json:"id"`
	ConversationID ID           `json:"conversation_id"`
	ClientID       string       `json:"client_id,omitempty"`
	Author         Author       `json:"author"`
	Kind           MessageKind  `json:"kind"`
	Text           string       `json:"text"`
	ReplyTo        ID           `json:"reply_to,omitempty"`
	Quote          *Quote       `json:"quote,omitempty"`
	Attachments    []Attachment `json:"attachments"`
	StickerID      string       `json:"sticker_id,omitempty"`
	// Sticker is the sticker of a message of kind sticker.
	Sticker   *Sticker  `json:"sticker,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// EmailMessageID is the Message-ID the message came or went out with (email channel);
	// EmailSubject the subject of the mail it came with.
	EmailMessageID string `json:"-"`
	EmailSubject   string `json:"-"`
	// EmailDelivery is how a reply in an email conversation is getting on (operators only).
	EmailDelivery *EmailDelivery `json:"email_delivery,omitempty"`
	// FullText is the whole text of a mail that quoted earlier mail of the thread, Text being
	// only its new text ("" when nothing was split off). Operators only: the visitor wrote it.
	FullText string `json:"full_text,omitempty"`
}

// Transfer is an offer to hand a conversation to another operator.
type Transfer struct {
	ID             ID            `json:"id"`
	ConversationID ID            `json:"conversation_id"`
	FromOperatorID ID            `json:"from_operator_id"`
	ToOperatorID   ID            `json:"to_operator_id"`
	Comment        string        `json:"comment"`
	State          TransferState `json:"state"`
	CreatedAt      time.Time     `json:"created_at"`
	ExpiresAt      time.Time     `json:"expires_at"`
	ResolvedAt     *time.Time    `json:"resolved_at,omitempty"`
}
