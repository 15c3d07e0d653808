package email

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
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
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "realworld", "*.eml"))
	for _, path := range fixtures {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(crlf(b))
		}
	}
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
		res, _ := ParseMail(context.Background(), bytes.NewReader(raw), ParseOptions{Limits: MIMELimits{MaxDepth: 4, MaxParts: 20}})
		if !utf8.ValidString(res.NewText) || utf8.RuneCountInString(res.NewText) > desk.MaxText {
			t.Fatalf("new text not storable: %q", res.NewText)
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

// FuzzSplitQuoted: any text splits without panicking into new text that is a trimmed
// beginning of the text (or the whole text when nothing is split off).
func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{
		"Спасибо!\n\n03.06.2024 10:15, Анна пишет:\n> текст\n",
		"Ok\n\nOn Mon, Jun 3, 2024 at 10:15 AM A <a@b.c> wrote:\n> x\ny\n",
		"a\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\n",
		"От: a\nОтправлено: b\nКому: c\nТема: d", "> only\n> quote", "-- \n", "\n\n\n", "x\r\n-- \r\nsig",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fresh, quoted := SplitQuoted(text)
		whole := strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
		if !quoted && fresh != strings.TrimSpace(text) {
			t.Fatalf("nothing split, yet %q != %q", fresh, text)
		}
		if quoted && (fresh == "" || !strings.HasPrefix(whole, fresh) && !strings.HasPrefix(strings.TrimLeft(whole, " \t\n"), fresh)) {
			t.Fatalf("SplitQuoted(%q) = %q", text, fresh)
		}
	})
}

// FuzzHeaderDecoding: header values and their parameters of any bytes decode without
// panicking into valid UTF-8, as do 8-bit texts of any charset label.
func FuzzHeaderDecoding(f *testing.F) {
	for _, s := range []string{
		"=?utf-8?B?0JfQsNC60LDQtw==?= =?koi8-r?q?=F0=D2=C9=D7=C5=D4?=", "=?windows-1251?Q?\xd1\xf7\xb8\xf2?=",
		"attachment; filename*0*=utf-8''%D0%94; filename*1=\"x.docx\"", "attachment; filename*=\"iso-8859-1''Pr%E9s.pdf\"",
		"inline; name=\xc4\xee\xea.pdf", "=?x?B?====?=", "a; b*999999*=c; b*0=\"", "=?utf-8*ru?Q?_=4?=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if s := DecodeHeader(v); !utf8.ValidString(s) {
			t.Fatalf("DecodeHeader(%q) = %q", v, s)
		}
		value, params := ParseHeaderParams(v)
		if !utf8.ValidString(value) && utf8.ValidString(v) {
			t.Fatalf("ParseHeaderParams(%q) value %q", v, value)
		}
		for k, p := range params {
			if !utf8.ValidString(p) {
				t.Fatalf("ParseHeaderParams(%q)[%q] = %q", v, k, p)
			}
		}
		if s := DecodeText([]byte(v), "koi8-r"); !utf8.ValidString(s) {
			t.Fatalf("DecodeText(%q) = %q", v, s)
		}
		_ = DetectCharset([]byte(v))
	})
}

// FuzzDeliveryStatus: any delivery status body is read without panicking into bounded
// fields.
func FuzzDeliveryStatus(f *testing.F) {
	f.Add([]byte("Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; a@b.c\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n    unknown\r\n"))
	f.Add([]byte("Action: delayed\nStatus: 4.4.1 (timeout)\n\n\n\nFinal-Recipient: x\n \n\t\n"))
	f.Add([]byte(":\n:\n\n;;\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		mta, rs := ParseDeliveryStatus(b)
		if len(mta) > 4*300 || len(rs) > 100 {
			t.Fatalf("%d bytes of MTA, %d recipients", len(mta), len(rs))
		}
		for _, r := range rs {
			if len([]rune(r.Diagnostic)) > 1000 {
				t.Fatalf("diagnostic of %d characters", len([]rune(r.Diagnostic)))
			}
		}
	})
}
