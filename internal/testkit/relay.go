package testkit

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// Relay is a real SMTP server on loopback standing in for the mail relay livedesk sends
// through (--smtp-relay): it keeps what it is given, or refuses it while Refuse is set.
// Mailbox confirmation mails (X-Livedesk-Confirmation) are kept apart from the rest.
type Relay struct {
	addr string

	mu         sync.Mutex
	refuse     *gosmtp.SMTPError
	mails      []RelayMail
	confirms   []RelayMail
	got        chan struct{}
	gotConfirm chan struct{}
}

// RelayMail is one mail the relay took: the envelope and the raw message.
type RelayMail struct {
	From string
	To   []string
	Raw  []byte
}

// StartRelay runs a Relay until the test's cleanup.
func StartRelay(t testing.TB) *Relay {
	t.Helper()
	r := &Relay{got: make(chan struct{}, 100), gotConfirm: make(chan struct{}, 100)}
	s := gosmtp.NewServer(relayBackend{r})
	s.Domain = "relay.test"
	s.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return r
}

// Addr is the relay's host:port.
func (r *Relay) Addr() string { return r.addr }

// Refuse makes the relay refuse every mail's data with err from now on (nil: take them
// again).
func (r *Relay) Refuse(err *gosmtp.SMTPError) {
	r.mu.Lock()
	r.refuse = err
	r.mu.Unlock()
}

// Next waits (up to 10 seconds) for the next mail the relay takes that is not a mailbox
// confirmation.
func (r *Relay) Next(t testing.TB) RelayMail {
	t.Helper()
	return r.wait(t, r.got, &r.mails, "the relay got no mail")
}

// NextConfirmation waits (up to 10 seconds) for the next mailbox confirmation mail.
func (r *Relay) NextConfirmation(t testing.TB) RelayMail {
	t.Helper()
	return r.wait(t, r.gotConfirm, &r.confirms, "the relay got no confirmation mail")
}

// wait waits for a signal on got and returns the newest of mails.
func (r *Relay) wait(t testing.TB, got <-chan struct{}, mails *[]RelayMail, none string) RelayMail {
	t.Helper()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal(none)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return (*mails)[len(*mails)-1]
}

// Quiet reports whether the relay takes no mail (confirmations aside) for d.
func (r *Relay) Quiet(d time.Duration) bool {
	select {
	case <-r.got:
		return false
	case <-time.After(d):
		return true
	}
}

type relayBackend struct{ r *Relay }

func (b relayBackend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return &relaySession{r: b.r}, nil
}

type relaySession struct {
	r    *Relay
	from string
	to   []string
}

func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

func (s *relaySession) Mail(from string, _ *gosmtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *relaySession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.refuse != nil {
		return s.r.refuse
	}
	m := RelayMail{From: s.from, To: s.to, Raw: raw}
	if strings.Contains(string(raw), "\nX-Livedesk-Confirmation:") {
		s.r.confirms = append(s.r.confirms, m)
		s.r.gotConfirm <- struct{}{}
		return nil
	}
	s.r.mails = append(s.r.mails, m)
	s.r.got <- struct{}{}
	return nil
}
