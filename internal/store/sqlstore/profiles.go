package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"livedesk/internal/livedesk"
)

// Visitor profiles (issue 17): visitor_details (migration 0027, PostgreSQL 0007) holds what
// the widget, the site and the operators told about a visitor; the earlier conversations of
// a visitor are read from conversations; deleting a visitor removes their rows everywhere.

func scanDetails(sc scanner, d *livedesk.VisitorDetails) error {
	var ctxJSON, ip, attrs string
	var noteAt int64
	if err := sc.Scan(&ctxJSON, &ip, &attrs, &d.Note, &d.NoteBy, &noteAt, &d.VerifiedEmail); err != nil {
		return err
	}
	if ctxJSON != "" {
		c := &livedesk.VisitorContext{}
		if json.Unmarshal([]byte(ctxJSON), c) == nil {
			c.IP = ip
			d.Context = c
		}
	}
	_ = json.Unmarshal([]byte(attrs), &d.Attributes) // written by SaveVisitorDetails only
	if noteAt != 0 {
		d.NoteAt = fromMS(noteAt)
	}
	return nil
}

const detailsSelect = `SELECT context, ip, attributes, note, note_by, note_at, verified_email FROM visitor_details
	WHERE visitor_id = ? AND account_id = ?`

func readDetails(ctx context.Context, q querier, account, visitor livedesk.ID) (*livedesk.VisitorDetails, error) {
	d := &livedesk.VisitorDetails{VisitorID: visitor, AccountID: account}
	err := scanDetails(q.QueryRowContext(ctx, detailsSelect, visitor, account), d)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, unavailable(err)
	}
	return d, nil
}

// VisitorDetails reads the stored profile of a visitor of the account (an empty one when
// nothing is stored yet).
func (s *Store) VisitorDetails(ctx context.Context, account, visitor livedesk.ID) (*livedesk.VisitorDetails, error) {
	return readDetails(ctx, s.rq, account, visitor)
}

// VisitorDetails reads the stored profile inside the transaction.
func (tx *Tx) VisitorDetails(account, visitor livedesk.ID) (*livedesk.VisitorDetails, error) {
	return readDetails(tx.ctx, tx.tx, account, visitor)
}

// SaveVisitorDetails stores the profile (insert or replace).
func (tx *Tx) SaveVisitorDetails(d *livedesk.VisitorDetails) error {
	var ctxJSON, ip string
	if d.Context != nil {
		c := *d.Context
		ip, c.IP = c.IP, ""
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		ctxJSON = string(b)
	}
	attrs := d.Attributes
	if attrs == nil {
		attrs = []livedesk.Attribute{}
	}
	ab, err := json.Marshal(attrs)
	if err != nil {
		return err
	}
	var noteAt int64
	if !d.NoteAt.IsZero() {
		noteAt = ms(d.NoteAt)
	}
	_, err = tx.exec(`INSERT INTO visitor_details(visitor_id, account_id, context, ip, attributes, note, note_by, note_at,
		verified_email, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (visitor_id) DO UPDATE SET context = excluded.context, ip = excluded.ip, attributes = excluded.attributes,
		note = excluded.note, note_by = excluded.note_by, note_at = excluded.note_at, verified_email = excluded.verified_email,
		updated_at = excluded.updated_at`,
		d.VisitorID, d.AccountID, ctxJSON, ip, string(ab), d.Note, d.NoteBy, noteAt, d.VerifiedEmail, ms(tx.now))
	return err
}

// ForgetVisitorAddresses removes the stored IP addresses of the account's visitors.
func (tx *Tx) ForgetVisitorAddresses(account livedesk.ID) (int, error) {
	res, err := tx.exec(`UPDATE visitor_details SET ip = '' WHERE account_id = ? AND ip <> ''`, account)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// groupChunk is how many visitors one query of EarlierConversations names: padded to this
// size, so that the query has one shape (one prepared statement).
const groupChunk = 20

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// EarlierConversations lists up to limit conversations of the account, newest first, of the
// visitor or of the visitors whose verified email is email, except one.
func (s *Store) EarlierConversations(ctx context.Context, account, visitor livedesk.ID, email string, except livedesk.ID, limit int) ([]*livedesk.EarlierConversation, error) {
	ids := []livedesk.ID{visitor}
	if email != "" {
		more, err := s.visitorsOfEmail(ctx, account, email, groupChunk-1)
		if err != nil {
			return nil, err
		}
		for _, id := range more {
			if id != visitor && len(ids) < groupChunk {
				ids = append(ids, id)
			}
		}
	}
	args := []any{account, except}
	for i := range groupChunk {
		var id livedesk.ID // 0 pads: no visitor has it
		if i < len(ids) {
			id = ids[i]
		}
		args = append(args, int64(id))
	}
	args = append(args, limit)
	rows, err := s.rq.QueryContext(ctx, `SELECT c.id, c.state, c.channel, c.contact_point_id, cp.name, c.created_at, c.closed_at,
		c.category_id, cc.name, c.assignee_id, o.name, c.visitor_id,
		(SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.kind IN ('text', 'sticker') ORDER BY m.id LIMIT 1)
		FROM conversations c JOIN contact_points cp ON cp.id = c.contact_point_id
		LEFT JOIN conversation_categories cc ON cc.id = c.category_id
		LEFT JOIN operators o ON o.id = c.assignee_id
		WHERE c.account_id = ? AND c.id <> ? AND c.visitor_id IN (`+placeholders(groupChunk)+`)
		ORDER BY c.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []*livedesk.EarlierConversation
	for rows.Next() {
		e := &livedesk.EarlierConversation{}
		var created int64
		var closed, category, assignee sql.NullInt64
		var catName, opName, first sql.NullString
		if err := rows.Scan(&e.ID, &e.State, &e.Channel, &e.ContactPoint.ID, &e.ContactPoint.Name, &created, &closed,
			&category, &catName, &assignee, &opName, &e.VisitorID, &first); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		e.ClosedAt = fromNullMS(closed)
		if category.Valid {
			e.Category = &livedesk.Ref{ID: livedesk.ID(category.Int64), Name: catName.String}
		}
		if assignee.Valid {
			e.Operator = &livedesk.Ref{ID: livedesk.ID(assignee.Int64), Name: opName.String}
		}
		e.FirstLine = firstLine(first.String)
		e.SameVisitor = e.VisitorID == visitor
		out = append(out, e)
	}
	return out, rows.Err()
}

// firstLine is the first line of a text, whitespace collapsed, cut at 140 characters.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 140 {
		s = string(r[:140]) + "…"
	}
	return s
}

// visitorsOfEmail lists up to limit visitors of the account whose verified email is email:
// visitors of its email contact points with that address, and visitors whose verified email
// (a signed identify) it is.
func (s *Store) visitorsOfEmail(ctx context.Context, account livedesk.ID, email string, limit int) ([]livedesk.ID, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT v.id FROM visitors v WHERE v.account_id = ? AND v.email = ?
		AND v.contact_point_id IN (SELECT id FROM contact_points WHERE account_id = ? AND channel = 'email')
		UNION SELECT d.visitor_id FROM visitor_details d WHERE d.account_id = ? AND d.verified_email = ?
		ORDER BY 1 DESC LIMIT ?`, account, email, account, account, email, limit)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []livedesk.ID
	for rows.Next() {
		var id livedesk.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DeleteVisitor deletes a visitor of the account with everything of theirs, records the
// deletion and reports what it removed.
func (tx *Tx) DeleteVisitor(account, visitor, by livedesk.ID) (*livedesk.VisitorDeletion, error) {
	if _, err := tx.Visitor(account, visitor); err != nil {
		return nil, err
	}
	out := &livedesk.VisitorDeletion{VisitorID: visitor, Open: map[livedesk.ID]livedesk.ID{}}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, state, assignee_id FROM conversations
		WHERE visitor_id = ? AND account_id = ? ORDER BY id`, visitor, account)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id livedesk.ID
		var state string
		var assignee sql.NullInt64
		if err := rows.Scan(&id, &state, &assignee); err != nil {
			rows.Close()
			return nil, err
		}
		out.Conversations = append(out.Conversations, id)
		if state != string(livedesk.StateClosed) {
			out.Open[id] = livedesk.ID(assignee.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	const convs = `(SELECT id FROM conversations WHERE visitor_id = ? AND account_id = ?)`
	const msgs = `(SELECT id FROM messages WHERE conversation_id IN ` + convs + `)`
	// Files: those sent in the conversations (by anyone) and the visitor's uploads not sent.
	sent, err := tx.strings(`DELETE FROM attachments WHERE message_id IN `+msgs+` RETURNING sha256`, visitor, account)
	if err != nil {
		return nil, err
	}
	unsent, err := tx.strings(`DELETE FROM attachments WHERE account_id = ? AND uploader_type = 'visitor' AND uploader_id = ?
		AND message_id IS NULL RETURNING sha256`, account, visitor)
	if err != nil {
		return nil, err
	}
	out.Attachments = len(sent) + len(unsent)
	seen := map[string]bool{}
	for _, h := range append(sent, unsent...) {
		if !seen[h] {
			seen[h] = true
			out.Hashes = append(out.Hashes, h)
		}
	}
	for _, q := range []string{
		`DELETE FROM email_outbox WHERE message_id IN ` + msgs,
		`DELETE FROM ratings WHERE conversation_id IN ` + convs,
		`DELETE FROM transfers WHERE conversation_id IN ` + convs,
	} {
		if _, err := tx.exec(q, visitor, account); err != nil {
			return nil, err
		}
	}
	res, err := tx.exec(`DELETE FROM messages WHERE conversation_id IN `+convs, visitor, account)
	if err != nil {
		return nil, err
	}
	n, _ := res.RowsAffected()
	out.Messages = int(n)
	if _, err := tx.exec(`DELETE FROM conversations WHERE visitor_id = ? AND account_id = ?`, visitor, account); err != nil {
		return nil, err
	}
	if _, err := tx.exec(`DELETE FROM visitor_details WHERE visitor_id = ? AND account_id = ?`, visitor, account); err != nil {
		return nil, err
	}
	if _, err := tx.exec(`DELETE FROM visitors WHERE id = ? AND account_id = ?`, visitor, account); err != nil {
		return nil, err
	}
	// Events that carried any of it keep their ids (the log stays gap-free for the
	// sequencer) but lose their content and their audience: nobody receives them again.
	patterns := []string{`%"visitor_id":"` + visitor.String() + `"%`, `%"visitor":{"id":"` + visitor.String() + `"%`}
	for _, c := range out.Conversations {
		patterns = append(patterns, `%"conversation_id":"`+c.String()+`"%`, `%"conversation":{"id":"`+c.String()+`"%`)
	}
	const redact = `UPDATE events SET type = 'redacted', payload = '{}', visitor_payload = NULL, visitor_id = NULL,
		operator_id = NULL, operator2_id = NULL, staff = 0, all_operators = 0
		WHERE account_id = ? AND type <> 'redacted' AND (visitor_id = ? OR payload LIKE ?)`
	for _, p := range patterns {
		res, err := tx.exec(redact, account, visitor, p)
		if err != nil {
			return nil, err
		}
		n, _ := res.RowsAffected()
		out.Events += int(n)
	}
	_, err = tx.exec(`INSERT INTO visitor_deletions(account_id, visitor_id, deleted_by, conversations, messages, attachments, created_at)
		VALUES (?,?,?,?,?,?,?)`, account, visitor, by, len(out.Conversations), out.Messages, out.Attachments, ms(tx.now))
	return out, err
}

var _ livedesk.ProfileReads = (*Store)(nil)
var _ livedesk.ProfileWrites = (*Tx)(nil)
