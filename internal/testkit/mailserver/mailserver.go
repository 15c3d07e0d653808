// Package mailserver starts private instances of Debian's Dovecot (IMAP, LMTP, SASL auth)
// and Postfix (MX-style SMTP and authenticated submission) for tests, on free loopback
// ports, with their configuration, queues and maildirs in a temporary directory. Postfix
// delivers mail for the test domains into the Dovecot users' maildirs through Dovecot's
// LMTP, so a mail sent to Server.SMTPAddr or through Server.SubmissionAddr can be read back
// over IMAP at Server.IMAPAddr. Both are stopped when the test ends.
//
// The programs come from the Debian packages dovecot-imapd, dovecot-lmtpd and postfix
// (.ci/run installs them). A test that calls Start fails, rather than skips, when they are
// missing. Postfix runs only as root (its master drops privileges to the postfix user); a
// test process that is not root is skipped by Start with a message saying so. Dovecot alone
// (StartDovecot) also runs as an ordinary user.
package mailserver

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Domain is the mail domain of the default users; CustomerDomain is a second local domain
// for the other side of a conversation. Postfix delivers both into Dovecot.
const (
	Domain         = "example.test"
	CustomerDomain = "customer.test"
)

// Password is the password of every user that Start creates.
const Password = "test-password"

// Default users, created by Start: the support mailbox and a customer.
const (
	Support  = "support@" + Domain
	Customer = "customer@" + CustomerDomain
)

// installHint is the failure message when a program is missing.
const installHint = "install dovecot-imapd dovecot-lmtpd postfix (see .ci/run)"

// TB is what the servers need of the test that runs them: testing.TB has it, and so does the
// mailservers program (./mailservers) that runs them for the browser tests. Fatal must not
// return; Cleanup's functions run when the test ends.
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Skip(args ...any)
	Cleanup(fn func())
	Logf(format string, args ...any)
	Failed() bool
}

// Server is a running private Dovecot, and with Start also Postfix.
type Server struct {
	// IMAPAddr is Dovecot's IMAP port (plain, STARTTLS offered, plaintext login allowed).
	IMAPAddr string
	// IMAPSAddr is Dovecot's IMAP port with implicit TLS.
	IMAPSAddr string
	// LMTPAddr is Dovecot's LMTP port (Deliver uses it; Postfix delivers through it).
	LMTPAddr string
	// SMTPAddr is Postfix's MX-style port: no authentication, mail for the test domains only.
	SMTPAddr string
	// SubmissionAddr is Postfix's submission port: STARTTLS offered, AUTH PLAIN/LOGIN
	// (through Dovecot) required before any mail, also without TLS since it is loopback.
	SubmissionAddr string
	// SubmissionsAddr is Postfix's submission port with implicit TLS, AUTH required.
	SubmissionsAddr string
	// RootCAs trusts the self-signed certificate both servers present (names localhost and
	// 127.0.0.1).
	RootCAs *x509.CertPool
	// Dir is the temporary directory with configuration, queues, logs and maildirs.
	Dir string

	t             TB
	mu            sync.Mutex
	users         map[string]string
	mailUID       int
	mailGID       int
	dovecot       *exec.Cmd
	dovecotExited <-chan struct{}
	watchdog      *exec.Cmd
	postfix       bool
	usersMap      string
}

// Start starts Dovecot and Postfix with the users Support and Customer (password
// Password) and stops them when the test ends. It fails the test when the programs are not
// installed and skips it when the process is not root (Postfix cannot run otherwise).
func Start(t TB) *Server {
	t.Helper()
	need(t, "dovecot", "postfix")
	if os.Geteuid() != 0 {
		t.Skip("mailserver: Postfix runs only as root; run this test as root (CI does)")
	}
	s := start(t)
	s.startPostfix()
	return s
}

// StartDovecot starts only Dovecot (IMAP on IMAPAddr and IMAPSAddr) with the users Support
// and Customer; mail is put in with Append. It works as root and as an ordinary user.
func StartDovecot(t TB) *Server {
	t.Helper()
	need(t, "dovecot")
	return start(t)
}

// need fails the test when a program is missing.
func need(t TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := lookPath(p); err != nil {
			t.Fatalf("mailserver: %s not found: %s", p, installHint)
		}
	}
	if _, err := os.Stat(lmtpBinary); err != nil && contains(progs, "dovecot") {
		t.Fatalf("mailserver: Dovecot's LMTP server %s not found: %s", lmtpBinary, installHint)
	}
}

const lmtpBinary = "/usr/lib/dovecot/lmtp"

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lookPath finds a program in PATH or in the sbin directories a non-login root shell may
// lack.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found", name)
}

func start(t TB) *Server {
	t.Helper()
	// Not t.TempDir: its parents are 0700, and Postfix's and Dovecot's unprivileged
	// processes must reach the sockets and maildirs inside.
	dir, err := os.MkdirTemp("", "livedesk-mail-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, Dir: dir, users: map[string]string{}}
	t.Cleanup(s.stop)
	s.startWatchdog()
	s.makeCert()
	s.mailUID, s.mailGID = os.Getuid(), os.Getgid()
	if os.Geteuid() == 0 {
		// Dovecot refuses to access mail as root: the maildirs belong to nobody.
		s.mailUID, s.mailGID = lookupIDs(t, "nobody", "nogroup")
	}
	for _, d := range []string{"dovecot", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(dir, "mail"), s.mailUID, s.mailGID); err != nil && os.Geteuid() == 0 {
		t.Fatal(err)
	}
	s.usersMap = filepath.Join(dir, "dovecot", "users")
	s.AddUser(Support, Password)
	s.AddUser(Customer, Password)
	s.startDovecot()
	return s
}

func lookupIDs(t TB, userName, groupName string) (int, int) {
	t.Helper()
	u, err := user.Lookup(userName)
	if err != nil {
		t.Fatalf("mailserver: user %s: %v", userName, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if g, err := user.LookupGroup(groupName); err == nil {
		gid, _ = strconv.Atoi(g.Gid)
	}
	return uid, gid
}

// AddUser adds (or changes the password of) a mailbox user; the address's domain should be
// Domain or CustomerDomain for Postfix to deliver to it. Dovecot reads the user list anew
// on each login, so users may be added while the servers run.
func (s *Server) AddUser(address, password string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[strings.ToLower(address)] = password
	var b strings.Builder
	for name, pw := range s.users {
		home := filepath.Join(s.Dir, "mail", name)
		// user:password:uid:gid:gecos:home:shell
		fmt.Fprintf(&b, "%s:{PLAIN}%s:%d:%d::%s::\n", name, pw, s.mailUID, s.mailGID, home)
	}
	tmp := s.usersMap + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Rename(tmp, s.usersMap); err != nil {
		s.t.Fatal(err)
	}
}

// Maildir is the path of a user's maildir (its INBOX), for tests that look at the files.
func (s *Server) Maildir(address string) string {
	return filepath.Join(s.Dir, "mail", strings.ToLower(address), "Maildir")
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// makeCert writes a self-signed certificate for localhost and 127.0.0.1.
func (s *Server) makeCert() {
	t := s.t
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(s.Dir, "cert.pem"), certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	s.RootCAs = x509.NewCertPool()
	s.RootCAs.AppendCertsFromPEM(certPEM)
}

// TLSConfig returns a client TLS configuration that trusts the servers' certificate.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.RootCAs, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// waitListening waits until every address accepts connections or the process exits.
func waitListening(ctx context.Context, exited <-chan struct{}, addrs ...string) error {
	for _, a := range addrs {
		for {
			c, err := net.DialTimeout("tcp", a, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s does not accept connections: %w", a, err)
			case <-exited:
				return errors.New("the server exited")
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	return nil
}

// watchdogScript ends the servers and removes the directory once the test process is
// gone without cleaning up (killed, or a timeout's panic): nothing is left running.
const watchdogScript = `while kill -0 "$1" 2>/dev/null; do sleep 1; done
[ -f "$2/dovecot/pgid" ] && kill -9 -"$(cat "$2/dovecot/pgid")" 2>/dev/null
[ -f "$2/postfix/queue/pid/master.pid" ] && kill -9 -"$(tr -d ' ' < "$2/postfix/queue/pid/master.pid")" 2>/dev/null
rm -rf "$2"`

// startWatchdog starts a shell in its own session that outlives a killed test process.
func (s *Server) startWatchdog() {
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "watchdog", strconv.Itoa(os.Getpid()), s.Dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("mailserver: watchdog: %v", err)
	}
	s.watchdog = cmd
}

// stop ends the servers and removes the directory.
func (s *Server) stop() {
	if s.watchdog != nil {
		_ = s.watchdog.Process.Kill()
		_ = s.watchdog.Wait()
	}
	if s.postfix {
		s.stopPostfix()
	}
	if s.dovecot != nil && s.dovecot.Process != nil {
		// Dovecot runs in its own process group (Setpgid) with all its children.
		_ = syscall.Kill(-s.dovecot.Process.Pid, syscall.SIGKILL)
		<-s.dovecotExited
	}
	if s.t.Failed() {
		s.dumpLogs()
	}
	_ = os.RemoveAll(s.Dir)
}

// dumpLogs shows the servers' logs of a failed test.
func (s *Server) dumpLogs() {
	for _, name := range []string{"dovecot/dovecot.log", "postfix/postfix.log"} {
		b, err := os.ReadFile(filepath.Join(s.Dir, name))
		if err != nil || len(b) == 0 {
			continue
		}
		if len(b) > 20000 {
			b = append([]byte("…"), b[len(b)-20000:]...)
		}
		s.t.Logf("mailserver: %s:\n%s", name, bytes.TrimSpace(b))
	}
}

// Log returns the servers' logs so far (Dovecot's, then Postfix's).
func (s *Server) Log() string {
	var b strings.Builder
	for _, name := range []string{"dovecot/dovecot.log", "postfix/postfix.log"} {
		data, _ := os.ReadFile(filepath.Join(s.Dir, name))
		b.Write(data)
	}
	return b.String()
}
