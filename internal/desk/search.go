package desk

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"livedesk/internal/livedesk"
	"livedesk/internal/search"
)

// The conversation search (issue 17, docs/search.md): one query finds conversations by
// their id, their visitor's name, email or phone, and the text of their messages, within what
// the operator may read (mayRead: supervisors and admins the whole account), newest first.

// Search limits.
const (
	// SearchPageDefault and SearchPageMax bound the conversations found by text on a page.
	SearchPageDefault = 20
	SearchPageMax     = 50
	// searchVisitorMax is how many conversations found by their visitor a first page shows.
	searchVisitorMax = 10
	// searchFirstScan is how many of the newest matching messages the first step looks at;
	// each further step looks at four times more, up to searchStepMax, and a request at
	// searchScanMax in all: beyond that the page ends early and says where to go on.
	searchFirstScan = 200
	searchStepMax   = 5000
	searchScanMax   = 20000
)

// SearchRequest is an operator's search (GET /api/v1/search).
type SearchRequest struct {
	Q string
	// State is "", "open", "queued" or "closed".
	State string
	// Operator (the assignee), Category and ContactPoint are ids of the account (0: any).
	Operator, Category, ContactPoint livedesk.ID
	// Channel is "", "webchat" or "email".
	Channel string
	// From and To bound the time of the matching message: From ≤ t < To (zero: open).
	From, To time.Time
	// Before continues a search below a message id (the previous page's next_before).
	Before livedesk.ID
	Limit  int
}

// SearchMessage is the message a result was found by: where to open the history.
type SearchMessage struct {
	ID        livedesk.ID          `json:"id"`
	Author    livedesk.Author      `json:"author"`
	Kind      livedesk.MessageKind `json:"kind"`
	CreatedAt time.Time            `json:"created_at"`
}

// SnippetPart is a piece of a result's snippet; Hit marks what the query matched.
type SnippetPart struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// SearchResult is one conversation found.
type SearchResult struct {
	Conversation *livedesk.Conversation `json:"conversation"`
	// Match says how it was found: "id" (the query is its number), "visitor" (Field: name,
	// email or phone) or "message" (Message; Hits counts its messages on this page that
	// match).
	Match   string         `json:"match"`
	Field   string         `json:"field,omitempty"`
	Message *SearchMessage `json:"message,omitempty"`
	Hits    int            `json:"hits,omitempty"`
	// Snippet is the matching message's text around the match, or the visitor's field.
	Snippet []SnippetPart `json:"snippet"`
}

// SearchPage is a page of results.
type SearchPage struct {
	Results []*SearchResult `json:"results"`
	// NextBefore continues the search (the request's before) when more may match; nil: none.
	NextBefore *livedesk.ID `json:"next_before"`
}

func snippetParts(segs []search.Segment) []SnippetPart {
	out := make([]SnippetPart, len(segs))
	for i, s := range segs {
		out[i] = SnippetPart{Text: s.Text, Hit: s.Hit}
	}
	return out
}

// searchFilter checks a request's filters against the account and makes the store's filter.
func (d *Desk) searchFilter(ctx context.Context, op *livedesk.Operator, r SearchRequest) (livedesk.SearchFilter, error) {
	f := livedesk.SearchFilter{Account: op.AccountID, From: r.From, To: r.To, Assignee: r.Operator,
		Category: r.Category, ContactPoint: r.ContactPoint}
	if !op.Role.Staff() {
		f.Reader = op.ID
	}
	switch r.State {
	case "":
	case "open":
		f.State = livedesk.StateAssigned
	case "queued":
		f.State = livedesk.StateQueued
	case "closed":
		f.State = livedesk.StateClosed
	default:
		return f, livedesk.Errorf(livedesk.CodeInvalidInput, "state must be open, queued or closed")
	}
	switch livedesk.Channel(r.Channel) {
	case "", livedesk.ChannelWebchat, livedesk.ChannelEmail:
		f.Channel = livedesk.Channel(r.Channel)
	default:
		return f, livedesk.Errorf(livedesk.CodeInvalidInput, "channel must be webchat or email")
	}
	if !r.From.IsZero() && !r.To.IsZero() && !r.From.Before(r.To) {
		return f, livedesk.Errorf(livedesk.CodeInvalidInput, "to must be after from")
	}
	// Ids of another account (or none) are refused alike, so nothing about them leaks.
	if r.Operator != 0 {
		if _, err := d.store.Operator(ctx, op.AccountID, r.Operator); livedesk.IsCode(err, livedesk.CodeNotFound) {
			return f, livedesk.Errorf(livedesk.CodeInvalidInput, "operator is not an operator of the account")
		} else if err != nil {
			return f, err
		}
	}
	if r.ContactPoint != 0 {
		if _, err := d.store.ContactPoint(ctx, op.AccountID, r.ContactPoint); livedesk.IsCode(err, livedesk.CodeNotFound) {
			return f, livedesk.Errorf(livedesk.CodeInvalidInput, "contact_point is not a contact point of the account")
		} else if err != nil {
			return f, err
		}
	}
	if r.Category != 0 {
		cats, err := d.store.Categories(ctx, op.AccountID)
		if err != nil {
			return f, err
		}
		if !slices.ContainsFunc(cats, func(c livedesk.Category) bool { return c.ID == r.Category }) {
			return f, livedesk.Errorf(livedesk.CodeInvalidInput, "category is not a category of the account")
		}
	}
	return f, nil
}

// passes applies the filter to a conversation found by its id (the store applies it to
// the others); the time range is about its last message.
func passes(f livedesk.SearchFilter, c *livedesk.Conversation) bool {
	return (f.State == "" || c.State == f.State) && (f.Assignee == 0 || c.AssigneeID == f.Assignee) &&
		(f.Category == 0 || c.CategoryID == f.Category) && (f.Channel == "" || c.Channel == f.Channel) &&
		(f.ContactPoint == 0 || c.ContactPoint.ID == f.ContactPoint) &&
		(f.From.IsZero() || !c.LastMessageAt.Before(f.From)) && (f.To.IsZero() || c.LastMessageAt.Before(f.To))
}

// Search finds the conversations the operator may read that match the request: on the first
// page the conversation the query names by number and those whose visitor matches, then
// those with matching messages, newest match first, one result per conversation with its
// newest matching message.
func (d *Desk) Search(ctx context.Context, op *livedesk.Operator, r SearchRequest) (*SearchPage, error) {
	if !utf8.ValidString(r.Q) {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "q must be UTF-8 text")
	}
	if strings.TrimSpace(r.Q) == "" {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "q is required")
	}
	if utf8.RuneCountInString(r.Q) > search.MaxQueryRunes {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "q is longer than %d characters", search.MaxQueryRunes)
	}
	if r.Before < 0 {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "before must be a message id")
	}
	switch {
	case r.Limit == 0:
		r.Limit = SearchPageDefault
	case r.Limit < 0 || r.Limit > SearchPageMax:
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be 1 to %d", SearchPageMax)
	}
	f, err := d.searchFilter(ctx, op, r)
	if err != nil {
		return nil, err
	}
	page := &SearchPage{Results: []*SearchResult{}}
	q, ok := search.Parse(r.Q)
	if !ok {
		return page, nil // stop words and punctuation only
	}
	found := map[livedesk.ID]*SearchResult{}
	add := func(res *SearchResult) {
		found[res.Conversation.ID] = res
		page.Results = append(page.Results, res)
	}
	if r.Before == 0 {
		if q.ConversationID > 0 {
			c, err := d.ReadConversation(ctx, op, livedesk.ID(q.ConversationID))
			switch {
			case err == nil && passes(f, c):
				add(&SearchResult{Conversation: c, Match: "id", Snippet: []SnippetPart{}})
			case err != nil && !livedesk.IsCode(err, livedesk.CodeNotFound):
				return nil, err
			}
		}
		if len(q.VisitorWords) > 0 || q.PhoneDigits != "" {
			hits, err := d.store.SearchVisitors(ctx, livedesk.VisitorSearch{SearchFilter: f, Words: q.VisitorWords,
				Phone: q.PhoneDigits, Limit: searchVisitorMax})
			if err != nil {
				return nil, err
			}
			for _, h := range hits {
				if found[h.Conversation.ID] == nil {
					add(visitorResult(h, q))
				}
			}
		}
	}
	if !q.HasText() {
		return page, nil
	}
	ms := livedesk.MessageSearch{SearchFilter: f, Before: r.Before, Scan: searchFirstScan}
	for _, t := range q.Terms {
		ms.Terms = append(ms.Terms, livedesk.SearchTerm{Words: t.Words, Phrase: t.Phrase})
	}
	byText := 0
	for scanned := 0; ; {
		hits, err := d.store.SearchMessages(ctx, ms)
		if err != nil {
			return nil, err
		}
		// The conversations of the first new matches, as many as the page still takes.
		var want []livedesk.ID
		for _, m := range hits.Messages {
			if found[m.ConversationID] == nil && !slices.Contains(want, m.ConversationID) && byText+len(want) < r.Limit {
				want = append(want, m.ConversationID)
			}
		}
		convs := map[livedesk.ID]*livedesk.Conversation{}
		if len(want) > 0 {
			cs, err := d.store.ConversationsByID(ctx, op.AccountID, want)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				convs[c.ID] = c
			}
		}
		for _, m := range hits.Messages {
			if res := found[m.ConversationID]; res != nil {
				if res.Match == "message" {
					res.Hits++
				}
				continue
			}
			c := convs[m.ConversationID]
			if byText == r.Limit {
				// the page is full: the next one starts at this message
				next := m.ID + 1
				page.NextBefore = &next
				return page, nil
			}
			if c == nil {
				continue // gone since the match was read
			}
			add(&SearchResult{Conversation: c, Match: "message", Hits: 1, Snippet: snippetParts(search.Highlight(m.Text, q)),
				Message: &SearchMessage{ID: m.ID, Author: m.Author, Kind: m.Kind, CreatedAt: m.CreatedAt}})
			byText++
		}
		if hits.Next == 0 {
			return page, nil
		}
		scanned += ms.Scan
		if scanned >= searchScanMax {
			page.NextBefore = &hits.Next
			return page, nil
		}
		ms.Before = hits.Next
		ms.Scan = min(ms.Scan*4, searchStepMax)
	}
}

// visitorResult is a conversation found by its visitor, with the field that matched
// highlighted: the name, else the email, else the phone.
func visitorResult(h livedesk.VisitorHit, q search.Query) *SearchResult {
	res := &SearchResult{Conversation: h.Conversation, Match: "visitor"}
	hit := func(segs []search.Segment) bool {
		return slices.ContainsFunc(segs, func(s search.Segment) bool { return s.Hit })
	}
	v := h.Visitor
	if segs := search.HighlightSubstrings(v.Name, q.VisitorWords); v.Name != "" && hit(segs) {
		res.Field, res.Snippet = "name", snippetParts(segs)
	} else if segs := search.HighlightSubstrings(v.Email, q.VisitorWords); v.Email != "" && hit(segs) {
		res.Field, res.Snippet = "email", snippetParts(segs)
	} else if segs := search.HighlightDigits(v.Phone, q.PhoneDigits); v.Phone != "" && hit(segs) {
		res.Field, res.Snippet = "phone", snippetParts(segs)
	} else {
		// every word matched, but across the name and the email
		res.Field, res.Snippet = "name", snippetParts(search.HighlightSubstrings(v.Name+" · "+v.Email, q.VisitorWords))
	}
	return res
}

// ContactPointBrief is a contact point as every operator may see it (the search filters):
// no key, no settings.
type ContactPointBrief struct {
	ID      livedesk.ID      `json:"id"`
	Name    string           `json:"name"`
	Channel livedesk.Channel `json:"channel"`
}

// ContactPointBriefs lists the account's contact points by id.
func (d *Desk) ContactPointBriefs(ctx context.Context, account livedesk.ID) ([]ContactPointBrief, error) {
	cps, err := d.store.ContactPoints(ctx, account)
	if err != nil {
		return nil, err
	}
	out := make([]ContactPointBrief, 0, len(cps))
	for _, c := range cps {
		out = append(out, ContactPointBrief{ID: c.ID, Name: c.Name, Channel: c.Channel})
	}
	slices.SortFunc(out, func(a, b ContactPointBrief) int { return int(a.ID - b.ID) })
	return out, nil
}
