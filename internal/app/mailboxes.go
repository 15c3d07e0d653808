package app

import (
	"context"
	"fmt"
	"path/filepath"

	"livedesk/internal/channel/email"
	"livedesk/internal/config"
	"livedesk/internal/secret"
)

// secretBox loads the key that seals mailboxes' passwords: --secret-key, else the key file
// in the data directory (created at first start).
func secretBox(cfg config.Config) (*secret.Box, error) {
	key, err := secret.LoadKey(cfg.SecretKey, cfg.Data)
	if err != nil {
		return nil, fmt.Errorf("secret key (--secret-key or %s in --data): %w", secret.DefaultKeyFile, err)
	}
	return secret.New(key)
}

// newMail builds the inbound path that the SMTP listener and the IMAP watchers share, and
// the owner of the watchers (started by startMail).
func (a *App) newMail(opts Options) {
	c := a.cfg
	a.inbound = email.NewInbound(a.Desk, a.Files, email.InboundOptions{Domain: c.SMTPDomain,
		SpoolDir: filepath.Join(c.FilesDir(), "tmp"), // leftovers removed at start (attachment.NewDisk)
		Limits: email.Limits{MaxSessions: c.SMTPMaxSessions, PerAddress: c.SMTPSessionsPerAddress,
			PerPrefix: c.SMTPSessionsPerNetwork, IdleTimeout: c.SMTPIdleTimeout, SessionTimeout: c.SMTPSessionTimeout,
			ProcessTimeout: c.SMTPProcessTimeout, MIME: email.MIMELimits{MaxDepth: c.SMTPMaxMIMEDepth, MaxParts: c.SMTPMaxMIMEParts}}},
		a.log)
	mo := opts.Mailboxes
	if mo.Lead == nil {
		mo.Lead = a.Store.Lead
	}
	a.Mailboxes = email.NewMailboxes(a.Desk, a.inbound, a.log, mo)
}

// startMailboxes watches every email contact point with IMAP settings, and the one whose
// settings change from now on.
//
// Only the node that leads the cluster-wide jobs watches (email.Mailboxes, Lead).
func (a *App) startMailboxes() error {
	a.Desk.OnMailServersChanged(a.Mailboxes.ChangedLater) // after the commit, in the background
	return a.Mailboxes.Start(context.Background())
}
