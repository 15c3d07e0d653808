package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/channel/email/submit"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// mailCheckTimeout bounds a check button's connection.
const mailCheckTimeout = 30 * time.Second

// MailboxAnswer is the answer of GET …/mailbox: the address's confirmation and the status
// of the mailbox's own servers (null when it has none, or nothing happened yet), the same on
// every node.
type MailboxAnswer struct {
	*livedesk.MailboxState
	IMAPStatus *livedesk.IMAPWatchStatus `json:"imap_status"`
	SMTPStatus *livedesk.SMTPSendStatus  `json:"smtp_status"`
}

// MailCheck is the answer of a check button: ok, or the error in the server's words.
type MailCheck struct {
	OK         bool   `json:"ok"`
	Error      string `json:"error,omitempty"`
	AuthFailed bool   `json:"auth_failed"`
}

// mailboxAnswer adds the servers' status to a mailbox state.
func (s *Server) mailboxAnswer(ctx context.Context, m *livedesk.MailboxState) (MailboxAnswer, error) {
	st, err := s.desk.MailStatus(ctx, m.AccountID, m.ContactPointID)
	if err != nil {
		return MailboxAnswer{}, err
	}
	return MailboxAnswer{MailboxState: m, IMAPStatus: st.IMAP, SMTPStatus: st.SMTP}, nil
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
