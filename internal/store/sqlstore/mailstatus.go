package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"livedesk/internal/livedesk"
)

// MailStatus reads what the account's mailbox's own servers last did (empty when nothing yet).
func (s *Store) MailStatus(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailStatus, error) {
	var imap, smtp string
	err := s.rq.QueryRowContext(ctx, `SELECT imap_status, smtp_status FROM mail_servers WHERE contact_point_id = ? AND account_id = ?`,
		contactPoint, account).Scan(&imap, &smtp)
	out := &livedesk.MailStatus{}
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return nil, unavailable(err)
	}
	if imap != "" {
		out.IMAP = &livedesk.IMAPWatchStatus{}
		if err := json.Unmarshal([]byte(imap), out.IMAP); err != nil {
			return nil, fmt.Errorf("imap status of contact point %d: %w", contactPoint, err)
		}
	}
	if smtp != "" {
		out.SMTP = &livedesk.SMTPSendStatus{}
		if err := json.Unmarshal([]byte(smtp), out.SMTP); err != nil {
			return nil, fmt.Errorf("smtp status of contact point %d: %w", contactPoint, err)
		}
	}
	return out, nil
}

// SetIMAPStatus records the IMAP watcher's status of a contact point (nil: not watched).
func (tx *Tx) SetIMAPStatus(contactPoint livedesk.ID, st *livedesk.IMAPWatchStatus) error {
	return tx.setMailStatus("imap_status", contactPoint, st)
}

// SetSMTPStatus records the latest send through a contact point's own SMTP server.
func (tx *Tx) SetSMTPStatus(contactPoint livedesk.ID, st livedesk.SMTPSendStatus) error {
	return tx.setMailStatus("smtp_status", contactPoint, st)
}

// setMailStatus stores v as JSON in the column of the contact point's mail_servers row (nil:
// the empty string), creating the row with the contact point's account when it has none.
func (tx *Tx) setMailStatus(column string, contactPoint livedesk.ID, v any) error {
	text := ""
	if v != nil && v != (*livedesk.IMAPWatchStatus)(nil) {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		text = string(b)
	}
	_, err := tx.exec(`INSERT INTO mail_servers(contact_point_id, account_id, `+column+`)
		SELECT id, account_id, ? FROM contact_points WHERE id = ?
		ON CONFLICT(contact_point_id) DO UPDATE SET `+column+` = excluded.`+column, text, contactPoint)
	return err
}
