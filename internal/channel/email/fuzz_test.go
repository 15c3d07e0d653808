package email

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"livedesk/internal/attachment"
	"livedesk/internal/desk"
)

// discardPut stands in for the file store: it reads a file within its limit and forgets it.
func discardPut(_ context.Context, name string, r io.Reader, limit int64) (attachment.Upload, error) {
	n, err := io.Copy(io.Discard, io.LimitReader(r, limit+1))
	if err != nil {
		return attachment.Upload{}, err
	}
	if n > limit {
		return attachment.Upload{}, attachment.TooLarge()
	}
	return attachment.Upload{Name: attachment.SanitizeName(name), Size: n}, nil
}

var mailSeeds = []string{
	"From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n",
	"From: =?utf-8?b?0JjRgNC40L3QsA==?= <Irina@Example.org>\r\nSubject: =?koi8-r?q?=F0=D2=C9=D7=C5=D4?=\r\n" +
		"Message-ID: <m1@example.org>\r\nReferences: <a@x> <b@x>\r\nIn-Reply-To: <b@x>\r\n" +
		"Content-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=CF=F0=E8=E2=E5=F2\r\n",
	"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>a&amp;b</p>\r\n--x\r\n" +
		"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''%D1%87.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--x--\r\n",
	"Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n" +
		"Content-Type: text/plain\r\n\r\nx\r\n--b--\r\n--a--\r\n",
	"Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n",
	"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n",
	"not a header at all\x00\xff",
	"From: <>\r\nContent-Type: text/plain; charset=unknown-8bit\r\nContent-Transfer-Encoding: x-uue\r\n\r\nbody",
}

// FuzzParseMail: any input is taken apart without panicking, within the structure limits,
// into storable text (valid UTF-8, at most desk.MaxText characters) and at most five files.
func FuzzParseMail(f *testing.F) {
	for _, s := range mailSeeds {
		f.Add([]byte(s))
	}
	f.Add(nestedMail(30, 100))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, ups, err := parseMail(context.Background(), bytes.NewReader(raw), MIMELimits{MaxDepth: 4, MaxParts: 20}, discardPut)
		if errors.Is(err, errConfirmationMail) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(m.Text) || strings.ContainsRune(m.Text, 0) || utf8.RuneCountInString(m.Text) > desk.MaxText {
			t.Fatalf("text not storable: %q", m.Text)
		}
		if m.FromAddress == "" || !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > 300 {
			t.Fatalf("sender %q, subject %q", m.FromAddress, m.Subject)
		}
		if len(ups) > attachment.MaxFiles || len(m.Thread) > 100 {
			t.Fatalf("%d files, %d thread ids", len(ups), len(m.Thread))
		}
	})
}

// FuzzMailHeaders: sender, subject (encoded words, any charset) and threading headers are
// read from any header block without panicking, into bounded valid text.
func FuzzMailHeaders(f *testing.F) {
	for _, s := range []string{
		"From: =?utf-8?b?0JjRgNC40L3QsA==?= <irina@example.org>\r\nSubject: =?utf-8?q?=D0=97=D0=B0=D0=BA=D0=B0=D0=B7?=\r\n",
		"From: \"a, b\" <x@y>, c@d\r\nSubject: =?iso-8859-5?b?=?= =?windows-1251?q?=EF?=\r\nMessage-ID: <<>>\r\n",
		"References: <a@b>\r\n <c@d>\r\nIn-Reply-To: junk\r\nSubject: " + strings.Repeat("=?utf-8?b?0Ig=?= ", 50) + "\r\n",
		"Subject: =?unknown?x?abc?=\r\nFrom: =?utf-8?b?\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		e, err := message.Read(strings.NewReader(header + "\r\n\r\n"))
		if err != nil && e == nil {
			return // not a header block: taken as raw text, see FuzzParseMail
		}
		p := parser{res: &Parsed{}}
		p.headers(mail.Header{Header: e.Header})
		m := p.res.Mail
		if !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > 300 ||
			!utf8.ValidString(m.FromName) || utf8.RuneCountInString(m.FromName) > 200 || m.FromAddress == "" {
			t.Fatalf("headers read as %+v", m)
		}
		_ = NoAutoReplyReason(e.Header)
	})
}

// FuzzHTMLToText: any HTML becomes text without panicking, not much longer than the HTML
// (entities decode to at most a few bytes) and with no more than one blank line in a row.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{
		`<p>Добрый&nbsp;день!</p><p>Нужен <b>счёт</b> &amp; акт.</p>`,
		`<html><head><title>x</title><style>p{}</style></head><body>Привет</body></html>`,
		`<div>один<br>два<br/>три</div><script>alert(1)</script>`,
		"<p>a</p>\n\n\n\n<p>b</p>", `&lt;не тег&gt;   и   пробелы`, `<scr<script>ipt>x</script>`, `&#0;&#xD800;&nGt;`, "<a\n href='x'>y</a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := htmlToText(in)
		if strings.Contains(out, "\n\n\n") || len(out) > 3*len(in)+3 {
			t.Fatalf("htmlToText(%q) = %q", in, out)
		}
	})
}
