package email

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"livedesk/internal/attachment"
	"livedesk/internal/desk"
)

// nestedMail builds a mail of levels nested multipart/mixed entities; the innermost holds a
// short text and, when fileBytes > 0, a base64 file of that many bytes.
func nestedMail(levels int, fileBytes int) []byte {
	var b bytes.Buffer
	b.WriteString("From: a@example.org\r\nTo: support@shop.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n")
	for i := range levels {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	if fileBytes > 0 {
		b.WriteString("Content-Type: multipart/mixed; boundary=\"f\"\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nhello\r\n--f\r\n" +
			"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		line := strings.Repeat("QUJD", 19) + "\r\n" // 76 characters, 57 bytes
		for n := 0; n < fileBytes; n += 57 {
			b.WriteString(line)
		}
		b.WriteString("--f--\r\n")
	} else {
		b.WriteString("Content-Type: text/plain\r\n\r\nhello\r\n")
	}
	for i := levels - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.Bytes()
}

func testFiles(tb testing.TB) *attachment.Files {
	tb.Helper()
	disk, err := attachment.NewDisk(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return attachment.NewFiles(disk, func(context.Context, string) (bool, error) { return false, nil }, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// BenchmarkNestedMail measures parsing deeply nested mail (issue 13, item 1):
// go test -run '^$' -bench NestedMail -benchtime 1x ./internal/channel/email/
func BenchmarkNestedMail(b *testing.B) {
	for _, c := range []struct {
		levels, file int
	}{{5000, 0}, {10000, 0}, {5000, 4 << 20}, {0, 4 << 20}} {
		raw := nestedMail(c.levels, c.file)
		b.Run(fmt.Sprintf("levels=%d/file=%d/bytes=%d", c.levels, c.file, len(raw)), func(b *testing.B) {
			in := &Inbound{files: testFiles(b), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			for b.Loop() {
				_, ups, err := in.parse(context.Background(), raw)
				if err != nil {
					b.Fatal(err)
				}
				in.files.Done(context.Background(), ups, false)
			}
		})
	}
}

func parseForTest(t *testing.T, raw []byte, limits MIMELimits) (desk.InboundMail, []attachment.Upload) {
	t.Helper()
	files := testFiles(t)
	m, ups, err := parseMail(context.Background(), bytes.NewReader(raw), limits, files.Put)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Done(context.Background(), ups, false) })
	return m, ups
}

func hasNote(m desk.InboundMail, part string) bool {
	for _, n := range m.Notes {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// TestNestedMailIsBounded (issue 13, item 1): multipart levels past the limit are not
// opened and the mail says so; nesting within the limit is read whole.
func TestNestedMailIsBounded(t *testing.T) {
	m, _ := parseForTest(t, nestedMail(10000, 0), MIMELimits{})
	if !hasNote(m, "глубже 10 уровней") || strings.Contains(m.Text, "hello") {
		t.Fatalf("10,000 levels: text %q, notes %q; want the depth note and nothing from below", m.Text, m.Notes)
	}
	m, ups := parseForTest(t, nestedMail(9, 1000), MIMELimits{})
	if len(m.Notes) != 0 || m.Text != "hello" || len(ups) != 1 || ups[0].Name != "big.bin" {
		t.Fatalf("9 levels: text %q, notes %q, %d files; want all of it", m.Text, m.Notes, len(ups))
	}
	m, _ = parseForTest(t, nestedMail(4, 0), MIMELimits{MaxDepth: 3})
	if !hasNote(m, "глубже 3 уровней") {
		t.Fatalf("a lower limit: notes %q", m.Notes)
	}
}

// TestManyPartsAreBounded: parts after the limit are not read and the mail says so.
func TestManyPartsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	b.WriteString("--x\r\nContent-Type: text/plain\r\n\r\nfirst\r\n")
	for range 1000 {
		b.WriteString("--x\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\npart\r\n")
	}
	b.WriteString("--x--\r\n")
	m, _ := parseForTest(t, []byte(b.String()), MIMELimits{})
	// Inline text parts follow each other in the text (Apple Mail puts text between pictures
	// so); the container and 299 text parts are read.
	if !strings.HasPrefix(m.Text, "first\n\npart\n\n") || strings.Count(m.Text, "part") != 298 || !hasNote(m, "больше 300 частей") {
		t.Fatalf("1,001 parts: %d parts in the text, notes %q", strings.Count(m.Text, "part"), m.Notes)
	}
}

// TestParseStopsWithContext: a mail's parsing ends when its context does.
func TestParseStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files := testFiles(t)
	if _, ups, err := parseMail(ctx, bytes.NewReader(nestedMail(5, 1<<20)), MIMELimits{}, files.Put); err == nil {
		files.Done(context.Background(), ups, false)
		t.Fatal("parsed after the context ended")
	}
}
