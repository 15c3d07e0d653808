package livedesk

import (
	"context"
	"time"
)

// SearchReads are the data layer's reads for the conversation search (docs/search.md), part
// of Store.
type SearchReads interface {
	// SearchMessages looks at up to q.Scan of the account's newest messages (below q.Before)
	// whose text matches every term — a word in any of its forms, a phrase in order; text
	// and internal comments — and keeps those of conversations the filter lets through.
	SearchMessages(ctx context.Context, q MessageSearch) (*MessageHits, error)
	// SearchVisitors returns up to q.Limit conversations the filter lets through whose
	// visitor's name or email contains every word (case and ё/е folded), or whose phone's
	// digits contain q.Phone; newest last message first.
	SearchVisitors(ctx context.Context, q VisitorSearch) ([]VisitorHit, error)
	// ConversationsByID reads conversations of the account by id, in no order; ids of other
	// accounts or of none are left out.
	ConversationsByID(ctx context.Context, account ID, ids []ID) ([]*Conversation, error)
}

// SearchFilter narrows a search to the conversations a reader may find (zero values: any).
type SearchFilter struct {
	Account ID
	// Reader is the operator whose read rule applies (the rule of desk.mayRead: assigned to
	// them, offered to them, or closed and they took part); 0: every conversation of the
	// account (supervisors and admins).
	Reader ID
	// State: assigned ("open"), queued or closed.
	State        ConversationState
	Assignee     ID
	Category     ID
	Channel      Channel
	ContactPoint ID
	// From and To bound the time of the matching message (of the last message for a
	// conversation found by its visitor): From ≤ t < To.
	From, To time.Time
}

// SearchTerm is one condition on a message's text: a word, or a phrase of words in order
// (folded: lower case, ё as е; a phrase keeps its stop words, each store drops them the way
// it indexes).
type SearchTerm struct {
	Words  []string
	Phrase bool
}

// MessageSearch asks for the messages whose text matches every term, newest first.
type MessageSearch struct {
	SearchFilter
	Terms []SearchTerm
	// Before: only messages with a smaller id (0: from the newest).
	Before ID
	// Scan is how many of the newest matching messages of the account (by the text alone)
	// are looked at; the filters and the read rule then keep some of them.
	Scan int
}

// MessageHits is one step of a message search.
type MessageHits struct {
	// Messages are the kept matches, newest first (text, author, kind, time; no files).
	Messages []*Message
	// Next is the id to continue below (the oldest message looked at) when Scan matches were
	// looked at and more may follow; 0 when the search reached the oldest match.
	Next ID
}

// VisitorSearch asks for conversations whose visitor's name or email contains every word,
// or whose phone contains the digits.
type VisitorSearch struct {
	SearchFilter
	// Words are folded (lower case, ё as е), each at least 3 characters.
	Words []string
	// Phone is digits only ("" none).
	Phone string
	Limit int
}

// VisitorHit is a conversation found by its visitor.
type VisitorHit struct {
	Conversation *Conversation
	Visitor      *Visitor
}
