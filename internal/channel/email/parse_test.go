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

// TestNullSender: mail that came with MAIL FROM:<> is automatic, and a plain-text bounce
// from an address that is not a robot's is read as one then (not otherwise: a person may
// write such words).
func TestNullSender(t *testing.T) {
	parse := func(raw string, null bool) *Parsed {
		t.Helper()
		res, err := ParseMail(context.Background(), strings.NewReader(raw), ParseOptions{NullSender: null})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	plain := "From: Ivan <ivan@example.org>\r\nSubject: Отпуск\r\n\r\nЯ в отпуске до понедельника.\r\n"
	if res := parse(plain, true); !res.NoAutoReply || res.AutoReason != "MAIL FROM:<>" || res.Bounce != nil {
		t.Fatalf("null sender: no auto-reply %v (%q), bounce %+v", res.NoAutoReply, res.AutoReason, res.Bounce)
	}
	if res := parse(plain, false); res.NoAutoReply {
		t.Fatalf("a person's mail is automatic: %q", res.AutoReason)
	}
	if res := parse("not a mail at all", true); !res.NoAutoReply {
		t.Fatal("a mail that is not MIME with the null sender is not automatic")
	}
	bounce := "From: mx.example.org <relay@mx.example.org>\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n" +
		"<ivan@example.org>: host mx.example.org said: 550 5.1.1 User unknown\r\n\r\n" +
		"Message-ID: <livedesk.abc@shop.example>\r\nSubject: Re: Заказ\r\n"
	res := parse(bounce, true)
	if !res.Bounce.Failed() || res.Bounce.OriginalMessageID != "livedesk.abc@shop.example" || !strings.Contains(res.Bounce.Reason(), "User unknown") {
		t.Fatalf("a plain-text bounce with the null sender: %+v", res.Bounce)
	}
	if res := parse(bounce, false); res.Bounce != nil {
		t.Fatalf("the same words from a person's mail: %+v", res.Bounce)
	}
}
