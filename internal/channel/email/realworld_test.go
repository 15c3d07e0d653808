package email

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateRealWorld = flag.Bool("update-realworld", false, "rewrite testdata/realworld/*.json from what the parser reads now")

// realWorldResult is what a fixture of testdata/realworld is expected to give.
type realWorldResult struct {
	From        string            `json:"from"`
	FromName    string            `json:"from_name,omitempty"`
	Subject     string            `json:"subject"`
	MessageID   string            `json:"message_id,omitempty"`
	Thread      []string          `json:"thread,omitempty"`
	Text        string            `json:"text"`
	NewText     string            `json:"new_text"`
	Quoted      bool              `json:"quoted"`
	Attachments []realWorldFile   `json:"attachments,omitempty"`
	Stored      []realWorldUpload `json:"stored,omitempty"`
	Damaged     []DamagedPart     `json:"damaged,omitempty"`
	Forwarded   []realWorldFwd    `json:"forwarded,omitempty"`
	Notes       []string          `json:"notes,omitempty"`
	NoAutoReply bool              `json:"no_auto_reply"`
	AutoReason  string            `json:"auto_reason,omitempty"`
	Bounce      *realWorldBounce  `json:"bounce,omitempty"`
}

type realWorldFile struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Size      int64  `json:"size"`
	Inline    bool   `json:"inline,omitempty"`
	ContentID string `json:"content_id,omitempty"`
	Stored    bool   `json:"stored"`
}

type realWorldUpload struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

type realWorldFwd struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Date      string   `json:"date"`
	Subject   string   `json:"subject"`
	MessageID string   `json:"message_id"`
	Files     []string `json:"files,omitempty"`
	Stored    bool     `json:"stored"`
}

type realWorldBounce struct {
	OriginalMessageID string `json:"original_message_id"`
	FinalRecipient    string `json:"final_recipient"`
	Action            string `json:"action"`
	Status            string `json:"status"`
	Diagnostic        string `json:"diagnostic"`
	ReportingMTA      string `json:"reporting_mta"`
	Standard          bool   `json:"standard"`
	Failed            bool   `json:"failed"`
	Reason            string `json:"reason"`
}

// TestRealWorldMail runs every fixture of testdata/realworld (mail in the formats of
// Outlook, Thunderbird, Apple Mail, Gmail, Yandex, Mail.ru, Exchange, Amazon SES and
// Postfix, written for livedesk) through the parser with a real file store, with CRLF line
// ends as SMTP delivers them, and compares the result with the fixture's .json.
// go test -run RealWorld -update-realworld ./internal/channel/email/ rewrites the .json.
func TestRealWorldMail(t *testing.T) {
	fixtures, err := filepath.Glob(filepath.Join("testdata", "realworld", "*.eml"))
	if err != nil || len(fixtures) < 20 {
		t.Fatalf("%d fixtures, %v", len(fixtures), err)
	}
	for _, path := range fixtures {
		name := strings.TrimSuffix(filepath.Base(path), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files := testFiles(t)
			res, err := ParseMail(context.Background(), bytes.NewReader(crlf(raw)), ParseOptions{Put: files.Put})
			t.Cleanup(func() { files.Done(context.Background(), res.Uploads, false) })
			if err != nil {
				t.Fatal(err)
			}
			got := resultOf(res)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			b := buf.Bytes()
			want := strings.TrimSuffix(path, ".eml") + ".json"
			if *updateRealWorld {
				if err := os.WriteFile(want, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(exp, b) {
				t.Errorf("%s differs from what the parser reads now:\n%s", want, b)
			}
		})
	}
}

// crlf gives a fixture written with \n the \r\n line ends of mail on the wire.
func crlf(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

func resultOf(res *Parsed) realWorldResult {
	m := res.Mail
	r := realWorldResult{
		From: m.FromAddress, FromName: m.FromName, Subject: m.Subject, MessageID: m.MessageID, Thread: m.Thread,
		Text: m.Text, NewText: res.NewText, Quoted: res.Quoted, Damaged: res.Damaged, Notes: m.Notes,
		NoAutoReply: res.NoAutoReply, AutoReason: res.AutoReason,
	}
	for _, a := range res.Attachments {
		r.Attachments = append(r.Attachments, realWorldFile{Name: a.Name, Type: a.ContentType, Size: a.Size, Inline: a.Inline, ContentID: a.ContentID, Stored: a.Stored})
	}
	for _, u := range res.Uploads {
		r.Stored = append(r.Stored, realWorldUpload{Name: u.Name, Type: u.ContentType, Size: u.Size})
	}
	for _, f := range res.Forwarded {
		r.Forwarded = append(r.Forwarded, realWorldFwd{From: f.From, To: f.To, Date: f.Date, Subject: f.Subject, MessageID: f.MessageID, Files: f.Files, Stored: f.Stored})
	}
	if b := res.Bounce; b != nil {
		r.Bounce = &realWorldBounce{OriginalMessageID: b.OriginalMessageID, FinalRecipient: b.FinalRecipient, Action: b.Action,
			Status: b.Status, Diagnostic: b.Diagnostic, ReportingMTA: b.ReportingMTA, Standard: b.Standard, Failed: b.Failed(), Reason: b.Reason()}
	}
	return r
}
