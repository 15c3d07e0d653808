package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/mailserver"
)

// corpusDir holds the real-world mail fixtures and what each is expected to give
// (internal/channel/email/realworld_test.go writes the .json).
var corpusDir = filepath.Join("..", "channel", "email", "testdata", "realworld")

// corpusFixture is a fixture and the part of its .json a stored message must show.
type corpusFixture struct {
	Name      string
	Raw       []byte
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
	NewText   string `json:"new_text"`
	Quoted    bool   `json:"quoted"`
	Stored    []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Size int64  `json:"size"`
	} `json:"stored"`
	Notes  []string        `json:"notes"`
	Bounce json.RawMessage `json:"bounce"`
}

func loadCorpus(t *testing.T) []corpusFixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil || len(files) < 20 {
		t.Fatalf("%d fixtures in %s: %v", len(files), corpusDir, err)
	}
	var out []corpusFixture
	for _, path := range files {
		f := corpusFixture{Name: strings.TrimSuffix(filepath.Base(path), ".eml")}
		exp, err := os.ReadFile(strings.TrimSuffix(path, ".eml") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(exp, &f); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if f.MessageID == "" {
			t.Fatalf("%s has no Message-ID: the test finds each stored mail by it", f.Name)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// LF line ends: the SMTP and LMTP clients send them as CRLF, as mail is on the wire.
		f.Raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		out = append(out, f)
	}
	return out
}

// TestRealWorldCorpusThroughSMTPAndIMAP (issue 16): every fixture of the real-world corpus is
// taken by both ways mail reaches livedesk — its own SMTP listener, and a team's IMAP mailbox
// (a private Dovecot, the mail delivered into it by LMTP as an MTA would, with the Return-Path,
// Delivered-To and Received headers that adds) — and the stored message is what the parser's
// fixture says: the (new) text, the whole text of a quoting reply, the files with their names,
// types and sizes, the «Из письма взято не всё» comment of a damaged mail; a delivery report
// stores no message at all.
func TestRealWorldCorpusThroughSMTPAndIMAP(t *testing.T) {
	t.Parallel()
	corpus := loadCorpus(t)
	dovecot := mailserver.StartDovecot(t)
	env := testkit.Start(t, func(c *config.Config) { c.SMTPListen = "127.0.0.1:0" })
	ctx := context.Background()

	bySMTP, byIMAP := env.NewAccount(), env.NewAccount()
	var smtpBox, imapBox struct{ ID string }
	bySMTP.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта (SMTP)", "channel": "email",
		"settings": map[string]any{"address": "corpus@shop.example"}}, &smtpBox)
	host, port := hostPort(t, dovecot.IMAPAddr)
	byIMAP.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта (IMAP)", "channel": "email",
		"settings": map[string]any{"address": mailserver.Support, "imap": map[string]any{"host": host, "port": port, "security": "none",
			"username": mailserver.Support, "password": mailserver.Password}}}, &imapBox)

	for _, f := range corpus {
		if err := smtp.SendMail(env.App.MailAddr(), nil, "corpus@example.org", []string{"corpus@shop.example"}, f.Raw); err != nil {
			t.Fatalf("%s over SMTP: %v", f.Name, err)
		}
		if err := dovecot.Deliver("corpus@example.org", []string{mailserver.Support}, f.Raw); err != nil {
			t.Fatalf("%s into Dovecot: %v", f.Name, err)
		}
	}
	// The watcher records each UID once the desk stored (or dropped) its mail.
	acctIMAP := testkit.ParseID(t, byIMAP.ID)
	cpIMAP := testkit.ParseID(t, imapBox.ID)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		place, err := env.App.Store.MailServer(ctx, acctIMAP, cpIMAP)
		if err != nil {
			t.Fatal(err)
		}
		if place.LastUID >= uint32(len(corpus)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the IMAP watcher took %d of %d mails", place.LastUID, len(corpus))
		}
	}

	for _, path := range []struct {
		name    string
		account string
		box     string
	}{{"SMTP", bySMTP.ID, smtpBox.ID}, {"IMAP", byIMAP.ID, imapBox.ID}} {
		account := testkit.ParseID(t, path.account)
		for _, f := range corpus {
			t.Run(path.name+"/"+f.Name, func(t *testing.T) {
				m, err := env.App.Store.MessageByMailID(ctx, account, f.MessageID)
				if len(f.Bounce) > 0 && string(f.Bounce) != "null" {
					if !livedesk.IsCode(err, livedesk.CodeNotFound) {
						t.Fatalf("a delivery report was stored as a message: %+v %v", m, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				checkCorpusMessage(t, env, account, path.box, f, m)
			})
		}
	}
}

// checkCorpusMessage compares a stored mail with its fixture's expectations.
func checkCorpusMessage(t *testing.T, env *testkit.Env, account livedesk.ID, box string, f corpusFixture, m *livedesk.Message) {
	t.Helper()
	ctx := context.Background()
	text, full := strings.TrimSpace(f.Text), ""
	if f.Quoted && f.NewText != "" && f.NewText != f.Text {
		text, full = strings.TrimSpace(f.NewText), strings.TrimSpace(f.Text)
	}
	if text == "" && len(f.Stored) == 0 {
		text = "(пустое письмо)"
	}
	if full == text {
		full = ""
	}
	if m.Author.Type != livedesk.AuthorVisitor || m.Text != text || m.FullText != full {
		t.Errorf("stored %s %q (full %q)\nwant text %q (full %q)", m.Author.Type, m.Text, m.FullText, text, full)
	}
	if len(m.Attachments) != len(f.Stored) {
		t.Fatalf("files %+v, want %+v", m.Attachments, f.Stored)
	}
	for i, a := range m.Attachments {
		w := f.Stored[i]
		if a.Name != w.Name || a.ContentType != w.Type || a.Size != w.Size {
			t.Errorf("file %d: %s %s %d, want %s %s %d", i, a.Name, a.ContentType, a.Size, w.Name, w.Type, w.Size)
		}
	}
	c, err := env.App.Store.Conversation(ctx, account, m.ConversationID)
	if err != nil || c.ContactPoint.ID.String() != box || c.Channel != livedesk.ChannelEmail {
		t.Fatalf("the mail's conversation: %+v %v, want one of contact point %s", c, err, box)
	}
	history, err := env.App.Store.Messages(ctx, m.ConversationID, 0, 200, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Notes) > 0 {
		want := "Из письма взято не всё: " + strings.Join(f.Notes, "; ")
		found := false
		for _, h := range history {
			found = found || h.Kind == livedesk.KindComment && h.Text == want
		}
		if !found {
			t.Errorf("no comment %q in the conversation", want)
		}
	}
}
