package sqlstore

import (
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// Outgoing email beyond replies (issue 16): conversations an operator starts with a mail, and
// widget conversations continued by email (followups). Migration 0023_email_outbound.sql.

// QueueFollowup puts an operator's reply in a widget conversation in the outbox as a
// followup: due at due, to go by mail from the email contact point from.
func (tx *Tx) QueueFollowup(account, message, from livedesk.ID, due time.Time) error {
	_, err := tx.exec(`INSERT INTO email_outbox(message_id, account_id, next_attempt_at, from_contact_point_id, followup)
		VALUES (?,?,?,?,1)`, message, account, ms(due), from)
	return err
}

// PendingFollowups lists the pending followups of the conversation after the message after,
// oldest first.
func (tx *Tx) PendingFollowups(conversation, after livedesk.ID) ([]livedesk.ID, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT o.message_id FROM email_outbox o JOIN messages m ON m.id = o.message_id
		WHERE m.conversation_id = ? AND o.message_id > ? AND o.state = 'pending' AND o.followup = 1 ORDER BY o.message_id`,
		conversation, after)
	if err != nil {
		return nil, err
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

// EmailSkipped marks a pending outbox entry as not to be sent, with the reason.
func (tx *Tx) EmailSkipped(message livedesk.ID, why string) error {
	_, err := tx.exec(`UPDATE email_outbox SET state = 'skipped', last_error = ? WHERE message_id = ? AND state = 'pending'`, why, message)
	return err
}

// touchChunk bounds the ids of one UPDATE … IN (…).
const touchChunk = 500

// TouchVisitors marks visitors as seen now in the widget, a few hundred per statement.
func (tx *Tx) TouchVisitors(ids []livedesk.ID) error {
	for len(ids) > 0 {
		n := min(len(ids), touchChunk)
		args := make([]any, 0, n+1)
		args = append(args, ms(tx.now))
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		q := `UPDATE visitors SET seen_at = ? WHERE id IN (?` + strings.Repeat(",?", n-1) + `)`
		if _, err := tx.exec(q, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// SetStartedBy records that an operator started the conversation.
func (tx *Tx) SetStartedBy(conversation, operator livedesk.ID) error {
	_, err := tx.exec(`UPDATE conversations SET started_by = ? WHERE id = ?`, operator, conversation)
	return err
}
