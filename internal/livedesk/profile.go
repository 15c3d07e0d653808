package livedesk

import (
	"context"
	"time"
)

// The visitor profile (issue 17, docs/visitor-profile.md): what the widget knows of a
// visitor (pages, first visit, browser, language, time zone, screen), what the site said
// with Livedesk.identify (custom attributes), and what operators note. The rules are the
// desk's (internal/desk/profile.go); these are the words.

// Events of the visitor profile.
const (
	// EventVisitorUpdated tells the operators who read a visitor's open conversation (its
	// assignee and staff) that the visitor's profile changed: a page, identify, an
	// operator's edit. Its payload is a VisitorPayload.
	EventVisitorUpdated = "visitor.updated"
	// EventVisitorDeleted tells every operator of the account that an admin deleted a
	// visitor with their conversations; payload VisitorDeletedPayload.
	EventVisitorDeleted = "visitor.deleted"
)

// Limits of what the widget and the site may tell about a visitor. A request past one is
// refused with invalid_input naming the field (nothing is cut silently).
const (
	// MaxVisitPages is the most pages of one visit kept (the widget sends the newest).
	MaxVisitPages = 50
	// MaxPageURL is the longest page address or referrer, in bytes.
	MaxPageURL = 2048
	// MaxPageTitle is the longest page title, in characters.
	MaxPageTitle = 300
	// MaxAttributes is the most custom attributes of a visitor.
	MaxAttributes = 50
	// MaxAttributeKey is the longest attribute name, in bytes (letters, digits, _ . -).
	MaxAttributeKey = 64
	// MaxAttributeValue is the longest attribute value, in characters.
	MaxAttributeValue = 500
	// MaxAttributesBytes bounds all the attributes of a visitor together (names and values).
	MaxAttributesBytes = 8 << 10
	// MaxVisitorNote is the longest operator's note on a visitor, in characters.
	MaxVisitorNote = 2000
	// MaxEarlierConversations is how many earlier conversations the panel lists.
	MaxEarlierConversations = 50
)

// PageView is one page the visitor saw: its address and title, and when.
type PageView struct {
	URL   string    `json:"url"`
	Title string    `json:"title"`
	At    time.Time `json:"at"`
}

// FirstVisit is where the visitor first came from, as the widget first saw them: the
// referring page, the landing page and its campaign tags (utm_source, …).
type FirstVisit struct {
	At       time.Time         `json:"at"`
	Referrer string            `json:"referrer"`
	Landing  string            `json:"landing"`
	UTM      map[string]string `json:"utm,omitempty"`
}

// Screen is the size of the visitor's screen in CSS pixels.
type Screen struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Software is a browser or an operating system with its version ("" unknown).
type Software struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// VisitorContext is what the widget and the request tell about where and how the visitor
// is now: the current page and the pages of this visit (oldest first), the first visit,
// the browser and OS (parsed from the User-Agent on the server), the language, time zone
// (IANA) and its offset from UTC in minutes, the screen, and the address (only when the
// account keeps addresses).
type VisitorContext struct {
	Page       *PageView   `json:"page"`
	Pages      []PageView  `json:"pages"`
	VisitID    string      `json:"visit_id"`
	FirstVisit *FirstVisit `json:"first_visit"`
	Browser    Software    `json:"browser"`
	OS         Software    `json:"os"`
	Device     string      `json:"device"`
	UserAgent  string      `json:"user_agent"`
	Language   string      `json:"language"`
	TimeZone   string      `json:"time_zone"`
	UTCOffset  *int        `json:"utc_offset_minutes"`
	Screen     *Screen     `json:"screen"`
	IP         string      `json:"ip,omitempty"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// Attribute is one custom attribute the site passed with Livedesk.identify.
type Attribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// VisitorDetails are the stored profile of a visitor beyond name, email and phone: the
// context (nil: the widget told nothing yet), the custom attributes in the order the site
// first gave them, the operators' note, and the visitor's verified email ("": none; the
// address of a mail is the email channel's, see VerifiedEmail).
type VisitorDetails struct {
	VisitorID     ID
	AccountID     ID
	Context       *VisitorContext
	Attributes    []Attribute
	Note          string
	NoteBy        ID
	NoteAt        time.Time
	VerifiedEmail string
}

// AttributeShown is a custom attribute as operators see it: its key, the label the admins
// gave it at the contact point (the key when none) and its value.
type AttributeShown struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// VisitorNote is the operators' internal note on a visitor.
type VisitorNote struct {
	Text      string     `json:"text"`
	UpdatedBy *Ref       `json:"updated_by"`
	UpdatedAt *time.Time `json:"updated_at"`
}

// Mailbox is the mailbox of an email visitor's conversations.
type Mailbox struct {
	ContactPointID ID     `json:"contact_point_id"`
	Name           string `json:"name"`
	Address        string `json:"address"`
}

// VisitorProfile is the profile panel of the operator app: the visitor, whether their email
// is verified, what the widget told (nil for an email visitor or before the widget said
// anything), the site's attributes (hidden ones left out, labels applied), the note, and
// for an email visitor the address and the mailbox.
type VisitorProfile struct {
	Visitor       *Visitor         `json:"visitor"`
	EmailVerified bool             `json:"email_verified"`
	Channel       Channel          `json:"channel"`
	ContactPoint  Ref              `json:"contact_point"`
	Context       *VisitorContext  `json:"context"`
	Attributes    []AttributeShown `json:"attributes"`
	Note          VisitorNote      `json:"note"`
	Mailbox       *Mailbox         `json:"mailbox"`
}

// EarlierConversation is a conversation of the same visitor (or of the same verified
// email at another contact point) as the profile panel lists it.
type EarlierConversation struct {
	ID           ID                `json:"id"`
	State        ConversationState `json:"state"`
	Channel      Channel           `json:"channel"`
	ContactPoint Ref               `json:"contact_point"`
	CreatedAt    time.Time         `json:"created_at"`
	ClosedAt     *time.Time        `json:"closed_at"`
	Category     *Ref              `json:"category"`
	Operator     *Ref              `json:"operator"`
	FirstLine    string            `json:"first_line"`
	// SameVisitor is false for a conversation found by the verified email only.
	SameVisitor bool `json:"same_visitor"`
	VisitorID   ID   `json:"visitor_id"`
}

// VisitorDeletion is what deleting a visitor removed: their conversations (and how many
// were open), messages and files, and the content hashes of the files, to delete from the
// file storage where nothing else uses them.
type VisitorDeletion struct {
	VisitorID     ID   `json:"visitor_id"`
	Conversations []ID `json:"conversation_ids"`
	Messages      int  `json:"messages"`
	Attachments   int  `json:"attachments"`
	Events        int  `json:"events"`
	// Open are the conversations that were not closed, with their assignees (0: queued).
	Open   map[ID]ID `json:"-"`
	Hashes []string  `json:"-"`
}

// ProfileReads are the store's reads of visitor profiles (part of Store).
type ProfileReads interface {
	// VisitorDetails reads the stored profile of a visitor of the account (an empty one,
	// VisitorID set, when nothing is stored yet).
	VisitorDetails(ctx context.Context, account, visitor ID) (*VisitorDetails, error)
	// EarlierConversations lists up to limit conversations of the account, newest first,
	// whose visitor is visitor, or — when email is not "" — whose visitor's verified email is
	// email (a visitor of an email contact point with that address, or one whose verified
	// email is it), except the conversation except.
	EarlierConversations(ctx context.Context, account, visitor ID, email string, except ID, limit int) ([]*EarlierConversation, error)
}

// ProfileWrites are the writes of visitor profiles (part of Tx).
type ProfileWrites interface {
	// VisitorDetails reads the stored profile of a visitor of the account inside the
	// transaction (an empty one when nothing is stored).
	VisitorDetails(account, visitor ID) (*VisitorDetails, error)
	// SaveVisitorDetails stores the profile (insert or replace).
	SaveVisitorDetails(d *VisitorDetails) error
	// ForgetVisitorAddresses removes the stored IP addresses of the account's visitors.
	ForgetVisitorAddresses(account ID) (int, error)
	// DeleteVisitor deletes a visitor of the account with everything of theirs: their
	// conversations with messages, files, transfers, outbox mail and ratings, their uploads
	// not sent, their profile, and the events that carried any of it (kept as empty
	// placeholders, so that event ids stay gap-free). It records the deletion (by, no
	// personal data) and reports what it removed.
	DeleteVisitor(account, visitor, by ID) (*VisitorDeletion, error)
}
