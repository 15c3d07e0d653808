// Command mailservers runs the private Dovecot and Postfix of package mailserver for tests that
// are not Go tests — the browser tests (web/e2e/mail-flow.spec.ts) spawn it. It starts both
// on free loopback ports, prints one line of JSON with their addresses, the users and their
// maildirs, and runs until its standard input closes or it gets SIGTERM or SIGINT; then it
// stops them and removes their directory. Killed outright, the package's watchdog does that.
//
//	go build -o /tmp/mailservers ./internal/testkit/mailserver/mailservers
//	/tmp/mailservers -user other@customer.test
//
// Exit status: 1 when the servers could not start (the reason on standard error, with their
// logs), 3 when the process is not root (Postfix runs only as root; the tests skip then).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"livedesk/internal/testkit/mailserver"
)

// Ready is the line printed once the servers accept connections.
type Ready struct {
	// IMAP is Dovecot's IMAP port (plain, STARTTLS offered); IMAPS implicit TLS; LMTP its
	// delivery port.
	IMAP  string `json:"imap"`
	IMAPS string `json:"imaps"`
	LMTP  string `json:"lmtp"`
	// SMTP is Postfix's MX-style port (no AUTH: what a customer's mail server speaks to);
	// Submission takes authenticated mail (STARTTLS offered), Submissions over TLS.
	SMTP        string `json:"smtp"`
	Submission  string `json:"submission"`
	Submissions string `json:"submissions"`
	// Support is the team's mailbox, Customer a customer; every user has Password.
	Support  string `json:"support"`
	Customer string `json:"customer"`
	Password string `json:"password"`
	// Maildirs are each user's INBOX maildir (new mail in new/, read mail in cur/).
	Maildirs map[string]string `json:"maildirs"`
	// CertPEM is the servers' self-signed certificate (names localhost and 127.0.0.1).
	CertPEM string `json:"cert_pem"`
}

// runner stands in for a Go test: Fatal reports, stops what started and exits.
type runner struct {
	mu       sync.Mutex
	cleanups []func()
	failed   bool
	done     bool
}

func (r *runner) Helper()                           {}
func (r *runner) Logf(format string, args ...any)   { fmt.Fprintf(os.Stderr, format+"\n", args...) }
func (r *runner) Fatal(args ...any)                 { r.exit(1, fmt.Sprint(args...)) }
func (r *runner) Fatalf(format string, args ...any) { r.exit(1, fmt.Sprintf(format, args...)) }
func (r *runner) Skip(args ...any)                  { r.exit(3, "skipped: "+fmt.Sprint(args...)) }

func (r *runner) Cleanup(fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, fn)
}

func (r *runner) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// stop runs the cleanups, last first, once.
func (r *runner) stop() {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.done = true
	fns := r.cleanups
	r.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

func (r *runner) exit(code int, msg string) {
	if code != 0 && code != 3 {
		r.mu.Lock()
		r.failed = true
		r.mu.Unlock()
	}
	fmt.Fprintln(os.Stderr, "mailservers: "+msg)
	r.stop()
	os.Exit(code)
}

// users is a repeated -user flag.
type users []string

func (u *users) String() string     { return strings.Join(*u, ",") }
func (u *users) Set(v string) error { *u = append(*u, v); return nil }

func main() {
	var extra users
	flag.Var(&extra, "user", "another mailbox user (repeatable), with the same password; its domain must be "+
		mailserver.Domain+" or "+mailserver.CustomerDomain)
	flag.Parse()
	r := &runner{}
	s := mailserver.Start(r)
	all := []string{mailserver.Support, mailserver.Customer}
	for _, u := range extra {
		if !strings.HasSuffix(u, "@"+mailserver.Domain) && !strings.HasSuffix(u, "@"+mailserver.CustomerDomain) {
			r.Fatalf("-user %s: the domain must be %s or %s", u, mailserver.Domain, mailserver.CustomerDomain)
		}
		s.AddUser(u, mailserver.Password)
		all = append(all, strings.ToLower(u))
	}
	cert, err := os.ReadFile(s.Dir + "/cert.pem")
	if err != nil {
		r.Fatal(err)
	}
	ready := Ready{IMAP: s.IMAPAddr, IMAPS: s.IMAPSAddr, LMTP: s.LMTPAddr, SMTP: s.SMTPAddr, Submission: s.SubmissionAddr,
		Submissions: s.SubmissionsAddr, Support: mailserver.Support, Customer: mailserver.Customer, Password: mailserver.Password,
		Maildirs: map[string]string{}, CertPEM: string(cert)}
	for _, u := range all {
		ready.Maildirs[u] = s.Maildir(u)
	}
	line, err := json.Marshal(ready)
	if err != nil {
		r.Fatal(err)
	}
	fmt.Println(string(line))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(closed)
	}()
	select {
	case <-stop:
	case <-closed:
	}
	r.stop()
}
