package app

import (
	"context"
	"fmt"
	"path/filepath"

	"livedesk/internal/channel/email"
	"livedesk/internal/config"
	"livedesk/internal/livedesk"
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
		SpoolDir: filepath.Join(c.Data, "files", "tmp"), // emptied at start (attachment.NewDisk)
		Limits: email.Limits{MaxSessions: c.SMTPMaxSessions, PerAddress: c.SMTPSessionsPerAddress,
			PerPrefix: c.SMTPSessionsPerNetwork, IdleTimeout: c.SMTPIdleTimeout, SessionTimeout: c.SMTPSessionTimeout,
			ProcessTimeout: c.SMTPProcessTimeout, MIME: email.MIMELimits{MaxDepth: c.SMTPMaxMIMEDepth, MaxParts: c.SMTPMaxMIMEParts}}},
		a.log)
	a.Mailboxes = email.NewMailboxes(a.Desk, a.inbound, a.log, opts.Mailboxes)
}

// startMailboxes watches every email contact point with IMAP settings, and the one whose
// settings change from now on.
//
// TODO(scale-out): every node that starts runs the watchers; with several nodes only one
// may (see email.Mailboxes).
func (a *App) startMailboxes() error {
	a.Desk.OnMailServersChanged(func(cp *livedesk.ContactPoint) {
		go a.Mailboxes.Changed(cp) // after the commit; never holds up the admin's request
	})
	return a.Mailboxes.Start(context.Background())
}
