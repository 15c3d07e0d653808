package app_test

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/channel/email"
	"livedesk/internal/config"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/mailserver"
	"livedesk/internal/testkit/pgtest"
)

// TestClusterOneNodeWatchesAMailbox: of two nodes on one PostgreSQL only the one that leads
// the cluster-wide jobs watches an IMAP mailbox (the settings were saved on either; both
// nodes share --secret-key); when it stops, the other takes the watching over and the mail
// that arrived meanwhile is taken, each mail once.
func TestClusterOneNodeWatchesAMailbox(t *testing.T) {
	s := mailserver.StartDovecot(t)
	db := pgtest.Database(t)
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	logs := &logBuffer{}
	var nodes []*app.App
	for range 2 {
		cfg := config.Default()
		cfg.Listen = "127.0.0.1:0"
		cfg.Data = t.TempDir()
		cfg.DB = db
		cfg.Bus = natsURL()
		cfg.BcryptCost = 4
		cfg.SecretKey = key
		cfg.SweepInterval = 100 * time.Millisecond
		a, err := app.New(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			app.Options{Mailboxes: email.MailboxesOptions{Rescan: 200 * time.Millisecond, MinBackoff: 50 * time.Millisecond, MaxBackoff: 300 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopNode(a) })
		nodes = append(nodes, a)
	}
	env := &testkit.Env{T: t, App: nodes[1], URL: nodes[1].URL()}
	acct := env.NewAccount()
	host, port := hostPort(t, s.IMAPAddr)
	var cp struct {
		ID livedesk.ID `json:"id"`
	}
	acct.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта", "channel": "email", "settings": map[string]any{
		"address": mailserver.Support,
		"imap":    map[string]any{"host": host, "port": port, "security": "none", "username": mailserver.Support, "password": mailserver.Password},
	}}, &cp)

	// watcher waits until exactly one node watches the mailbox and every node's cabinet
	// answer says it is up to date (the status is in the database, not in the watcher's
	// memory).
	watcher := func(alive []*app.App, why string) *app.App {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			var watching []*app.App
			upToDate := true
			for _, a := range alive {
				if a.Mailboxes.Watching(cp.ID) {
					watching = append(watching, a)
				}
				var st imapStatusAnswer
				c := *acct.Admin
				c.Base = a.URL()
				c.Must("GET", fmt.Sprintf("/api/v1/admin/contact-points/%d/mailbox", cp.ID), nil, &st)
				upToDate = upToDate && st.IMAPStatus != nil && st.IMAPStatus.Phase == "idle"
			}
			if len(watching) == 1 && upToDate {
				return watching[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d nodes watch the mailbox, want 1 up to date\n%s", why, len(watching), logs.String())
			}
		}
	}
	first := watcher(nodes, "at start")
	deliver := func(subject string) {
		t.Helper()
		msg := mailserver.Message("text of "+subject, "From", mailserver.Customer, "To", mailserver.Support, "Subject", subject,
			"Message-ID", fmt.Sprintf("<%s.%d@%s>", subject, time.Now().UnixNano(), mailserver.CustomerDomain))
		if err := s.Deliver(mailserver.Customer, []string{mailserver.Support}, msg); err != nil {
			t.Fatal(err)
		}
	}
	messages := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			items, _ := acct.Admin.List("state=queued") // nobody is available: the mail waits in the queue
			n := 0
			for _, it := range items {
				var h struct{ Items []historyMessage }
				acct.Admin.Must("GET", "/api/v1/conversations/"+it.ID+"/messages", nil, &h)
				n += len(h.Items)
			}
			if n == want {
				return
			}
			if n > want || time.Now().After(deadline) {
				t.Fatalf("%d messages, want %d\n%s", n, want, logs.String())
			}
		}
	}
	deliver("first")
	messages(1)

	// The watching node stops; mail arrives; the other node takes the watching over.
	stopNode(first)
	var rest []*app.App
	for _, a := range nodes {
		if a != first {
			rest = append(rest, a)
		}
	}
	deliver("second")
	if next := watcher(rest, "after the watching node stopped"); next == first {
		t.Fatal("a stopped node watches")
	}
	if first == nodes[1] {
		env.App, env.URL = nodes[0], nodes[0].URL()
		acct.Admin.Base = nodes[0].URL()
	}
	messages(2)
}
