// Package imapbox watches a team's own IMAP mailbox and hands each new mail to livedesk.
//
// A Watcher logs in with the mailbox's settings (Config), selects the folder and takes the
// mail that is new since the last time by UID: every message whose UID is above the last
// taken one, read or not. The first time, and whenever the folder's UIDVALIDITY changes
// (the server renumbered it), it takes the unread messages instead and from then on
// continues by UID. Each raw message is handed to the Deliver callback; only when Deliver
// returns nil is the message taken: it is marked \Seen (or moved to another folder, a
// setting) and its UID recorded through the State interface, so that across reconnects and
// restarts nothing is taken twice and nothing is missed. Delivery is at least once: a crash
// between Deliver and the record hands the same mail again, and the desk keeps one copy by
// Message-ID.
//
// Between takes the watcher waits with IDLE when the server offers it, otherwise it polls.
// A lost connection, a refused login or an unreachable server is retried with exponential
// backoff (1 s doubling to 5 min by default); a failing Deliver is retried the same way
// without losing the place. Every change of state is reported through a callback with the
// server's own words, so the cabinet can show why a mailbox is not working. Test proves a
// configuration (connect, TLS, login, folder) for the cabinet's check button.
package imapbox

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"livedesk/internal/channel/email/endpoint"
	"net"
	"strconv"
	"strings"
	"unicode"

	"github.com/emersion/go-imap/v2"
)

// Security is how the connection is protected (endpoint.Security).
type Security = endpoint.Security

// The kinds of Security, with IMAP's ports.
const (
	// SecurityTLS is implicit TLS from the first byte (port 993).
	SecurityTLS = endpoint.TLS
	// SecuritySTARTTLS is a plain connection upgraded with STARTTLS before login (port 143).
	SecuritySTARTTLS = endpoint.STARTTLS
	// SecurityNone is no encryption at all, allowed only for loopback hosts.
	SecurityNone = endpoint.None
)

// AfterFetch values: what happens to a taken message.
const (
	// AfterFetchSeen marks a taken message \Seen (the default).
	AfterFetchSeen = "seen"
	// AfterFetchMovePrefix followed by a folder name moves a taken message there.
	AfterFetchMovePrefix = "move:"
)

// DefaultFolder is the folder watched when Config.Folder is empty.
const DefaultFolder = "INBOX"

// Config is one mailbox's IMAP settings.
type Config struct {
	// Host is the server's name or address.
	Host string
	// Port is the server's port; 0 means 993 for SecurityTLS and 143 otherwise.
	Port int
	// Security is "tls", "starttls" or "none" (loopback hosts only).
	Security Security
	// Username and Password log in (LOGIN command).
	Username, Password string
	// Folder is the folder watched; empty means INBOX.
	Folder string
	// AfterFetch is "seen" (empty means seen) or "move:<folder>".
	AfterFetch string
	// RootCAs, when set, replaces the system's roots for verifying the server (tests use a
	// self-signed certificate). It is not a setting of the cabinet.
	RootCAs *x509.CertPool
}

// Validate checks a configuration without connecting: host and port, a known security with
// "none" only for a loopback host, a username, a folder name and AfterFetch.
func (c Config) Validate() error {
	if field, reason := endpoint.Check(c.Host, c.Port, c.Security); field != "" {
		return &FieldError{Field: field, Reason: reason}
	}
	if c.Username == "" {
		return &FieldError{Field: "username", Reason: "is required"}
	}
	if err := checkFolder(c.folder()); err != nil {
		return &FieldError{Field: "folder", Reason: err.Error()}
	}
	if _, err := c.moveTarget(); err != nil {
		return &FieldError{Field: "after_fetch", Reason: err.Error()}
	}
	return nil
}

// folder is the folder to watch.
func (c Config) folder() string {
	if c.Folder == "" {
		return DefaultFolder
	}
	return c.Folder
}

// moveTarget is the folder taken mail moves to, "" to mark it seen instead.
func (c Config) moveTarget() (string, error) {
	switch {
	case c.AfterFetch == "" || c.AfterFetch == AfterFetchSeen:
		return "", nil
	case strings.HasPrefix(c.AfterFetch, AfterFetchMovePrefix):
		target := strings.TrimPrefix(c.AfterFetch, AfterFetchMovePrefix)
		if err := checkFolder(target); err != nil {
			return "", err
		}
		if strings.EqualFold(target, c.folder()) {
			return "", errors.New("must name another folder than the one watched")
		}
		return target, nil
	default:
		return "", fmt.Errorf(`must be "seen" or "move:<folder>"`)
	}
}

func checkFolder(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("a folder name is required")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return errors.New("a folder name has no control characters")
		}
	}
	return nil
}

// address is host:port with the default port.
func (c Config) address() string {
	port := c.Port
	if port == 0 {
		port = 143
		if c.Security == SecurityTLS {
			port = 993
		}
	}
	return net.JoinHostPort(strings.Trim(c.Host, "[]"), strconv.Itoa(port))
}

func (c Config) tlsConfig() *tls.Config { return endpoint.TLSConfig(c.Host, c.RootCAs) }

// FieldError is a configuration that Validate refuses: which setting and why.
type FieldError struct {
	// Field is the setting's name as in the contact point's settings (host, port, security,
	// username, folder, after_fetch).
	Field string
	// Reason says what is wrong, in English.
	Reason string
}

// Error implements error.
func (e *FieldError) Error() string { return "imap " + e.Field + " " + e.Reason }

// Kinds of failure, for errors.Is on an *Error.
var (
	// ErrConnect: the server could not be reached, or the connection broke.
	ErrConnect = errors.New("cannot connect to the IMAP server")
	// ErrTLS: the TLS handshake failed (certificate not trusted, no STARTTLS offered, …).
	ErrTLS = errors.New("TLS with the IMAP server failed")
	// ErrAuth: the server refused the username and password.
	ErrAuth = errors.New("the IMAP server refused the login")
	// ErrFolder: the folder to watch or to move to does not exist or cannot be opened.
	ErrFolder = errors.New("the IMAP folder cannot be opened")
	// ErrServer: the server refused a command after login or spoke nonsense.
	ErrServer = errors.New("the IMAP server refused a command")
	// ErrDeliver: Deliver failed (the mail stays in the mailbox and is handed again).
	ErrDeliver = errors.New("delivering the mail to livedesk failed")
)

// Error is a failure of a watcher or of Test: its kind (one of the Err* values above, for
// errors.Is), what was being done and the server's own words when it said something.
type Error struct {
	// Kind is ErrConnect, ErrTLS, ErrAuth, ErrFolder, ErrServer or ErrDeliver.
	Kind error
	// Op is what was being done: "connect", "login", "select INBOX", "fetch", …
	Op string
	// ServerText is what the server answered (its text and response code), empty when it
	// said nothing (a network error).
	ServerText string
	// Err is the underlying error.
	Err error
}

// Error implements error: the kind, the operation and the server's words or the cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	b.WriteString(" (")
	b.WriteString(e.Op)
	b.WriteString(")")
	switch {
	case e.ServerText != "":
		b.WriteString(": the server said: ")
		b.WriteString(e.ServerText)
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

// serverText is the words of an IMAP status response: "[CODE] text".
func serverText(err error) string {
	var ie *imap.Error
	if !errors.As(err, &ie) {
		return ""
	}
	text := strings.TrimSpace(ie.Text)
	if ie.Code != "" {
		text = "[" + string(ie.Code) + "] " + text
	}
	return text
}

// wrap makes an *Error of kind for op, unless err already is one.
func wrap(kind error, op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: kind, Op: op, ServerText: serverText(err), Err: err}
}
