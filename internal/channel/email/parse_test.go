package email

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

func parseFull(t *testing.T, raw string) *Parsed {
	t.Helper()
	files := testFiles(t)
	res, err := ParseMail(context.Background(), bytes.NewReader([]byte(raw)), ParseOptions{Put: files.Put})
	t.Cleanup(func() { files.Done(context.Background(), res.Uploads, false) })
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestForwardWithoutRoom: a forwarded message after five files is still shown; its .eml is
// counted among the files not taken.
func TestForwardWithoutRoom(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nSubject: files\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nsee\r\n")
	for i := range 5 {
		fmt.Fprintf(&b, "--x\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=f%d.pdf\r\n\r\n%%PDF-%d\r\n", i, i)
	}
	b.WriteString("--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.org\r\nSubject: inner\r\n\r\ninner text\r\n--x--\r\n")
	res := parseFull(t, b.String())
	if len(res.Uploads) != 5 || !strings.Contains(res.Mail.Text, "Тема: inner\n\ninner text") || !hasNote(res.Mail, "не принято файлов: 1") ||
		len(res.Forwarded) != 1 || res.Forwarded[0].Stored {
		t.Fatalf("%d files, text %q, notes %q, forwarded %+v", len(res.Uploads), res.Mail.Text, res.Mail.Notes, res.Forwarded)
	}
}

// TestDamagedTextPart: a text part cut short keeps what was read and says so.
func TestDamagedTextPart(t *testing.T) {
	raw := "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"0J/RgNC40LLQtdGC!!!\r\n--x--\r\n"
	res := parseFull(t, raw)
	if !strings.HasPrefix(res.Mail.Text, "Привет") || len(res.Damaged) != 1 || res.Damaged[0].Name != "текст письма" || !hasNote(res.Mail, "прочитан не весь") {
		t.Fatalf("text %q, damaged %+v, notes %q", res.Mail.Text, res.Damaged, res.Mail.Notes)
	}
}

// TestBounceFromThread: a report without the returned message names the mail by its
// In-Reply-To; a success notice is not a failure.
func TestBounceFromThread(t *testing.T) {
	raw := "From: postmaster@mx.example.org\r\nIn-Reply-To: <ld-1@shop.example>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n" +
		"--r\r\nContent-Type: text/plain\r\n\r\nReport\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n" +
		"Final-Recipient: rfc822; A@Example.org\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--r--\r\n"
	res := parseFull(t, raw)
	b := res.Bounce
	if b == nil || b.OriginalMessageID != "ld-1@shop.example" || b.FinalRecipient != "a@example.org" || b.Failed() || !res.NoAutoReply {
		t.Fatalf("bounce %+v, no auto-reply %v", b, res.NoAutoReply)
	}
}

// TestPersonIsNotABounce: a customer whose subject mentions a failed delivery is not a
// bounce, nor a robot.
func TestPersonIsNotABounce(t *testing.T) {
	for _, raw := range []string{
		"From: Ivan <ivan@example.org>\r\nSubject: Delivery failure of my order\r\n\r\nMy order was not delivered.\r\n",
		"From: Ivan <ivan@example.org>\r\nIn-Reply-To: <ld-1@shop.example>\r\nSubject: Re: Недоставленное сообщение\r\n\r\n" +
			"Опять не дошло, вот заголовки:\r\nMessage-ID: <ld-1@shop.example>\r\n",
	} {
		res := parseFull(t, raw)
		if res.Bounce != nil || res.NoAutoReply {
			t.Fatalf("%q: bounce %+v, reason %q", raw, res.Bounce, res.AutoReason)
		}
	}
}
