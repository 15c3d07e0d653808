package submit

import (
	"context"
	"errors"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"livedesk/internal/channel/email/imapbox"
	"livedesk/internal/testkit/mailserver"
)

// cfgFor is the support user's submission configuration for a port of the test Postfix.
func cfgFor(t *testing.T, address string, sec Security, roots bool, s *mailserver.Server) Config {
	t.Helper()
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	c := Config{Host: host, Port: p, Security: sec, Username: mailserver.Support, Password: mailserver.Password, HelloName: "livedesk.test"}
	if roots {
		c.RootCAs = s.RootCAs
	}
	return c
}

// customerBox reads the customer's mailbox over IMAP with the watcher and collects the
// mail by Message-ID.
type customerBox struct {
	mu   sync.Mutex
	byID map[string]*mail.Message
	raw  map[string][]byte
	note chan struct{}
}

func watchCustomer(t *testing.T, s *mailserver.Server) *customerBox {
	t.Helper()
	box := &customerBox{byID: map[string]*mail.Message{}, raw: map[string][]byte{}, note: make(chan struct{}, 100)}
	host, port, _ := net.SplitHostPort(s.IMAPAddr)
	p, _ := strconv.Atoi(port)
	w, err := imapbox.New(imapbox.Config{Host: host, Port: p, Security: imapbox.SecurityNone, Username: mailserver.Customer, Password: mailserver.Password},
		imapbox.Options{State: &imapbox.MemoryState{}, MinBackoff: 50 * time.Millisecond, Deliver: func(_ context.Context, raw []byte) error {
			m, err := mail.ReadMessage(strings.NewReader(string(raw)))
			if err != nil {
				return err
			}
			box.mu.Lock()
			id := m.Header.Get("Message-ID")
			box.byID[id], box.raw[id] = m, raw
			box.mu.Unlock()
			box.note <- struct{}{}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = w.Watch(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return box
}

func (b *customerBox) wait(t *testing.T, id string) *mail.Message {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		b.mu.Lock()
		m := b.byID[id]
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-b.note:
		case <-deadline:
			t.Fatalf("mail %s never reached the customer's mailbox", id)
		}
	}
}

func TestSendThroughPostfixKeepsThreadingHeaders(t *testing.T) {
	s := mailserver.Start(t)
	box := watchCustomer(t, s)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"starttls 587-style", cfgFor(t, s.SubmissionAddr, SecuritySTARTTLS, true, s)},
		{"implicit tls 465-style", cfgFor(t, s.SubmissionsAddr, SecurityTLS, true, s)},
		{"none on loopback", cfgFor(t, s.SubmissionAddr, SecurityNone, false, s)},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := "<reply-" + strconv.Itoa(i) + ".1700000000@" + mailserver.Domain + ">"
			inReplyTo := "<CAF=q9+Xa_b" + strconv.Itoa(i) + "@mail.customer.test>"
			refs := "<first-" + strconv.Itoa(i) + "@mail.customer.test>\r\n <second@example.test> " + inReplyTo
			msg := "From: =?utf-8?q?=D0=90=D0=BD=D0=BD=D0=B0?= <" + mailserver.Support + ">\r\n" +
				"To: <" + mailserver.Customer + ">\r\n" +
				"Subject: =?utf-8?b?UmU6INCS0L7Qv9GA0L7RgQ==?=\r\n" +
				"Date: Mon, 02 Jan 2026 15:04:05 +0300\r\n" +
				"Message-ID: " + id + "\r\n" +
				"In-Reply-To: " + inReplyTo + "\r\n" +
				"References: " + refs + "\r\n" +
				"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
				"Здравствуйте! Ответ оператора.\r\n.line starting with a dot\r\n"
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := Send(ctx, tc.cfg, mailserver.Support, []string{mailserver.Customer}, []byte(msg)); err != nil {
				t.Fatalf("Send: %v\n%s", err, s.Log())
			}
			got := box.wait(t, id)
			if v := got.Header.Get("In-Reply-To"); v != inReplyTo {
				t.Errorf("In-Reply-To = %q, want %q", v, inReplyTo)
			}
			box.mu.Lock()
			raw := string(box.raw[id])
			box.mu.Unlock()
			if !strings.Contains(raw, "References: "+refs+"\r\n") {
				t.Errorf("References not kept byte for byte in:\n%s", raw)
			}
			if !strings.Contains(raw, "\r\n\r\nЗдравствуйте! Ответ оператора.\r\n.line starting with a dot\r\n") {
				t.Errorf("body changed:\n%s", raw)
			}
		})
	}
}

func TestErrorsFromPostfix(t *testing.T) {
	s := mailserver.Start(t)
	good := cfgFor(t, s.SubmissionAddr, SecuritySTARTTLS, true, s)
	msg, err := TestMessage(mailserver.Support, mailserver.Customer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		cfg       func() Config
		to        string
		kind      error
		code      int
		op        string
		words     string // part of the server's words or the cause
		temporary bool
	}{
		{"wrong password", func() Config { c := good; c.Password = "wrong"; return c }, mailserver.Customer,
			ErrAuth, 535, "auth", "authentication failed", false},
		{"recipient refused for good", func() Config { return good }, mailserver.RefusedRecipient,
			ErrPermanent, 550, "rcpt to <" + mailserver.RefusedRecipient + ">", "refuses all mail", false},
		{"recipient refused for now", func() Config { return good }, mailserver.DeferredRecipient,
			ErrTemporary, 450, "rcpt to <" + mailserver.DeferredRecipient + ">", "try again later", true},
		{"certificate not trusted", func() Config { c := good; c.RootCAs = nil; return c }, mailserver.Customer,
			ErrTLS, 0, "starttls", "certificate", false},
		{"implicit tls to a plain port", func() Config { c := good; c.Security = SecurityTLS; return c }, mailserver.Customer,
			ErrTLS, 0, "connect", "", false},
		{"MX port offers no AUTH", func() Config { return cfgFor(t, s.SMTPAddr, SecuritySTARTTLS, true, s) }, mailserver.Customer,
			ErrAuth, 0, "auth", "no AUTH", false},
		{"nothing listening", func() Config { c := good; c.Port = closedPort(t); return c }, mailserver.Customer,
			ErrConnect, 0, "connect", "refused", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := Send(ctx, tc.cfg(), mailserver.Support, []string{tc.to}, msg)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tc.kind) {
				t.Fatalf("Send = %v, want %v", err, tc.kind)
			}
			if e.Code != tc.code || e.Op != tc.op || e.Temporary() != tc.temporary {
				t.Fatalf("error %+v: want code %d, op %q, temporary %v", e, tc.code, tc.op, tc.temporary)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.words)) {
				t.Fatalf("error %q lacks %q", err, tc.words)
			}
		})
	}
}

func TestTestMail(t *testing.T) {
	s := mailserver.Start(t)
	box := watchCustomer(t, s)
	cfg := cfgFor(t, s.SubmissionsAddr, SecurityTLS, true, s)
	if err := Test(context.Background(), cfg, mailserver.Support, mailserver.Customer); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(20 * time.Second)
	for {
		box.mu.Lock()
		var found *mail.Message
		for _, m := range box.byID {
			found = m
		}
		box.mu.Unlock()
		if found != nil {
			if found.Header.Get("Auto-Submitted") != "auto-generated" || !strings.Contains(found.Header.Get("Subject"), "?utf-8?") {
				t.Fatalf("test mail headers: %v", found.Header)
			}
			return
		}
		select {
		case <-box.note:
		case <-deadline:
			t.Fatal("the test mail never arrived")
		}
	}
}

func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestSilentServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // never greets
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = Send(ctx, Config{Host: "127.0.0.1", Port: port, Security: SecurityNone}, "a@example.test", []string{"b@example.test"}, []byte("x"))
	if !errors.Is(err, ErrConnect) || !err.(*Error).Temporary() {
		t.Fatalf("Send to a silent server = %v, want a temporary ErrConnect", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("gave up after %s", d)
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Host: "smtp.yandex.ru", Port: 465, Security: SecurityTLS, Username: "support@shop.example", Password: "pw"}
	tests := []struct {
		name   string
		change func(*Config)
		field  string
	}{
		{"tls", func(c *Config) {}, ""},
		{"starttls", func(c *Config) { c.Security, c.Port = SecuritySTARTTLS, 587 }, ""},
		{"none on loopback", func(c *Config) { c.Security, c.Host = SecurityNone, "127.0.0.1" }, ""},
		{"none on localhost without auth", func(c *Config) { c.Security, c.Host, c.Username, c.Password = SecurityNone, "localhost", "", "" }, ""},
		{"none on a remote host", func(c *Config) { c.Security = SecurityNone }, "security"},
		{"none on a LAN address", func(c *Config) { c.Security, c.Host = SecurityNone, "192.168.1.10" }, "security"},
		{"unknown security", func(c *Config) { c.Security = "ssl" }, "security"},
		{"no host", func(c *Config) { c.Host = "" }, "host"},
		{"host with a port", func(c *Config) { c.Host = "smtp.example:25" }, "host"},
		{"bad port", func(c *Config) { c.Port = -1 }, "port"},
		{"password without username", func(c *Config) { c.Username = "" }, "username"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Validate()
			var fe *FieldError
			if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field) {
				t.Fatalf("Validate = %v, want field %q", err, tc.field)
			}
		})
	}
	defaults := map[Security]string{SecurityTLS: "465", SecuritySTARTTLS: "587", SecurityNone: "25"}
	for sec, port := range defaults {
		if got := (Config{Host: "h", Security: sec}).address(); got != "h:"+port {
			t.Errorf("default address for %s = %s", sec, got)
		}
	}
}
