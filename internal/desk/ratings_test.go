package desk

import (
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

// TestRatable is the rating rules as a table: who may rate which conversation when.
func TestRatable(t *testing.T) {
	const visitor, other = livedesk.ID(5), livedesk.ID(6)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	closed := func(ago time.Duration) *livedesk.Conversation {
		return &livedesk.Conversation{ID: 1, State: livedesk.StateClosed, Visitor: livedesk.VisitorRef{ID: visitor}, ClosedAt: at(-ago)}
	}
	stars := livedesk.Settings{}
	off := livedesk.Settings{Ratings: livedesk.RatingOff}
	rated := func(ago time.Duration) *livedesk.Rating {
		return &livedesk.Rating{Scale: livedesk.RatingStars, Score: 5, CreatedAt: now.Add(-ago)}
	}
	for _, c := range []struct {
		name     string
		settings livedesk.Settings
		t        livedesk.RatingTarget
		who      livedesk.ID
		code     livedesk.Code
		reason   string
	}{
		{"closed and answered", stars, livedesk.RatingTarget{Conversation: closed(time.Hour), Replied: true}, visitor, "", ""},
		{"another visitor", stars, livedesk.RatingTarget{Conversation: closed(time.Hour), Replied: true}, other, livedesk.CodeNotFound, ""},
		{"ratings off", off, livedesk.RatingTarget{Conversation: closed(time.Hour), Replied: true}, visitor, livedesk.CodeForbidden, "ratings_off"},
		{"still open", stars, livedesk.RatingTarget{Conversation: &livedesk.Conversation{State: livedesk.StateAssigned,
			Visitor: livedesk.VisitorRef{ID: visitor}}, Replied: true}, visitor, livedesk.CodeConflict, "not_closed"},
		{"ended by the visitor", stars, livedesk.RatingTarget{Conversation: &livedesk.Conversation{State: livedesk.StateAssigned,
			VisitorClosed: true, Visitor: livedesk.VisitorRef{ID: visitor}}, Replied: true}, visitor, "", ""},
		{"not answered", stars, livedesk.RatingTarget{Conversation: closed(time.Hour)}, visitor, livedesk.CodeConflict, "not_answered"},
		{"on the last minute of the window", stars, livedesk.RatingTarget{Conversation: closed(livedesk.RatingWindow - time.Minute), Replied: true}, visitor, "", ""},
		{"past the window", stars, livedesk.RatingTarget{Conversation: closed(livedesk.RatingWindow + time.Minute), Replied: true}, visitor, livedesk.CodeGone, "window_passed"},
		{"changed within 10 minutes", stars, livedesk.RatingTarget{Conversation: closed(time.Hour), Replied: true, Rating: rated(9 * time.Minute)}, visitor, "", ""},
		{"rated more than 10 minutes ago", stars, livedesk.RatingTarget{Conversation: closed(time.Hour), Replied: true, Rating: rated(11 * time.Minute)}, visitor, livedesk.CodeConflict, "already_rated"},
	} {
		err := ratable(c.settings, &c.t, c.who, now)
		if livedesk.ErrorCode(err) != c.code && !(c.code == "" && err == nil) || livedesk.ErrorDetails(err)["reason"] != c.reason {
			t.Errorf("%s: %v (details %v), want %q %q", c.name, err, livedesk.ErrorDetails(err), c.code, c.reason)
		}
		// The request is for the conversation's own visitor.
		if req := ratingRequest(c.settings, &c.t, now); c.who == visitor && (req != nil) != (c.code == "") {
			t.Errorf("%s: rating request %+v", c.name, req)
		}
	}
}

// TestRatingInputCheck: the input's own rules, before any conversation is read.
func TestRatingInputCheck(t *testing.T) {
	n := func(v int) *int { return &v }
	long := make([]rune, livedesk.MaxRatingComment+1)
	for i := range long {
		long[i] = 'ё'
	}
	for _, c := range []struct {
		in    RatingInput
		field string
	}{
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(5)}, ""},
		{RatingInput{ConversationID: 1, Scale: "thumbs", Score: n(0)}, ""},
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(5), Comment: string(long[:livedesk.MaxRatingComment])}, ""},
		{RatingInput{ConversationID: 1, Scale: "stars"}, "score"},
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(0)}, "score"},
		{RatingInput{ConversationID: 1, Scale: "thumbs", Score: n(5)}, "score"},
		{RatingInput{ConversationID: 1, Scale: "", Score: n(5)}, "scale"},
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(5), Comment: string(long)}, "comment"},
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(5), Comment: "a\x00b"}, "comment"},
		{RatingInput{ConversationID: 1, Scale: "stars", Score: n(5), Comment: "\xff"}, "comment"},
		{RatingInput{Scale: "stars", Score: n(5)}, "conversation_id"},
	} {
		err := c.in.check()
		if got := livedesk.ErrorDetails(err)["field"]; got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%+v: %v, want field %q", c.in, err, c.field)
		}
	}
}
