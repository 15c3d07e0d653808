package app_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/channel/email"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/mailserver"
)

// logBuffer collects every log line of the apps of a test (debug level included).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// imapNode is one run of livedesk on a data directory, stopped by stop (or at cleanup).
type imapNode struct {
	env  *testkit.Env
	once sync.Once
}

func startIMAPNode(t *testing.T, dir string, logs *logBuffer) *imapNode {
	t.Helper()
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Data = dir
	cfg.BcryptCost = 4
	cfg.SweepInterval = 50 * time.Millisecond
	cfg.Synchronous = "NORMAL"
	cfg.OutboxPoll = 50 * time.Millisecond
	cfg.SMTPDomain = "livedesk.test"
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(cfg, log, app.Options{Mailboxes: email.MailboxesOptions{MinBackoff: 50 * time.Millisecond, MaxBackoff: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	n := &imapNode{env: &testkit.Env{T: t, App: a, URL: a.URL(), Dir: dir, Cfg: cfg}}
	t.Cleanup(n.stop)
	return n
}

func (n *imapNode) stop() {
	n.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := n.env.App.Shutdown(ctx); err != nil {
			n.env.T.Error(err)
		}
	})
}

// answers remembers every API answer of a test, to look for a password in them.
type answers struct {
	mu     sync.Mutex
	bodies []string
}

func (a *answers) do(c *testkit.Client, method, path string, v any, out any) testkit.Response {
	c.T.Helper()
	r := c.Do(method, path, v)
	a.mu.Lock()
	a.bodies = append(a.bodies, string(r.Body))
	a.mu.Unlock()
	if r.Status/100 != 2 {
		c.T.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
	}
	if out != nil {
		r.Decode(c.T, out)
	}
	return r
}

type imapStatusAnswer struct {
	Address    string `json:"address"`
	IMAPStatus *struct {
		Phase       string     `json:"phase"`
		Error       string     `json:"error"`
		AuthFailed  bool       `json:"auth_failed"`
		RetryAt     *time.Time `json:"retry_at"`
		LastSuccess *time.Time `json:"last_success"`
		IDLE        bool       `json:"idle"`
	} `json:"imap_status"`
}

// waitStatus polls the mailbox answer until ok says it is what the test waits for.
func waitStatus(t *testing.T, rec *answers, c *testkit.Client, cp string, what string, ok func(imapStatusAnswer) bool) imapStatusAnswer {
	t.Helper()
	var last imapStatusAnswer
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		last = imapStatusAnswer{}
		rec.do(c, "GET", "/api/v1/admin/contact-points/"+cp+"/mailbox", nil, &last)
		if ok(last) {
			return last
		}
	}
	t.Fatalf("mailbox status never %s: %+v", what, last.IMAPStatus)
	return last
}

// customerMail waits for the mail with In-Reply-To inReplyTo in the customer's maildir.
func customerMail(t *testing.T, s *mailserver.Server, inReplyTo string) *mail.Message {
	t.Helper()
	dir := s.Maildir(mailserver.Customer)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, sub := range []string{"new", "cur"} {
			files, _ := os.ReadDir(filepath.Join(dir, sub))
			for _, f := range files {
				raw, err := os.ReadFile(filepath.Join(dir, sub, f.Name()))
				if err != nil {
					continue
				}
				m, err := mail.ReadMessage(bytes.NewReader(raw))
				if err == nil && strings.Contains(m.Header.Get("In-Reply-To"), inReplyTo) {
					return m
				}
			}
		}
	}
	t.Fatalf("no mail answering %s in the customer's maildir\n%s", inReplyTo, s.Log())
	return nil
}

func hostPort(t *testing.T, address string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// TestIMAPMailboxEndToEnd (issue 16): a team's own mailbox on a real Dovecot and Postfix.
// A customer's mail sent to Postfix lands in Dovecot and is taken over IMAP IDLE into a
// conversation; the operator's reply goes out through Postfix's submission port (the
// mailbox's own SMTP settings) and arrives in the customer's maildir with In-Reply-To and
// References; livedesk restarts while more mail arrives and takes each mail once (the
// watcher's log names every UID it takes); the check buttons answer; a wrong password shows
// in the mailbox status with auth_failed; and no password is in any API answer or log line.
func TestIMAPMailboxEndToEnd(t *testing.T) {
	s := mailserver.Start(t)
	dir := t.TempDir()
	logs := &logBuffer{}
	rec := &answers{}
	node := startIMAPNode(t, dir, logs)
	env := node.env
	acct := env.NewAccount()
	anna := acct.Operator("Анна", "operator", 5, "available")

	imapHost, imapPort := hostPort(t, s.IMAPAddr)
	smtpHost, smtpPort := hostPort(t, s.SubmissionAddr)
	var cp struct {
		ID       string         `json:"id"`
		Settings map[string]any `json:"settings"`
	}
	rec.do(acct.Admin, "POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта", "channel": "email", "settings": map[string]any{
		"address": mailserver.Support,
		"imap": map[string]any{"host": imapHost, "port": imapPort, "security": "none", "username": mailserver.Support,
			"password": mailserver.Password},
		"smtp": map[string]any{"host": smtpHost, "port": smtpPort, "security": "none", "username": mailserver.Support,
			"password": mailserver.Password},
	}}, &cp)
	for _, section := range []string{"imap", "smtp"} {
		sec, _ := cp.Settings[section].(map[string]any)
		if sec["password_set"] != true || sec["password"] != nil {
			t.Fatalf("settings.%s answered: %v", section, sec)
		}
	}
	st := waitStatus(t, rec, acct.Admin, cp.ID, "idle", func(a imapStatusAnswer) bool {
		return a.IMAPStatus != nil && a.IMAPStatus.Phase == "idle"
	})
	if !st.IMAPStatus.IDLE || st.IMAPStatus.LastSuccess == nil || st.IMAPStatus.Error != "" {
		t.Fatalf("watching status: %+v", st.IMAPStatus)
	}

	// The check buttons: the saved settings work; the test mail reaches the customer.
	var check struct {
		OK         bool   `json:"ok"`
		Error      string `json:"error"`
		AuthFailed bool   `json:"auth_failed"`
	}
	rec.do(acct.Admin, "POST", "/api/v1/admin/contact-points/"+cp.ID+"/imap/test", nil, &check)
	if !check.OK {
		t.Fatalf("IMAP check of the saved settings: %+v", check)
	}
	check.OK = false
	rec.do(acct.Admin, "POST", "/api/v1/admin/contact-points/"+cp.ID+"/smtp/test", map[string]any{"to": mailserver.Customer}, &check)
	if !check.OK {
		t.Fatalf("test mail: %+v", check)
	}

	// 1. A customer writes: Postfix → Dovecot → IMAP IDLE → a conversation.
	first := fmt.Sprintf("<first.%d@%s>", time.Now().UnixNano(), mailserver.CustomerDomain)
	if err := s.SendMX(mailserver.Customer, []string{mailserver.Support}, mailserver.Message("Где мой заказ 1042?",
		"From", "Клиент <"+mailserver.Customer+">", "To", mailserver.Support, "Subject", "Заказ 1042", "Message-ID", first)); err != nil {
		t.Fatal(err)
	}
	conv := waitConversations(t, anna, 1)[0]
	if conv.LastMessage == nil || !strings.Contains(conv.LastMessage.Text, "1042") {
		t.Fatalf("conversation: %+v", conv)
	}

	// 2. The reply goes out through Postfix's submission port into the customer's maildir.
	anna.Must("POST", "/api/v1/conversations/"+conv.ID+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Заказ уже в пути."}, nil)
	reply := customerMail(t, s, first)
	if !strings.Contains(reply.Header.Get("References"), first) || !strings.Contains(reply.Header.Get("From"), mailserver.Support) {
		t.Fatalf("reply headers: %v", reply.Header)
	}
	replyID := reply.Header.Get("Message-ID")

	// 3. livedesk stops; the customer answers the reply and another customer writes; it starts
	// again on the same data and takes both, and nothing twice.
	node.stop()
	second := fmt.Sprintf("<second.%d@%s>", time.Now().UnixNano(), mailserver.CustomerDomain)
	if err := s.SendMX(mailserver.Customer, []string{mailserver.Support}, mailserver.Message("Спасибо, а когда?",
		"From", mailserver.Customer, "To", mailserver.Support, "Subject", "Re: Заказ 1042", "Message-ID", second,
		"In-Reply-To", replyID, "References", first+" "+replyID)); err != nil {
		t.Fatal(err)
	}
	if err := s.SendMX("other@"+mailserver.CustomerDomain, []string{mailserver.Support}, mailserver.Message("Новый вопрос",
		"From", "other@"+mailserver.CustomerDomain, "To", mailserver.Support, "Subject", "Возврат")); err != nil {
		t.Fatal(err)
	}
	node = startIMAPNode(t, dir, logs)
	env = node.env
	acct.Admin.Base, anna.Base = env.URL, env.URL // sessions are in the database
	anna.SetStatus("available")
	items := waitConversations(t, anna, 2)
	var history struct {
		Items []historyMessage `json:"items"`
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		history.Items = nil
		anna.Must("GET", "/api/v1/conversations/"+conv.ID+"/messages", nil, &history)
		if len(history.Items) >= 3 || time.Now().After(deadline) {
			break
		}
	}
	texts := []string{}
	for _, m := range history.Items {
		if m.Kind == "text" {
			texts = append(texts, m.Text)
		}
	}
	if len(texts) != 3 {
		t.Fatalf("the first conversation has %d messages, want the mail, the reply and the answer: %q", len(texts), texts)
	}
	if len(items) != 2 {
		t.Fatalf("%d conversations, want 2", len(items))
	}
	// Every UID was taken once across both runs (the watcher logs each take once it is
	// marked taken, a moment after the desk stored it).
	taken := map[string]int{}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		clear(taken)
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, `msg="imap mail taken"`) {
				for _, f := range strings.Fields(line) {
					if strings.HasPrefix(f, "uid=") {
						taken[f]++
					}
				}
			}
		}
		if len(taken) >= 3 || time.Now().After(deadline) {
			break
		}
	}
	if len(taken) != 3 { // the first mail, the answer, the other customer's
		t.Fatalf("UIDs taken: %v\n%s", taken, logs.String())
	}
	for uid, n := range taken {
		if n != 1 {
			t.Fatalf("%s taken %d times", uid, n)
		}
	}

	// 4. A reply the team's server refuses for good (550 to RCPT) fails with the comment.
	if err := s.SendMX(mailserver.RefusedRecipient, []string{mailserver.Support}, mailserver.Message("Ответьте мне",
		"From", mailserver.RefusedRecipient, "To", mailserver.Support, "Subject", "Отказ")); err != nil {
		t.Fatal(err)
	}
	items = waitConversations(t, anna, 3)
	refused := ""
	for _, it := range items {
		if it.LastMessage != nil && strings.Contains(it.LastMessage.Text, "Ответьте мне") {
			refused = it.ID
		}
	}
	if refused == "" {
		t.Fatalf("no conversation of the refused address: %+v", items)
	}
	anna.Must("POST", "/api/v1/conversations/"+refused+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Ответ"}, nil)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		history.Items = nil
		anna.Must("GET", "/api/v1/conversations/"+refused+"/messages", nil, &history)
		last := history.Items[0] // newest first
		if last.Kind == "comment" && strings.Contains(last.Text, "не доставлено") && strings.Contains(last.Text, "550") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no «не доставлено» comment after a 550: %+v", history.Items)
		}
	}
	var smtpSt struct {
		SMTPStatus *struct {
			Error      string `json:"error"`
			AuthFailed bool   `json:"auth_failed"`
		} `json:"smtp_status"`
	}
	rec.do(acct.Admin, "GET", "/api/v1/admin/contact-points/"+cp.ID+"/mailbox", nil, &smtpSt)
	if smtpSt.SMTPStatus == nil || !strings.Contains(smtpSt.SMTPStatus.Error, "550") || smtpSt.SMTPStatus.AuthFailed {
		t.Fatalf("smtp_status after a 550: %+v", smtpSt.SMTPStatus)
	}

	// A wrong SMTP password: the reply waits (retried on the schedule), the status says why.
	rec.do(acct.Admin, "PATCH", "/api/v1/admin/contact-points/"+cp.ID, map[string]any{"settings": map[string]any{
		"smtp": map[string]any{"host": smtpHost, "port": smtpPort, "security": "none", "username": mailserver.Support,
			"password": "wrong-Password-91"}}}, nil)
	anna.Must("POST", "/api/v1/conversations/"+conv.ID+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Ещё ответ"}, nil)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		smtpSt.SMTPStatus = nil
		rec.do(acct.Admin, "GET", "/api/v1/admin/contact-points/"+cp.ID+"/mailbox", nil, &smtpSt)
		if smtpSt.SMTPStatus != nil && smtpSt.SMTPStatus.AuthFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtp_status with a wrong password: %+v", smtpSt.SMTPStatus)
		}
	}
	if !strings.Contains(smtpSt.SMTPStatus.Error, "535") {
		t.Fatalf("smtp_status error: %q", smtpSt.SMTPStatus.Error)
	}
	history.Items = nil
	anna.Must("GET", "/api/v1/conversations/"+conv.ID+"/messages", nil, &history)
	if d := history.Items[0].EmailDelivery; history.Items[0].Text != "Ещё ответ" || d == nil || d.State != "pending" || !strings.Contains(d.Error, "535") {
		t.Fatalf("a reply refused for the login: %+v %+v", history.Items[0], d)
	}

	// 5. A wrong password shows in the status with the server's words.
	rec.do(acct.Admin, "PATCH", "/api/v1/admin/contact-points/"+cp.ID, map[string]any{"settings": map[string]any{
		"imap": map[string]any{"host": imapHost, "port": imapPort, "security": "none", "username": mailserver.Support,
			"password": "wrong-Password-91"}}}, nil)
	st = waitStatus(t, rec, acct.Admin, cp.ID, "auth_failed", func(a imapStatusAnswer) bool {
		return a.IMAPStatus != nil && a.IMAPStatus.AuthFailed
	})
	if st.IMAPStatus.Phase != "error" || !strings.Contains(st.IMAPStatus.Error, "AUTHENTICATIONFAILED") || st.IMAPStatus.RetryAt == nil {
		t.Fatalf("status with a wrong password: %+v", st.IMAPStatus)
	}
	rec.do(acct.Admin, "POST", "/api/v1/admin/contact-points/"+cp.ID+"/imap/test", nil, &check)
	if check.OK || !check.AuthFailed {
		t.Fatalf("IMAP check with a wrong password: %+v", check)
	}
	rec.do(acct.Admin, "GET", "/api/v1/admin/contact-points/"+cp.ID, nil, nil)
	rec.do(acct.Admin, "GET", "/api/v1/admin/contact-points", nil, nil)

	// 6. No password in any answer or log line.
	node.stop()
	for _, pw := range []string{mailserver.Password, "wrong-Password-91"} {
		for _, b := range rec.bodies {
			if strings.Contains(b, pw) {
				t.Fatalf("an API answer holds the password %q: %s", pw, b)
			}
		}
		if i := strings.Index(logs.String(), pw); i >= 0 {
			t.Fatalf("the log holds the password %q: …%s…", pw, logs.String()[max(0, i-200):i+len(pw)])
		}
	}
}
