package app_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"livedesk/internal/testkit"
)

// Mail as it really arrives, end to end through the SMTP listener (issue 16): bounces, loops,
// quoted history, damaged parts, forwarded mail.

// fullMessage is a history item with what these tests look at.
type fullMessage struct {
	ID, Kind, Text string
	FullText       string `json:"full_text"`
	Author         struct{ Type, Name string }
	Attachments    []struct {
		ID, Name, URL string
		ContentType   string `json:"content_type"`
		Size          int64
	}
	EmailDelivery *struct{ State, Error string } `json:"email_delivery"`
}

func fullHistory(t *testing.T, op *testkit.Client, conv string) []fullMessage {
	t.Helper()
	var page struct{ Items []fullMessage }
	op.Must("GET", "/api/v1/conversations/"+conv+"/messages", nil, &page)
	return page.Items // newest first
}

// reply sends an operator's reply and returns the mail the relay took for it and its
// Message-ID.
func reply(t *testing.T, rl *testkit.Relay, op *testkit.Client, conv, text string) (testkit.RelayMail, string) {
	t.Helper()
	op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": text}, nil)
	out := rl.Next(t)
	mr, err := mail.CreateReader(strings.NewReader(string(out.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	id, err := mr.Header.MessageID()
	if err != nil || id == "" {
		t.Fatalf("the reply's Message-ID: %q %v", id, err)
	}
	return out, id
}

// nothingElseSent checks that livedesk sent nothing automatically: the operator's reply sent
// now is the next mail the relay gets, and no other one came before it (the outbox is sent
// oldest first, one at a time, so whatever was queued earlier would have arrived first).
func nothingElseSent(t *testing.T, rl *testkit.Relay, op *testkit.Client, conv string) {
	t.Helper()
	out, _ := reply(t, rl, op, conv, "Контрольный ответ оператора")
	if !strings.Contains(string(out.Raw), "=D0=9A=D0=BE=D0=BD=D1=82=D1=80=D0=BE=D0=BB=D1=8C=D0=BD=D1=8B=D0=B9") { // «Контрольный», quoted-printable
		t.Fatalf("the relay's next mail is not the operator's reply:\n%s", out.Raw)
	}
	if !rl.Quiet(50 * time.Millisecond) {
		t.Fatal("livedesk sent a mail of its own besides the operator's replies")
	}
}

// dsn is a Postfix delivery status notification about the mail original.
func dsn(action, status, diagnostic, original string) string {
	return fmt.Sprintf(`Return-Path: <>
Date: Mon,  3 Jun 2024 10:15:03 +0300 (MSK)
From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: support@shop.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4VvQ1m0Xyzz2abc.1717398903/mail.shop.example"
Message-Id: <%s.report@mail.shop.example>

This is a MIME-encapsulated message.

--4VvQ1m0Xyzz2abc.1717398903/mail.shop.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.shop.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

--4VvQ1m0Xyzz2abc.1717398903/mail.shop.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.shop.example
X-Postfix-Sender: rfc822; support@shop.example

Final-Recipient: rfc822; nobody@customer.example
Original-Recipient: rfc822;nobody@customer.example
Action: %s
Status: %s
Remote-MTA: dns; mx.customer.example
Diagnostic-Code: smtp; %s

--4VvQ1m0Xyzz2abc.1717398903/mail.shop.example
Content-Description: Undelivered Message
Content-Type: message/rfc822

Return-Path: <support@shop.example>
From: support@shop.example
To: nobody@customer.example
Subject: Re: Заказ
Message-ID: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Здравствуйте!

--4VvQ1m0Xyzz2abc.1717398903/mail.shop.example--
`, action, action, status, diagnostic, original)
}

// TestEmailBounceMarksReplyFailed: a Postfix DSN for one of livedesk's replies marks that
// reply's mail failed with the server's words and says so in its conversation, opening no
// conversation; a delay notice and a failure for a Message-ID that is no reply of ours open
// nothing and change nothing; the same report twice adds nothing; nothing is mailed back.
func TestEmailBounceMarksReplyFailed(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	smtpAddr := env.App.MailAddr()
	if err := sendMail(smtpAddr, "nobody@customer.example", "support@shop.example",
		"From: nobody@customer.example\nTo: support@shop.example\nSubject: Заказ\nMessage-ID: <q1@customer.example>\n\nГде заказ?\n"); err != nil {
		t.Fatal(err)
	}
	c := waitConversations(t, anna, 1)[0]
	_, replyID := reply(t, rl, anna, c.ID, "Заказ в пути.")
	waitDelivery(t, anna, c.ID, "sent")

	unchanged := func(what string) {
		t.Helper()
		h := fullHistory(t, anna, c.ID)
		if len(h) != 2 || h[0].EmailDelivery == nil || h[0].EmailDelivery.State != "sent" {
			t.Fatalf("after %s: the history changed: %+v", what, h)
		}
		if items, _ := anna.List("state=open"); len(items) != 1 {
			t.Fatalf("after %s: %d open conversations, want the one", what, len(items))
		}
	}
	// Each report is taken (250) and processed before the answer: no waiting needed.
	if err := sendMail(smtpAddr, "", "support@shop.example", dsn("delayed", "4.4.1", "connect to mx.customer.example: Connection timed out", replyID)); err != nil {
		t.Fatal("a delay notice:", err)
	}
	unchanged("a delay notice")
	if err := sendMail(smtpAddr, "", "support@shop.example", dsn("failed", "5.1.1", "550 5.1.1 User unknown", "livedesk.unknown@shop.example")); err != nil {
		t.Fatal("a bounce of an unknown mail:", err)
	}
	unchanged("a bounce of an unknown mail")

	failed := dsn("failed", "5.1.1", "550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown", replyID)
	for range 2 { // the MTA may deliver a report twice
		if err := sendMail(smtpAddr, "", "support@shop.example", failed); err != nil {
			t.Fatal("the bounce:", err)
		}
	}
	h := fullHistory(t, anna, c.ID)
	if len(h) != 3 {
		t.Fatalf("history after the bounce: %+v, want the mail, the reply and one comment", h)
	}
	note, r := h[0], h[1]
	if note.Kind != "comment" || !strings.HasPrefix(note.Text, "Письмо с ответом не доставлено: ") || !strings.Contains(note.Text, "User unknown") {
		t.Fatalf("the comment: %+v", note)
	}
	if r.Author.Type != "operator" || r.EmailDelivery == nil || r.EmailDelivery.State != "failed" || !strings.Contains(r.EmailDelivery.Error, "User unknown") {
		t.Fatalf("the reply: %+v", r)
	}
	if items, _ := anna.List("state=open"); len(items) != 1 {
		t.Fatalf("%d open conversations after the bounce, want the one", len(items))
	}
	nothingElseSent(t, rl, anna, c.ID)
}

// TestEmailAutoReplyNotAnswered: an out-of-office reply (Auto-Submitted: auto-replied) and a
// mail that came with the null envelope sender are taken as messages like any other, and
// livedesk mails nothing back on its own.
func TestEmailAutoReplyNotAnswered(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	smtpAddr := env.App.MailAddr()
	if err := sendMail(smtpAddr, "olga@example.org", "support@shop.example", `From: Ольга <olga@example.org>
To: support@shop.example
Subject: =?utf-8?b?`+base64.StdEncoding.EncodeToString([]byte("Автоматический ответ: Заказ"))+`?=
Message-ID: <ooo1@example.org>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

Я в отпуске до 10 июня.
`); err != nil {
		t.Fatal(err)
	}
	if err := sendMail(smtpAddr, "", "support@shop.example", `From: Пётр <petr@example.org>
To: support@shop.example
Subject: Vacation
Message-ID: <ooo2@example.org>
Content-Type: text/plain; charset=utf-8

Уехал, вернусь в понедельник.
`); err != nil {
		t.Fatal(err)
	}
	items := waitConversations(t, anna, 2)
	texts := map[string]string{}
	var olga string
	for _, c := range items {
		h := fullHistory(t, anna, c.ID)
		if len(h) != 1 || h[0].Author.Type != "visitor" {
			t.Fatalf("conversation of %s: %+v", c.Visitor.DisplayName, h)
		}
		texts[c.Visitor.DisplayName] = h[0].Text
		if c.Visitor.DisplayName == "Ольга" {
			olga = c.ID
		}
	}
	if texts["Ольга"] != "Я в отпуске до 10 июня." || texts["Пётр"] != "Уехал, вернусь в понедельник." {
		t.Fatalf("texts %q", texts)
	}
	nothingElseSent(t, rl, anna, olga)
}

// TestEmailQuotedReply: a reply that quotes the thread is shown by its new text (in the
// history, the list and the operator's event) with the whole mail in full_text; a mail
// without quoted history has no full_text.
func TestEmailQuotedReply(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	smtpAddr := env.App.MailAddr()
	if err := sendMail(smtpAddr, "irina@example.org", "support@shop.example",
		"From: Ирина <irina@example.org>\nTo: support@shop.example\nSubject: Заказ 4512\nMessage-ID: <t1@example.org>\nContent-Type: text/plain; charset=utf-8\n\nГде мой заказ?\n"); err != nil {
		t.Fatal(err)
	}
	c := waitConversations(t, anna, 1)[0]
	_, replyID := reply(t, rl, anna, c.ID, "Заказ 4512 передан в доставку.")
	ws := anna.WS(false, "")
	ws.Ready()
	defer ws.Close()
	answer := fmt.Sprintf(`From: Ирина <irina@example.org>
To: support@shop.example
Subject: Re: Заказ 4512
Message-ID: <t2@example.org>
In-Reply-To: <%s>
References: <t1@example.org> <%s>
Content-Type: text/plain; charset=utf-8

Спасибо, получила!

пн, 3 июн. 2024 г. в 10:15, Анна <support@shop.example>:
> Заказ 4512 передан в доставку.
>
> пн, 3 июн. 2024 г. в 09:00, Ирина <irina@example.org>:
>> Где мой заказ?
`, replyID, replyID)
	if err := sendMail(smtpAddr, "irina@example.org", "support@shop.example", answer); err != nil {
		t.Fatal(err)
	}
	h := fullHistory(t, anna, c.ID)
	if len(h) != 3 {
		t.Fatalf("history %+v", h)
	}
	got, first := h[0], h[2]
	if got.Text != "Спасибо, получила!" || !strings.HasPrefix(got.FullText, "Спасибо, получила!\n\nпн, 3 июн. 2024 г. в 10:15, Анна <support@shop.example>:\n> Заказ 4512 передан в доставку.") ||
		!strings.Contains(got.FullText, ">> Где мой заказ?") {
		t.Fatalf("the quoting reply: text %q, full_text %q", got.Text, got.FullText)
	}
	if first.Text != "Где мой заказ?" || first.FullText != "" {
		t.Fatalf("a mail without quoted history: %+v", first)
	}
	if items, _ := anna.List("state=open"); len(items) != 1 || items[0].LastMessage == nil || items[0].LastMessage.Text != "Спасибо, получила!" {
		t.Fatalf("the list: %+v", items)
	}
	f := ws.WaitFor("message.created", func(f testkit.Frame) bool {
		return strings.Contains(string(f.Data), "Спасибо, получила!")
	})
	if !strings.Contains(string(f.Data), `"full_text":"Спасибо, получила!\n\n`) {
		t.Fatalf("the operator's event carries no full_text: %s", f.Data)
	}
}

// TestEmailDamagedAttachment: a mail with a file whose base64 is broken and one cut short is
// taken (250, not 451) with its text and its good file, and the comment «Из письма взято не
// всё» names each damaged part.
func TestEmailDamagedAttachment(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	damaged := `From: Anna Lee <anna.lee@example.com>
To: support@shop.example
Subject: Photos of the broken lamp
Message-ID: <damaged-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

The lamp arrived broken, photos attached.

--b1
Content-Type: image/jpeg; name="photo1.jpg"
Content-Disposition: attachment; filename="photo1.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP%%%%broken-by-a-relay%%%%AAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA

--b1
Content-Type: image/png; name="photo2.png"
Content-Disposition: attachment; filename="photo2.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAACAAAB4iG8MwAA
AABJRU5ErkJggg==

--b1
Content-Type: application/pdf; name="receipt.pdf"
Content-Disposition: attachment; filename="receipt.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAvQ2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAv
Um9vdCAxIDAgUiA+PgolJ

--b1--
`
	if err := sendMail(env.App.MailAddr(), "anna.lee@example.com", "support@shop.example", damaged); err != nil {
		t.Fatalf("a mail with damaged files: %v, want it taken", err)
	}
	c := waitConversations(t, anna, 1)[0]
	h := fullHistory(t, anna, c.ID)
	if len(h) != 2 {
		t.Fatalf("history %+v, want the mail and a comment", h)
	}
	note, m := h[0], h[1]
	if m.Text != "The lamp arrived broken, photos attached." || len(m.Attachments) != 1 || m.Attachments[0].Name != "photo2.png" || m.Attachments[0].Size != 67 {
		t.Fatalf("the message: %+v", m)
	}
	if note.Kind != "comment" || !strings.HasPrefix(note.Text, "Из письма взято не всё: ") ||
		!strings.Contains(note.Text, "файл «photo1.jpg» (image/jpeg) не прочитан: повреждён base64") ||
		!strings.Contains(note.Text, "файл «receipt.pdf» (application/pdf) не прочитан: часть обрывается") {
		t.Fatalf("the comment: %q", note.Text)
	}
}

// TestEmailForwarded: a forwarded message's headers and text show in the message, and the
// original is attached whole as «<subject>.eml» (message/rfc822) with its own file inside.
func TestEmailForwarded(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	fwd := `From: Иван <ivan@example.org>
To: support@shop.example
Subject: Fwd: Счёт 77
Message-ID: <fwd1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

Посмотрите, пожалуйста, этот счёт.

--outer
Content-Type: message/rfc822
Content-Disposition: attachment

From: Бухгалтерия <billing@partner.example>
To: ivan@example.org
Date: Fri, 31 May 2024 17:40:02 +0300
Subject: =?utf-8?b?` + base64.StdEncoding.EncodeToString([]byte("Счёт 77")) + `?=
Message-ID: <bill77@partner.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

Оплатите счёт 77 до пятницы.

--inner
Content-Type: application/pdf
Content-Disposition: attachment; filename="schet_77.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK

--inner--

--outer--
`
	if err := sendMail(env.App.MailAddr(), "ivan@example.org", "support@shop.example", fwd); err != nil {
		t.Fatal(err)
	}
	c := waitConversations(t, anna, 1)[0]
	h := fullHistory(t, anna, c.ID)
	if len(h) != 1 {
		t.Fatalf("history %+v", h)
	}
	m := h[0]
	for _, want := range []string{"Посмотрите, пожалуйста, этот счёт.", "---------- Пересланное письмо ----------",
		"От: Бухгалтерия <billing@partner.example>", "Тема: Счёт 77", "Файлы: schet_77.pdf", "Оплатите счёт 77 до пятницы."} {
		if !strings.Contains(m.Text, want) {
			t.Fatalf("the text lacks %q:\n%s", want, m.Text)
		}
	}
	if m.FullText != "" {
		t.Fatalf("a forward is not quoted history: full_text %q", m.FullText)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "Счёт_77.eml" || m.Attachments[0].ContentType != "message/rfc822" {
		t.Fatalf("attachments %+v, want the .eml", m.Attachments)
	}
	got := anna.Raw("GET", m.Attachments[0].URL, nil)
	if got.Status != 200 || !strings.Contains(string(got.Body), "Message-ID: <bill77@partner.example>") || !strings.Contains(string(got.Body), "schet_77.pdf") {
		t.Fatalf("the .eml: %d\n%s", got.Status, got.Body)
	}
}
