package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// followupDesk is an account with a mailbox, a webchat contact point that continues by email
// through it, and Анна available holding a socket (so that the clock moving does not put her
// offline).
type followupDesk struct {
	env   *testkit.Env
	clock *testkit.Clock
	rl    *testkit.Relay
	a     *testkit.Account
	anna  *testkit.Client
	key   string
}

func startFollowupDesk(t *testing.T) *followupDesk {
	t.Helper()
	rl := testkit.StartRelay(t)
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock}, func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPRelay = rl.Addr()
		c.OutboxPoll = 20 * time.Millisecond
	})
	a := env.NewAccount()
	anna := a.Operator("Анна", "operator", 5, "available")
	ws := anna.WS(false, "")
	ws.Ready()
	t.Cleanup(ws.Close)
	var box struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта магазина", "channel": "email",
		"settings": map[string]any{"address": "support@shop.example"}}, &box)
	var chat struct{ ID, Key string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Чат магазина", "channel": "webchat",
		"settings": map[string]any{"ask_email": true, "email_followup": map[string]any{"contact_point_id": box.ID, "after_minutes": 3,
			"link": "https://shop.example/help"}}}, &chat)
	return &followupDesk{env: env, clock: clock, rl: rl, a: a, anna: anna, key: chat.Key}
}

// visitor starts a widget visitor who left an address.
func (d *followupDesk) visitor(t *testing.T, name, email string) *testkit.Client {
	t.Helper()
	c := d.env.Visitor(d.key, "")
	var out struct {
		Token   string `json:"visitor_token"`
		Visitor struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"visitor"`
	}
	c.Must("POST", "/api/v1/widget/"+d.key+"/session", map[string]any{"visitor_token": c.Token, "name": name, "email": email}, &out)
	if out.Visitor.ID != c.ID || out.Visitor.Email == "" {
		t.Fatalf("the visitor's address was not kept: %+v", out)
	}
	c.Token = out.Token
	return c
}

func (d *followupDesk) reply(t *testing.T, conv, text string) {
	t.Helper()
	d.anna.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": text}, nil)
}

// states are the mail states of Анна's replies in the conversation, oldest first.
func states(t *testing.T, op *testkit.Client, conv string) []string {
	t.Helper()
	var out []string
	for _, m := range history(t, op, conv) {
		if m.Author.Type == "operator" && m.Kind == "text" {
			s := "none"
			if m.EmailDelivery != nil {
				s = m.EmailDelivery.State
			}
			out = append([]string{s}, out...)
		}
	}
	return out
}

func waitStates(t *testing.T, op *testkit.Client, conv string, want ...string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got := states(t, op, conv)
		if strings.Join(got, " ") == strings.Join(want, " ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail states %v, want %v", got, want)
		}
	}
}

// TestWidgetConversationContinuesByEmail (issue 16): a visitor who left an address and is
// gone gets the operator's replies by mail once the setting's minutes have passed — one mail
// carrying the replies still waiting, with the conversation so far and the link to the chat,
// from the mailbox the setting names; their answer by mail lands in the same widget
// conversation (and shows in the widget); the next reply answers it in the thread. A mail from
// another address that names the thread is a mail of its own. Replies written before the
// minutes passed do not go early, and a visitor without an address gets nothing.
func TestWidgetConversationContinuesByEmail(t *testing.T) {
	t.Parallel()
	d := startFollowupDesk(t)
	vera := d.visitor(t, "Вера", "Vera@Example.org")
	vera.Say("Где мой заказ 4512?")
	conv := waitConversations(t, d.anna, 1)[0].ID
	d.reply(t, conv, "Сейчас проверю.")
	d.reply(t, conv, "Заказ 4512 уже в пути, будет завтра.")
	waitStates(t, d.anna, conv, "pending", "pending")
	d.clock.Advance(2 * time.Minute)
	if !d.rl.Quiet(200 * time.Millisecond) {
		t.Fatal("a followup went out before its minutes passed")
	}
	d.clock.Advance(time.Minute + time.Second)
	m := parseRelayed(t, d.rl.Next(t).Raw)
	mid := strings.Trim(m.Header.Get("Message-ID"), "<>")
	if got := decodedHeader(t, m.Header.Get("Subject")); got != "Ваш разговор в чате «Чат магазина»" {
		t.Fatalf("subject %q", got)
	}
	if from := decodedHeader(t, m.Header.Get("From")); !strings.Contains(from, "Анна — Чат магазина") ||
		!strings.Contains(m.Header.Get("Reply-To"), "support@shop.example") || !strings.Contains(strings.ToLower(m.Header.Get("To")), "vera@example.org") ||
		m.Header.Get("In-Reply-To") != "" || !strings.HasSuffix(mid, "@shop.example") {
		t.Fatalf("followup headers: %v", m.Header)
	}
	for _, want := range []string{"Сейчас проверю.\n\nЗаказ 4512 уже в пути, будет завтра.", "Анна, Чат магазина",
		"Вернуться в чат: https://shop.example/help", "> Вы: Где мой заказ 4512?"} {
		if !strings.Contains(strings.ReplaceAll(m.Text, "\r\n", "\n"), want) {
			t.Fatalf("the followup lacks %q:\n%s", want, m.Text)
		}
	}
	waitStates(t, d.anna, conv, "sent", "sent")
	if !d.rl.Quiet(200 * time.Millisecond) {
		t.Fatal("the second reply went out in a mail of its own besides the one that carried it")
	}

	// Вера answers by mail: the answer is in the widget conversation, hers.
	answer := fmt.Sprintf("From: Vera <vera@example.org>\nTo: support@shop.example\nSubject: Re: Ваш разговор\nMessage-ID: <vera1@example.org>\n"+
		"In-Reply-To: <%s>\nReferences: <%s>\nContent-Type: text/plain; charset=utf-8\n\nСпасибо! А можно к 18:00?\n\n> Сейчас проверю.\n", mid, mid)
	if err := sendMail(d.env.App.MailAddr(), "vera@example.org", "support@shop.example", answer); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		h := history(t, d.anna, conv)
		if h[0].Author.Type == "visitor" && strings.HasPrefix(h[0].Text, "Спасибо! А можно к 18:00?") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the answer by mail is not in the widget conversation: %+v", h)
		}
	}
	seen := false
	for _, m := range vera.VisitorHistory() {
		seen = seen || strings.HasPrefix(m.Text, "Спасибо! А можно к 18:00?")
	}
	if !seen {
		t.Fatal("the visitor's widget does not show her answer by mail")
	}
	if items, _ := d.anna.List("state=open"); len(items) != 1 || items[0].Channel != "webchat" {
		t.Fatalf("open conversations: %+v", items)
	}

	// The next reply answers her mail in the thread.
	d.reply(t, conv, "Да, к 18:00 привезём.")
	d.clock.Advance(3*time.Minute + time.Second)
	next := parseRelayed(t, d.rl.Next(t).Raw)
	if next.Header.Get("In-Reply-To") != "<vera1@example.org>" || !strings.Contains(next.Header.Get("References"), mid) ||
		decodedHeader(t, next.Header.Get("Subject")) != "Re: Ваш разговор в чате «Чат магазина»" {
		t.Fatalf("the next followup's headers: %v", next.Header)
	}
	if !strings.Contains(next.Text, "Да, к 18:00 привезём.") || !strings.Contains(next.Text, "> Вы: Спасибо! А можно к 18:00?") {
		t.Fatalf("the next followup:\n%s", next.Text)
	}

	// Another address naming the thread: a mail of its own, not Вера's conversation.
	if err := sendMail(d.env.App.MailAddr(), "boss@example.org", "support@shop.example", fmt.Sprintf(
		"From: boss@example.org\nTo: support@shop.example\nSubject: Fwd\nMessage-ID: <boss1@example.org>\nIn-Reply-To: <%s>\n\nЧто тут?\n", mid)); err != nil {
		t.Fatal(err)
	}
	items := waitConversations(t, d.anna, 2)
	for _, it := range items {
		if it.ID != conv && it.Channel != "email" {
			t.Fatalf("the other address's mail: %+v", it)
		}
	}

	// A visitor without an address: the reply stays in the chat.
	gleb := d.env.Visitor(d.key, "Глеб")
	gleb.Say("Здравствуйте")
	var glebConv string
	for _, it := range waitConversations(t, d.anna, 3) {
		if it.Visitor.Name == "Глеб" {
			glebConv = it.ID
		}
	}
	d.reply(t, glebConv, "Добрый день!")
	waitStates(t, d.anna, glebConv, "none")
}

// TestWidgetFollowupSkippedWhenVisitorIsBack: a visitor who holds a widget socket when the
// reply is written (marked seen by the presence heartbeat) gets no mail: the reply is
// «skipped» once due. One who comes back to the chat after the reply likewise.
func TestWidgetFollowupSkippedWhenVisitorIsBack(t *testing.T) {
	t.Parallel()
	d := startFollowupDesk(t)
	ctx := context.Background()
	vera := d.visitor(t, "Вера", "vera@example.org")
	vera.Say("Здравствуйте!")
	conv := waitConversations(t, d.anna, 1)[0].ID
	ws := vera.WS(true, "")
	ws.Ready()
	d.reply(t, conv, "Добрый день! Чем помочь?")
	if err := d.env.App.Presence.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(3*time.Minute + time.Second)
	waitStates(t, d.anna, conv, "skipped")
	ws.Close()

	// Gone when the reply is written, back a minute later: no mail either.
	d.clock.Advance(time.Minute)
	d.reply(t, conv, "Вы здесь?")
	d.clock.Advance(time.Minute)
	back := vera.WS(true, "")
	back.Ready()
	if err := d.env.App.Presence.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(2*time.Minute + time.Second)
	waitStates(t, d.anna, conv, "skipped", "skipped")
	if !d.rl.Quiet(200 * time.Millisecond) {
		t.Fatal("a mail went to a visitor who was in the chat")
	}
}

// TestFollowupSettings: email_followup is checked when saved: an email contact point of the
// account with an address, on a webchat contact point, minutes within a day, an http(s) link.
func TestFollowupSettings(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	other := env.NewAccount()
	var box, bare, foreign struct{ ID string }
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Почта", "channel": "email",
		"settings": map[string]any{"address": "help@shop.example"}}, &box)
	a.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Без адреса", "channel": "email"}, &bare)
	other.Admin.Must("POST", "/api/v1/admin/contact-points", map[string]any{"name": "Чужая", "channel": "email",
		"settings": map[string]any{"address": "other@shop.example"}}, &foreign)
	chat, _ := a.ContactPoint("webchat")
	for name, c := range map[string]struct {
		path, channel string
		followup      any
		field         string
	}{
		"a webchat point":    {"/" + chat, "", map[string]any{"contact_point_id": chat}, "settings.email_followup.contact_point_id"},
		"no address":         {"/" + chat, "", map[string]any{"contact_point_id": bare.ID}, "settings.email_followup.contact_point_id"},
		"another account's":  {"/" + chat, "", map[string]any{"contact_point_id": foreign.ID}, "settings.email_followup.contact_point_id"},
		"no contact point":   {"/" + chat, "", map[string]any{"after_minutes": 5}, "settings.email_followup.contact_point_id"},
		"minutes over a day": {"/" + chat, "", map[string]any{"contact_point_id": box.ID, "after_minutes": 1441}, "settings.email_followup.after_minutes"},
		"a link of ftp":      {"/" + chat, "", map[string]any{"contact_point_id": box.ID, "link": "ftp://shop.example/"}, "settings.email_followup.link"},
		"an unknown key":     {"/" + chat, "", map[string]any{"contact_point_id": box.ID, "delay": 5}, "settings.email_followup"},
		"on a mailbox":       {"", "email", map[string]any{"contact_point_id": box.ID}, "settings.email_followup"},
	} {
		var r testkit.Response
		if c.path != "" {
			r = a.Admin.Do("PATCH", "/api/v1/admin/contact-points"+c.path, map[string]any{"settings": map[string]any{"email_followup": c.followup}})
		} else {
			r = a.Admin.Do("POST", "/api/v1/admin/contact-points", map[string]any{"name": "x", "channel": c.channel,
				"settings": map[string]any{"address": "x@shop.example", "email_followup": c.followup}})
		}
		var e errorAnswer
		r.Decode(t, &e)
		if r.Status != 400 || e.Error.Details["field"] != c.field {
			t.Fatalf("%s: %d %s, want 400 naming %s", name, r.Status, r.Body, c.field)
		}
	}
	var saved struct {
		Settings map[string]any `json:"settings"`
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+chat, map[string]any{"settings": map[string]any{
		"email_followup": map[string]any{"contact_point_id": box.ID, "link": " https://shop.example/help "}}}, &saved)
	if f, _ := saved.Settings["email_followup"].(map[string]any); f["contact_point_id"] != box.ID || f["link"] != "https://shop.example/help" {
		t.Fatalf("saved: %v", saved.Settings)
	}
	var off struct {
		Settings map[string]any `json:"settings"`
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+chat, map[string]any{"settings": map[string]any{"email_followup": nil}}, &off)
	if _, ok := off.Settings["email_followup"]; ok {
		t.Fatalf("null did not turn it off: %v", off.Settings)
	}
}
