package app_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/testkit"
)

// Tests of the core-server fixes: JSON handshake errors of the WebSockets, scoped client_id
// idempotency, sockets closed on role change and logout, partial category updates, 405 on a
// wrong method, the rules and throttle of client typing frames, and decoding errors written
// for people.

// cfWSURL is the WebSocket URL of path for a client, with extra query.
func cfWSURL(c *testkit.Client, path, query string) string {
	u := "ws" + strings.TrimPrefix(c.Base, "http") + path + "?token=" + c.Token
	if query != "" {
		u += "&" + query
	}
	return u
}

// cfDial dials a WebSocket directly (testkit's WS hides close codes); it fails the test
// unless the handshake succeeds.
func cfDial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (%d)", url, err, status)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// cfRead reads frames until one of the type arrives (returning it) or the socket closes
// (returning the close error).
func cfRead(t *testing.T, conn *websocket.Conn, typ string) (testkit.Frame, error) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return testkit.Frame{}, err
		}
		var f testkit.Frame
		if json.Unmarshal(data, &f) == nil && f.Type == typ {
			return f, nil
		}
	}
}

// cfClosed waits until the server closes conn and returns the close error.
func cfClosed(t *testing.T, conn *websocket.Conn) *websocket.CloseError {
	t.Helper()
	_, err := cfRead(t, conn, "never sent")
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		t.Fatalf("socket not closed by the server: %v", err)
	}
	return ce
}

// cfAlive checks that conn still answers a ping frame.
func cfAlive(t *testing.T, conn *websocket.Conn, what string) {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatalf("%s: write ping: %v", what, err)
	}
	if _, err := cfRead(t, conn, "pong"); err != nil {
		t.Fatalf("%s: no pong: %v", what, err)
	}
}

// cfJSONError checks an HTTP answer is the API's JSON error with the status and code.
func cfJSONError(t *testing.T, what string, resp *http.Response, body []byte, status int, code string) {
	t.Helper()
	if resp == nil {
		t.Fatalf("%s: no HTTP answer", what)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if resp.StatusCode != status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal(body, &e) != nil || e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("%s: %d %q %s, want %d JSON error %s", what, resp.StatusCode, resp.Header.Get("Content-Type"), body, status, code)
	}
}

// TestWSHandshakeErrorsAreJSON: a malformed cursor, a plain GET without the upgrade
// headers, and a missing token are answered with the API's JSON errors before upgrading,
// on both WebSockets.
func TestWSHandshakeErrorsAreJSON(t *testing.T) {
	t.Parallel()
	_, _, _, op, v := testkit.StartChat(t)

	for _, side := range []struct {
		name string
		c    *testkit.Client
		path string
	}{{"operator", op, "/api/v1/ws"}, {"visitor", v, "/api/v1/widget/ws"}} {
		for _, cursor := range []string{"abc", "-1", "01", "1.5"} {
			_, resp, err := websocket.DefaultDialer.Dial(cfWSURL(side.c, side.path, "cursor="+cursor), nil)
			if err == nil {
				t.Fatalf("%s: cursor %q was accepted", side.name, cursor)
			}
			body := readBody(resp)
			cfJSONError(t, side.name+" cursor "+cursor, resp, body, 400, "invalid_input")
		}
		// A plain GET: not a handshake.
		r := side.c.Raw("GET", side.path, nil)
		if r.Status != 400 || r.Code() != "invalid_input" {
			t.Fatalf("%s: plain GET: %d %s", side.name, r.Status, r.Body)
		}
		// No token at all.
		anon := &testkit.Client{T: t, Base: side.c.Base}
		if r := anon.Raw("GET", side.path, nil); r.Status != 401 || r.Code() != "unauthenticated" {
			t.Fatalf("%s: no token: %d %s", side.name, r.Status, r.Body)
		}
		_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(side.c.Base, "http")+side.path+"?token=forged", nil)
		if err == nil {
			t.Fatalf("%s: a forged token was accepted", side.name)
		}
		cfJSONError(t, side.name+" forged token", resp, readBody(resp), 401, "unauthenticated")
		// A good cursor (0 included) still connects.
		conn := cfDial(t, cfWSURL(side.c, side.path, "cursor=0"))
		conn.Close()
	}
}

func readBody(resp *http.Response) []byte {
	if resp == nil || resp.Body == nil {
		return nil
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return []byte(b.String())
		}
	}
}

// TestClientIDScoped: an operator's client_id repeats one write only: the same
// conversation and kind return the first message; another conversation or the other kind
// is 409 client_id_reused and stores nothing.
func TestClientIDScoped(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	v2 := d.env.Visitor(d.key, "Глеб")
	conv2 := v2.Say("Добрый день").ConversationID
	if c := d.a.Admin.Conversation(conv2); c.AssigneeID != d.s.ID {
		t.Fatalf("second conversation went to %s", c.AssigneeID)
	}
	reply := func(conv string) string { return "/api/v1/conversations/" + conv + "/messages" }
	note := func(conv string) string { return "/api/v1/conversations/" + conv + "/comments" }
	counts := func() (int, int) { return len(trHistory(d.s, d.conv)), len(trHistory(d.s, conv2)) }

	x := testkit.Unique("cid")
	var first, again testkit.Message
	d.s.Must("POST", reply(d.conv), map[string]any{"client_id": x, "text": "первый"}, &first)
	d.s.Must("POST", reply(d.conv), map[string]any{"client_id": x, "text": "повтор"}, &again)
	if again.ID != first.ID || again.Text != "первый" {
		t.Fatalf("repeat in the same conversation returned %+v, want %+v", again, first)
	}
	n1, n2 := counts()
	trExpect(t, "reply client_id in another conversation", d.s.Do("POST", reply(conv2), map[string]any{"client_id": x, "text": "чужой"}), 409, "client_id_reused")
	trExpect(t, "reply client_id as a comment", d.s.Do("POST", note(d.conv), map[string]any{"client_id": x, "text": "заметка"}), 409, "client_id_reused")
	trExpect(t, "reply client_id as a comment elsewhere", d.s.Do("POST", note(conv2), map[string]any{"client_id": x, "text": "заметка"}), 409, "client_id_reused")

	y := testkit.Unique("cid")
	var c1, c2 testkit.Message
	d.s.Must("POST", note(d.conv), map[string]any{"client_id": y, "text": "заметка"}, &c1)
	d.s.Must("POST", note(d.conv), map[string]any{"client_id": y, "text": "заметка 2"}, &c2)
	if c1.ID != c2.ID || c2.Kind != "comment" {
		t.Fatalf("repeated comment: %+v then %+v", c1, c2)
	}
	trExpect(t, "comment client_id as a reply", d.s.Do("POST", reply(d.conv), map[string]any{"client_id": y, "text": "ответ"}), 409, "client_id_reused")
	trExpect(t, "comment client_id in another conversation", d.s.Do("POST", note(conv2), map[string]any{"client_id": y, "text": "ответ"}), 409, "client_id_reused")
	if m1, m2 := counts(); m1 != n1+1 || m2 != n2 {
		t.Fatalf("histories grew by %d and %d, want 1 (the comment) and 0", m1-n1, m2-n2)
	}
	// Another author has its own namespace: the admin's x is a new message.
	d.a.Admin.SetStatus("pause")
	var adm testkit.Message
	d.a.Admin.Must("POST", reply(d.conv), map[string]any{"client_id": x, "text": "от админа"}, &adm)
	if adm.ID == first.ID || adm.Text != "от админа" {
		t.Fatalf("the admin's client_id returned another author's message %+v", adm)
	}
}

// TestAccessChangeClosesSockets: a role change closes every WebSocket of the operator (and
// the reconnect carries the new rights); a limit change closes nothing; a logout closes the
// sockets of that session only, and the session cannot reconnect.
func TestAccessChangeClosesSockets(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "pause")
	other := a.Operator("Борис", "operator", 5, "available")
	second := env.Login(op.Email, "password1") // a second session (another device)

	c1 := cfDial(t, cfWSURL(op, "/api/v1/ws", ""))
	c2 := cfDial(t, cfWSURL(second, "/api/v1/ws", ""))
	for _, c := range []*websocket.Conn{c1, c2} {
		if _, err := cfRead(t, c, "ready"); err != nil {
			t.Fatal(err)
		}
	}
	a.Admin.Must("PATCH", "/api/v1/admin/operators/"+op.ID, map[string]any{"limit": 7}, nil)
	cfAlive(t, c1, "after a limit change")

	a.Admin.Must("PATCH", "/api/v1/admin/operators/"+op.ID, map[string]any{"role": "supervisor"}, nil)
	for i, c := range []*websocket.Conn{c1, c2} {
		ce := cfClosed(t, c)
		if ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "role changed") {
			t.Fatalf("socket %d after a role change: closed %d %q", i+1, ce.Code, ce.Text)
		}
	}
	// Reconnected, the operator is staff: a message in Борис's conversation reaches them.
	w := op.WS(false, "")
	w.Ready()
	vis := env.Visitor(key, "Вера")
	conv := vis.Say("Здравствуйте").ConversationID
	if got := a.Admin.Conversation(conv); got.AssigneeID != other.ID {
		t.Fatalf("conversation went to %s", got.AssigneeID)
	}
	w.WaitFor("message.created", func(f testkit.Frame) bool { return strings.Contains(string(f.Data), conv) })

	// Logout closes the sockets of that session, not the other session's.
	s1 := cfDial(t, cfWSURL(op, "/api/v1/ws", ""))
	s2 := cfDial(t, cfWSURL(second, "/api/v1/ws", ""))
	for _, c := range []*websocket.Conn{s1, s2} {
		if _, err := cfRead(t, c, "ready"); err != nil {
			t.Fatal(err)
		}
	}
	if r := op.Do("POST", "/api/v1/auth/logout", nil); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if ce := cfClosed(t, s1); ce.Code != websocket.CloseTryAgainLater || ce.Text != "logged out" {
		t.Fatalf("after logout: closed %d %q", ce.Code, ce.Text)
	}
	cfAlive(t, s2, "the other session after a logout")
	_, resp, err := websocket.DefaultDialer.Dial(cfWSURL(op, "/api/v1/ws", ""), nil)
	if err == nil {
		t.Fatal("a logged-out session reconnected")
	}
	cfJSONError(t, "reconnect after logout", resp, readBody(resp), 401, "unauthenticated")
}

// TestCategoryPatchIsPartial: PATCH changes only the fields given; null and invalid values
// are refused and change nothing.
func TestCategoryPatchIsPartial(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	var cat struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Position int    `json:"position"`
	}
	a.Admin.Must("POST", "/api/v1/admin/conversation-categories", map[string]any{"name": "Доставка", "position": 5}, &cat)
	path := "/api/v1/admin/conversation-categories/" + cat.ID
	stored := func() (string, int) {
		var out struct {
			Items []struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Position int    `json:"position"`
			} `json:"items"`
		}
		a.Admin.Must("GET", "/api/v1/admin/conversation-categories", nil, &out)
		for _, c := range out.Items {
			if c.ID == cat.ID {
				return c.Name, c.Position
			}
		}
		t.Fatal("category gone")
		return "", 0
	}
	check := func(what, name string, pos int) {
		t.Helper()
		if n, p := stored(); n != name || p != pos {
			t.Fatalf("%s: stored %q/%d, want %q/%d", what, n, p, name, pos)
		}
	}
	a.Admin.Must("PATCH", path, map[string]any{"position": 7}, nil)
	check("position only", "Доставка", 7)
	a.Admin.Must("PATCH", path, map[string]any{"name": "  Оплата "}, nil)
	check("name only", "Оплата", 7)
	a.Admin.Must("PATCH", path, map[string]any{}, nil)
	check("empty patch", "Оплата", 7)
	for _, bad := range []struct{ name, body, msg string }{
		{"null name", `{"name":null}`, `field "name" cannot be null`},
		{"null position", `{"position":null}`, `field "position" cannot be null`},
		{"blank name", `{"name":" ","position":1}`, "name is required"},
		{"long name", `{"name":"` + cyr(101) + `"}`, "name is longer than 100 characters"},
		{"position string", `{"position":"1"}`, `field "position" must be a whole number, not a string`},
		{"position fraction", `{"position":1.5}`, `field "position" must be a whole number, not 1.5`},
		{"position out of range", `{"position":2000000}`, "position must be between"},
		{"unknown field", `{"colour":"red"}`, `unknown field "colour"`},
	} {
		r := a.Admin.Raw("PATCH", path, []byte(bad.body))
		var e struct{ Error struct{ Message string } }
		json.Unmarshal(r.Body, &e)
		if r.Status != 400 || r.Code() != "invalid_input" || !strings.Contains(e.Error.Message, bad.msg) {
			t.Errorf("%s: %d %s, want 400 with %q", bad.name, r.Status, r.Body, bad.msg)
		}
	}
	check("after refused patches", "Оплата", 7)
	trExpect(t, "unknown category", a.Admin.Do("PATCH", "/api/v1/admin/conversation-categories/999999", map[string]any{"position": 1}), 404, "not_found")
}

// TestWrongMethodIs405: a known path with another method answers 405 method_not_allowed
// with an Allow header; unknown paths stay 404.
func TestWrongMethodIs405(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	for _, c := range []struct{ method, path, allow string }{
		{"POST", "/healthz", "GET, HEAD"},
		{"DELETE", "/api/v1/me", "GET, HEAD"},
		{"GET", "/api/v1/auth/login", "POST"},
		{"PUT", "/api/v1/conversations/5/messages", "GET, HEAD, POST"},
		{"GET", "/api/v1/admin/conversation-categories/5", "PATCH, DELETE"},
		{"POST", "/api/v1/ws", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, env.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+a.Admin.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(resp)
		cfJSONError(t, c.method+" "+c.path, resp, body, 405, "method_not_allowed")
		if got := resp.Header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/nothing"}, {"POST", "/api/v1/nothing"}, {"POST", "/some/page"}} {
		if r := a.Admin.Raw(c.method, c.path, nil); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("%s %s: %d %s, want 404 not_found", c.method, c.path, r.Status, r.Body)
		}
	}
}

// cfSend writes a client frame.
func cfSend(t *testing.T, conn *websocket.Conn, frame string) {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		t.Fatal(err)
	}
}

// cfTypingBefore counts typing frames on w until a message.created frame arrives.
func cfTypingBefore(t *testing.T, w *testkit.WS) int {
	t.Helper()
	n := 0
	deadline := time.Now().Add(5 * time.Second)
	for {
		f := w.Next(time.Until(deadline))
		switch f.Type {
		case "typing":
			n++
		case "message.created":
			return n
		}
	}
}

// TestTypingRules: typing frames are forwarded only from someone who may write in the
// conversation, refused ones get an error frame, and a burst is throttled to one.
func TestTypingRules(t *testing.T) {
	t.Parallel()
	d := badSetup(t) // d.s holds d.conv; d.r is another operator
	d.a.Admin.SetStatus("pause")
	typing := `{"type":"typing","conversation_id":"` + d.conv + `"}`

	// A burst of ten from the assignee reaches staff and the visitor once.
	staff := d.a.Admin.WS(false, "")
	staff.Ready()
	vis := d.v.WS(true, "")
	vis.Ready()
	sc := cfDial(t, cfWSURL(d.s, "/api/v1/ws", ""))
	for range 10 {
		cfSend(t, sc, typing)
	}
	cfAlive(t, sc, "assignee") // every typing frame before the ping is handled
	d.v.Say("маркер 1")
	if n := cfTypingBefore(t, staff); n != 1 {
		t.Fatalf("staff got %d typing frames from a burst of 10, want 1", n)
	}
	if n := cfTypingBefore(t, vis); n != 1 {
		t.Fatalf("the visitor got %d typing frames from a burst of 10, want 1", n)
	}

	// Another operator's typing in a conversation not theirs is refused, as not found: they
	// may not read it either (TestReadScopeTyping has the forbidden case).
	rc := cfDial(t, cfWSURL(d.r, "/api/v1/ws", ""))
	cfSend(t, rc, typing)
	f, err := cfRead(t, rc, "error")
	if err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("typing in another's conversation: %s %v", f.Data, err)
	}
	// Unknown conversation and a missing id.
	cfSend(t, rc, `{"type":"typing","conversation_id":"99999999"}`)
	if f, err := cfRead(t, rc, "error"); err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("typing in an unknown conversation: %s %v", f.Data, err)
	}
	cfSend(t, rc, `{"type":"typing"}`)
	if f, err := cfRead(t, rc, "error"); err != nil || !strings.Contains(string(f.Data), `"invalid_input"`) {
		t.Fatalf("typing without a conversation: %s %v", f.Data, err)
	}
	// An offline operator may not type.
	d.r.SetStatus("offline")
	oc := cfDial(t, cfWSURL(d.r, "/api/v1/ws", ""))
	cfSend(t, oc, `{"type":"typing","conversation_id":"99999998"}`)
	if f, err := cfRead(t, oc, "error"); err != nil || !strings.Contains(string(f.Data), `"operator_offline"`) {
		t.Fatalf("typing while offline: %s %v", f.Data, err)
	}
	d.v.Say("маркер 2")
	if n := cfTypingBefore(t, staff); n != 0 {
		t.Fatalf("staff got %d typing frames from refused senders", n)
	}

	// The visitor types in their open conversation; after closing it they may not.
	vc := cfDial(t, cfWSURL(d.v, "/api/v1/widget/ws", ""))
	cfSend(t, vc, `{"type":"typing"}`)
	cfAlive(t, vc, "visitor")
	d.v.Say("маркер 3")
	if n := cfTypingBefore(t, staff); n != 1 {
		t.Fatalf("staff got %d visitor typing frames, want 1", n)
	}
	d.v.Must("POST", "/api/v1/widget/close", nil, nil)
	vc2 := cfDial(t, cfWSURL(d.v, "/api/v1/widget/ws", ""))
	cfSend(t, vc2, `{"type":"typing"}`)
	if f, err := cfRead(t, vc2, "error"); err != nil || !strings.Contains(string(f.Data), `"not_found"`) {
		t.Fatalf("visitor typing after closing: %s %v", f.Data, err)
	}
	// The assignee in a closed conversation.
	d.s.Must("POST", "/api/v1/conversations/"+d.conv+"/close", map[string]any{"category_id": d.catID}, nil)
	sc2 := cfDial(t, cfWSURL(d.s, "/api/v1/ws", ""))
	cfSend(t, sc2, typing)
	if f, err := cfRead(t, sc2, "error"); err != nil || !strings.Contains(string(f.Data), `"conversation_closed"`) {
		t.Fatalf("typing in a closed conversation: %s %v", f.Data, err)
	}
}

// TestDecodeErrorsForPeople: bad types, unknown fields, nulls and broken JSON get messages in
// JSON words that name the field, never Go's wording or type names.
func TestDecodeErrorsForPeople(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	adm := d.a.Admin
	goWords := regexp.MustCompile(`json:|Go |struct|livedesk\.|int64|float64|\bint\b|\bbool\b|unmarshal|EOF`)
	for _, c := range []struct {
		client       *testkit.Client
		method, path string
		body, want   string
	}{
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":"5"}`, `field "default_limit" must be a whole number, not a string`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":5.5}`, `field "default_limit" must be a whole number, not 5.5`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"autocomplete_quick_messages":"yes"}`, `field "autocomplete_quick_messages" must be true or false, not a string`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"colour":1}`, `unknown field "colour"`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":null}`, `field "default_limit" cannot be null`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":0}`, `default_limit must be between 1 and 1000`},
		{adm, "PATCH", "/api/v1/admin/settings", `[1]`, `the body must be a JSON object, not a list`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":`, `malformed JSON`},
		{adm, "PATCH", "/api/v1/admin/settings", `{"default_limit":1}{}`, `one JSON value`},
		{adm, "POST", "/api/v1/admin/operators", `{"name":"Ольга","email":"o@example.test","password":"password1","role":5}`, `field "role" must be a string, not a number`},
		{adm, "POST", "/api/v1/admin/operators", `{"name":["Ольга"]}`, `field "name" must be a string, not a list`},
		{adm, "PATCH", "/api/v1/admin/operators/" + d.s.ID, `{"limit":true}`, `field "limit" must be a whole number, not true or false`},
		{d.s, "PUT", "/api/v1/me/status", `{"status":{}}`, `field "status" must be a string, not an object`},
		{d.s, "POST", "/api/v1/conversations/" + d.conv + "/messages", `{"text":1}`, `field "text" must be a string, not a number`},
		{d.v, "POST", "/api/v1/widget/messages", `{"text":"hi","client_id":7}`, `field "client_id" must be a string, not a number`},
	} {
		r := c.client.Raw(c.method, c.path, []byte(c.body))
		var e struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(r.Body, &e)
		if r.Status != 400 || e.Error.Code != "invalid_input" || !strings.Contains(e.Error.Message, c.want) {
			t.Errorf("%s %s %s: %d %s, want 400 with %q", c.method, c.path, c.body, r.Status, r.Body, c.want)
		}
		if goWords.MatchString(e.Error.Message) {
			t.Errorf("%s %s %s: the message shows Go internals: %q", c.method, c.path, c.body, e.Error.Message)
		}
	}
	// A good partial settings change keeps the rest.
	var s1, s2 map[string]any
	adm.Must("GET", "/api/v1/admin/settings", nil, &s1)
	adm.Must("PATCH", "/api/v1/admin/settings", map[string]any{"transfer_timeout_seconds": 60}, &s2)
	if s2["transfer_timeout_seconds"] != float64(60) || s2["default_limit"] != s1["default_limit"] {
		t.Fatalf("settings after a partial change: %v (before %v)", s2, s1)
	}
}

// TestDeactivateOperator: deactivation closes the operator's sockets, ends their sessions,
// refuses their login and transfers to them; reactivation lets them log in again.
func TestDeactivateOperator(t *testing.T) {
	t.Parallel()
	d := trSetup(t) // d.s available, d.r on pause
	cpID, _ := d.a.ContactPoint("email")
	mail := trEmailConversation(t, d, cpID, "Письмо")

	conn := cfDial(t, cfWSURL(d.r, "/api/v1/ws", ""))
	if _, err := cfRead(t, conn, "ready"); err != nil {
		t.Fatal(err)
	}
	trExpect(t, "admin deactivates themselves", d.a.Admin.Do("PATCH", "/api/v1/admin/operators/"+d.a.Admin.ID, map[string]any{"deactivated": true}), 409, "conflict")
	var op struct {
		Deactivated bool   `json:"deactivated"`
		Status      string `json:"status"`
	}
	d.a.Admin.Must("PATCH", "/api/v1/admin/operators/"+d.r.ID, map[string]any{"deactivated": true}, &op)
	if !op.Deactivated || op.Status != "offline" {
		t.Fatalf("after deactivation: %+v", op)
	}
	if ce := cfClosed(t, conn); ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "deactivated") {
		t.Fatalf("socket after deactivation: closed %d %q", ce.Code, ce.Text)
	}
	_, resp, err := websocket.DefaultDialer.Dial(cfWSURL(d.r, "/api/v1/ws", ""), nil)
	if err == nil {
		t.Fatal("a deactivated operator reconnected")
	}
	cfJSONError(t, "reconnect after deactivation", resp, readBody(resp), 401, "unauthenticated")
	trExpect(t, "REST after deactivation", d.r.Do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	anon := &testkit.Client{T: t, Base: d.env.URL}
	trExpect(t, "login after deactivation", anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": d.r.Email, "password": "password1"}), 403, "forbidden")
	trExpect(t, "email transfer to a deactivated operator", trOffer(d.s, mail, d.r.ID, ""), 409, "target_unavailable")

	d.a.Admin.Must("PATCH", "/api/v1/admin/operators/"+d.r.ID, map[string]any{"deactivated": false}, &op)
	if op.Deactivated {
		t.Fatal("reactivation did not stick")
	}
	back := d.env.Login(d.r.Email, "password1")
	back.SetStatus("pause")
	trMustOffer(d.s, mail, back.ID, "", "accepted")
}
