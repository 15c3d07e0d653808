package app_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"livedesk/internal/testkit"
)

// relayed is a mail the relay took, read: its headers, its text and its files' names.
type relayed struct {
	Header mail.Header
	Text   string
	Files  []string
}

// parseRelayed reads a mail the relay (or a maildir) has.
func parseRelayed(t *testing.T, raw []byte) relayed {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	out := relayed{}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out.Header = msg.Header
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, raw)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			out.Text += string(b)
		case *gomail.AttachmentHeader:
			name, _ := h.Filename()
			out.Files = append(out.Files, name)
		}
	}
	return out
}

// decodedHeader decodes a header's encoded words.
func decodedHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("header %q: %v", v, err)
	}
	return s
}

// errorAnswer is an error answer of the API.
type errorAnswer struct {
	Error struct {
		Code    string            `json:"code"`
		Details map[string]string `json:"details"`
	} `json:"error"`
}

type startedEmail struct {
	Conversation struct {
		ID           string `json:"id"`
		State        string `json:"state"`
		Channel      string `json:"channel"`
		AssigneeID   string `json:"assignee_id"`
		Subject      string `json:"subject"`
		ContactPoint struct {
			ID string `json:"id"`
		} `json:"contact_point"`
		Visitor struct {
			Name string `json:"name"`
		} `json:"visitor"`
	} `json:"conversation"`
	Message struct {
		ID            string                         `json:"id"`
		Text          string                         `json:"text"`
		EmailDelivery *struct{ State, Error string } `json:"email_delivery"`
	} `json:"message"`
}

// TestEmailStartedByOperator (issue 16): an operator writes a new mail to a customer address
// from a mailbox. The conversation is theirs at once and counts against their limit; the mail
// leaves through the relay as the first of its thread (no «Re:», no In-Reply-To) with a
// Message-ID of the mailbox's domain; the customer's answer threads into the same
// conversation; the same client_id again changes nothing; a second mail to the same address
// while the first conversation is open, a mail at the limit, from a webchat contact point or
// while away are refused; the reports count no first response or queue wait for it.
func TestEmailStartedByOperator(t *testing.T) {
	t.Parallel()
	rl := testkit.StartRelay(t)
	env, a, anna := mailEnv(t, rl.Addr())
	var boxes struct {
		Items []struct{ ID, Name, Address string }
	}
	anna.Must("GET", "/api/v1/mailboxes", nil, &boxes)
	if len(boxes.Items) != 1 || boxes.Items[0].Address != "support@shop.example" || boxes.Items[0].Name != "Почта магазина" {
		t.Fatalf("mailboxes: %+v", boxes)
	}
	box := boxes.Items[0].ID
	webchat, _ := a.ContactPoint("webchat")

	mailTo := func(op *testkit.Client, to, clientID string) testkit.Response {
		return op.Do("POST", "/api/v1/conversations", map[string]any{"client_id": clientID, "contact_point_id": box, "to": to,
			"name": "Ирина Петрова", "subject": "  Ваш заказ\n4512 ", "text": "Здравствуйте! Заказ 4512 собран."})
	}
	for name, c := range map[string]struct {
		body  map[string]any
		field string
	}{
		"no address":        {map[string]any{"contact_point_id": box, "to": "не адрес", "subject": "s", "text": "t"}, "to"},
		"the mailbox":       {map[string]any{"contact_point_id": box, "to": "Support@shop.example", "subject": "s", "text": "t"}, "to"},
		"no subject":        {map[string]any{"contact_point_id": box, "to": "a@example.org", "subject": " ", "text": "t"}, "subject"},
		"a webchat point":   {map[string]any{"contact_point_id": webchat, "to": "a@example.org", "subject": "s", "text": "t"}, "contact_point_id"},
		"no contact point":  {map[string]any{"to": "a@example.org", "subject": "s", "text": "t"}, "contact_point_id"},
		"unknown one":       {map[string]any{"contact_point_id": "999999", "to": "a@example.org", "subject": "s", "text": "t"}, "contact_point_id"},
		"a subject too big": {map[string]any{"contact_point_id": box, "to": "a@example.org", "subject": strings.Repeat("ы", 201), "text": "t"}, "subject"},
	} {
		r := anna.Do("POST", "/api/v1/conversations", c.body)
		var e errorAnswer
		r.Decode(t, &e)
		if r.Status != 400 || e.Error.Details["field"] != c.field {
			t.Fatalf("%s: %d %s, want 400 naming %s", name, r.Status, r.Body, c.field)
		}
	}
	vera := a.Operator("Вера", "operator", 5, "away")
	testkit.Expect(t, "a mail while away", mailTo(vera, "x@example.org", ""), 403, "forbidden")

	// The mail: a conversation of Анна's with the subject, its message pending in the outbox.
	r := mailTo(anna, "Irina@Example.org", "new-1")
	testkit.Expect(t, "a new mail", r, 201, "")
	var st startedEmail
	r.Decode(t, &st)
	c := st.Conversation
	if c.State != "assigned" || c.Channel != "email" || c.AssigneeID != anna.ID || c.Subject != "Ваш заказ 4512" ||
		c.ContactPoint.ID != box || c.Visitor.Name != "Ирина Петрова" || st.Message.EmailDelivery == nil || st.Message.EmailDelivery.State != "pending" {
		t.Fatalf("started: %s", r.Body)
	}
	if me := anna.Me(); me.OpenCount != 1 {
		t.Fatalf("Анна's open count %d, want 1: the conversation counts against her limit", me.OpenCount)
	}
	sent := parseRelayed(t, rl.Next(t).Raw)
	mid := strings.Trim(sent.Header.Get("Message-ID"), "<>")
	if got := decodedHeader(t, sent.Header.Get("Subject")); got != "Ваш заказ 4512" {
		t.Fatalf("subject %q, want the subject without Re:", got)
	}
	if sent.Header.Get("In-Reply-To") != "" || sent.Header.Get("References") != "" || !strings.HasSuffix(mid, "@shop.example") ||
		!strings.Contains(sent.Header.Get("To"), "irina@example.org") || !strings.Contains(sent.Header.Get("Reply-To"), "support@shop.example") {
		t.Fatalf("the first mail's headers: %v", sent.Header)
	}
	if !strings.Contains(sent.Text, "Заказ 4512 собран") {
		t.Fatalf("text:\n%s", sent.Text)
	}
	waitDelivery(t, anna, c.ID, "sent")

	// The same client_id again: the same conversation, no second mail.
	r = mailTo(anna, "irina@example.org", "new-1")
	var again startedEmail
	r.Decode(t, &again)
	if r.Status != 201 || again.Conversation.ID != c.ID || again.Message.ID != st.Message.ID {
		t.Fatalf("repeated: %d %s", r.Status, r.Body)
	}
	// A new mail to the same address while the conversation is open: write in it.
	r = mailTo(anna, "irina@example.org", "new-2")
	var conflict errorAnswer
	r.Decode(t, &conflict)
	if r.Status != 409 || conflict.Error.Code != "conflict" || conflict.Error.Details["conversation_id"] != c.ID {
		t.Fatalf("a second mail to an open conversation's address: %d %s", r.Status, r.Body)
	}

	// The customer answers: the mail threads into the conversation.
	if err := sendMail(env.App.MailAddr(), "irina@example.org", "support@shop.example", fmt.Sprintf(
		"From: Irina <irina@example.org>\nTo: support@shop.example\nSubject: Re: Ваш заказ 4512\nMessage-ID: <answer1@example.org>\n"+
			"In-Reply-To: <%s>\nReferences: <%s>\nContent-Type: text/plain; charset=utf-8\n\nСпасибо, оплачу сегодня.\n", mid, mid)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		h := history(t, anna, c.ID)
		if len(h) == 2 && h[0].Author.Type == "visitor" && strings.Contains(h[0].Text, "оплачу сегодня") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the answer did not join the conversation: %+v", h)
		}
	}
	if items, _ := anna.List("state=open"); len(items) != 1 {
		t.Fatalf("%d open conversations, want the one", len(items))
	}
	// Her reply answers the thread: «Re:» and In-Reply-To the customer's answer.
	anna.Must("POST", "/api/v1/conversations/"+c.ID+"/messages", map[string]any{"client_id": "r1", "text": "Ждём!"}, nil)
	reply := parseRelayed(t, rl.Next(t).Raw)
	if got := decodedHeader(t, reply.Header.Get("Subject")); got != "Re: Ваш заказ 4512" || reply.Header.Get("In-Reply-To") != "<answer1@example.org>" ||
		!strings.Contains(reply.Header.Get("References"), mid) {
		t.Fatalf("the reply's headers: %q %v", got, reply.Header)
	}

	// At the limit: refused.
	boris := a.Operator("Борис", "operator", 1, "pause")
	testkit.Expect(t, "Борис's first mail (on pause)", mailTo(boris, "b1@example.org", ""), 201, "")
	testkit.Expect(t, "Борис at his limit", mailTo(boris, "b2@example.org", ""), 409, "limit_reached")
	rl.Next(t)

	// The reports: the started conversations are created, with no first response or wait.
	var rep struct {
		Totals struct {
			Created int `json:"created"`
		} `json:"totals"`
		FirstReply struct {
			Count int `json:"count"`
		} `json:"first_reply"`
		QueueWait struct {
			Count int `json:"count"`
		} `json:"queue_wait"`
	}
	day := time.Now().UTC().Format(time.DateOnly)
	a.Admin.Must("GET", "/api/v1/admin/reports?from="+day+"&to="+day+"&tz=UTC", nil, &rep)
	if rep.Totals.Created != 2 || rep.FirstReply.Count != 0 || rep.QueueWait.Count != 0 {
		t.Fatalf("reports: %+v", rep)
	}
}
