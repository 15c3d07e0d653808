package livedesk

import "time"

// MailStatus is what a mailbox's own servers last did, as the cabinet shows it. It is kept in
// the database, so that every node answers the same: the IMAP watcher runs on one node (the
// leader), and a reply goes out through the SMTP server from whichever node sends it.
type MailStatus struct {
	// IMAP is the watcher's status (nil: the mailbox is not watched).
	IMAP *IMAPWatchStatus
	// SMTP is the latest send through the mailbox's own SMTP server (nil: none yet).
	SMTP *SMTPSendStatus
}

// IMAPWatchStatus is what the watcher of a mailbox's IMAP folder is doing.
type IMAPWatchStatus struct {
	// Phase: connecting, fetching, idle, polling, error or stopped.
	Phase string `json:"phase"`
	// Error is the last failure in the server's words ("" unless Phase is error).
	Error string `json:"error"`
	// AuthFailed: the server refused the login; the settings must change.
	AuthFailed bool `json:"auth_failed"`
	// RetryAt is the next attempt while in error.
	RetryAt *time.Time `json:"retry_at"`
	// LastSuccess is when the folder was last found up to date.
	LastSuccess *time.Time `json:"last_success"`
	// IDLE: the server offers IDLE (new mail within a second) rather than being polled.
	IDLE bool `json:"idle"`
}

// SMTPSendStatus is the latest send through a mailbox's own SMTP server.
type SMTPSendStatus struct {
	// At is when it was; Error is "" when the server took the mail, else its words.
	At    time.Time `json:"at"`
	Error string    `json:"error"`
	// AuthFailed: the server refused the login or TLS failed: the settings must change.
	AuthFailed bool `json:"auth_failed"`
}
