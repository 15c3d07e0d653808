package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"livedesk/internal/livedesk"
)

// SetMailbox makes address (lower case; empty: none) the mailbox of an email contact point,
// replacing its previous one; it reports whether the address changed. A new address is not
// confirmed and has a confirmation mail due now. An address another account has confirmed,
// or another contact point of this account has, is a conflict that names nothing of the
// other; an address another account only claimed is no obstacle (first to confirm wins).
func (tx *Tx) SetMailbox(account, contactPoint livedesk.ID, address string) (changed bool, err error) {
	var cur string
	err = tx.queryRow(`SELECT address FROM mailboxes WHERE contact_point_id = ?`, contactPoint).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if cur == address {
		return false, nil
	}
	if _, err := tx.exec(`DELETE FROM mailboxes WHERE contact_point_id = ?`, contactPoint); err != nil {
		return false, err
	}
	if address == "" {
		return true, nil
	}
	var taken int
	if err := tx.queryRow(`SELECT COUNT(*) FROM mailboxes WHERE address = ? AND verified_at IS NOT NULL`, address).Scan(&taken); err != nil {
		return false, err
	}
	if taken > 0 {
		return false, ErrAddressUnavailable
	}
	_, err = tx.exec(`INSERT INTO mailboxes(address, account_id, contact_point_id, confirm_due_at) VALUES (?,?,?,?)`,
		address, account, contactPoint, ms(tx.now))
	if isUnique(err) {
		return false, ErrAddressUnavailable
	}
	return true, err
}

// ErrAddressUnavailable is SetMailbox's answer for an address another contact point has.
var ErrAddressUnavailable = &livedesk.Error{Code: livedesk.CodeConflict, Message: "this address cannot be used",
	Details: map[string]string{"field": "settings.address"}}

// Mailbox returns the email contact point that receives mail for address (lower case): the
// one that confirmed it, else the oldest claim; or not_found.
func (s *Store) Mailbox(ctx context.Context, address string) (*livedesk.ContactPoint, error) {
	var account, id livedesk.ID
	err := s.rq.QueryRowContext(ctx, `SELECT account_id, contact_point_id FROM mailboxes WHERE address = ?
		ORDER BY verified_at IS NULL, contact_point_id LIMIT 1`, address).Scan(&account, &id)
	if err != nil {
		return nil, notFound(err, "mailbox")
	}
	return s.ContactPoint(ctx, account, id)
}

// VisitorByEmail returns the visitor of the contact point with the email address, or not_found.
func (tx *Tx) VisitorByEmail(account, contactPoint livedesk.ID, email string) (*livedesk.Visitor, error) {
	var id livedesk.ID
	err := tx.queryRow(`SELECT id FROM visitors WHERE contact_point_id = ? AND email = ? AND account_id = ? ORDER BY id LIMIT 1`,
		contactPoint, email, account).Scan(&id)
	if err != nil {
		return nil, notFound(err, "visitor")
	}
	return tx.Visitor(account, id)
}

// ConversationOfMail returns the conversation that has a message with one of the Message-IDs
// (the newest such message wins): one at the contact point, or one whose replies went out by
// mail from it; or not_found.
func (tx *Tx) ConversationOfMail(account, contactPoint livedesk.ID, messageIDs []string) (*livedesk.Conversation, error) {
	for i := len(messageIDs) - 1; i >= 0; i-- { // References lists the oldest first
		var conv livedesk.ID
		// The conversation is the mailbox's own, or one whose replies went out by mail from it
		// (a widget conversation continued by email).
		err := tx.queryRow(`SELECT m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.account_id = ? AND m.email_message_id = ? AND (c.contact_point_id = ? OR EXISTS (
				SELECT 1 FROM messages r JOIN email_outbox o ON o.message_id = r.id
				WHERE r.conversation_id = c.id AND o.from_contact_point_id = ?))`,
			account, messageIDs[i], contactPoint, contactPoint).Scan(&conv)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return tx.Conversation(account, conv)
	}
	return nil, livedesk.NotFound("conversation")
}

// MessageByMailID returns the account's message with the email Message-ID, or not_found.
func (s *Store) MessageByMailID(ctx context.Context, account livedesk.ID, mailID string) (*livedesk.Message, error) {
	m, err := scanMessage(s.rq.QueryRowContext(ctx, messageSelect+`WHERE m.account_id = ? AND m.email_message_id = ?`, account, mailID))
	if err != nil {
		return nil, notFound(err, "message")
	}
	if err := withAttachments(ctx, s.rq, []*livedesk.Message{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// SetEmailSubject keeps the subject of an email conversation (replies answer it with Re:).
func (tx *Tx) SetEmailSubject(conversation livedesk.ID, subject string) error {
	_, err := tx.exec(`UPDATE conversations SET email_subject = ? WHERE id = ?`, subject, conversation)
	return err
}

// livedesk.OutgoingMail reads a reply waiting in the outbox.
func (s *Store) OutgoingMail(ctx context.Context, account, message livedesk.ID) (*livedesk.OutgoingMail, error) {
	m, err := scanMessage(s.rq.QueryRowContext(ctx, messageSelect+`WHERE m.account_id = ? AND m.id = ?`, account, message))
	if err != nil {
		return nil, notFound(err, "message")
	}
	out := &livedesk.OutgoingMail{Message: m}
	var mailID sql.NullString
	// The mailbox is the conversation's contact point, or the one a followup goes from.
	err = s.rq.QueryRowContext(ctx, `SELECT m.email_message_id, c.email_subject, v.email, v.name, COALESCE(b.address, ''), cp.name,
		b.verified_at IS NOT NULL, cp.id, COALESCE(o.followup, 0), chat.name, COALESCE(o.rating_request, 0)
		FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN visitors v ON v.id = c.visitor_id
		LEFT JOIN email_outbox o ON o.message_id = m.id
		JOIN contact_points chat ON chat.id = c.contact_point_id
		JOIN contact_points cp ON cp.id = COALESCE(o.from_contact_point_id, c.contact_point_id)
		LEFT JOIN mailboxes b ON b.contact_point_id = cp.id
		WHERE m.id = ?`, message).Scan(&mailID, &out.Subject, &out.ToAddress, &out.ToName, &out.Mailbox, &out.MailboxName,
		&out.MailboxConfirmed, &out.MailboxID, &out.Followup, &out.ChatName, &out.RatingRequest)
	if err != nil {
		return nil, notFound(err, "message")
	}
	out.MailID = mailID.String
	// The thread: the conversation's earlier mail, without followups that never went out.
	rows, err := s.rq.QueryContext(ctx, `SELECT m.email_message_id FROM messages m LEFT JOIN email_outbox o ON o.message_id = m.id
		WHERE m.conversation_id = ? AND m.id < ? AND m.email_message_id IS NOT NULL AND (o.state IS NULL OR o.state <> 'skipped')
		ORDER BY m.id`, m.ConversationID, m.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		out.Thread = append(out.Thread, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.rq.QueryContext(ctx, attachmentSelect+`WHERE a.message_id = ? AND a.account_id = ? ORDER BY a.id`, m.ID, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanAttachmentFile(rows)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, f)
	}
	return out, rows.Err()
}

// QueueEmail puts an operator's reply in the outbox, due now.
func (tx *Tx) QueueEmail(account, message livedesk.ID) error {
	_, err := tx.exec(`INSERT INTO email_outbox(message_id, account_id, next_attempt_at) VALUES (?,?,?)`, message, account, ms(tx.now))
	return err
}

// ClaimDueEmails takes up to limit outbox entries due now, oldest first, for one sender: they
// are not due again for lease (a sender that dies mid-way leaves them to another after it).
// On PostgreSQL the rows are locked with SKIP LOCKED, so two nodes claiming at once never
// take the same entry; on SQLite the single writer does the same.
func (tx *Tx) ClaimDueEmails(limit int, lease time.Duration) ([]livedesk.OutgoingEmail, error) {
	skipLocked := ""
	if tx.pg {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `UPDATE email_outbox SET next_attempt_at = ?
		WHERE message_id IN (SELECT message_id FROM email_outbox WHERE state = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, message_id LIMIT ?`+skipLocked+`)
		RETURNING message_id, account_id, attempts`, ms(tx.now.Add(lease)), ms(tx.now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []livedesk.OutgoingEmail
	for rows.Next() {
		var e livedesk.OutgoingEmail
		if err := rows.Scan(&e.MessageID, &e.AccountID, &e.Attempts); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b livedesk.OutgoingEmail) int { return cmp.Compare(a.MessageID, b.MessageID) })
	return out, rows.Err()
}

// EmailSent marks an outbox entry delivered to the relay.
func (tx *Tx) EmailSent(message livedesk.ID) error {
	_, err := tx.exec(`UPDATE email_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ''
		WHERE message_id = ?`, ms(tx.now), message)
	return err
}

// EmailRetry records a failed attempt: the entry is due again at next, or failed for good
// when next is zero.
func (tx *Tx) EmailRetry(message livedesk.ID, why string, next time.Time) error {
	if next.IsZero() {
		_, err := tx.exec(`UPDATE email_outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE message_id = ?`, why, message)
		return err
	}
	_, err := tx.exec(`UPDATE email_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE message_id = ?`,
		why, ms(next), message)
	return err
}
