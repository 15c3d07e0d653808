package desk

import (
	"context"

	"livedesk/internal/livedesk"
)

// MailStatus is what the account's mailbox's own servers last did, whichever node watched or
// sent: the cabinet shows it.
func (d *Desk) MailStatus(ctx context.Context, account, contactPoint livedesk.ID) (*livedesk.MailStatus, error) {
	return d.store.MailStatus(ctx, account, contactPoint)
}

// SetIMAPStatus records the status of a mailbox's IMAP watcher (nil: not watched), for every
// node's cabinet.
func (d *Desk) SetIMAPStatus(ctx context.Context, contactPoint livedesk.ID, st *livedesk.IMAPWatchStatus) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.SetIMAPStatus(contactPoint, st) })
}

// SetSMTPStatus records the latest send through a mailbox's own SMTP server, for every node's
// cabinet.
func (d *Desk) SetSMTPStatus(ctx context.Context, contactPoint livedesk.ID, st livedesk.SMTPSendStatus) error {
	return d.store.Write(ctx, func(tx livedesk.Tx) error { return tx.SetSMTPStatus(contactPoint, st) })
}
