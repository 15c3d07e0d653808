package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"livedesk/internal/livedesk"
)

const mailServerSelect = `SELECT imap_password, smtp_password, imap_place, imap_uidvalidity, imap_last_uid
	FROM mail_servers WHERE contact_point_id = ? AND account_id = ?`

func scanMailServer(sc scanner, account, contactPoint livedesk.ID) (*livedesk.MailServer, error) {
	m := &livedesk.MailServer{ContactPointID: contactPoint, AccountID: account}
	var validity, last int64
	err := sc.Scan(&m.IMAPPassword, &m.SMTPPassword, &m.Place, &validity, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	m.UIDValidity, m.LastUID = uint32(validity), uint32(last)
	return m, nil
}

// MailServer reads the sealed passwords and IMAP place of the account's contact point (a
// zero MailServer when it has none).
func (s *Store) MailServer(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailServer, error) {
	return scanMailServer(s.rq.QueryRowContext(ctx, mailServerSelect, contactPoint, account), account, contactPoint)
}

// MailServer reads the sealed passwords and IMAP place inside the transaction.
func (tx *Tx) MailServer(account, contactPoint livedesk.ID) (*livedesk.MailServer, error) {
	return scanMailServer(tx.queryRow(mailServerSelect, contactPoint, account), account, contactPoint)
}

// SetMailPasswords stores the sealed IMAP and SMTP passwords; the IMAP place stays.
func (tx *Tx) SetMailPasswords(account, contactPoint livedesk.ID, imap, smtp string) error {
	if err := tx.ownPoint(account, contactPoint); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO mail_servers(contact_point_id, account_id, imap_password, smtp_password) VALUES (?,?,?,?)
		ON CONFLICT(contact_point_id) DO UPDATE SET imap_password = excluded.imap_password, smtp_password = excluded.smtp_password`,
		contactPoint, account, imap, smtp)
	return err
}

// SetIMAPPlace records the IMAP watcher's place; the passwords stay.
func (tx *Tx) SetIMAPPlace(account, contactPoint livedesk.ID, place string, validity, lastUID uint32) error {
	if err := tx.ownPoint(account, contactPoint); err != nil {
		return err
	}
	_, err := tx.exec(`INSERT INTO mail_servers(contact_point_id, account_id, imap_place, imap_uidvalidity, imap_last_uid) VALUES (?,?,?,?,?)
		ON CONFLICT(contact_point_id) DO UPDATE SET imap_place = excluded.imap_place,
			imap_uidvalidity = excluded.imap_uidvalidity, imap_last_uid = excluded.imap_last_uid`,
		contactPoint, account, place, int64(validity), int64(lastUID))
	return err
}

// ownPoint is not_found unless the contact point is the account's.
func (tx *Tx) ownPoint(account, contactPoint livedesk.ID) error {
	var id livedesk.ID
	err := tx.queryRow(`SELECT id FROM contact_points WHERE id = ? AND account_id = ?`, contactPoint, account).Scan(&id)
	return notFound(err, "contact point")
}

// EmailContactPoints lists the email contact points of every account, by id.
func (s *Store) EmailContactPoints(ctx context.Context) ([]*livedesk.ContactPoint, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+contactPointCols+` FROM contact_points WHERE channel = ? ORDER BY id`, livedesk.ChannelEmail)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*livedesk.ContactPoint
	for rows.Next() {
		c, err := scanContactPoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
