package email

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"livedesk/internal/attachment"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// MaxMailBytes is the largest mail accepted: 25 MiB of files grow by a third in base64,
// plus headers and text.
const MaxMailBytes = attachment.MaxBytes*4/3 + 2<<20

// InboundOptions configure the SMTP listener.
type InboundOptions struct {
	// Domain is the name the listener greets with.
	Domain string
	// SpoolDir is where a mail's data is written while it is received and parsed (a file
	// per mail, removed after; os.TempDir() when empty).
	SpoolDir string
	// Limits bound sessions, their times and the structure of a mail.
	Limits Limits
}

// Inbound is the SMTP listener that takes mail for the mailboxes.
type Inbound struct {
	desk   *desk.Desk
	files  *attachment.Files
	log    *slog.Logger
	server *smtp.Server
	opts   InboundOptions

	// ctx ends when the listener is shut down: mail still being processed stops.
	ctx    context.Context
	cancel context.CancelFunc

	mu sync.Mutex
	ln *limitListener
}

// NewInbound returns the listener.
func NewInbound(d *desk.Desk, files *attachment.Files, opts InboundOptions, log *slog.Logger) *Inbound {
	opts.Limits = opts.Limits.withDefaults()
	if opts.SpoolDir == "" {
		opts.SpoolDir = os.TempDir()
	}
	in := &Inbound{desk: d, files: files, log: log, opts: opts}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	s := smtp.NewServer(in)
	s.Domain = opts.Domain
	s.MaxMessageBytes = MaxMailBytes
	s.MaxRecipients = 50
	s.ReadTimeout = opts.Limits.IdleTimeout // cut further by the session's limits (sessionConn)
	s.WriteTimeout = time.Minute
	s.ErrorLog = slogWriter{log}
	in.server = s
	return in
}

// Serve accepts SMTP connections on ln until Shutdown, within the limits.
func (in *Inbound) Serve(ln net.Listener) error {
	l := newLimitListener(ln, in.opts.Limits)
	in.mu.Lock()
	in.ln = l
	in.mu.Unlock()
	err := in.server.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Counts says how many SMTP connections are held now and how many were refused at accept.
func (in *Inbound) Counts() (open, refused int) {
	in.mu.Lock()
	l := in.ln
	in.mu.Unlock()
	if l == nil {
		return 0, 0
	}
	return l.counts()
}

// Shutdown stops accepting and waits for the sessions in progress; when ctx ends first,
// the mail still being processed is abandoned (not acknowledged: the sender retries).
func (in *Inbound) Shutdown(ctx context.Context) error {
	err := in.server.Shutdown(ctx)
	in.cancel()
	if err != nil {
		in.server.Close()
	}
	return err
}

// NewSession starts one SMTP conversation after the greeting (smtp.Backend). Connections
// were counted already when accepted (limitListener).
func (in *Inbound) NewSession(c *smtp.Conn) (smtp.Session, error) {
	sc, _ := c.Conn().(*sessionConn)
	s := &session{in: in, conn: sc}
	s.progress()
	return s, nil
}

type session struct {
	in    *Inbound
	conn  *sessionConn // nil only when served without the limit listener
	boxes []*livedesk.ContactPoint
	// nullSender: MAIL FROM:<>, the sender of bounces and auto-replies.
	nullSender bool
}

func (s *session) progress() {
	if s.conn != nil {
		s.conn.progress()
	}
}

// Reset is smtp.Session's.
func (s *session) Reset() { s.boxes, s.nullSender = nil, false }

// Logout is smtp.Session's; the connection's places are given back when it closes.
func (s *session) Logout() error { return nil }

// Mail is smtp.Session's: the envelope sender only tells whether it is the null sender
// (automatic mail); the visitor is the mail's From.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.nullSender = strings.Trim(strings.TrimSpace(from), "<>") == ""
	s.progress()
	return nil
}

// Rcpt is smtp.Session's: each recipient must be a mailbox here.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.rcpt(to); err != nil {
		return err
	}
	s.progress()
	return nil
}

func (s *session) rcpt(to string) error {
	addr, ok := desk.NormalizeAddress(to)
	if !ok {
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "bad recipient address"}
	}
	ctx, cancel := context.WithTimeout(s.in.ctx, 10*time.Second)
	defer cancel()
	cp, err := s.in.desk.MailboxOf(ctx, addr)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
	}
	if err != nil {
		s.in.log.Error("smtp: mailbox lookup", "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	for _, b := range s.boxes {
		if b.ID == cp.ID {
			return nil
		}
	}
	s.boxes = append(s.boxes, cp)
	return nil
}

var errTryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "could not store the mail, try again later"}

// Data spools the mail to a temporary file (not memory), then parses it once and gives it
// to every mailbox it was addressed to, within ProcessTimeout and only while the client
// stays connected.
func (s *session) Data(r io.Reader) error {
	if s.conn != nil {
		s.conn.data(true)
		defer s.conn.data(false)
	}
	f, err := os.CreateTemp(s.in.opts.SpoolDir, "smtp-*")
	if err != nil {
		s.in.log.Error("smtp: spool", "err", err)
		return errTryLater
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	if _, err := io.Copy(f, r); err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			return err
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "could not read the mail"}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return errTryLater
	}
	ctx, cancel := context.WithTimeout(s.in.ctx, s.in.opts.Limits.ProcessTimeout)
	defer cancel()
	if s.conn != nil {
		s.conn.data(false)
		stop := s.conn.watch(cancel)
		defer stop()
	}
	err = s.in.deliver(ctx, s.boxes, bufio.NewReaderSize(f, 64<<10), s.nullSender)
	if errors.Is(err, errConfirmationMail) {
		s.in.log.Warn("smtp: a confirmation mail came back to livedesk, not taken", "mailboxes", len(s.boxes))
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: "address confirmation mails are not taken into mailboxes here"}
	}
	if err != nil {
		s.in.log.Warn("smtp: mail not taken", "err", err)
		return errTryLater
	}
	return nil
}

// deliver parses the mail and gives it to each mailbox: a delivery report to the reply it
// names (bounce), anything else to ReceiveMail. nullSender: it came with MAIL FROM:<>.
func (in *Inbound) deliver(ctx context.Context, boxes []*livedesk.ContactPoint, r io.Reader, nullSender bool) error {
	res, err := ParseMail(ctx, r, ParseOptions{Limits: in.opts.Limits.MIME, Put: in.files.Put, Log: in.log, NullSender: nullSender})
	kept := false
	defer func() { in.files.Done(context.WithoutCancel(ctx), res.Uploads, kept) }()
	if err != nil {
		return err
	}
	m := res.Inbound()
	for _, cp := range boxes {
		if res.Bounce != nil {
			if err := in.bounce(ctx, cp, res); err != nil {
				return fmt.Errorf("mailbox %d: %w", cp.ID, err)
			}
			continue
		}
		if _, err := in.desk.ReceiveMail(ctx, cp, m); err != nil {
			return fmt.Errorf("mailbox %d: %w", cp.ID, err)
		}
		kept = true
	}
	return nil
}

// Inbound is the mail for desk.ReceiveMail: of a reply that quotes the thread only the new
// text, the whole text kept as FullText; and whether it must never get an automatic reply.
func (res *Parsed) Inbound() desk.InboundMail {
	m := res.Mail
	m.NoAutoReply, m.AutoReason = res.NoAutoReply, res.AutoReason
	if res.Quoted && res.NewText != "" && res.NewText != m.Text {
		m.FullText, m.Text = m.Text, res.NewText
	}
	return m
}

// bounce takes a delivery report sent to the mailbox cp. It never opens a conversation: a
// failure that names one of the account's replies marks that reply's mail failed with the
// server's words (desk.MailBounced); a delay or success notice, or a report about mail that
// is not a reply of the account, is only logged (the sender gets 250: refusing a report
// makes another report).
func (in *Inbound) bounce(ctx context.Context, cp *livedesk.ContactPoint, res *Parsed) error {
	b := res.Bounce
	attrs := []any{"mailbox", cp.ID, "account", cp.AccountID, "original", b.OriginalMessageID, "action", b.Action,
		"status", b.Status, "recipient", b.FinalRecipient, "from", res.Mail.FromAddress}
	if !b.Failed() {
		in.log.Info("smtp: a delivery report that is not a failure, nothing to do", attrs...)
		return nil
	}
	ours, err := in.desk.MailBounced(ctx, cp, b.OriginalMessageID, b.Reason())
	if err != nil {
		return err
	}
	if !ours {
		in.log.Info("smtp: a delivery failure for no reply of this mailbox's account, not taken", append(attrs, "reason", b.Reason())...)
		return nil
	}
	in.log.Info("smtp: a reply's mail bounced, marked failed", append(attrs, "reason", b.Reason())...)
	return nil
}

// parse reads a mail from raw with the listener's limits (tests and benchmarks).
func (in *Inbound) parse(ctx context.Context, raw []byte) (desk.InboundMail, []attachment.Upload, error) {
	res, err := ParseMail(ctx, bytes.NewReader(raw), ParseOptions{Limits: in.opts.Limits.MIME, Put: in.files.Put})
	return res.Inbound(), res.Uploads, err
}

func extension(contentType string) string {
	if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}

// slogWriter gives the SMTP server's log lines to slog (smtp.Logger's Printf and Println).
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Printf(format string, v ...any) { w.log.Warn("smtp: " + fmt.Sprintf(format, v...)) }
func (w slogWriter) Println(v ...any)               { w.log.Warn("smtp: " + fmt.Sprint(v...)) }
