package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"livedesk/internal/desk"
	"livedesk/internal/testkit"
)

// The visitor profile (issue 17, docs/visitor-profile.md), end to end over HTTP and the
// operators' sockets, on SQLite and (LIVEDESK_TEST_STORE=postgres) PostgreSQL.

const chromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// profileView is the part of GET …/visitor the tests read.
type profileView struct {
	Visitor struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"visitor"`
	EmailVerified bool   `json:"email_verified"`
	Channel       string `json:"channel"`
	Context       *struct {
		Page *struct {
			URL   string `json:"url"`
			Title string `json:"title"`
		} `json:"page"`
		Pages []struct {
			URL   string `json:"url"`
			Title string `json:"title"`
		} `json:"pages"`
		FirstVisit *struct {
			Referrer string            `json:"referrer"`
			Landing  string            `json:"landing"`
			UTM      map[string]string `json:"utm"`
		} `json:"first_visit"`
		Browser struct{ Name, Version string } `json:"browser"`
		OS      struct{ Name, Version string } `json:"os"`
		Device  string                         `json:"device"`
		Lang    string                         `json:"language"`
		TZ      string                         `json:"time_zone"`
		Offset  *int                           `json:"utc_offset_minutes"`
		Screen  *struct{ Width, Height int }   `json:"screen"`
		IP      string                         `json:"ip"`
	} `json:"context"`
	Attributes []struct{ Key, Label, Value string } `json:"attributes"`
	Note       struct {
		Text      string `json:"text"`
		UpdatedBy *struct {
			Name string `json:"name"`
		} `json:"updated_by"`
	} `json:"note"`
	Mailbox *struct {
		Address string `json:"address"`
		Name    string `json:"name"`
	} `json:"mailbox"`
}

// report sends the widget's profile report with a browser's User-Agent.
func report(t *testing.T, v *testkit.Client, body map[string]any) testkit.Response {
	t.Helper()
	b, _ := json.Marshal(body)
	r, _ := v.Send("POST", "/api/v1/widget/profile", "application/json", bytes.NewReader(b), http.Header{"User-Agent": {chromeWindows}})
	return r
}

func pages(urls ...string) []map[string]any {
	var out []map[string]any
	for i, u := range urls {
		out = append(out, map[string]any{"url": u, "title": fmt.Sprintf("Страница %d", i+1)})
	}
	return out
}

// mailFrom delivers a mail from the address to the account's email contact point and
// returns its conversation.
func mailFrom(t *testing.T, a *testkit.Account, cpID, from, text string) string {
	t.Helper()
	ctx := context.Background()
	cp, err := a.Env.App.Desk.ContactPoint(ctx, testkit.ParseID(t, a.ID), testkit.ParseID(t, cpID))
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Env.App.Desk.ReceiveMail(ctx, cp, desk.InboundMail{FromAddress: from, FromName: "Мария", Subject: "Заказ",
		MessageID: testkit.Unique("mail") + "@example.test", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return m.ConversationID.String()
}

func readProfile(t *testing.T, c *testkit.Client, conv string) profileView {
	t.Helper()
	var p profileView
	c.Must("GET", "/api/v1/conversations/"+conv+"/visitor", nil, &p)
	return p
}

// TestVisitorProfileFollowsThePages: the widget's reports reach the operator's socket as
// visitor.updated and the profile: the current page and the pages of the visit, the first
// visit with its campaign tags (never replaced), the browser and OS parsed from the
// User-Agent, language, time zone, screen. The IP address is kept only while the account
// keeps addresses, and turning that off erases it.
func TestVisitorProfileFollowsThePages(t *testing.T) {
	t.Parallel()
	env, a, _, op, v := testkit.StartChat(t)
	ws := op.ReadyWS(false)
	conv := v.Say("Здравствуйте, вопрос о доставке").ConversationID

	first := map[string]any{"at": "2026-01-02T03:04:05Z", "referrer": "https://yandex.ru/search/?text=чай",
		"landing": "https://shop.example/?utm_source=yandex&utm_medium=cpc&utm_campaign=tea"}
	base := map[string]any{"visit_id": "v1", "first_visit": first, "language": "ru-RU", "time_zone": "Europe/Moscow",
		"utc_offset_minutes": 180, "screen": map[string]int{"width": 1920, "height": 1080}}
	body := func(p []map[string]any) map[string]any {
		m := map[string]any{"pages": p}
		for k, x := range base {
			m[k] = x
		}
		return m
	}
	testkit.Expect(t, "first report", report(t, v, body(pages("https://shop.example/", "https://shop.example/catalog"))), 204, "")
	f := ws.WaitFor("visitor.updated", nil)
	var ev struct {
		VisitorID      string      `json:"visitor_id"`
		ConversationID string      `json:"conversation_id"`
		Profile        profileView `json:"profile"`
	}
	if err := json.Unmarshal(f.Data, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.VisitorID != v.ID || ev.ConversationID != conv || ev.Profile.Context == nil || ev.Profile.Context.Page.URL != "https://shop.example/catalog" {
		t.Fatalf("visitor.updated %s", f.Data)
	}

	p := readProfile(t, op, conv)
	c := p.Context
	if c == nil || len(c.Pages) != 2 || c.Page.Title != "Страница 2" || c.Browser.Name != "Chrome" || c.Browser.Version != "126.0.0.0" ||
		c.OS.Name != "Windows" || c.OS.Version != "10/11" || c.Device != "desktop" || c.Lang != "ru-RU" || c.TZ != "Europe/Moscow" ||
		c.Offset == nil || *c.Offset != 180 || c.Screen == nil || c.Screen.Width != 1920 {
		t.Fatalf("profile context %+v", c)
	}
	if fv := c.FirstVisit; fv == nil || fv.UTM["utm_source"] != "yandex" || fv.UTM["utm_campaign"] != "tea" || !strings.HasPrefix(fv.Referrer, "https://yandex.ru/") {
		t.Fatalf("first visit %+v", c.FirstVisit)
	}
	if c.IP != "" {
		t.Fatalf("the IP address was kept with keep_visitor_ips off: %q", c.IP)
	}

	// The visitor goes on: a third page; a later first visit changes nothing.
	base["first_visit"] = map[string]any{"referrer": "", "landing": "https://shop.example/other?utm_source=vk"}
	testkit.Expect(t, "second report", report(t, v, body(pages("https://shop.example/", "https://shop.example/catalog", "https://shop.example/delivery"))), 204, "")
	ws.WaitFor("visitor.updated", func(f testkit.Frame) bool { return bytes.Contains(f.Data, []byte("shop.example/delivery")) })
	p = readProfile(t, op, conv)
	if len(p.Context.Pages) != 3 || p.Context.Page.URL != "https://shop.example/delivery" || p.Context.FirstVisit.UTM["utm_source"] != "yandex" {
		t.Fatalf("after the third page: %+v", p.Context)
	}

	// Addresses: kept while the account keeps them, erased when it stops.
	a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"keep_visitor_ips": true}, nil)
	testkit.Expect(t, "report with addresses kept", report(t, v, body(pages("https://shop.example/"))), 204, "")
	if ip := readProfile(t, op, conv).Context.IP; ip != v.Source.String() {
		t.Fatalf("kept IP %q, want the visitor's address %s", ip, v.Source)
	}
	a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"keep_visitor_ips": false}, nil)
	if ip := readProfile(t, op, conv).Context.IP; ip != "" {
		t.Fatalf("turning keep_visitor_ips off left the address %q", ip)
	}

	// Another operator of the account does not read this visitor; nor does another account.
	boris := a.Operator("Борис", "operator", 5, "available")
	testkit.Expect(t, "another operator's conversation", boris.Do("GET", "/api/v1/conversations/"+conv+"/visitor", nil), 404, "not_found")
	other := env.NewAccount()
	testkit.Expect(t, "another account", other.Admin.Do("GET", "/api/v1/conversations/"+conv+"/visitor", nil), 404, "not_found")
	testkit.Expect(t, "another account's earlier conversations", other.Admin.Do("GET", "/api/v1/conversations/"+conv+"/visitor/conversations", nil), 404, "not_found")
	// A supervisor reads the whole account.
	vera := a.Operator("Вера", "supervisor", 5, "pause")
	if got := readProfile(t, vera, conv); got.Visitor.ID != v.ID {
		t.Fatalf("supervisor read %+v", got.Visitor)
	}
}

// TestVisitorIdentifyAttributes: the site's custom attributes are merged (null removes a
// key), shown under the contact point's labels with hidden keys left out; a signed email is
// verified and finds the visitor's conversations at other contact points (a mailbox
// included), whose histories the reader of the current conversation may open read-only.
func TestVisitorIdentifyAttributes(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	cpID, key := a.ContactPoint("webchat")
	const secret = "a-long-identity-secret-42"
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+cpID, map[string]any{"settings": map[string]any{
		"identity_secret": secret,
		"attributes":      map[string]any{"plan": map[string]any{"label": "Тариф"}, "uid": map[string]any{"hidden": true}}}}, nil)
	// An earlier mail of the same person at the account's mailbox, taken by the admin from
	// the queue and closed (before Анна came).
	mailID, _ := a.ContactPoint("email")
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+mailID, map[string]any{"settings": map[string]any{"address": "help@shop.example"}}, nil)
	mailConv := mailFrom(t, a, mailID, "maria@example.com", "Где мой заказ 4512?")
	cat := a.Category("Доставка")
	a.Admin.SetStatus("pause")
	a.Admin.Must("POST", "/api/v1/conversations/"+mailConv+"/assign", map[string]any{}, nil)
	a.Admin.Must("POST", "/api/v1/conversations/"+mailConv+"/close", map[string]any{"category_id": cat}, nil)
	op := a.Operator("Анна", "operator", 5, "available")
	var mailVisitor struct {
		Visitor struct{ Email string } `json:"visitor"`
	}
	a.Admin.Must("GET", "/api/v1/conversations/"+mailConv+"/visitor", nil, &mailVisitor)
	email := mailVisitor.Visitor.Email
	if email == "" {
		t.Fatal("the mail's visitor has no address")
	}

	v := env.Visitor(key, "Мария")
	v.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{"visitor_token": v.Token, "email": strings.ToUpper(email)}, nil)
	conv := v.Say("Здравствуйте").ConversationID
	attrs := map[string]any{"plan": "gold", "uid": "u-17", "orders": 12, "vip": true}
	testkit.Expect(t, "attributes", report(t, v, map[string]any{"attributes": attrs}), 204, "")
	p := readProfile(t, op, conv)
	got := map[string]string{}
	for _, at := range p.Attributes {
		got[at.Label+"="+at.Key] = at.Value
	}
	if len(got) != 3 || got["Тариф=plan"] != "gold" || got["orders=orders"] != "12" || got["vip=vip"] != "true" {
		t.Fatalf("attributes shown: %v (uid is hidden)", got)
	}
	if p.EmailVerified {
		t.Fatal("an email without a signature is verified")
	}
	var none struct{ Items []json.RawMessage }
	op.Must("GET", "/api/v1/conversations/"+conv+"/visitor/conversations", nil, &none)
	if len(none.Items) != 0 {
		t.Fatalf("an unverified email found conversations: %d", len(none.Items))
	}
	testkit.Expect(t, "the mail's history without a verified email", op.Do("GET", "/api/v1/conversations/"+conv+"/visitor/conversations/"+mailConv+"/messages", nil), 404, "not_found")

	// null removes plan; a wrong signature verifies nothing; the right one does.
	testkit.Expect(t, "remove plan", report(t, v, map[string]any{"attributes": map[string]any{"plan": nil}, "email_signature": desk.EmailSignature("wrong secret value!", email)}), 204, "")
	if p := readProfile(t, op, conv); len(p.Attributes) != 2 || p.EmailVerified {
		t.Fatalf("after removing plan with a wrong signature: %+v verified=%v", p.Attributes, p.EmailVerified)
	}
	testkit.Expect(t, "signed email", report(t, v, map[string]any{"email_signature": desk.EmailSignature(secret, email)}), 204, "")
	if p := readProfile(t, op, conv); !p.EmailVerified {
		t.Fatal("a signed email is not verified")
	}
	var earlier struct {
		Items []struct {
			ID          string `json:"id"`
			Channel     string `json:"channel"`
			FirstLine   string `json:"first_line"`
			SameVisitor bool   `json:"same_visitor"`
			Category    *struct{ Name string }
			Operator    *struct{ Name string }
		}
	}
	op.Must("GET", "/api/v1/conversations/"+conv+"/visitor/conversations", nil, &earlier)
	if len(earlier.Items) != 1 || earlier.Items[0].ID != mailConv || earlier.Items[0].Channel != "email" || earlier.Items[0].SameVisitor ||
		earlier.Items[0].FirstLine != "Где мой заказ 4512?" || earlier.Items[0].Category == nil || earlier.Items[0].Category.Name != "Доставка" ||
		earlier.Items[0].Operator == nil || earlier.Items[0].Operator.Name != "Admin" {
		t.Fatalf("earlier conversations %+v", earlier.Items)
	}
	// Анна never took part in the mail's conversation: its history opens only through hers.
	testkit.Expect(t, "the mail's history directly", op.Do("GET", "/api/v1/conversations/"+mailConv+"/messages", nil), 404, "not_found")
	hist := op.Do("GET", "/api/v1/conversations/"+conv+"/visitor/conversations/"+mailConv+"/messages", nil)
	if hist.Status != 200 || !bytes.Contains(hist.Body, []byte("заказ 4512")) {
		t.Fatalf("the mail's history through the current conversation: %d %s", hist.Status, hist.Body)
	}

	// The visitor's own earlier conversation: closed, then a new one.
	a.Admin.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{"category_id": cat}, nil)
	conv2 := v.Say("Снова я").ConversationID
	op.Must("GET", "/api/v1/conversations/"+conv2+"/visitor/conversations", nil, &earlier)
	if len(earlier.Items) != 2 || earlier.Items[0].ID != conv || !earlier.Items[0].SameVisitor || earlier.Items[0].Operator == nil || earlier.Items[0].Operator.Name != "Анна" {
		t.Fatalf("earlier conversations of the second one: %+v", earlier.Items)
	}
	// Ids of another account, or of nobody's, read as not found.
	b := env.NewAccount()
	_, bkey := b.ContactPoint("webchat")
	bconv := env.Visitor(bkey, "Чужой").Say("чужой вопрос").ConversationID
	testkit.Expect(t, "another account's conversation as the other", op.Do("GET", "/api/v1/conversations/"+conv2+"/visitor/conversations/"+bconv+"/messages", nil), 404, "not_found")
	testkit.Expect(t, "a malformed other id", op.Do("GET", "/api/v1/conversations/"+conv2+"/visitor/conversations/01/messages", nil), 404, "not_found")
}

// TestVisitorEdit: the operator changes name, email, phone and note; the history gets an
// internal line (never shown to the visitor), the list the new name, the panels the profile.
// A mail visitor's address cannot be changed; bad input is refused and stores nothing.
func TestVisitorEdit(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	path := "/api/v1/conversations/" + d.Conv + "/visitor"
	ws := d.Sender.ReadyWS(false)
	var p profileView
	d.Sender.Must("PATCH", path, map[string]any{"name": "Вера Павловна", "email": "vera@example.com", "phone": "+7 900 000-00-00",
		"note": "Постоянная покупательница, любит улуны"}, &p)
	if p.Visitor.Name != "Вера Павловна" || p.Visitor.Email != "vera@example.com" || p.Note.Text == "" || p.Note.UpdatedBy == nil || p.Note.UpdatedBy.Name != "Анна" {
		t.Fatalf("edited profile %+v", p)
	}
	line := ws.WaitFor("message.created", func(f testkit.Frame) bool {
		return bytes.Contains(f.Data, []byte("изменяет данные посетителя"))
	})
	ws.WaitFor("visitor.updated", nil)
	var lm struct {
		Message testkit.Message `json:"message"`
	}
	json.Unmarshal(line.Data, &lm)
	if lm.Message.Kind != "comment" || !strings.Contains(lm.Message.Text, "Вера → Вера Павловна") || !strings.Contains(lm.Message.Text, "email: — → vera@example.com") {
		t.Fatalf("history line %+v", lm.Message)
	}
	for _, m := range d.Visitor.VisitorHistory() {
		if strings.Contains(m.Text, "изменяет данные") {
			t.Fatal("the visitor reads the internal line")
		}
	}
	if got := d.Account.Admin.Conversation(d.Conv); got.Visitor.Name != "Вера Павловна" {
		t.Fatalf("the list shows %q", got.Visitor.Name)
	}
	// The same values again change nothing and write no line.
	before := len(d.Sender.History(d.Conv))
	d.Sender.Must("PATCH", path, map[string]any{"name": "Вера Павловна"}, nil)
	if after := len(d.Sender.History(d.Conv)); after != before {
		t.Fatalf("a no-op edit wrote %d lines", after-before)
	}

	cases := append(testkit.MalformedBodies(),
		testkit.Refused("name too long", testkit.JSON(map[string]any{"name": testkit.Cyrillic(101)}), 400, "invalid_input"),
		testkit.Refused("note too long", testkit.JSON(map[string]any{"note": testkit.Cyrillic(2001)}), 400, "invalid_input"),
		testkit.Refused("bad email", testkit.JSON(map[string]any{"email": "not an address"}), 400, "invalid_input"),
		testkit.Refused("control characters", testkit.JSON(map[string]any{"name": "Ве\u0007ра"}), 400, "invalid_input"),
		testkit.Refused("null name", testkit.JSON(map[string]any{"name": nil}), 400, "invalid_input"),
		testkit.Refused("number", testkit.JSON(map[string]any{"phone": 5}), 400, "invalid_input"),
	)
	testkit.Refuse(t, d.Snapshot, d.Sender, "PATCH", path, cases)
	// Only the assignee or staff edits; another operator's, another account's: not theirs.
	testkit.Expect(t, "the receiver edits", d.Receiver.Do("PATCH", path, map[string]any{"name": "X"}), 403, "forbidden")
	other := d.Env.NewAccount()
	other.Admin.SetStatus("pause")
	testkit.Expect(t, "another account edits", other.Admin.Do("PATCH", path, map[string]any{"name": "X"}), 404, "not_found")

	// A mail visitor's address is where their mail comes from.
	mailID, _ := d.Account.ContactPoint("email")
	d.Account.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+mailID, map[string]any{"settings": map[string]any{"address": "help@team.example"}}, nil)
	mailConv := mailFrom(t, d.Account, mailID, "petr@example.com", "Письмо")
	d.Account.Admin.SetStatus("pause")
	testkit.Expect(t, "a mail visitor's address", d.Account.Admin.Do("PATCH", "/api/v1/conversations/"+mailConv+"/visitor", map[string]any{"email": "other@example.com"}), 400, "invalid_input")
	var mp profileView
	d.Account.Admin.Must("PATCH", "/api/v1/conversations/"+mailConv+"/visitor", map[string]any{"name": "Пётр"}, &mp)
	if mp.Mailbox == nil || mp.Mailbox.Address != "help@team.example" || !mp.EmailVerified || mp.Channel != "email" {
		t.Fatalf("a mail visitor's profile %+v", mp)
	}
}

// TestVisitorProfileBadInput: the widget's report past every limit, malformed or with
// invalid text is refused with a clear error and stores nothing.
func TestVisitorProfileBadInput(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	snapshot := func() string {
		return d.Snapshot() + testkit.Snapshot(t, testkit.Read{C: d.Sender, Path: "/api/v1/conversations/" + d.Conv + "/visitor"})
	}
	many := map[string]any{}
	for i := range 51 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	big := map[string]any{}
	for i := range 20 {
		big[fmt.Sprintf("k%d", i)] = strings.Repeat("x", 490)
	}
	fifty := make([]string, 51)
	for i := range fifty {
		fifty[i] = fmt.Sprintf("https://shop.example/p%d", i)
	}
	cases := []testkit.Refusal{
		testkit.Refused("truncated JSON", []byte(`{"pages": [`), 400, "invalid_input"),
		testkit.Refused("unknown field", []byte(`{"colour":"red"}`), 400, "invalid_input"),
		testkit.Refused("invalid UTF-8", []byte("{\"language\":\"\xff\xfe\"}"), 400, "invalid_input"),
		testkit.Refused("body over 256 KiB", append([]byte(`{"language":"`), bytes.Repeat([]byte("a"), 300<<10)...), 413, "too_large"),
		testkit.Refused("51 pages", testkit.JSON(map[string]any{"pages": pages(fifty...)}), 400, "invalid_input"),
		testkit.Refused("not a web address", testkit.JSON(map[string]any{"pages": pages("javascript:alert(1)")}), 400, "invalid_input"),
		testkit.Refused("address too long", testkit.JSON(map[string]any{"pages": pages("https://shop.example/" + strings.Repeat("a", 2100))}), 400, "invalid_input"),
		testkit.Refused("title too long", testkit.JSON(map[string]any{"pages": []map[string]any{{"url": "https://a.example/", "title": testkit.Cyrillic(301)}}}), 400, "invalid_input"),
		testkit.Refused("NUL in a title", testkit.JSON(map[string]any{"pages": []map[string]any{{"url": "https://a.example/", "title": "a\u0000b"}}}), 400, "invalid_input"),
		testkit.Refused("bad language", testkit.JSON(map[string]any{"language": "<script>"}), 400, "invalid_input"),
		testkit.Refused("bad time zone", testkit.JSON(map[string]any{"time_zone": "Europe/Moscow; drop"}), 400, "invalid_input"),
		testkit.Refused("offset out of range", testkit.JSON(map[string]any{"utc_offset_minutes": 2000}), 400, "invalid_input"),
		testkit.Refused("zero screen", testkit.JSON(map[string]any{"screen": map[string]int{"width": 0, "height": 5}}), 400, "invalid_input"),
		testkit.Refused("51 attributes", testkit.JSON(map[string]any{"attributes": many}), 400, "invalid_input"),
		testkit.Refused("attributes over 8 KiB", testkit.JSON(map[string]any{"attributes": big}), 400, "invalid_input"),
		testkit.Refused("value too long", testkit.JSON(map[string]any{"attributes": map[string]any{"a": testkit.Cyrillic(501)}}), 400, "invalid_input"),
		testkit.Refused("bad key", testkit.JSON(map[string]any{"attributes": map[string]any{"a b": "x"}}), 400, "invalid_input"),
		testkit.Refused("object value", testkit.JSON(map[string]any{"attributes": map[string]any{"a": map[string]any{}}}), 400, "invalid_input"),
		testkit.Refused("bad visit id", testkit.JSON(map[string]any{"visit_id": "a b"}), 400, "invalid_input"),
	}
	testkit.Refuse(t, snapshot, d.Visitor, "POST", "/api/v1/widget/profile", cases)
	// Without a visitor token: unauthenticated.
	anon := &testkit.Client{T: t, Base: d.Env.URL}
	testkit.Expect(t, "no token", anon.Do("POST", "/api/v1/widget/profile", map[string]any{}), 401, "unauthenticated")
	// The limits themselves pass: 50 pages, 50 attributes.
	fiftyAttrs := map[string]any{}
	for i := range 50 {
		fiftyAttrs[fmt.Sprintf("k%d", i)] = "v"
	}
	testkit.Expect(t, "50 pages and 50 attributes", report(t, d.Visitor, map[string]any{"pages": pages(fifty[:50]...), "attributes": fiftyAttrs}), 204, "")
	if p := readProfile(t, d.Sender, d.Conv); len(p.Context.Pages) != 50 || len(p.Attributes) != 50 {
		t.Fatalf("stored %d pages, %d attributes", len(p.Context.Pages), len(p.Attributes))
	}
	// Contact point settings for the profile are checked too.
	cpID, _ := d.Account.ContactPoint("webchat")
	for name, settings := range map[string]any{
		"short secret":    map[string]any{"identity_secret": "short"},
		"attributes list": map[string]any{"attributes": []string{"a"}},
		"unknown field":   map[string]any{"attributes": map[string]any{"plan": map[string]any{"colour": "red"}}},
		"long label":      map[string]any{"attributes": map[string]any{"plan": map[string]any{"label": testkit.Cyrillic(61)}}},
	} {
		testkit.Expect(t, name, d.Account.Admin.Do("PATCH", "/api/v1/admin/contact-points/"+cpID, map[string]any{"settings": settings}), 400, "invalid_input")
	}
}

// TestDeleteVisitor: an admin deletes a visitor (a data-subject request): both their
// conversations, the messages, the files (their content on disk too, unless another
// visitor's identical file still uses it), their uploads not sent, the transfer, and the
// events that carried any of it are gone; the operator's place is freed and every operator
// is told. Only admins delete, and only their account's visitors.
func TestDeleteVisitor(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	adm := d.Account.Admin
	start := d.Sender.ReadyWS(false).Cursor

	closedConv := d.Conv
	d.Sender.Must("POST", "/api/v1/conversations/"+closedConv+"/messages", map[string]any{"text": "Секретный ответ про заказ 777"}, nil)
	d.Sender.Must("POST", "/api/v1/conversations/"+closedConv+"/close", map[string]any{"category_id": d.CategoryID}, nil)
	mine := testkit.File{Name: "passport.png", Content: []byte("\x89PNG\r\n\x1a\n only this visitor's file")}
	shared := testkit.File{Name: "photo.txt", Content: []byte("the same bytes another visitor sends too")}
	up := d.Visitor.MustUpload("/api/v1/widget/attachments", mine, shared)
	var m testkit.Message
	d.Visitor.Must("POST", "/api/v1/widget/messages", map[string]any{"text": "Мой паспорт", "attachment_ids": []string{up[0].ID, up[1].ID}}, &m)
	openConv := m.ConversationID
	d.Visitor.MustUpload("/api/v1/widget/attachments", testkit.File{Name: "unsent.txt", Content: []byte("never sent by the visitor")})
	d.Sender.MustOffer(openConv, d.Receiver.ID, "посмотри", "pending")
	testkit.Expect(t, "profile report", report(t, d.Visitor, map[string]any{"pages": pages("https://shop.example/secret-page")}), 204, "")

	other := d.Env.Visitor(d.Key, "Другой")
	oup := other.MustUpload("/api/v1/widget/attachments", shared)
	other.Must("POST", "/api/v1/widget/messages", map[string]any{"text": "у меня тот же файл", "attachment_ids": []string{oup[0].ID}}, nil)

	filesDir := d.Env.Cfg.FilesDir()
	countFiles := func() int {
		n := 0
		filepath.WalkDir(filesDir, func(p string, e os.DirEntry, err error) error {
			if rel, _ := filepath.Rel(filesDir, p); err == nil && !e.IsDir() && !strings.HasPrefix(rel, "tmp") {
				n++
			}
			return nil
		})
		return n
	}
	beforeFiles := countFiles() // passport, shared, unsent

	// Not an admin, another account's admin, an unknown id: refused, nothing deleted.
	vera := d.Account.Operator("Вера", "supervisor", 5, "pause")
	testkit.Expect(t, "a supervisor deletes", vera.Do("DELETE", "/api/v1/admin/visitors/"+d.Visitor.ID, nil), 403, "forbidden")
	otherAcct := d.Env.NewAccount()
	testkit.Expect(t, "another account's admin deletes", otherAcct.Admin.Do("DELETE", "/api/v1/admin/visitors/"+d.Visitor.ID, nil), 404, "not_found")
	testkit.Expect(t, "an unknown visitor", adm.Do("DELETE", "/api/v1/admin/visitors/987654321", nil), 404, "not_found")
	if d.Sender.Conversation(openConv).ID != openConv {
		t.Fatal("a refused deletion deleted")
	}

	ws := d.Sender.ReadyWS(false)
	var del struct {
		Conversations []string `json:"conversation_ids"`
		Messages      int      `json:"messages"`
		Attachments   int      `json:"attachments"`
		Events        int      `json:"events"`
	}
	adm.Must("DELETE", "/api/v1/admin/visitors/"+d.Visitor.ID, nil, &del)
	if len(del.Conversations) != 2 || del.Attachments != 3 || del.Messages < 3 || del.Events == 0 {
		t.Fatalf("deletion report %+v", del)
	}
	ws.WaitFor("visitor.deleted", func(f testkit.Frame) bool { return bytes.Contains(f.Data, []byte(`"`+openConv+`"`)) })

	for _, c := range []string{closedConv, openConv} {
		testkit.Expect(t, "deleted conversation "+c, adm.Do("GET", "/api/v1/conversations/"+c, nil), 404, "not_found")
		testkit.Expect(t, "deleted history "+c, adm.Do("GET", "/api/v1/conversations/"+c+"/messages", nil), 404, "not_found")
	}
	testkit.Expect(t, "a deleted file", adm.Do("GET", "/api/v1/attachments/"+up[0].ID, nil), 404, "not_found")
	testkit.Expect(t, "deleting again", adm.Do("DELETE", "/api/v1/admin/visitors/"+d.Visitor.ID, nil), 404, "not_found")
	// On disk: the passport and the unsent file are gone; the shared content stays for the
	// other visitor, whose file still downloads.
	if got := countFiles(); got != beforeFiles-2 {
		t.Errorf("%d files on disk after the deletion, want %d", got, beforeFiles-2)
	}
	if r := adm.Do("GET", "/api/v1/attachments/"+oup[0].ID, nil); r.Status != 200 || string(r.Body) != string(shared.Content) {
		t.Errorf("the other visitor's identical file: %d", r.Status)
	}
	// Анна's place is free again; the transfer is gone with the conversation.
	var me testkit.Me
	d.Sender.Must("GET", "/api/v1/me", nil, &me)
	if me.OpenCount != 1 { // the other visitor's conversation
		t.Errorf("Анна holds %d conversations after the deletion, want 1", me.OpenCount)
	}
	var transfers struct{ Incoming, Outgoing []json.RawMessage }
	d.Receiver.Must("GET", "/api/v1/transfers", nil, &transfers)
	if len(transfers.Incoming) != 0 {
		t.Errorf("the transfer of a deleted conversation is still offered")
	}
	// The events that carried any of it: a socket resuming from before the first message
	// hears nothing of the visitor; the visitor's own replay is empty.
	replay := d.Sender.WS(false, start)
	for {
		f := replay.Next(5e9)
		if f.Type == "ready" || f.Type == "resync" {
			break
		}
		if bytes.Contains(f.Data, []byte("Секретный")) || bytes.Contains(f.Data, []byte("паспорт")) || bytes.Contains(f.Data, []byte("secret-page")) ||
			(bytes.Contains(f.Data, []byte(`"conversation_id":"`+closedConv+`"`)) || bytes.Contains(f.Data, []byte(`"conversation":{"id":"`+openConv+`"`))) &&
				f.Type != "visitor.deleted" {
			t.Fatalf("a replayed %s still carries the deleted visitor: %s", f.Type, f.Data)
		}
	}
	// The other visitor and their conversation are untouched.
	if h := other.VisitorHistory(); len(h) == 0 || h[0].Text != "у меня тот же файл" {
		t.Errorf("the other visitor's history: %+v", h)
	}
}
