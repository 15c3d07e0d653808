// Package submit sends mail through a team's own SMTP submission server (per mailbox
// settings: 587 with STARTTLS, 465 with implicit TLS, or a loopback server without TLS),
// authenticating with AUTH PLAIN, or LOGIN when the server offers only that.
//
// Send hands one message over unchanged — its Message-ID, In-Reply-To and References are
// the caller's — and reports a failure as an *Error whose kind tells the outbox what to do:
//
//   - ErrTemporary (a 4xx reply) and ErrConnect (no connection, a timeout, a connection
//     that broke): try the same mail again later;
//   - ErrPermanent (a 5xx reply to MAIL, RCPT or DATA): this mail will never go; mark it
//     failed;
//   - ErrAuth (the server refused the username and password, or offers no way to log in)
//     and ErrTLS (no STARTTLS, a certificate that is not trusted): the settings are wrong;
//     the mail may go once an admin has fixed them, and the cabinet should say so.
//
// Test sends a short test mail for the cabinet's "send test mail" button.
package submit

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"livedesk/internal/channel/email/endpoint"
	"mime"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Security is how the connection is protected (endpoint.Security).
type Security = endpoint.Security

// The kinds of Security, with submission's ports.
const (
	// SecuritySTARTTLS is a plain connection upgraded with STARTTLS (port 587).
	SecuritySTARTTLS = endpoint.STARTTLS
	// SecurityTLS is implicit TLS from the first byte (port 465).
	SecurityTLS = endpoint.TLS
	// SecurityNone is no encryption at all, allowed only for loopback hosts (port 25).
	SecurityNone = endpoint.None
)

// DefaultTimeout bounds a whole Send when the context has no deadline.
const DefaultTimeout = 2 * time.Minute

// Config is one mailbox's submission settings.
type Config struct {
	// Host is the server's name or address.
	Host string
	// Port is the server's port; 0 means 587 for starttls, 465 for tls and 25 for none.
	Port int
	// Security is "starttls", "tls" or "none" (loopback hosts only).
	Security Security
	// Username and Password authenticate; an empty Username sends without AUTH (a loopback
	// MTA that trusts its clients).
	Username, Password string
	// HelloName is the name sent with EHLO; empty means "localhost".
	HelloName string
	// RootCAs, when set, replaces the system's roots for verifying the server (tests use a
	// self-signed certificate). It is not a setting of the cabinet.
	RootCAs *x509.CertPool
}

// FieldError is a configuration that Validate refuses: which setting and why.
type FieldError struct {
	// Field is the setting's name as in the contact point's settings.
	Field string
	// Reason says what is wrong, in English.
	Reason string
}

// Error implements error.
func (e *FieldError) Error() string { return "smtp " + e.Field + " " + e.Reason }

// Validate checks a configuration without connecting: host and port, and a known security
// with "none" only for a loopback host.
func (c Config) Validate() error {
	if field, reason := endpoint.Check(c.Host, c.Port, c.Security); field != "" {
		return &FieldError{Field: field, Reason: reason}
	}
	if c.Username == "" && c.Password != "" {
		return &FieldError{Field: "username", Reason: "is required with a password"}
	}
	return nil
}

func (c Config) address() string {
	port := c.Port
	if port == 0 {
		switch c.Security {
		case SecurityTLS:
			port = 465
		case SecuritySTARTTLS:
			port = 587
		default:
			port = 25
		}
	}
	return net.JoinHostPort(strings.Trim(c.Host, "[]"), strconv.Itoa(port))
}

func (c Config) tlsConfig() *tls.Config { return endpoint.TLSConfig(c.Host, c.RootCAs) }

// Kinds of failure, for errors.Is on an *Error.
var (
	// ErrConnect: no connection, a timeout, or a connection that broke: try again later.
	ErrConnect = errors.New("cannot reach the SMTP server")
	// ErrTLS: no STARTTLS offered, or the TLS handshake failed (certificate not trusted).
	ErrTLS = errors.New("TLS with the SMTP server failed")
	// ErrAuth: the server refused the login, or offers no AUTH mechanism livedesk speaks.
	ErrAuth = errors.New("the SMTP server refused the login")
	// ErrTemporary: the server refused for now (4xx): try again later.
	ErrTemporary = errors.New("the SMTP server refused the mail for now")
	// ErrPermanent: the server refused the mail for good (5xx).
	ErrPermanent = errors.New("the SMTP server refused the mail")
)

// Error is a failed Send: its kind (one of the Err* values, for errors.Is), the step,
// the server's reply code and words when it answered.
type Error struct {
	// Kind is ErrConnect, ErrTLS, ErrAuth, ErrTemporary or ErrPermanent.
	Kind error
	// Op is the step: "connect", "starttls", "auth", "mail from", "rcpt to <addr>", "data".
	Op string
	// Code is the server's reply code (0 when it did not answer), EnhancedCode its
	// enhanced status code ("5.7.8") when it gave one.
	Code         int
	EnhancedCode string
	// ServerText is the server's own words.
	ServerText string
	// Err is the underlying error.
	Err error
}

// Error implements error: the kind, the step and the server's reply or the cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	b.WriteString(" (")
	b.WriteString(e.Op)
	b.WriteString(")")
	switch {
	case e.Code != 0:
		fmt.Fprintf(&b, ": the server said: %d", e.Code)
		if e.EnhancedCode != "" {
			b.WriteString(" " + e.EnhancedCode)
		}
		if e.ServerText != "" {
			b.WriteString(" " + e.ServerText)
		}
	case e.Err != nil:
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap gives the kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Temporary tells whether the same mail may succeed later with the same settings
// (ErrTemporary, ErrConnect).
func (e *Error) Temporary() bool {
	return errors.Is(e.Kind, ErrTemporary) || errors.Is(e.Kind, ErrConnect)
}

// classify makes an *Error of a failed step. A reply sorts by its code (auth refusals
// are ErrAuth unless temporary); no reply is a TLS or connection failure.
func classify(ctx context.Context, op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		out := &Error{Op: op, Code: se.Code, ServerText: strings.TrimSpace(se.Message), Err: err}
		if ec := se.EnhancedCode; ec != smtp.EnhancedCodeNotSet && ec != smtp.NoEnhancedCode {
			out.EnhancedCode = fmt.Sprintf("%d.%d.%d", ec[0], ec[1], ec[2])
		}
		switch {
		case se.Code/100 == 4:
			out.Kind = ErrTemporary
		case op == "auth":
			out.Kind = ErrAuth
		case se.Code/100 == 5:
			out.Kind = ErrPermanent
		default:
			out.Kind = ErrTemporary
		}
		return out
	}
	if ctx.Err() != nil {
		return &Error{Kind: ErrConnect, Op: op, Err: fmt.Errorf("no answer in time: %w", err)}
	}
	if isTLSError(err) {
		return &Error{Kind: ErrTLS, Op: op, Err: err}
	}
	return &Error{Kind: ErrConnect, Op: op, Err: err}
}

func isTLSError(err error) bool {
	var (
		certErr   *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
	)
	return errors.As(err, &certErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr) ||
		errors.As(err, &unknownCA) || errors.As(err, &hostErr) || strings.Contains(err.Error(), "tls:")
}

// Send delivers msg (a whole RFC 5322 message, sent unchanged) from the envelope sender
// from to the recipients to. It connects with the configured security, authenticates when
// a username is set (PLAIN, else LOGIN; never over an unencrypted connection to a host
// that is not loopback), and is bounded by ctx (DefaultTimeout when ctx has no deadline).
// A failure is an *Error (or a *FieldError for a configuration Validate refuses).
func Send(ctx context.Context, cfg Config, from string, to []string, msg []byte) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if len(to) == 0 {
		return errors.New("submit: no recipients")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	c, unwatch, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer unwatch()
	defer c.Close()
	if err := authenticate(ctx, c, cfg); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return classify(ctx, "mail from", err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return classify(ctx, "rcpt to <"+rcpt+">", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classify(ctx, "data", err)
	}
	if _, err := w.Write(msg); err != nil {
		_ = w.Close()
		return classify(ctx, "data", err)
	}
	if err := w.Close(); err != nil {
		return classify(ctx, "data", err)
	}
	// The mail is accepted; a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// connect dials with the configured security and greets; a cancelled ctx closes the
// connection, which ends any step waiting on it.
func connect(ctx context.Context, cfg Config) (c *smtp.Client, unwatch func() bool, err error) {
	d := &net.Dialer{KeepAlive: 30 * time.Second}
	var conn net.Conn
	if cfg.Security == SecurityTLS {
		td := &tls.Dialer{NetDialer: d, Config: cfg.tlsConfig()}
		conn, err = td.DialContext(ctx, "tcp", cfg.address())
	} else {
		conn, err = d.DialContext(ctx, "tcp", cfg.address())
	}
	if err != nil {
		return nil, nil, classify(ctx, "connect", err)
	}
	// The client sets its own deadline per command; ctx ending (its deadline included)
	// closes the connection, which ends whatever step is waiting.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer func() {
		if c == nil {
			stop()
		}
	}()
	hello := cfg.HelloName
	if hello == "" {
		hello = "localhost"
	}
	if cfg.Security == SecuritySTARTTLS {
		c, err = smtp.NewClientStartTLS(conn, cfg.tlsConfig())
		if err != nil {
			if strings.Contains(err.Error(), "doesn't support STARTTLS") {
				return nil, nil, &Error{Kind: ErrTLS, Op: "starttls", Err: errors.New("the server does not offer STARTTLS")}
			}
			conn.Close()
			op := "starttls"
			var se *smtp.SMTPError
			if !errors.As(err, &se) && !isTLSError(err) {
				op = "connect"
			}
			return nil, nil, classify(ctx, op, err)
		}
	} else {
		c = smtp.NewClient(conn)
	}
	if err := c.Hello(hello); err != nil {
		c.Close()
		op := "connect"
		if cfg.Security != SecurityNone && isTLSError(err) {
			op = "starttls"
		}
		return nil, nil, classify(ctx, op, err)
	}
	return c, stop, nil
}

// authenticate logs in with PLAIN, or LOGIN when only that is offered.
func authenticate(ctx context.Context, c *smtp.Client, cfg Config) error {
	if cfg.Username == "" {
		return nil
	}
	if _, tlsOn := c.TLSConnectionState(); !tlsOn && !endpoint.IsLoopback(cfg.Host) {
		return &Error{Kind: ErrTLS, Op: "auth", Err: errors.New("refusing to send the password without TLS")}
	}
	ok, _ := c.Extension("AUTH")
	if !ok {
		return &Error{Kind: ErrAuth, Op: "auth", Err: errors.New("the server offers no AUTH (is this a submission port?)")}
	}
	var mech sasl.Client
	switch {
	case c.SupportsAuth(sasl.Plain):
		mech = sasl.NewPlainClient("", cfg.Username, cfg.Password)
	case c.SupportsAuth(sasl.Login):
		mech = sasl.NewLoginClient(cfg.Username, cfg.Password)
	default:
		_, mechs := c.Extension("AUTH")
		return &Error{Kind: ErrAuth, Op: "auth", Err: fmt.Errorf("the server offers neither PLAIN nor LOGIN (only %s)", mechs)}
	}
	if err := c.Auth(mech); err != nil {
		return classify(ctx, "auth", err)
	}
	return nil
}

// Test sends a short test mail from from to to through the configured server, for the
// cabinet's "send test mail" button. The mail says what it is, carries
// Auto-Submitted: auto-generated (so that no auto-responder answers it) and a fresh
// Message-ID. Errors are those of Send.
func Test(ctx context.Context, cfg Config, from, to string) error {
	msg, err := TestMessage(from, to, time.Now())
	if err != nil {
		return err
	}
	return Send(ctx, cfg, from, []string{to}, msg)
}

// TestMessage builds the mail that Test sends.
func TestMessage(from, to string, now time.Time) ([]byte, error) {
	for _, a := range []string{from, to} {
		if strings.ContainsAny(a, "\r\n<>") || !strings.Contains(a, "@") {
			return nil, fmt.Errorf("submit: %q is not a mail address", a)
		}
	}
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	domain := from[strings.LastIndex(from, "@")+1:]
	var b strings.Builder
	b.WriteString("From: " + from + "\r\n")
	b.WriteString("To: " + to + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", "livedesk: проверка отправки почты") + "\r\n")
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("Message-ID: <test-" + hex.EncodeToString(id) + "@" + domain + ">\r\n")
	b.WriteString("Auto-Submitted: auto-generated\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString("Это проверочное письмо livedesk: настройки отправки почты работают.\r\n")
	b.WriteString("This is a test mail from livedesk: the mailbox's sending settings work.\r\n")
	return []byte(b.String()), nil
}
