package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"livedesk/internal/channel/email"
	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/channel/email/submit"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// MailWatch is what the cabinet reads of a mailbox's own servers: the IMAP watcher's latest
// status and the latest send through its SMTP server (email.Mailboxes).
type MailWatch interface {
	Status(contactPoint livedesk.ID) (imapbox.Status, bool)
	SMTPStatus(contactPoint livedesk.ID) (email.SMTPStatus, bool)
}

// mailCheckTimeout bounds a check button's connection.
const mailCheckTimeout = 30 * time.Second

// IMAPStatus is the IMAP watcher's status in the mailbox answer.
type IMAPStatus struct {
	// Phase: connecting, fetching, idle, polling, error or stopped.
	Phase string `json:"phase"`
	// Error is the last failure in the server's words ("" unless phase is error).
	Error string `json:"error"`
	// AuthFailed: the server refused the login; the settings must change.
	AuthFailed bool `json:"auth_failed"`
	// RetryAt is the next attempt while in error.
	RetryAt *time.Time `json:"retry_at"`
	// LastSuccess is when the mailbox was last up to date.
	LastSuccess *time.Time `json:"last_success"`
	// IDLE: the server offers IDLE (new mail within a second) rather than being polled.
	IDLE bool `json:"idle"`
}

// SMTPSendStatus is the latest send through the mailbox's own SMTP server.
type SMTPSendStatus struct {
	At         time.Time `json:"at"`
	Error      string    `json:"error"`
	AuthFailed bool      `json:"auth_failed"`
}

// MailboxAnswer is the answer of GET …/mailbox: the address's confirmation and the status
// of the mailbox's own servers (null when it has none, or nothing happened yet).
type MailboxAnswer struct {
	*livedesk.MailboxState
	IMAPStatus *IMAPStatus     `json:"imap_status"`
	SMTPStatus *SMTPSendStatus `json:"smtp_status"`
}

// MailCheck is the answer of a check button: ok, or the error in the server's words.
type MailCheck struct {
	OK         bool   `json:"ok"`
	Error      string `json:"error,omitempty"`
	AuthFailed bool   `json:"auth_failed"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// mailboxAnswer adds the servers' status to a mailbox state.
func (s *Server) mailboxAnswer(m *livedesk.MailboxState) MailboxAnswer {
	out := MailboxAnswer{MailboxState: m}
	if s.cfg.Mailboxes == nil {
		return out
	}
	if st, ok := s.cfg.Mailboxes.Status(m.ContactPointID); ok {
		out.IMAPStatus = &IMAPStatus{Phase: string(st.Phase), AuthFailed: st.AuthFailed, RetryAt: timePtr(st.RetryAt),
			LastSuccess: timePtr(st.LastSuccess), IDLE: st.IDLE}
		if st.Error != nil {
			out.IMAPStatus.Error = st.Error.Error()
		}
	}
	if st, ok := s.cfg.Mailboxes.SMTPStatus(m.ContactPointID); ok {
		out.SMTPStatus = &SMTPSendStatus{At: st.At, Error: st.Error, AuthFailed: st.AuthFailed}
	}
	return out
}

func (s *Server) adminIMAPTest(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	var in struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	servers, err := s.desk.MailTestServers(r.Context(), c.op.AccountID, id, in.Settings)
	if err != nil {
		return err
	}
	if servers.IMAP == nil {
		return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "settings.imap is required: the mailbox has no IMAP settings",
			Details: map[string]string{"field": "settings.imap"}}
	}
	ctx, cancel := context.WithTimeout(r.Context(), mailCheckTimeout)
	defer cancel()
	return writeJSON(w, 200, checkAnswer(imapbox.Test(ctx, *servers.IMAP)))
}

func (s *Server) adminSMTPTest(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	var in struct {
		To       string          `json:"to"`
		Settings json.RawMessage `json:"settings"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	to, ok := desk.NormalizeAddress(in.To)
	if !ok {
		return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "to must be an email address", Details: map[string]string{"field": "to"}}
	}
	servers, err := s.desk.MailTestServers(r.Context(), c.op.AccountID, id, in.Settings)
	if err != nil {
		return err
	}
	if servers.SMTP == nil {
		return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "settings.smtp is required: the mailbox has no SMTP settings",
			Details: map[string]string{"field": "settings.smtp"}}
	}
	ctx, cancel := context.WithTimeout(r.Context(), mailCheckTimeout)
	defer cancel()
	return writeJSON(w, 200, checkAnswer(submit.Test(ctx, *servers.SMTP, servers.Address, to)))
}

// checkAnswer is a check's outcome: a refused configuration or the server's words.
func checkAnswer(err error) MailCheck {
	if err == nil {
		return MailCheck{OK: true}
	}
	return MailCheck{Error: err.Error(), AuthFailed: errors.Is(err, imapbox.ErrAuth) || errors.Is(err, submit.ErrAuth)}
}
