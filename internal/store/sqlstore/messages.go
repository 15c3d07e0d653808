package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"livedesk/internal/livedesk"
)

const messageSelect = `SELECT m.id, m.conversation_id, m.client_id, m.author_type, m.author_id, m.author_name, m.kind, m.text,
	m.reply_to, m.sticker_id, m.created_at, q.author_type, q.author_id, q.author_name, q.text, o.state, o.last_error, m.full_text
	FROM messages m LEFT JOIN messages q ON q.id = m.reply_to LEFT JOIN email_outbox o ON o.message_id = m.id `

func scanMessage(sc scanner) (*livedesk.Message, error) {
	m := &livedesk.Message{Attachments: []livedesk.Attachment{}}
	var clientID, sticker, qType, qName, qText, mailState, mailError, fullText sql.NullString
	var replyTo, qAuthor sql.NullInt64
	var created int64
	if err := sc.Scan(&m.ID, &m.ConversationID, &clientID, &m.Author.Type, &m.Author.ID, &m.Author.Name, &m.Kind, &m.Text,
		&replyTo, &sticker, &created, &qType, &qAuthor, &qName, &qText, &mailState, &mailError, &fullText); err != nil {
		return nil, err
	}
	if mailState.Valid {
		m.EmailDelivery = &livedesk.EmailDelivery{State: mailState.String, Error: mailError.String}
	}
	m.ClientID = clientID.String
	m.FullText = fullText.String
	m.StickerID = sticker.String
	m.CreatedAt = fromMS(created)
	if replyTo.Valid {
		m.ReplyTo = livedesk.ID(replyTo.Int64)
		m.Quote = &livedesk.Quote{ID: m.ReplyTo, Author: livedesk.Author{Type: livedesk.AuthorType(qType.String),
			ID: livedesk.ID(qAuthor.Int64), Name: qName.String}, Text: qText.String}
	}
	return m, nil
}

// MessageByClientID finds a message an author already sent with this client id.
func (tx *Tx) MessageByClientID(author livedesk.AuthorType, authorID livedesk.ID, clientID string) (*livedesk.Message, error) {
	return messageByClientID(tx.ctx, tx.tx, author, authorID, clientID)
}

// MessageByClientID finds a message an author already sent with this client id, on the
// read pool (a retry's fast path, off the writer).
func (s *Store) MessageByClientID(ctx context.Context, author livedesk.AuthorType, authorID livedesk.ID, clientID string) (*livedesk.Message, error) {
	return messageByClientID(ctx, s.rq, author, authorID, clientID)
}

func messageByClientID(ctx context.Context, q querier, author livedesk.AuthorType, authorID livedesk.ID, clientID string) (*livedesk.Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, messageSelect+`WHERE m.author_type = ? AND m.author_id = ? AND m.client_id = ?`,
		author, authorID, clientID))
	if err != nil {
		return nil, notFound(err, "message")
	}
	// A repeated send answers the first message as it was sent, files included.
	if err := withAttachments(ctx, q, []*livedesk.Message{m}); err != nil {
		return nil, err
	}
	if err := withStickers(ctx, q, []*livedesk.Message{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageByID reads one message of the account inside the transaction.
func (tx *Tx) MessageByID(account, id livedesk.ID) (*livedesk.Message, error) {
	m, err := scanMessage(tx.queryRow(messageSelect+`WHERE m.account_id = ? AND m.id = ?`, account, id))
	if err != nil {
		return nil, notFound(err, "message")
	}
	return m, nil
}

// Message reads one message of a conversation inside the transaction.
func (tx *Tx) Message(conversation, id livedesk.ID) (*livedesk.Message, error) {
	m, err := scanMessage(tx.queryRow(messageSelect+`WHERE m.id = ? AND m.conversation_id = ?`, id, conversation))
	if err != nil {
		return nil, notFound(err, "message")
	}
	return m, nil
}

// InsertMessage stores m (ID and CreatedAt are set).
func (tx *Tx) InsertMessage(account livedesk.ID, m *livedesk.Message) error {
	q, args := tx.messageInsert(account, m)
	return insertedMessage(tx.queryRow(q+` RETURNING id`, args...).Scan(&m.ID))
}

// AppendMessage stores m (ID and CreatedAt are set) and makes it the conversation's last
// message (TouchLastMessage): on PostgreSQL in one statement, one round trip instead of two
// on the hottest write path.
func (tx *Tx) AppendMessage(account livedesk.ID, m *livedesk.Message, lm livedesk.LastMessage, unread bool) error {
	if !tx.pg {
		if err := tx.InsertMessage(account, m); err != nil {
			return err
		}
		return tx.TouchLastMessage(m.ConversationID, lm, unread)
	}
	ins, args := tx.messageInsert(account, m)
	touch, targs := touchQuery(m.ConversationID, lm, unread)
	return insertedMessage(tx.queryRow(`WITH m AS (`+ins+` RETURNING id) `+touch+` RETURNING (SELECT id FROM m)`,
		append(args, targs...)...).Scan(&m.ID))
}

// messageInsert is the INSERT of m (without RETURNING) and its arguments; it sets
// m.CreatedAt.
func (tx *Tx) messageInsert(account livedesk.ID, m *livedesk.Message) (string, []any) {
	var clientID, sticker any
	if m.ClientID != "" {
		clientID = m.ClientID
	}
	if m.StickerID != "" {
		sticker = m.StickerID
	}
	m.CreatedAt = tx.now
	if m.Attachments == nil {
		m.Attachments = []livedesk.Attachment{}
	}
	var emailID, fullText any
	if m.EmailMessageID != "" {
		emailID = m.EmailMessageID
	}
	if m.FullText != "" {
		fullText = m.FullText
	}
	return `INSERT INTO messages(account_id, conversation_id, author_type, author_id, author_name, kind, text,
		reply_to, client_id, sticker_id, email_message_id, full_text, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		[]any{account, m.ConversationID, m.Author.Type, m.Author.ID, m.Author.Name, m.Kind, m.Text, nullID(m.ReplyTo),
			clientID, sticker, emailID, fullText, ms(tx.now)}
}

// insertedMessage maps the error of a message's INSERT: a mail Message-ID or a client id the
// account or author used already.
func insertedMessage(err error) error {
	if isUnique(err) && strings.Contains(uniqueIndex(err), "email") {
		return livedesk.ErrDuplicateMail
	}
	if isUnique(err) {
		return livedesk.Errorf(livedesk.CodeConflict, "client_id already used")
	}
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	return nil
}

func queryMessages(ctx context.Context, q querier, query string, args ...any) ([]*livedesk.Message, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*livedesk.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := withStickers(ctx, q, out); err != nil {
		return nil, err
	}
	return out, withAttachments(ctx, q, out)
}

// Messages returns a page of a conversation's history, newest first, older than before
// (0: from the newest). Comments are left out unless withComments.
func (s *Store) Messages(ctx context.Context, conversation, before livedesk.ID, limit int, withComments bool) ([]*livedesk.Message, error) {
	q := messageSelect + `WHERE m.conversation_id = ?`
	args := []any{conversation}
	if before > 0 {
		q += ` AND m.id < ?`
		args = append(args, before)
	}
	if !withComments {
		q += ` AND m.kind <> 'comment'`
	}
	return queryMessages(ctx, s.rq, q+` ORDER BY m.id DESC LIMIT ?`, append(args, limit)...)
}

// VisitorMessages returns a page of everything a visitor can see in all their conversations,
// newest first: no comments.
func (s *Store) VisitorMessages(ctx context.Context, account, visitor, before livedesk.ID, limit int) ([]*livedesk.Message, error) {
	q := messageSelect + `WHERE m.conversation_id IN (SELECT id FROM conversations WHERE visitor_id = ? AND account_id = ?)
		AND m.kind <> 'comment'`
	args := []any{visitor, account}
	if before > 0 {
		q += ` AND m.id < ?`
		args = append(args, before)
	}
	return queryMessages(ctx, s.rq, q+` ORDER BY m.id DESC LIMIT ?`, append(args, limit)...)
}

// OperatorTookPart reports whether an operator took part in a conversation: wrote a message
// or comment in it, or was assigned to it at some point that a transfer records (they
// offered it to someone, or accepted it from someone).
func (s *Store) OperatorTookPart(ctx context.Context, account, conversation, operator livedesk.ID) (bool, error) {
	var took bool
	err := s.rq.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE account_id = ? AND conversation_id = ?
			AND author_type = 'operator' AND author_id = ?)
		OR EXISTS (SELECT 1 FROM transfers WHERE account_id = ? AND conversation_id = ?
			AND (from_operator_id = ? OR (to_operator_id = ? AND state = 'accepted')))`,
		account, conversation, operator, account, conversation, operator, operator).Scan(&took)
	return took, err
}

// AppendVisitorMessage stores m, the visitor's message, in their open conversation at the
// contact point, with the visitor's display name as its author, and makes it the last
// message (unread + 1); it returns the conversation as it was before (not_found, nothing
// stored, when there is none). On PostgreSQL it is one statement — read and lock the open
// conversation, insert, update — the one round trip of the hottest write path.
func (tx *Tx) AppendVisitorMessage(account, visitor, contactPoint livedesk.ID, m *livedesk.Message, lm livedesk.LastMessage) (*livedesk.Conversation, error) {
	if !tx.pg {
		c, err := tx.OpenConversationOf(account, visitor, contactPoint)
		if err != nil {
			return nil, err
		}
		m.ConversationID, m.Author.Name = c.ID, c.Visitor.DisplayName
		return c, tx.AppendMessage(account, m, lm, true)
	}
	ins, args := tx.messageInsert(account, m)
	// The INSERT's values come from the open conversation: its id, and the author's name —
	// the visitor's name, or (empty) their guest name (livedesk.DisplayName).
	ins = strings.Replace(ins, ` VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		` SELECT ?, open.cid, ?, ?, CASE WHEN open.vname = '' THEN ? ELSE open.vname END, ?,?,?,?,?,?,?,? FROM open`, 1)
	args[1], args[4] = nil, livedesk.DisplayName("", visitor)
	args = slices.Delete(args, 1, 2) // the conversation id comes from open
	touch, targs := touchQuery(0, lm, true)
	touch = strings.Replace(touch, `WHERE id = ?`, `WHERE id = (SELECT cid FROM open)`, 1)
	targs = targs[:len(targs)-1]
	q := `WITH open AS (SELECT ` + conversationColumns + `, c.id AS cid, v.name AS vname FROM conversations c` + conversationJoins + `WHERE c.visitor_id = ? AND c.contact_point_id = ? AND c.account_id = ? AND c.state <> 'closed'
		AND c.visitor_closed = 0` + tx.lock("c") + `),
		m AS (` + ins + ` RETURNING id, conversation_id, author_name),
		u AS (` + touch + `)
		SELECT open.*, m.id, m.author_name FROM open, m`
	all := append([]any{visitor, contactPoint, account}, args...)
	all = append(all, targs...)
	var cid livedesk.ID
	var vname string
	c, err := scanConversation(extraScan{tx.queryRow(q, all...), []any{&cid, &vname, &m.ID, &m.Author.Name}})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, livedesk.NotFound("conversation")
		}
		return nil, insertedMessage(err)
	}
	m.ConversationID = c.ID
	return c, nil
}

// extraScan scans a row whose columns are a scan function's and then extra ones.
type extraScan struct {
	row   scanner
	extra []any
}

// Scan scans dest and then the extra columns.
func (e extraScan) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }
