// Package livedesk holds the domain of livedesk: its words as Go types, the error type with
// codes, and the rules that are pure functions (status rights). It imports only the standard
// library so every other package can depend on it.
package livedesk

import (
	"strconv"
	"time"
)

// ID is the identifier of every stored object. It is an integer inside and an opaque
// decimal string in the API.
type ID int64

// String formats the id for the API.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// ParseID parses an id from the API; anything that is not a positive integer in its one
// canonical spelling (no sign, no leading zeros: the form String writes) is not found, so
// "01" or "+1" never alias the object "1".
func ParseID(s string) (ID, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || ID(n).String() != s {
		return 0, false
	}
	return ID(n), true
}

// Role is an operator's role.
type Role string

// Roles.
const (
	RoleOperator   Role = "operator"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleOperator || r == RoleSupervisor || r == RoleAdmin }

// Staff reports whether the role sees the whole account (supervisors and admins).
func (r Role) Staff() bool { return r == RoleSupervisor || r == RoleAdmin }

// Channel is the kind of contact point a conversation came through.
type Channel string

// Channels.
const (
	ChannelWebchat Channel = "webchat"
	ChannelEmail   Channel = "email"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelWebchat || c == ChannelEmail }

// ConversationState is where a conversation is in its life.
type ConversationState string

// Conversation states.
const (
	StateQueued   ConversationState = "queued"
	StateAssigned ConversationState = "assigned"
	StateClosed   ConversationState = "closed"
)

// AuthorType says who wrote a message.
type AuthorType string

// Author types.
const (
	AuthorVisitor  AuthorType = "visitor"
	AuthorOperator AuthorType = "operator"
	AuthorSystem   AuthorType = "system"
)

// MessageKind is the kind of a message in a history.
type MessageKind string

// Message kinds.
const (
	KindText    MessageKind = "text"
	KindSticker MessageKind = "sticker"
	KindSystem  MessageKind = "system"
	KindComment MessageKind = "comment"
)

// TransferState is the state of a transfer offer.
type TransferState string

// Transfer states.
const (
	TransferPending   TransferState = "pending"
	TransferAccepted  TransferState = "accepted"
	TransferDeclined  TransferState = "declined"
	TransferCancelled TransferState = "cancelled"
	TransferExpired   TransferState = "expired"
)

// MaxTextRunes is the longest message, comment or quick message text in characters.
const MaxTextRunes = 10000

// GuestName is the display name of a visitor who gave no name.
const GuestName = "Гость"

// Settings are an account's settings.
type Settings struct {
	DefaultLimit        int  `json:"default_limit"`
	TransferTimeoutSec  int  `json:"transfer_timeout_seconds"`
	OfflineRequeueSec   int  `json:"offline_requeue_seconds"`
	FileRetentionDays   int  `json:"file_retention_days"`
	AutocompleteDefault bool `json:"autocomplete_quick_messages"`
	// KeepVisitorIPs: visitors' IP addresses are stored in their profiles (off: never
	// stored; turning it off erases those kept).
	KeepVisitorIPs bool `json:"keep_visitor_ips"`
	// Ratings is how visitors rate a conversation after it ends: RatingStars (1–5, also when
	// unset), RatingThumbs or RatingOff (nobody is asked).
	Ratings string `json:"ratings"`
	// RatingEmail: closing an email conversation sends its visitor a mail with a rating link.
	RatingEmail bool `json:"rating_email"`
}

// RatingScale is the account's rating scale: stars when unset.
func (s Settings) RatingScale() string {
	if s.Ratings == "" {
		return RatingStars
	}
	return s.Ratings
}

// DefaultSettings are the settings of a new account.
func DefaultSettings() Settings {
	return Settings{DefaultLimit: 5, TransferTimeoutSec: 120, OfflineRequeueSec: 300, FileRetentionDays: 30, AutocompleteDefault: true,
		Ratings: RatingStars}
}

// Validate checks the settings' ranges.
func (s Settings) Validate() error {
	switch {
	case s.DefaultLimit < 1 || s.DefaultLimit > 1000:
		return Errorf(CodeInvalidInput, "default_limit must be between 1 and 1000")
	case s.TransferTimeoutSec < 5 || s.TransferTimeoutSec > 3600:
		return Errorf(CodeInvalidInput, "transfer_timeout_seconds must be between 5 and 3600")
	case s.OfflineRequeueSec < 0 || s.OfflineRequeueSec > 86400:
		return Errorf(CodeInvalidInput, "offline_requeue_seconds must be between 0 and 86400")
	case s.FileRetentionDays < 1 || s.FileRetentionDays > 3650:
		return Errorf(CodeInvalidInput, "file_retention_days must be between 1 and 3650")
	case s.Ratings != "" && s.Ratings != RatingStars && s.Ratings != RatingThumbs && s.Ratings != RatingOff:
		return Errorf(CodeInvalidInput, "ratings must be stars, thumbs or off")
	}
	return nil
}

// Clock tells the time; tests inject a fake one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
