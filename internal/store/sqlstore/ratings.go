package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"livedesk/internal/livedesk"
)

// Ratings (issue 17): one row per rated conversation in ratings (migration 0026, PostgreSQL
// 0006). The rules are the desk's; here they are stored, read in batches for the operators'
// lists, and added up for the reports.

const ratingSelect = `SELECT r.conversation_id, r.account_id, r.visitor_id, r.scale, r.score, r.comment, r.source,
	r.created_at, r.updated_at FROM ratings r `

func scanRating(sc scanner) (*livedesk.Rating, error) {
	r := &livedesk.Rating{}
	var created, updated int64
	if err := sc.Scan(&r.ConversationID, &r.AccountID, &r.VisitorID, &r.Scale, &r.Score, &r.Comment, &r.Source,
		&created, &updated); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return r, nil
}

// ratingChunk is how many conversations one query of Ratings asks about: a list page is
// read in chunks of this size, padded, so that the query has one shape (one prepared
// statement) whatever the page's length.
const ratingChunk = 50

// Ratings returns the ratings of those of the account's conversations among ids that have
// one, by conversation.
func (s *Store) Ratings(ctx context.Context, account livedesk.ID, ids []livedesk.ID) (map[livedesk.ID]*livedesk.Rating, error) {
	out := map[livedesk.ID]*livedesk.Rating{}
	q := ratingSelect + `WHERE r.account_id = ? AND r.conversation_id IN (?` + repeatPlaceholders(ratingChunk-1) + `)`
	for len(ids) > 0 {
		n := min(len(ids), ratingChunk)
		args := make([]any, 0, ratingChunk+1)
		args = append(args, account)
		for i := range ratingChunk {
			var id livedesk.ID // 0 pads the chunk: no conversation has it
			if i < n {
				id = ids[i]
			}
			args = append(args, int64(id))
		}
		ids = ids[n:]
		if err := func() error {
			rows, err := s.rq.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				r, err := scanRating(rows)
				if err != nil {
					return err
				}
				out[r.ConversationID] = r
			}
			return rows.Err()
		}(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func repeatPlaceholders(n int) string {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, ",?"...)
	}
	return string(b)
}

// ratingExtras reads whether an operator answered the conversation and its rating.
func ratingExtras(ctx context.Context, q querier, t *livedesk.RatingTarget) error {
	var firstReply sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT first_reply_at FROM conversations WHERE id = ?`, t.Conversation.ID).Scan(&firstReply); err != nil {
		return notFound(err, "conversation")
	}
	t.Replied = firstReply.Valid
	r, err := scanRating(q.QueryRowContext(ctx, ratingSelect+`WHERE r.conversation_id = ?`, t.Conversation.ID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return unavailable(err)
	default:
		t.Rating = r
		t.Conversation.Rating = r
	}
	return nil
}

// LatestRatingTarget returns the visitor's newest conversation at the contact point as the
// rating rules see it, or not_found.
func (s *Store) LatestRatingTarget(ctx context.Context, account, visitor, contactPoint livedesk.ID) (*livedesk.RatingTarget, error) {
	var id livedesk.ID
	err := s.rq.QueryRowContext(ctx, `SELECT id FROM conversations WHERE visitor_id = ? AND contact_point_id = ? AND account_id = ?
		ORDER BY id DESC LIMIT 1`, visitor, contactPoint, account).Scan(&id)
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return s.RatingTarget(ctx, account, id)
}

// RatingTarget reads a conversation of the account as the rating rules see it, or not_found.
func (s *Store) RatingTarget(ctx context.Context, account, conversation livedesk.ID) (*livedesk.RatingTarget, error) {
	c, err := getConversation(ctx, s.rq, account, conversation)
	if err != nil {
		return nil, err
	}
	t := &livedesk.RatingTarget{Conversation: c}
	return t, ratingExtras(ctx, s.rq, t)
}

// txQuerier runs a transaction's reads as a querier.
type txQuerier struct{ tx *Tx }

func (q txQuerier) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.tx.tx.QueryContext(q.tx.ctx, query, args...)
}

func (q txQuerier) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	return q.tx.queryRow(query, args...)
}

// RatingTarget reads a conversation of the account as the rating rules see it, locked for
// the transaction (on PostgreSQL the conversation row: two ratings of one conversation are
// decided one after the other), or not_found.
func (tx *Tx) RatingTarget(account, conversation livedesk.ID) (*livedesk.RatingTarget, error) {
	c, err := tx.Conversation(account, conversation)
	if err != nil {
		return nil, err
	}
	t := &livedesk.RatingTarget{Conversation: c}
	return t, ratingExtras(tx.ctx, txQuerier{tx}, t)
}

// RatingOf returns the rating of a conversation (nil: none).
func (tx *Tx) RatingOf(conversation livedesk.ID) (*livedesk.Rating, error) {
	r, err := scanRating(tx.queryRow(ratingSelect+`WHERE r.conversation_id = ?`, conversation))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// SaveRating stores the rating of r.ConversationID, replacing the one it had (its first
// time stays).
func (tx *Tx) SaveRating(r *livedesk.Rating) error {
	_, err := tx.exec(`INSERT INTO ratings(conversation_id, account_id, visitor_id, scale, score, comment, source, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT(conversation_id) DO UPDATE SET scale = excluded.scale, score = excluded.score, comment = excluded.comment,
			source = excluded.source, updated_at = excluded.updated_at`,
		r.ConversationID, r.AccountID, r.VisitorID, r.Scale, r.Score, r.Comment, r.Source, ms(r.CreatedAt), ms(r.UpdatedAt))
	return err
}

// QueueRatingMail puts the closing mail that asks for a rating in the outbox, due now.
func (tx *Tx) QueueRatingMail(account, message livedesk.ID) error {
	_, err := tx.exec(`INSERT INTO email_outbox(message_id, account_id, next_attempt_at, rating_request) VALUES (?,?,?,1)`,
		message, account, ms(tx.now))
	return err
}

// RatingReport adds up the ratings given on the days from..to (inclusive, midnight to
// midnight in loc): in all, per day, per operator (the conversation's assignee), per category
// (the conversation's), and the newest comments (up to comments of them).
func (s *Store) RatingReport(ctx context.Context, account livedesk.ID, from, to time.Time, loc *time.Location, comments int) (*livedesk.CSATReport, error) {
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	rep := &livedesk.CSATReport{ByDay: []livedesk.CSATDay{}, ByOperator: []livedesk.CSATOperator{},
		ByCategory: []livedesk.CSATCategory{}, Comments: []livedesk.RatingComment{}}
	days := map[string]*livedesk.CSATDay{}
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		rep.ByDay = append(rep.ByDay, livedesk.CSATDay{Date: d.Format(time.DateOnly)})
	}
	for i := range rep.ByDay {
		days[rep.ByDay[i].Date] = &rep.ByDay[i]
	}
	byOperator := map[livedesk.ID]*livedesk.CSATTally{}
	byCategory := map[livedesk.ID]*livedesk.CSATTally{}
	rows, err := s.rq.QueryContext(ctx, `SELECT r.conversation_id, r.scale, r.score, r.comment, r.created_at,
		c.assignee_id, c.category_id, v.id, v.name
		FROM ratings r JOIN conversations c ON c.id = r.conversation_id JOIN visitors v ON v.id = r.visitor_id
		WHERE r.account_id = ? AND r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at DESC, r.conversation_id DESC`,
		account, ms(start), ms(end))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var withComments []*livedesk.RatingComment
	var commentOps, commentCats []livedesk.ID
	for rows.Next() {
		var r livedesk.Rating
		var at int64
		var assignee, category sql.NullInt64
		var visitor livedesk.ID
		var visitorName string
		if err := rows.Scan(&r.ConversationID, &r.Scale, &r.Score, &r.Comment, &at, &assignee, &category, &visitor, &visitorName); err != nil {
			return nil, err
		}
		rep.Totals.Add(&r)
		if d := days[time.UnixMilli(at).In(loc).Format(time.DateOnly)]; d != nil {
			d.Add(&r)
		}
		tally := func(m map[livedesk.ID]*livedesk.CSATTally, id livedesk.ID) {
			if m[id] == nil {
				m[id] = &livedesk.CSATTally{}
			}
			m[id].Add(&r)
		}
		if assignee.Valid {
			tally(byOperator, livedesk.ID(assignee.Int64))
		}
		tally(byCategory, livedesk.ID(category.Int64))
		if r.Comment != "" {
			rep.CommentsTotal++
			if len(withComments) < comments {
				withComments = append(withComments, &livedesk.RatingComment{ConversationID: r.ConversationID, Scale: r.Scale,
					Score: r.Score, Comment: r.Comment, At: fromMS(at), VisitorName: livedesk.DisplayName(visitorName, visitor),
					OperatorID: livedesk.ID(assignee.Int64)})
				commentOps = append(commentOps, livedesk.ID(assignee.Int64))
				commentCats = append(commentCats, livedesk.ID(category.Int64))
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ops, err := s.Operators(ctx, account)
	if err != nil {
		return nil, err
	}
	opNames := map[livedesk.ID]string{}
	for _, o := range ops {
		opNames[o.ID] = o.Name
	}
	catNames, err := s.categoryNames(ctx, account)
	if err != nil {
		return nil, err
	}
	for id, t := range byOperator {
		rep.ByOperator = append(rep.ByOperator, livedesk.CSATOperator{OperatorID: id, Name: opNames[id], CSATTally: *t})
	}
	sort.Slice(rep.ByOperator, func(i, j int) bool {
		a, b := rep.ByOperator[i], rep.ByOperator[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Name < b.Name
	})
	for id, t := range byCategory {
		c := livedesk.CSATCategory{Name: catNames[id], CSATTally: *t}
		if id != 0 {
			c.CategoryID = &id
		}
		rep.ByCategory = append(rep.ByCategory, c)
	}
	sort.Slice(rep.ByCategory, func(i, j int) bool {
		a, b := rep.ByCategory[i], rep.ByCategory[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Name < b.Name
	})
	for i, c := range withComments {
		c.OperatorName = opNames[commentOps[i]]
		c.CategoryName = catNames[commentCats[i]]
		rep.Comments = append(rep.Comments, *c)
	}
	return rep, nil
}

// categoryNames names the account's categories, deleted ones included.
func (s *Store) categoryNames(ctx context.Context, account livedesk.ID) (map[livedesk.ID]string, error) {
	names := map[livedesk.ID]string{}
	rows, err := s.rq.QueryContext(ctx, `SELECT id, name FROM conversation_categories WHERE account_id = ?`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id livedesk.ID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}
