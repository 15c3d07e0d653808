package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"livedesk/internal/livedesk"
)

// conversationColumns are what scanConversation reads, from conversations c joined with
// conversationJoins; conversationSelect is the usual query of them (a caller that reads from
// another set of rows, or more columns, composes its own from the two parts).
const (
	conversationColumns = `c.id, c.account_id, c.state, c.channel, c.contact_point_id, cp.name, c.visitor_id, v.name,
	c.last_message_text, c.last_message_author, c.last_message_author_id, c.last_message_author_name, c.last_message_at, c.visitor_closed, c.assignee_id, c.unread_count,
	c.category_id, c.queued_at, c.assigned_at, c.closed_at, c.created_at, c.email_subject,
	t.id, t.from_operator_id, t.to_operator_id, t.comment, t.created_at, t.expires_at`
	conversationJoins = `
	JOIN contact_points cp ON cp.id = c.contact_point_id
	JOIN visitors v ON v.id = c.visitor_id
	LEFT JOIN transfers t ON t.conversation_id = c.id AND t.state = 'pending' `
	conversationSelect = `SELECT ` + conversationColumns + ` FROM conversations c` + conversationJoins
)

func scanConversation(sc scanner) (*livedesk.Conversation, error) {
	c := &livedesk.Conversation{}
	var lmText, lmAuthor, lmName string
	var lmAuthorID livedesk.ID
	var lmAt, queued, created int64
	var assignee, category sql.NullInt64
	var assigned, closed sql.NullInt64
	var tID, tFrom, tTo, tCreated, tExpires sql.NullInt64
	var tComment sql.NullString
	if err := sc.Scan(&c.ID, &c.AccountID, &c.State, &c.Channel, &c.ContactPoint.ID, &c.ContactPoint.Name,
		&c.Visitor.ID, &c.Visitor.Name, &lmText, &lmAuthor, &lmAuthorID, &lmName, &lmAt, &c.VisitorClosed, &assignee, &c.UnreadCount,
		&category, &queued, &assigned, &closed, &created, &c.Subject,
		&tID, &tFrom, &tTo, &tComment, &tCreated, &tExpires); err != nil {
		return nil, err
	}
	c.Visitor.DisplayName = livedesk.DisplayName(c.Visitor.Name, c.Visitor.ID)
	c.LastMessageAt = fromMS(lmAt)
	if lmAuthor != "" {
		c.LastMessage = &livedesk.LastMessage{Text: lmText, Author: livedesk.AuthorType(lmAuthor), AuthorID: lmAuthorID,
			AuthorName: lmName, At: c.LastMessageAt}
	}
	c.AssigneeID = livedesk.ID(assignee.Int64)
	c.CategoryID = livedesk.ID(category.Int64)
	c.QueuedAt = fromMS(queued)
	c.AssignedAt = fromNullMS(assigned)
	c.ClosedAt = fromNullMS(closed)
	c.CreatedAt = fromMS(created)
	if tID.Valid {
		c.PendingTransfer = &livedesk.Transfer{ID: livedesk.ID(tID.Int64), ConversationID: c.ID,
			FromOperatorID: livedesk.ID(tFrom.Int64), ToOperatorID: livedesk.ID(tTo.Int64), Comment: tComment.String,
			State: livedesk.TransferPending, CreatedAt: fromMS(tCreated.Int64), ExpiresAt: fromMS(tExpires.Int64)}
	}
	return c, nil
}

func getConversation(ctx context.Context, q querier, account, id livedesk.ID) (*livedesk.Conversation, error) {
	c, err := scanConversation(q.QueryRowContext(ctx, conversationSelect+`WHERE c.id = ? AND c.account_id = ?`, id, account))
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return c, nil
}

// Conversation reads one conversation of the account.
func (s *Store) Conversation(ctx context.Context, account, id livedesk.ID) (*livedesk.Conversation, error) {
	return getConversation(ctx, s.rq, account, id)
}

// Conversation reads one conversation of the account inside the transaction.
func (tx *Tx) Conversation(account, id livedesk.ID) (*livedesk.Conversation, error) {
	c, err := scanConversation(tx.queryRow(conversationSelect+`WHERE c.id = ? AND c.account_id = ?`+tx.lock("c"), id, account))
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return c, nil
}

func openConversationOf(ctx context.Context, q querier, account, visitor, contactPoint livedesk.ID) (*livedesk.Conversation, error) {
	c, err := scanConversation(q.QueryRowContext(ctx, conversationSelect+`WHERE c.visitor_id = ? AND c.contact_point_id = ?
		AND c.account_id = ? AND c.state <> 'closed' AND c.visitor_closed = 0`, visitor, contactPoint, account))
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return c, nil
}

// OpenConversationOf returns the visitor's open conversation at the contact point (not closed
// and not closed by the visitor), or not_found.
func (tx *Tx) OpenConversationOf(account, visitor, contactPoint livedesk.ID) (*livedesk.Conversation, error) {
	c, err := scanConversation(tx.queryRow(conversationSelect+`WHERE c.visitor_id = ? AND c.contact_point_id = ?
		AND c.account_id = ? AND c.state <> 'closed' AND c.visitor_closed = 0`+tx.lock("c"), visitor, contactPoint, account))
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return c, nil
}

// OpenConversationOf returns the visitor's open conversation at the contact point, or not_found.
func (s *Store) OpenConversationOf(ctx context.Context, account, visitor, contactPoint livedesk.ID) (*livedesk.Conversation, error) {
	return openConversationOf(ctx, s.rq, account, visitor, contactPoint)
}

// LatestConversationOf returns the visitor's newest conversation at any state, or not_found.
func (tx *Tx) LatestConversationOf(account, visitor livedesk.ID) (*livedesk.Conversation, error) {
	c, err := scanConversation(tx.queryRow(conversationSelect+`WHERE c.visitor_id = ? AND c.account_id = ?
		ORDER BY c.id DESC LIMIT 1`+tx.lock("c"), visitor, account))
	if err != nil {
		return nil, notFound(err, "conversation")
	}
	return c, nil
}

// CreateConversation stores a new queued conversation.
func (tx *Tx) CreateConversation(account livedesk.ID, cp *livedesk.ContactPoint, visitor livedesk.ID) (livedesk.ID, error) {
	var id livedesk.ID
	err := tx.queryRow(`INSERT INTO conversations(account_id, contact_point_id, visitor_id, channel, state, queued_at,
		last_message_at, created_at) VALUES (?,?,?,?,'queued',?,?,?) RETURNING id`,
		account, cp.ID, visitor, cp.Channel, ms(tx.now), ms(tx.now), ms(tx.now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create conversation: %w", err)
	}
	return id, nil
}

// AssignConversation makes op the assignee (capacity must already be reserved).
func (tx *Tx) AssignConversation(id, op livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET state = 'assigned', assignee_id = ?, assigned_at = ? WHERE id = ?`, op, ms(tx.now), id)
	return err
}

// RequeueConversation puts an assigned conversation back in the queue, keeping its place of
// arrival.
func (tx *Tx) RequeueConversation(id livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET state = 'queued', assignee_id = NULL, assigned_at = NULL WHERE id = ?`, id)
	return err
}

// CloseConversation closes a conversation with an optional category.
func (tx *Tx) CloseConversation(id, by, category livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET state = 'closed', closed_at = ?, closed_by = ?, category_id = ? WHERE id = ?`,
		ms(tx.now), nullID(by), nullID(category), id)
	return err
}

// SetVisitorClosed marks that the visitor closed the conversation.
func (tx *Tx) SetVisitorClosed(id livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET visitor_closed = 1 WHERE id = ?`, id)
	return err
}

// TouchLastMessage updates the list preview and, for visitor messages, the unread counter.
func (tx *Tx) TouchLastMessage(id livedesk.ID, lm livedesk.LastMessage, unread bool) error {
	q, args := touchQuery(id, lm, unread)
	_, err := tx.exec(q, args...)
	return err
}

// touchQuery is TouchLastMessage's UPDATE and its arguments.
func touchQuery(id livedesk.ID, lm livedesk.LastMessage, unread bool) (string, []any) {
	q := `UPDATE conversations SET last_message_text = ?, last_message_author = ?, last_message_author_id = ?,
		last_message_author_name = ?, last_message_at = ?`
	at := lm.At
	args := []any{lm.Text, lm.Author, lm.AuthorID, lm.AuthorName, ms(at)}
	if unread {
		q += `, unread_count = unread_count + 1`
	} else if lm.Author == livedesk.AuthorOperator {
		// An operator's reply: the visitor's messages are answered, and the first reply is
		// remembered for the reports (first response time).
		q += `, unread_count = 0, first_reply_at = COALESCE(first_reply_at, ?)`
		args = append(args, ms(at))
	}
	return q + ` WHERE id = ?`, append(args, id)
}

// MarkRead resets the unread counter.
func (tx *Tx) MarkRead(id livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET unread_count = 0 WHERE id = ?`, id)
	return err
}

// QueuedConversationIDs returns up to n queued conversations of the account, oldest first.
func (tx *Tx) QueuedConversationIDs(account livedesk.ID, n int) ([]livedesk.ID, error) {
	// On PostgreSQL the queued conversations are held until the commit: a transaction changing
	// one (a visitor writing, a supervisor taking it) is waited for, so the queue stays FIFO.
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT c.id FROM conversations c WHERE c.account_id = ? AND c.state = 'queued'
		ORDER BY c.queued_at, c.id LIMIT ?`+tx.lock("c"), account, n)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// OpenWebchatOf lists the operator's open webchat conversations.
func (tx *Tx) OpenWebchatOf(op livedesk.ID) ([]livedesk.ID, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id FROM conversations WHERE assignee_id = ? AND state = 'assigned'
		AND channel = 'webchat' ORDER BY id`, op)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

func scanIDs(rows *sql.Rows) ([]livedesk.ID, error) {
	defer rows.Close()
	var ids []livedesk.ID
	for rows.Next() {
		var id livedesk.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Conversations returns one page of the list, newest last message first.
func (s *Store) Conversations(ctx context.Context, f livedesk.ListFilter) ([]*livedesk.Conversation, error) {
	// Open and queued conversations by their last message; closed ones by closing time.
	order := `c.last_message_at`
	where := `WHERE c.account_id = ? AND c.state = ?`
	args := []any{f.Account, f.State}
	if f.Assignee != 0 {
		where = `WHERE c.assignee_id = ? AND c.account_id = ? AND c.state = ?`
		args = []any{f.Assignee, f.Account, f.State}
	}
	if f.State == livedesk.StateClosed {
		order = `c.closed_at`
		where += ` AND c.closed_at IS NOT NULL`
	}
	if f.AfterID != 0 {
		where += ` AND (` + order + `, c.id) < (?, ?)`
		args = append(args, f.AfterAt, f.AfterID)
	}
	args = append(args, f.Limit)
	rows, err := s.rq.QueryContext(ctx, conversationSelect+where+` ORDER BY `+order+` DESC, c.id DESC LIMIT ?`, args...)
	return collect(rows, err, scanConversation)
}

// QueueLength is how many conversations of the account wait in the queue.
func (s *Store) QueueLength(ctx context.Context, account livedesk.ID) (int, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations WHERE account_id = ? AND state = 'queued'`, account).Scan(&n)
	return n, err
}
