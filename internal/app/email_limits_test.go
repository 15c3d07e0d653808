package app_test

import (
	"bufio"
	"fmt"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// sendMailFrom delivers a mail from the loopback address src with the standard library client.
func sendMailFrom(t *testing.T, src, addr, from, to, raw string) error {
	t.Helper()
	c, err := smtp.NewClient(testkit.DialFrom(t, src, addr), "127.0.0.1")
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// TestSMTPConnectionsCountedAtAccept (issue 13, item 2): connections are counted when
// accepted, greeted or not: one address gets 8, one /24 network 16, the next is told 421 at
// once; meanwhile a sender from another network still delivers its mail.
func TestSMTPConnectionsCountedAtAccept(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	addr := env.App.MailAddr()

	// The attacker: silent connections (no EHLO) from two addresses of one /24.
	for _, src := range []string{"127.0.0.2", "127.0.0.3"} {
		for i := range 8 {
			if g := testkit.FirstLine(t, testkit.DialFrom(t, src, addr), 10*time.Second); !strings.HasPrefix(g, "220") {
				t.Fatalf("%s connection %d: %q, want 220", src, i+1, g)
			}
		}
	}
	if g := testkit.FirstLine(t, testkit.DialFrom(t, "127.0.0.2", addr), 10*time.Second); !strings.HasPrefix(g, "421") {
		t.Fatalf("a ninth connection from one address: %q, want 421", g)
	}
	if g := testkit.FirstLine(t, testkit.DialFrom(t, "127.0.0.4", addr), 10*time.Second); !strings.HasPrefix(g, "421") {
		t.Fatalf("a seventeenth connection from one /24: %q, want 421", g)
	}
	if open, refused := env.App.Mail.Counts(); open != 16 || refused != 2 {
		t.Fatalf("held %d, refused %d; want 16 and 2", open, refused)
	}

	// The legitimate sender, from another network, is served.
	if err := sendMailFrom(t, "127.0.1.1", addr, "lena@example.org", "support@shop.example",
		"From: lena@example.org\nTo: support@shop.example\nSubject: hi\nMessage-ID: <l1@example.org>\n\nЗдравствуйте\n"); err != nil {
		t.Fatal("a sender from another network while the attacker holds its share:", err)
	}
	waitConversations(t, anna, 1)
}

// TestSMTPIdleBeforeData: a client that makes no progress before DATA is cut off after the
// idle time, NOOP or not; one that keeps going (MAIL, RSET, MAIL …) is cut off at the end of
// the session; a silent connection is cut off too. Every place is given back.
func TestSMTPIdleBeforeData(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPIdleTimeout = 300 * time.Millisecond
		c.SMTPSessionTimeout = 2 * time.Second
	})
	addr := env.App.MailAddr()

	// until sends cmd every 50 ms and reports whether the server ended the session (421 or
	// closed) within max commands.
	until := func(cmds []string, max int) (string, bool) {
		c := testkit.DialFrom(t, "127.0.0.5", addr)
		r := bufio.NewReader(c)
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, "220") {
			return line, false
		}
		fmt.Fprintf(c, "EHLO client.test\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return "", false
			}
			if strings.HasPrefix(line, "250 ") {
				break
			}
		}
		for i := range max {
			time.Sleep(50 * time.Millisecond)
			if _, err := fmt.Fprintf(c, "%s\r\n", cmds[i%len(cmds)]); err != nil {
				return "write: " + err.Error(), true
			}
			line, err := r.ReadString('\n')
			if err != nil {
				return "closed", true
			}
			if strings.HasPrefix(line, "421") {
				return line, true
			}
		}
		return "", false
	}
	if line, ended := until([]string{"NOOP"}, 200); !ended {
		t.Fatalf("NOOP for 10 s kept a session before DATA open (%q)", line)
	}
	if line, ended := until([]string{"MAIL FROM:<a@example.org>", "RSET"}, 400); !ended {
		t.Fatalf("MAIL and RSET for 20 s kept a session open past its end (%q)", line)
	}
	silent := testkit.DialFrom(t, "127.0.0.6", addr)
	if g := testkit.FirstLine(t, silent, 10*time.Second); !strings.HasPrefix(g, "220") {
		t.Fatal(g)
	}
	if g := testkit.FirstLine(t, silent, 10*time.Second); !strings.HasPrefix(g, "421") && !strings.HasPrefix(g, "closed") {
		t.Fatalf("a silent connection: %q, want it cut off", g)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if open, _ := env.App.Mail.Counts(); open == 0 {
			break
		}
		if time.Now().After(deadline) {
			open, _ := env.App.Mail.Counts()
			t.Fatalf("%d places still held after the sessions ended", open)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSMTPDataSpooled: a mail's data is written to a temporary file under the data
// directory while it arrives (not held in memory), and the file is gone once the mail is
// taken.
func TestSMTPDataSpooled(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	spool := filepath.Join(env.Dir, "files", "tmp")
	spooled := func() (n int, size int64) {
		entries, _ := os.ReadDir(spool)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "smtp-") {
				n++
				if info, err := e.Info(); err == nil {
					size += info.Size()
				}
			}
		}
		return n, size
	}
	c, err := smtp.NewClient(testkit.DialFrom(t, "127.0.0.7", env.App.MailAddr()), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("big@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("support@shop.example"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "From: big@example.org\r\nTo: support@shop.example\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n\r\n")
	line := strings.Repeat("x", 998) + "\r\n"
	for range 2048 { // 2 MiB, not finished yet
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if n, size := spooled(); n == 1 && size > 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			n, size := spooled()
			t.Fatalf("%d spool files, %d bytes, while the data arrives; want one growing file", n, size)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := w.Write([]byte("end\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	waitConversations(t, anna, 1)
	if n, _ := spooled(); n != 0 {
		t.Fatalf("%d spool files left after the mail was taken", n)
	}
}
