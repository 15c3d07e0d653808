package mailserver

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitMail waits until a maildir holds a mail containing want and returns it.
func waitMail(t *testing.T, s *Server, address, want string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, sub := range []string{"new", "cur"} {
			files, _ := filepath.Glob(filepath.Join(s.Maildir(address), sub, "*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err == nil && bytes.Contains(b, []byte(want)) {
					return b
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no mail with %q in %s\n%s", want, address, s.Log())
	return nil
}

func TestDovecotLMTP(t *testing.T) {
	s := StartDovecot(t)
	msg := Message("Привет по LMTP", "From", Customer, "To", Support, "Subject", "lmtp")
	if err := s.Deliver(Customer, []string{Support}, msg); err != nil {
		t.Fatal(err)
	}
	waitMail(t, s, Support, "Subject: lmtp")
}

func TestPostfixIntoDovecot(t *testing.T) {
	s := Start(t)
	tests := []struct {
		name string
		send func(subject string) error
	}{
		{"mx", func(subject string) error {
			return s.SendMX(Customer, []string{Support}, Message("x", "From", Customer, "To", Support, "Subject", subject))
		}},
		{"submission with swaks", func(subject string) error {
			return swaks(t, "--server", s.SubmissionAddr, "--auth", "PLAIN", "--auth-user", Customer,
				"--auth-password", Password, "--from", Customer, "--to", Support, "--header", "Subject: "+subject)
		}},
		{"submission STARTTLS with swaks", func(subject string) error {
			return swaks(t, "--server", s.SubmissionAddr, "-tls", "--auth", "LOGIN", "--auth-user", Customer,
				"--auth-password", Password, "--from", Customer, "--to", Support, "--header", "Subject: "+subject)
		}},
		{"submissions with swaks", func(subject string) error {
			return swaks(t, "--server", s.SubmissionsAddr, "--tls-on-connect", "--auth", "PLAIN", "--auth-user", Customer,
				"--auth-password", Password, "--from", Customer, "--to", Support, "--header", "Subject: "+subject)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			subject := "via " + tc.name
			if err := tc.send(subject); err != nil {
				t.Fatalf("%v\n%s", err, s.Log())
			}
			waitMail(t, s, Support, "Subject: "+subject)
		})
	}
	t.Run("submission refuses without auth", func(t *testing.T) {
		err := dialogue(s.SubmissionAddr, "EHLO", Customer, []string{Support}, Message("x"), false)
		if err == nil || !strings.Contains(err.Error(), "RCPT") {
			t.Fatalf("unauthenticated submission: %v", err)
		}
	})
	t.Run("mx refuses other domains", func(t *testing.T) {
		err := s.SendMX(Customer, []string{"someone@elsewhere.test"}, Message("x"))
		if err == nil {
			t.Fatal("relayed to a foreign domain")
		}
	})
}

func swaks(t *testing.T, args ...string) error {
	t.Helper()
	bin, err := exec.LookPath("swaks")
	if err != nil {
		t.Fatal("swaks not found: install swaks (see .ci/run)")
	}
	out, err := exec.Command(bin, append(args, "--timeout", "20")...).CombinedOutput()
	if err != nil {
		return &swaksError{err: err, out: string(out)}
	}
	return nil
}

type swaksError struct {
	err error
	out string
}

func (e *swaksError) Error() string { return e.err.Error() + "\n" + e.out }
