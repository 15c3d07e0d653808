package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"livedesk/internal/livedesk"
)

const mailboxColumns = `contact_point_id, account_id, address, verified_at, confirm_due_at, confirm_sent_at,
	code_expires_at, confirm_error, code_hash, code_attempts, confirm_attempts`

const mailboxSelect = `SELECT ` + mailboxColumns + ` FROM mailboxes `

func scanMailbox(sc scanner) (*livedesk.MailboxState, error) {
	var m livedesk.MailboxState
	var verified, due, sent, expires sql.NullInt64
	if err := sc.Scan(&m.ContactPointID, &m.AccountID, &m.Address, &verified, &due, &sent, &expires, &m.ConfirmError,
		&m.CodeHash, &m.CodeAttempts, &m.ConfirmAttempts); err != nil {
		return nil, err
	}
	m.VerifiedAt, m.ConfirmDueAt, m.ConfirmSentAt, m.CodeExpiresAt = fromNullMS(verified), fromNullMS(due), fromNullMS(sent), fromNullMS(expires)
	return &m, nil
}

// livedesk.MailboxState returns the mailbox of the account's contact point, or not_found (not an
// email contact point, or one without an address).
func (tx *Tx) MailboxState(account, contactPoint livedesk.ID) (*livedesk.MailboxState, error) {
	m, err := scanMailbox(tx.queryRow(mailboxSelect+`WHERE contact_point_id = ? AND account_id = ?`+tx.lock("mailboxes"), contactPoint, account))
	if err != nil {
		return nil, notFound(err, "mailbox")
	}
	return m, nil
}

// livedesk.MailboxState reads the mailbox of the account's contact point, or not_found.
func (s *Store) MailboxState(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailboxState, error) {
	m, err := scanMailbox(s.rq.QueryRowContext(ctx, mailboxSelect+`WHERE contact_point_id = ? AND account_id = ?`, contactPoint, account))
	if err != nil {
		return nil, notFound(err, "mailbox")
	}
	return m, nil
}

// ClaimMailboxConfirmations takes up to limit mailboxes whose confirmation mail is due now,
// for one sender: they are not due again for lease (a sender that dies mid-way leaves them to
// another after it). As with the outbox (ClaimDueEmails), two nodes claiming at once never
// take the same one.
func (tx *Tx) ClaimMailboxConfirmations(limit int, lease time.Duration) ([]*livedesk.MailboxState, error) {
	skipLocked := ""
	if tx.pg {
		skipLocked = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `UPDATE mailboxes SET confirm_due_at = ?
		WHERE contact_point_id IN (SELECT contact_point_id FROM mailboxes WHERE confirm_due_at IS NOT NULL AND confirm_due_at <= ?
			ORDER BY confirm_due_at, contact_point_id LIMIT ?`+skipLocked+`)
		RETURNING `+mailboxColumns, ms(tx.now.Add(lease)), ms(tx.now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*livedesk.MailboxState
	for rows.Next() {
		m, err := scanMailbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ScheduleMailboxConfirmation makes a confirmation mail due at now (a fresh round of sends).
func (tx *Tx) ScheduleMailboxConfirmation(contactPoint livedesk.ID) error {
	_, err := tx.exec(`UPDATE mailboxes SET confirm_due_at = ?, confirm_attempts = 0, confirm_error = ''
		WHERE contact_point_id = ?`, ms(tx.now), contactPoint)
	return err
}

// SetMailboxCode records the code of the confirmation mail about to be sent (its hash) and
// when it expires; earlier codes stop working.
func (tx *Tx) SetMailboxCode(contactPoint livedesk.ID, hash string, expires time.Time) error {
	_, err := tx.exec(`UPDATE mailboxes SET code_hash = ?, code_expires_at = ?, code_attempts = 0 WHERE contact_point_id = ?`,
		hash, ms(expires), contactPoint)
	return err
}

// MailboxConfirmationSent records that the relay took the confirmation mail.
func (tx *Tx) MailboxConfirmationSent(contactPoint livedesk.ID) error {
	_, err := tx.exec(`UPDATE mailboxes SET confirm_due_at = NULL, confirm_attempts = 0, confirm_error = '', confirm_sent_at = ?
		WHERE contact_point_id = ?`, ms(tx.now), contactPoint)
	return err
}

// MailboxConfirmationFailed records a failed send: due again at next, or given up (zero
// next) with the reason kept for the admin.
func (tx *Tx) MailboxConfirmationFailed(contactPoint livedesk.ID, why string, next time.Time) error {
	var due any
	if !next.IsZero() {
		due = ms(next)
	}
	_, err := tx.exec(`UPDATE mailboxes SET confirm_due_at = ?, confirm_attempts = confirm_attempts + 1, confirm_error = ?,
		code_hash = '' WHERE contact_point_id = ?`, due, why, contactPoint)
	return err
}

// MailboxCodeWrong counts a wrong code entered for the mailbox.
func (tx *Tx) MailboxCodeWrong(contactPoint livedesk.ID) error {
	_, err := tx.exec(`UPDATE mailboxes SET code_attempts = code_attempts + 1 WHERE contact_point_id = ?`, contactPoint)
	return err
}

// MailboxVerified marks the mailbox's address as confirmed by its account. Another
// account's confirmation of the same address first is ErrAddressUnavailable. Other claims of
// the address stay, but get no mail and no more confirmation mails.
func (tx *Tx) MailboxVerified(contactPoint livedesk.ID) error {
	_, err := tx.exec(`UPDATE mailboxes SET verified_at = ?, code_hash = '', code_expires_at = NULL, code_attempts = 0,
		confirm_due_at = NULL, confirm_error = '' WHERE contact_point_id = ?`, ms(tx.now), contactPoint)
	if isUnique(err) {
		return ErrAddressUnavailable
	}
	if err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE mailboxes SET confirm_due_at = NULL, code_hash = '', code_expires_at = NULL
		WHERE address = (SELECT address FROM mailboxes WHERE contact_point_id = ?) AND contact_point_id <> ?`, contactPoint, contactPoint)
	return err
}
