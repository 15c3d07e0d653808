package desk

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"livedesk/internal/livedesk"
)

// Ratings (CSAT, issue 17): once a conversation is over, its visitor may rate it — from the
// widget, or from the link of an email conversation's closing mail — and operators see the
// rating live; reports add ratings up. The rules (docs/decisions.md § Ratings):
//   - only the conversation's own visitor rates it (anyone else: not found, like another
//     account's conversation);
//   - only once it is over: closed, or ended by the visitor in the widget;
//   - only if an operator answered it (there was a consultation to rate);
//   - within livedesk.RatingWindow (7 days) of its closing;
//   - once: a rating may change within livedesk.RatingChangeWindow (10 minutes) of the first
//     one, then it is final;
//   - on the account's scale (stars 1–5 or thumbs), not when the account turned ratings off.

// RatingInput is a visitor's rating: the conversation, the scale the visitor was shown (it
// must still be the account's), the score (1–5 stars; 0 or 1 thumbs) and an optional comment.
type RatingInput struct {
	ConversationID livedesk.ID `json:"conversation_id"`
	Scale          string      `json:"scale"`
	Score          *int        `json:"score"`
	Comment        string      `json:"comment"`
}

// Rater is who rates: a visitor of an account, through the widget or a mail's link.
type Rater struct {
	AccountID, VisitorID livedesk.ID
	// Source is livedesk.RatingFromWidget or livedesk.RatingFromEmail.
	Source string
}

func (in *RatingInput) check() error {
	if in.Scale != livedesk.RatingStars && in.Scale != livedesk.RatingThumbs {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "scale must be stars or thumbs")
	}
	if in.Score == nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "score is required")
	}
	if !livedesk.ValidScore(in.Scale, *in.Score) {
		if in.Scale == livedesk.RatingStars {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "score must be 1 to 5 on the stars scale")
		}
		return livedesk.Errorf(livedesk.CodeInvalidInput, "score must be 0 (thumbs down) or 1 (thumbs up)")
	}
	if !utf8.ValidString(in.Comment) || strings.ContainsRune(in.Comment, 0) {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "comment is not valid text")
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if n := utf8.RuneCountInString(in.Comment); n > livedesk.MaxRatingComment {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "comment is %d characters long; the maximum is %d", n, livedesk.MaxRatingComment)
	}
	if in.ConversationID == 0 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "conversation_id is required")
	}
	return nil
}

// refusal is a rating refused with a reason (details.reason) the clients act on.
func refusal(code livedesk.Code, reason, msg string) error {
	return &livedesk.Error{Code: code, Message: msg, Details: map[string]string{"reason": reason}}
}

// ratable applies the rules to a conversation the visitor wants to rate now: nil when a
// rating may be given or changed.
func ratable(settings livedesk.Settings, t *livedesk.RatingTarget, visitor livedesk.ID, now time.Time) error {
	c := t.Conversation
	switch {
	case c.Visitor.ID != visitor:
		return livedesk.NotFound("conversation")
	case settings.RatingScale() == livedesk.RatingOff:
		return refusal(livedesk.CodeForbidden, "ratings_off", "this account does not ask for ratings")
	case c.State != livedesk.StateClosed && !c.VisitorClosed:
		return refusal(livedesk.CodeConflict, "not_closed", "the conversation is not over yet: it can be rated once it is closed")
	case !t.Replied:
		return refusal(livedesk.CodeConflict, "not_answered", "no operator answered this conversation, so there is nothing to rate")
	case c.ClosedAt != nil && now.After(c.ClosedAt.Add(livedesk.RatingWindow)):
		return refusal(livedesk.CodeGone, "window_passed", "the time to rate this conversation has passed")
	case t.Rating != nil && now.After(t.Rating.CreatedAt.Add(livedesk.RatingChangeWindow)):
		return refusal(livedesk.CodeConflict, "already_rated", "this conversation was rated already")
	}
	return nil
}

// ratingRequest is what the visitor is asked about a conversation now (nil: nothing, it may
// not be rated or changed any more).
func ratingRequest(settings livedesk.Settings, t *livedesk.RatingTarget, now time.Time) *livedesk.RatingRequest {
	if ratable(settings, t, t.Conversation.Visitor.ID, now) != nil {
		return nil
	}
	closed := now
	if t.Conversation.ClosedAt != nil {
		closed = *t.Conversation.ClosedAt
	}
	req := &livedesk.RatingRequest{ConversationID: t.Conversation.ID, Scale: settings.RatingScale(),
		RateUntil: closed.Add(livedesk.RatingWindow), Rating: t.Rating}
	if t.Rating != nil {
		until := t.Rating.CreatedAt.Add(livedesk.RatingChangeWindow)
		req.ChangeUntil = &until
	}
	return req
}

// ratingRequestIn is ratingRequest inside a write, for a webchat conversation that just
// ended (nil for an email one: its visitor is asked by mail).
func ratingRequestIn(tx livedesk.Tx, account, conversation livedesk.ID) (*livedesk.RatingRequest, error) {
	acct, err := tx.Account(account)
	if err != nil {
		return nil, err
	}
	t, err := tx.RatingTarget(account, conversation)
	if err != nil {
		return nil, err
	}
	if t.Conversation.Channel != livedesk.ChannelWebchat {
		return nil, nil
	}
	return ratingRequest(acct.Settings, t, tx.Now()), nil
}

// Rate stores a visitor's rating of a conversation (or changes it while it may change) and
// tells the operators (the assignee and staff) and the visitor's other widgets.
func (d *Desk) Rate(ctx context.Context, who Rater, in RatingInput) (*livedesk.Rating, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *livedesk.Rating
	err := d.store.Write(ctx, func(tx livedesk.Tx) error {
		acct, err := tx.Account(who.AccountID)
		if err != nil {
			return err
		}
		t, err := tx.RatingTarget(who.AccountID, in.ConversationID)
		if err != nil {
			return err
		}
		now := tx.Now()
		if err := ratable(acct.Settings, t, who.VisitorID, now); err != nil {
			return err
		}
		if in.Scale != acct.Settings.RatingScale() {
			return refusal(livedesk.CodeConflict, "scale_changed", "the account rates on another scale now: "+acct.Settings.RatingScale())
		}
		r := &livedesk.Rating{ConversationID: t.Conversation.ID, AccountID: who.AccountID, VisitorID: who.VisitorID,
			Scale: in.Scale, Score: *in.Score, Comment: in.Comment, Source: who.Source, CreatedAt: now, UpdatedAt: now}
		if t.Rating != nil {
			r.CreatedAt = t.Rating.CreatedAt
		}
		if err := tx.SaveRating(r); err != nil {
			return err
		}
		out = r
		payload := mustJSON(livedesk.RatingPayload{ConversationID: r.ConversationID, Rating: r})
		return tx.Emit(&livedesk.Event{AccountID: who.AccountID, Type: livedesk.EventConversationRated,
			OperatorID: t.Conversation.AssigneeID, Staff: true, Payload: payload,
			VisitorID: t.Conversation.Visitor.ID, VisitorPayload: payload})
	})
	return out, err
}

// VisitorRatingRequest is what the widget of a visitor at the contact point asks for now:
// the rating of their latest conversation when it is over and may be rated (or the rating
// changed), else nil.
func (d *Desk) VisitorRatingRequest(ctx context.Context, cp *livedesk.ContactPoint, visitor livedesk.ID) (*livedesk.RatingRequest, error) {
	t, err := d.store.LatestRatingTarget(ctx, cp.AccountID, visitor, cp.ID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	acct, err := d.store.Account(ctx, cp.AccountID)
	if err != nil {
		return nil, err
	}
	return ratingRequest(acct.Settings, t, d.store.Now()), nil
}

// LinkRating is what the rating page of a mail's link shows: the conversation's subject and
// mailbox, the scale, the rating so far, and whether a rating may be given (or changed) now,
// with the refusal when not.
type LinkRating struct {
	Subject string
	Mailbox string
	Scale   string
	Rating  *livedesk.Rating
	// Refusal is why the conversation may not be rated now (nil: it may).
	Refusal error
}

// RatingOfLink reads the conversation of a rating link for its page. A conversation that is
// not the visitor's, or not of the account, is not found.
func (d *Desk) RatingOfLink(ctx context.Context, account, visitor, conversation livedesk.ID) (*LinkRating, error) {
	t, err := d.store.RatingTarget(ctx, account, conversation)
	if err != nil {
		return nil, err
	}
	c := t.Conversation
	if c.Visitor.ID != visitor {
		return nil, livedesk.NotFound("conversation")
	}
	acct, err := d.store.Account(ctx, account)
	if err != nil {
		return nil, err
	}
	return &LinkRating{Subject: c.Subject, Mailbox: c.ContactPoint.Name, Scale: acct.Settings.RatingScale(), Rating: t.Rating,
		Refusal: ratable(acct.Settings, t, visitor, d.store.Now())}, nil
}

// attachRatings puts their ratings on the conversations (all of the account).
func (d *Desk) attachRatings(ctx context.Context, account livedesk.ID, cs []*livedesk.Conversation) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]livedesk.ID, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	rs, err := d.store.Ratings(ctx, account, ids)
	if err != nil {
		return err
	}
	for _, c := range cs {
		c.Rating = rs[c.ID]
	}
	return nil
}

// RatingMailLine is the system line of an email conversation's closing mail that asks for a
// rating.
const RatingMailLine = "Клиенту отправлено письмо с просьбой оценить консультацию"

// queueRatingMail writes the closing mail of an email conversation that asks its visitor for
// a rating, when the account sends one (Settings.RatingEmail, ratings not off), rating links
// can be made (Options.RatingLink), an operator answered, the visitor has an address and the
// mailbox one. It reports whether a mail was queued.
func (d *Desk) queueRatingMail(tx livedesk.Tx, c *livedesk.Conversation) (bool, error) {
	if c.Channel != livedesk.ChannelEmail || d.opts.RatingLink == nil {
		return false, nil
	}
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return false, err
	}
	if !acct.Settings.RatingEmail || acct.Settings.RatingScale() == livedesk.RatingOff {
		return false, nil
	}
	t, err := tx.RatingTarget(c.AccountID, c.ID)
	if err != nil {
		return false, err
	}
	if ratable(acct.Settings, t, c.Visitor.ID, tx.Now()) != nil || t.Rating != nil {
		return false, nil
	}
	v, err := tx.Visitor(c.AccountID, c.Visitor.ID)
	if err != nil {
		return false, err
	}
	cp, err := tx.ContactPoint(c.AccountID, c.ContactPoint.ID)
	if err != nil {
		return false, err
	}
	mailbox := MailboxAddress(cp)
	if _, ok := NormalizeAddress(v.Email); !ok || mailbox == "" {
		return false, nil
	}
	m := &livedesk.Message{ConversationID: c.ID, Kind: livedesk.KindSystem, Text: RatingMailLine,
		Author: livedesk.Author{Type: livedesk.AuthorSystem}, EmailMessageID: newMailID(mailbox)}
	if err := tx.InsertMessage(c.AccountID, m); err != nil {
		return false, err
	}
	if err := tx.QueueRatingMail(c.AccountID, m.ID); err != nil {
		return false, err
	}
	m.EmailDelivery = &livedesk.EmailDelivery{State: "pending"}
	return true, emitMessage(tx, t.Conversation, m, 0)
}

// ratingLinkOf fills the rating link of a closing mail read from the outbox.
func (d *Desk) ratingLinkOf(ctx context.Context, account livedesk.ID, out *livedesk.OutgoingMail) error {
	if !out.RatingRequest || d.opts.RatingLink == nil {
		return nil
	}
	c, err := d.store.Conversation(ctx, account, out.Message.ConversationID)
	if err != nil {
		return err
	}
	closed := d.store.Now()
	if c.ClosedAt != nil {
		closed = *c.ClosedAt
	}
	out.RatingLink = d.opts.RatingLink(account, c.ID, c.Visitor.ID, closed.Add(livedesk.RatingWindow))
	return nil
}

// CSATToday adds up the ratings the account was given today in loc (the monitor's figure).
func (d *Desk) CSATToday(ctx context.Context, account livedesk.ID, loc *time.Location) (livedesk.CSATTally, error) {
	now := d.store.Now().In(loc)
	rep, err := d.store.RatingReport(ctx, account, now, now, loc, 0)
	if err != nil {
		return livedesk.CSATTally{}, err
	}
	return rep.Totals, nil
}
