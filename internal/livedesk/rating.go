package livedesk

import (
	"context"
	"time"
)

// Ratings (CSAT): after a conversation ends, its visitor may say how it went — 1 to 5 stars
// or thumbs up/down, as the account chose — with an optional comment (docs/decisions.md
// § Ratings). The rules are the desk's (internal/desk/ratings.go); these are the words.

// Rating scales: the account setting Settings.Ratings.
const (
	RatingStars  = "stars"
	RatingThumbs = "thumbs"
	RatingOff    = "off"
)

// Where a rating was given.
const (
	RatingFromWidget = "widget"
	RatingFromEmail  = "email"
)

// RatingWindow is how long after a conversation is closed its visitor may rate it.
const RatingWindow = 7 * 24 * time.Hour

// RatingChangeWindow is how long after the first rating the visitor may change it (a
// mis-click mended); after it the rating is final.
const RatingChangeWindow = 10 * time.Minute

// MaxRatingComment is the longest comment of a rating, in characters.
const MaxRatingComment = 1000

// Rating is a visitor's rating of one conversation. Score is 1–5 on the stars scale, 0
// (thumbs down) or 1 (thumbs up) on the thumbs scale.
type Rating struct {
	ConversationID ID        `json:"conversation_id"`
	Scale          string    `json:"scale"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment"`
	Source         string    `json:"source"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	AccountID      ID        `json:"-"`
	VisitorID      ID        `json:"-"`
}

// Satisfied reports whether the rating counts as a satisfied visitor in CSAT: 4 or 5 stars,
// or thumbs up.
func (r *Rating) Satisfied() bool {
	if r.Scale == RatingThumbs {
		return r.Score == 1
	}
	return r.Score >= 4
}

// ValidScore reports whether score is a score of the scale.
func ValidScore(scale string, score int) bool {
	switch scale {
	case RatingStars:
		return score >= 1 && score <= 5
	case RatingThumbs:
		return score == 0 || score == 1
	}
	return false
}

// RatingRequest is what a visitor's widget needs to ask for a rating (or to let them change
// the one they gave): the conversation, the scale, until when it may be rated, and the rating
// given so far with until when it may still change.
type RatingRequest struct {
	ConversationID ID         `json:"conversation_id"`
	Scale          string     `json:"scale"`
	RateUntil      time.Time  `json:"rate_until"`
	Rating         *Rating    `json:"rating"`
	ChangeUntil    *time.Time `json:"change_until"`
}

// RatingTarget is a conversation as the rating rules see it: the conversation, whether an
// operator answered it, and its rating so far (nil: none).
type RatingTarget struct {
	Conversation *Conversation
	Replied      bool
	Rating       *Rating
}

// CSATTally adds up ratings. Percent is the share of satisfied ratings (Rating.Satisfied) in
// per cent, AvgStars the mean of the ratings on the stars scale; both nil when there are none.
type CSATTally struct {
	Count      int      `json:"count"`
	Satisfied  int      `json:"satisfied"`
	Percent    *float64 `json:"percent"`
	Stars      int      `json:"stars"`
	AvgStars   *float64 `json:"avg_stars"`
	ThumbsUp   int      `json:"thumbs_up"`
	ThumbsDown int      `json:"thumbs_down"`
	starSum    int
}

// Add counts one rating.
func (t *CSATTally) Add(r *Rating) {
	t.Count++
	if r.Satisfied() {
		t.Satisfied++
	}
	switch r.Scale {
	case RatingStars:
		t.Stars++
		t.starSum += r.Score
		avg := float64(t.starSum) / float64(t.Stars)
		t.AvgStars = &avg
	case RatingThumbs:
		if r.Score == 1 {
			t.ThumbsUp++
		} else {
			t.ThumbsDown++
		}
	}
	p := float64(t.Satisfied) * 100 / float64(t.Count)
	t.Percent = &p
}

// CSATDay is one day's ratings.
type CSATDay struct {
	Date string `json:"date"`
	CSATTally
}

// CSATOperator is the ratings of the conversations an operator was assigned to when they
// ended.
type CSATOperator struct {
	OperatorID ID     `json:"operator_id"`
	Name       string `json:"name"`
	CSATTally
}

// CSATCategory is the ratings of the conversations closed with one category (nil: none).
type CSATCategory struct {
	CategoryID *ID    `json:"category_id"`
	Name       string `json:"name"`
	CSATTally
}

// RatingComment is a rating with a comment, as the report lists it.
type RatingComment struct {
	ConversationID ID        `json:"conversation_id"`
	Scale          string    `json:"scale"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment"`
	At             time.Time `json:"at"`
	VisitorName    string    `json:"visitor_name"`
	OperatorID     ID        `json:"operator_id"`
	OperatorName   string    `json:"operator_name"`
	CategoryName   string    `json:"category_name"`
}

// CSATReport is the ratings part of a report: ratings count on the day they were given (in
// the report's time zone), for the conversation's assignee and category.
type CSATReport struct {
	Totals     CSATTally      `json:"totals"`
	ByDay      []CSATDay      `json:"by_day"`
	ByOperator []CSATOperator `json:"by_operator"`
	ByCategory []CSATCategory `json:"by_category"`
	// Comments are the newest comments of the range (at most the limit asked for), newest
	// first; CommentsTotal how many the range holds.
	Comments      []RatingComment `json:"comments"`
	CommentsTotal int             `json:"comments_total"`
}

// RatingReads are the store's reads of ratings (part of Store).
type RatingReads interface {
	// Ratings returns the ratings of those of the account's conversations among ids that
	// have one, by conversation.
	Ratings(ctx context.Context, account ID, ids []ID) (map[ID]*Rating, error)
	// LatestRatingTarget returns the visitor's newest conversation at the contact point as
	// the rating rules see it, or not_found.
	LatestRatingTarget(ctx context.Context, account, visitor, contactPoint ID) (*RatingTarget, error)
	// RatingTarget reads a conversation of the account as the rating rules see it, or
	// not_found.
	RatingTarget(ctx context.Context, account, conversation ID) (*RatingTarget, error)
	// RatingReport adds up the ratings given on the days from..to (inclusive, midnight to
	// midnight in loc), with up to comments of their comments.
	RatingReport(ctx context.Context, account ID, from, to time.Time, loc *time.Location, comments int) (*CSATReport, error)
}

// RatingWrites are the writes of ratings (part of Tx).
type RatingWrites interface {
	// RatingTarget reads a conversation of the account as the rating rules see it, locked
	// for the transaction, or not_found.
	RatingTarget(account, conversation ID) (*RatingTarget, error)
	// SaveRating stores the rating of r.ConversationID, replacing the one it had.
	SaveRating(r *Rating) error
	// RatingOf returns the rating of a conversation (nil: none).
	RatingOf(conversation ID) (*Rating, error)
	// QueueRatingMail puts the mail asking an email conversation's visitor for a rating (a
	// system message of the conversation) in the outbox, due now.
	QueueRatingMail(account, message ID) error
}
