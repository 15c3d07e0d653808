package app_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	gosmtp "github.com/emersion/go-smtp"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// sendMail delivers a raw mail to livedesk's SMTP listener with the standard library client.
func sendMail(addr, from, to, raw string) error {
	return smtp.SendMail(addr, nil, from, []string{to}, []byte(strings.ReplaceAll(raw, "\n", "\r\n")))
}

func mailEnv(t *testing.T, relayAddr string) (*testkit.Env, *testkit.Account, *testkit.Client) {
	t.Helper()
	env := testkit.Start(t, func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPRelay = relayAddr
		c.OutboxPoll = 50 * time.Millisecond
	})
	a := env.NewAccount()
	anna := a.Operator("Анна", "operator", 5, "available")
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта магазина", "channel": "email",
		"settings": map[string]any{"address": "Support@Shop.Example"}}, nil)
	return env, a, anna
}

// waitConversations polls the operator's list until it has n conversations.
func waitConversations(t *testing.T, op *testkit.Client, n int) []testkit.Conversation {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		items, _ := op.List("state=open")
		if len(items) >= n {
			return items
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d conversations, want %d", len(items), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type historyMessage struct {
	Kind, Text  string
	Author      struct{ Type, Name string }
	Attachments []struct {
		Name string
		Size int64
	}
	EmailDelivery *struct{ State, Error string } `json:"email_delivery"`
}

// waitDelivery waits until the operator's newest reply in the conversation has the state.
func waitDelivery(t *testing.T, op *testkit.Client, conv, state string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		for _, m := range history(t, op, conv) {
			if m.Author.Type == "operator" {
				if m.EmailDelivery != nil && m.EmailDelivery.State == state {
					return
				}
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reply never became %s: %+v", state, history(t, op, conv))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func history(t *testing.T, op *testkit.Client, conv string) []historyMessage {
	t.Helper()
	var page struct{ Items []historyMessage }
	op.Must("GET", "/api/v1/conversations/"+conv+"/messages", nil, &page)
	return page.Items // newest first
}

// TestEmailInboundAndReply (DESIGN §2.10): a mail to a mailbox becomes a conversation of its
// sender, routed like any other; a redelivered mail is taken once; the operator's reply goes
// out through the relay with the thread's headers; the visitor's answer to it joins the same
// conversation, files included; mail to an unknown address is refused at RCPT.
func TestEmailInboundAndReply(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, a, anna := mailEnv(t, rl.Addr())
	smtpAddr := env.App.MailAddr()

	// Another account may claim the same unconfirmed address (a claim keeps nobody out; the
	// first to confirm does), but mail keeps going to the oldest claim: this one.
	other := env.NewAccount()
	if got := other.Admin.Do("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Чужая почта", "channel": "email",
		"settings": map[string]any{"address": "support@shop.example"}}); got.Status != 201 {
		t.Fatalf("a claim of the same unconfirmed address in another account: %d %s, want 201", got.Status, got.Code())
	}
	if got := a.Admin.Do("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Плохая", "channel": "email",
		"settings": map[string]any{"address": "не адрес"}}); got.Status != 400 {
		t.Fatalf("a bad address: %d %s, want 400", got.Status, got.Code())
	}

	first := `From: =?utf-8?b?` + base64.StdEncoding.EncodeToString([]byte("Ирина Петрова")) + `?= <Irina@Example.org>
To: support@shop.example
Subject: =?utf-8?b?` + base64.StdEncoding.EncodeToString([]byte("Заказ 4512")) + `?=
Message-ID: <m1@example.org>
Date: Tue, 24 Nov 2026 10:00:00 +0300
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Здравствуйте! Где мой заказ 4512?
`
	if err := sendMail(smtpAddr, "irina@example.org", "support@shop.example", first); err != nil {
		t.Fatal(err)
	}
	if err := sendMail(smtpAddr, "irina@example.org", "support@shop.example", first); err != nil {
		t.Fatal("a redelivered mail:", err)
	}
	if err := sendMail(smtpAddr, "irina@example.org", "nobody@shop.example", first); err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("unknown mailbox: %v, want 550", err)
	}
	items := waitConversations(t, anna, 1)
	c := items[0]
	if c.Channel != "email" || c.Visitor.DisplayName != "Ирина Петрова" || c.AssigneeID != anna.ID {
		t.Fatalf("conversation %+v", c)
	}
	var full struct{ Subject string }
	anna.Must("GET", "/api/v1/conversations/"+c.ID, nil, &full)
	if full.Subject != "Заказ 4512" {
		t.Fatalf("subject %q", full.Subject)
	}
	if h := history(t, anna, c.ID); len(h) != 1 || !strings.Contains(h[0].Text, "Где мой заказ 4512?") {
		t.Fatalf("history after a redelivery: %+v", h)
	}

	// The reply goes out by mail, threaded; the operator hears when the relay took it.
	ws := anna.WS(false, "")
	ws.Ready()
	defer ws.Close()
	var sent historyMessage
	anna.Must("POST", "/api/v1/conversations/"+c.ID+"/messages", map[string]any{"client_id": testkit.Unique("r"),
		"text": "Здравствуйте, Ирина! Заказ 4512 передан в доставку."}, &sent)
	if sent.EmailDelivery == nil || sent.EmailDelivery.State != "pending" {
		t.Fatalf("the reply as stored: %+v, want email_delivery pending", sent)
	}
	ws.WaitFor("message.updated", func(f testkit.Frame) bool { return strings.Contains(string(f.Data), `"state":"sent"`) })
	out := rl.Next(t)
	if out.From != "noreply@localhost" || len(out.To) != 1 || out.To[0] != "irina@example.org" {
		t.Fatalf("envelope %s → %v", out.From, out.To)
	}
	mr, err := mail.CreateReader(strings.NewReader(string(out.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := mr.Header.Subject()
	inReplyTo, _ := mr.Header.MsgIDList("In-Reply-To")
	replyID, _ := mr.Header.MessageID()
	if subject != "Re: Заказ 4512" || len(inReplyTo) != 1 || inReplyTo[0] != "m1@example.org" || !strings.HasSuffix(replyID, "@shop.example") {
		t.Fatalf("reply headers: subject %q, in-reply-to %v, id %q", subject, inReplyTo, replyID)
	}
	part, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(part.Body)
	if !strings.Contains(string(body), "Заказ 4512 передан в доставку.") {
		t.Fatalf("reply body %q", body)
	}

	// The reply's delivery state follows the relay.
	waitDelivery(t, anna, c.ID, "sent")

	// Her answer to the reply, with a file, joins the same conversation.
	answer := fmt.Sprintf(`From: irina@example.org
To: support@shop.example
Subject: Re: Re: Заказ 4512
Message-ID: <m2@example.org>
In-Reply-To: <%s>
References: <m1@example.org> <%s>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Спасибо! Прикладываю чек.
--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename*=utf-8''%%D1%%87%%D0%%B5%%D0%%BA.pdf
Content-Transfer-Encoding: base64

%s
--b1--
`, replyID, replyID, base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 чек")))
	if err := sendMail(smtpAddr, "irina@example.org", "support@shop.example", answer); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		h := history(t, anna, c.ID)
		if len(h) == 3 {
			if h[0].Text != "Спасибо! Прикладываю чек." || len(h[0].Attachments) != 1 || h[0].Attachments[0].Name != "чек.pdf" {
				t.Fatalf("the answer: %+v", h[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("history %+v", h)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if items, _ := anna.List("state=open"); len(items) != 1 {
		t.Fatalf("%d open conversations, want the one thread", len(items))
	}
}

// TestEmailWhatCannotBeTaken: an HTML-only mail is shown as text; a sixth file and text over
// 10,000 characters are reported in the conversation (the whole text kept as a file), never
// dropped silently.
func TestEmailWhatCannotBeTaken(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, anna := mailEnv(t, rl.Addr())
	smtpAddr := env.App.MailAddr()

	html := `From: Олег <oleg@example.org>
To: support@shop.example
Subject: HTML
Message-ID: <h1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style></head><body><p>Добрый&nbsp;день!</p><p>Нужен <b>счёт</b> &amp; акт.</p></body></html>
`
	if err := sendMail(smtpAddr, "oleg@example.org", "support@shop.example", html); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("From: pavel@example.org\nTo: support@shop.example\nSubject: files\nMessage-ID: <f1@example.org>\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\nContent-Type: text/plain; charset=utf-8\n\n")
	b.WriteString(strings.Repeat("длинный текст\n", 1000)) // 14,000 characters on 1,000 lines
	b.WriteString("\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "--x\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"f%d.txt\"\n\nфайл %d\n", i, i)
	}
	b.WriteString("--x--\n")
	if err := sendMail(smtpAddr, "pavel@example.org", "support@shop.example", b.String()); err != nil {
		t.Fatal(err)
	}
	items := waitConversations(t, anna, 2)
	byName := map[string]string{}
	for _, c := range items {
		name := c.Visitor.DisplayName
		if strings.HasPrefix(name, "Гость #") { // a guest's short number varies with the id
			name = "Гость"
		}
		byName[name] = c.ID
	}
	if h := history(t, anna, byName["Олег"]); len(h) != 1 || h[0].Text != "Добрый день!\nНужен счёт & акт." {
		t.Fatalf("html mail: %+v", h)
	}
	h := history(t, anna, byName["Гость"])
	if len(h) != 2 {
		t.Fatalf("files mail: %d messages, want the mail and a note", len(h))
	}
	note, msg := h[0], h[1]
	if note.Kind != "comment" || !strings.Contains(note.Text, "не принято файлов: 2") || !strings.Contains(note.Text, "message.txt") {
		t.Fatalf("note %q", note.Text)
	}
	if n := len([]rune(msg.Text)); n != 10000 || len(msg.Attachments) != 5 || msg.Attachments[4].Name != "message.txt" {
		t.Fatalf("message: %d characters, %d files", n, len(msg.Attachments))
	}
}

// TestEmailRelayRefuses: a reply the relay refuses for good is marked failed and the
// conversation says so; nothing is retried.
func TestEmailRelayRefuses(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	rl.Refuse(&gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 7, 1}, Message: "relaying denied"})
	env, _, anna := mailEnv(t, rl.Addr())
	if err := sendMail(env.App.MailAddr(), "vera@example.org", "support@shop.example",
		"From: vera@example.org\nTo: support@shop.example\nSubject: hi\nMessage-ID: <v1@example.org>\n\nПривет\n"); err != nil {
		t.Fatal(err)
	}
	c := waitConversations(t, anna, 1)[0]
	anna.Must("POST", "/api/v1/conversations/"+c.ID+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Ответ"}, nil)
	waitDelivery(t, anna, c.ID, "failed")
	for deadline := time.Now().Add(10 * time.Second); ; {
		h := history(t, anna, c.ID)
		if len(h) == 3 && h[0].Kind == "comment" && strings.Contains(h[0].Text, "не доставлено") && strings.Contains(h[0].Text, "relaying denied") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("history %+v", h)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEmailRelayRetries: a relay that is unavailable for a while gets the reply later; the
// pause after a failed attempt runs on the store's clock.
func TestEmailRelayRetries(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	rl.Refuse(&gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try later"})
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock}, func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPRelay = rl.Addr()
		c.OutboxPoll = 20 * time.Millisecond
	})
	a := env.NewAccount()
	anna := a.Operator("Анна", "operator", 5, "available")
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта", "channel": "email",
		"settings": map[string]any{"address": "help@shop.example"}}, nil)
	if err := sendMail(env.App.MailAddr(), "gleb@example.org", "help@shop.example",
		"From: gleb@example.org\nTo: help@shop.example\nSubject: hi\nMessage-ID: <g1@example.org>\n\nПривет\n"); err != nil {
		t.Fatal(err)
	}
	c := waitConversations(t, anna, 1)[0]
	anna.Must("POST", "/api/v1/conversations/"+c.ID+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Ответ"}, nil)
	time.Sleep(200 * time.Millisecond) // the first attempt fails; the next is 30 s away on the clock
	rl.Refuse(nil)
	if !rl.Quiet(200 * time.Millisecond) {
		t.Fatal("retried before the pause was over")
	}
	clock.Advance(31 * time.Second)
	out := rl.Next(t)
	if !strings.Contains(string(out.Raw), "Subject: Re: hi") {
		t.Fatalf("retried mail:\n%s", out.Raw)
	}
	if h := history(t, anna, c.ID); len(h) != 2 {
		t.Fatalf("history %+v: a delivered retry adds nothing", h)
	}
}

// TestEmailSessionsPerHost: one client address gets at most 8 SMTP sessions at once; the
// ninth is told to come back later (4xx), and a place freed is taken again.
func TestEmailSessionsPerHost(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, _, _ := mailEnv(t, rl.Addr())
	var open []*smtp.Client
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	hello := func() (*smtp.Client, error) {
		c, err := smtp.Dial(env.App.MailAddr())
		if err != nil {
			return nil, err
		}
		if err := c.Hello("e2e.test"); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
	for i := range 8 {
		c, err := hello()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		open = append(open, c)
	}
	if c, err := hello(); err == nil || !strings.HasPrefix(err.Error(), "4") {
		if c != nil {
			c.Close()
		}
		t.Fatalf("the ninth session: %v, want a 4xx refusal", err)
	}
	open[0].Quit()
	open = open[1:]
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := hello()
		if err == nil {
			open = append(open, c)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a freed place was not given back: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
