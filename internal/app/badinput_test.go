package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"livedesk/internal/httpapi"
	"livedesk/internal/testkit"
)

// Integration tests of DESIGN §2.12 «every input validated with a clear error»: bad input on
// every write endpoint is refused with the right code, and a refused request stores nothing.

// badDesk is an account with a sender S (available, holds conv) and a receiver R (pause),
// a category (so closing needs one) and the visitor of conv.
type badDesk struct {
	env   *testkit.Env
	a     *testkit.Account
	s, r  *testkit.Client
	v     *testkit.Client
	key   string
	conv  string
	catID string
}

func badSetup(t *testing.T) *badDesk {
	t.Helper()
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	d := &badDesk{env: env, a: a, key: key, catID: a.Category("Оплата"),
		s: a.Operator("Анна", "operator", 5, "available"), r: a.Operator("Борис", "operator", 5, "pause")}
	d.v = env.Visitor(key, "Вера")
	d.conv = d.v.Say("Здравствуйте").ConversationID
	if c := a.Admin.Conversation(d.conv); c.AssigneeID != d.s.ID {
		t.Fatalf("conversation went to %s", c.AssigneeID)
	}
	return d
}

// snapshot is everything a write endpoint could have changed.
func (d *badDesk) snapshot(t *testing.T) string {
	t.Helper()
	var parts []string
	get := func(c *testkit.Client, path string) {
		r := c.Do("GET", path, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		parts = append(parts, path+" "+string(r.Body))
	}
	get(d.a.Admin, "/api/v1/conversations/"+d.conv)
	get(d.a.Admin, "/api/v1/conversations/"+d.conv+"/messages?limit=200")
	get(d.a.Admin, "/api/v1/conversations?state=open")
	get(d.a.Admin, "/api/v1/conversations?state=closed")
	get(d.a.Admin, "/api/v1/admin/operators")
	get(d.a.Admin, "/api/v1/admin/contact-points")
	get(d.a.Admin, "/api/v1/admin/conversation-categories")
	get(d.a.Admin, "/api/v1/admin/settings")
	get(d.v, "/api/v1/widget/messages?limit=200")
	return strings.Join(parts, "\n")
}

// badCase is one refused request.
type badCase struct {
	name   string
	body   []byte
	status int
	code   string
}

func badJSON(s string) []byte { return []byte(s) }

// badBody marshals v (for bodies with long texts).
func badBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// badHuge is a body one byte over the 1 MiB limit.
func badHuge() []byte {
	b := bytes.Repeat([]byte(" "), 1<<20+1)
	copy(b, `{"text":"hi"}`)
	return b
}

// cyr is n Cyrillic characters (2 bytes each in UTF-8).
func cyr(n int) string { return strings.Repeat("ж", n) }

// badMalformed are bodies every JSON endpoint refuses the same way.
func badMalformed() []badCase {
	return []badCase{
		{"truncated JSON", badJSON(`{"text": "hi"`), 400, "invalid_input"},
		{"not JSON", badJSON(`text=hi`), 400, "invalid_input"},
		{"two values", badJSON(`{} {}`), 400, "invalid_input"},
		{"trailing garbage", badJSON(`{}x`), 400, "invalid_input"},
		{"array", badJSON(`[]`), 400, "invalid_input"},
		{"string", badJSON(`"hi"`), 400, "invalid_input"},
		{"number", badJSON(`42`), 400, "invalid_input"},
		{"unknown field", badJSON(`{"colour":"red"}`), 400, "invalid_input"},
		{"invalid UTF-8 in a value", []byte("{\"text\":\"\xff\xfe\"}"), 400, "invalid_input"},
		{"invalid UTF-8 in a key", []byte("{\"te\xc3xt\":\"hi\"}"), 400, "invalid_input"},
		{"overlong UTF-8", []byte("{\"text\":\"\xc0\xaf\"}"), 400, "invalid_input"},
		{"body over 1 MiB", badHuge(), 413, "too_large"},
	}
}

// badTexts are text fields every message-like endpoint refuses.
func badTexts(extra map[string]any) []badCase {
	with := func(kv map[string]any) []byte {
		m := map[string]any{"client_id": testkit.Unique("bad")}
		for k, v := range extra {
			m[k] = v
		}
		for k, v := range kv {
			m[k] = v
		}
		return badBody(m)
	}
	return []badCase{
		{"no text", with(nil), 400, "invalid_input"},
		{"empty text", with(map[string]any{"text": ""}), 400, "invalid_input"},
		{"null text", with(map[string]any{"text": nil}), 400, "invalid_input"},
		{"whitespace-only text", with(map[string]any{"text": " \t\n\r\u00a0 \u3000"}), 400, "invalid_input"},
		{"10,001 characters", with(map[string]any{"text": cyr(10001)}), 400, "invalid_input"},
		{"NUL in text", with(map[string]any{"text": "a\x00b"}), 400, "invalid_input"},
		{"text is a number", with(map[string]any{"text": 5}), 400, "invalid_input"},
		{"text is a list", with(map[string]any{"text": []string{"a"}}), 400, "invalid_input"},
		{"client_id is a number", with(map[string]any{"client_id": 5, "text": "hi"}), 400, "invalid_input"},
		{"client_id too long", with(map[string]any{"client_id": strings.Repeat("x", 65), "text": "hi"}), 400, "invalid_input"},
		{"client_id with a space", with(map[string]any{"client_id": "a b", "text": "hi"}), 400, "invalid_input"},
		{"client_id not ASCII", with(map[string]any{"client_id": "ключ", "text": "hi"}), 400, "invalid_input"},
		{"unknown field", with(map[string]any{"text": "hi", "colour": "red"}), 400, "invalid_input"},
	}
}

// refuse sends every case and checks the answer, then that nothing changed. Comparing
// once per endpoint keeps the test fast; when something did change, the cases are sent
// again one at a time to name the request that stored something.
func (d *badDesk) refuse(t *testing.T, c *testkit.Client, method, path string, cases []badCase) {
	t.Helper()
	before := d.snapshot(t)
	send := func(bc badCase) {
		t.Helper()
		r := c.Raw(method, path, bc.body)
		if r.Status != bc.status || r.Code() != bc.code {
			t.Errorf("%s %s, %s: %d %s, want %d %s", method, path, bc.name, r.Status, r.Body, bc.status, bc.code)
		}
		var e struct {
			Error struct{ Message string }
		}
		if json.Unmarshal(r.Body, &e) != nil || e.Error.Message == "" {
			t.Errorf("%s %s, %s: no clear error message: %s", method, path, bc.name, r.Body)
		}
	}
	for _, bc := range cases {
		send(bc)
	}
	after := d.snapshot(t)
	if after == before {
		return
	}
	t.Errorf("%s %s: refused requests changed data:\nbefore: %s\nafter:  %s", method, path, before, after)
	for _, bc := range cases {
		before = d.snapshot(t)
		send(bc)
		if d.snapshot(t) != before {
			t.Errorf("%s %s, %s: this refused request changed data", method, path, bc.name)
		}
	}
}

// TestBadInputMessages: operator replies, comments and visitor messages.
func TestBadInputMessages(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	reply := "/api/v1/conversations/" + d.conv + "/messages"
	comment := "/api/v1/conversations/" + d.conv + "/comments"

	replyCases := append(badMalformed(), badTexts(nil)...)
	replyCases = append(replyCases,
		badCase{"reply_to is a number", badBody(map[string]any{"text": "hi", "reply_to": 5}), 400, "invalid_input"},
		badCase{"reply_to is not an id", badBody(map[string]any{"text": "hi", "reply_to": "abc"}), 400, "invalid_input"},
		badCase{"reply_to a missing message", badBody(map[string]any{"text": "hi", "reply_to": "987654321"}), 400, "invalid_input"},
	)
	d.refuse(t, d.s, "POST", reply, replyCases)

	commentCases := append(badMalformed(), badTexts(nil)...)
	commentCases = append(commentCases, badCase{"reply_to on a comment", badBody(map[string]any{"text": "hi", "reply_to": "1"}), 400, "invalid_input"})
	d.refuse(t, d.s, "POST", comment, commentCases)

	visitorCases := append(badMalformed(), badTexts(nil)...)
	visitorCases = append(visitorCases, badCase{"visitors cannot quote", badBody(map[string]any{"text": "hi", "reply_to": "1"}), 400, "invalid_input"})
	d.refuse(t, d.v, "POST", "/api/v1/widget/messages", visitorCases)

	// Quoting their own message is refused too.
	own := trVisitorHistory(d.v)[0].ID
	d.refuse(t, d.v, "POST", "/api/v1/widget/messages", []badCase{{"visitor quotes", badBody(map[string]any{"text": "hi", "reply_to": own}), 400, "invalid_input"}})

	// The boundaries: 10,000 characters (20,000 bytes of Cyrillic) are accepted.
	long := cyr(10000)
	for _, w := range []struct {
		c    *testkit.Client
		path string
	}{{d.s, reply}, {d.s, comment}, {d.v, "/api/v1/widget/messages"}} {
		var m testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": testkit.Unique("long"), "text": long}, &m)
		if utf8.RuneCountInString(m.Text) != 10000 {
			t.Errorf("POST %s: the 10,000-character text came back with %d characters", w.path, utf8.RuneCountInString(m.Text))
		}
	}
	var stored int
	for _, m := range trHistory(d.s, d.conv) {
		if m.Text == long {
			stored++
		}
	}
	if stored != 3 {
		t.Errorf("%d 10,000-character messages in the history, want 3", stored)
	}

	// A body of exactly 1 MiB is read; one byte more is too large.
	exact := bytes.Repeat([]byte(" "), 1<<20)
	cid := testkit.Unique("mib")
	copy(exact, fmt.Sprintf(`{"client_id":%q,"text":"ровно мегабайт"}`, cid))
	if r := d.s.Raw("POST", reply, exact); r.Status != 201 {
		t.Errorf("a body of exactly 1 MiB: %d %s", r.Status, r.Body)
	}
}

// TestBadInputDuplicateClientID: the same client_id twice returns the first message and
// stores nothing twice, even when the requests race.
func TestBadInputDuplicateClientID(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	count := func() int { return len(trHistory(d.s, d.conv)) }
	visitorCount := func() int { return len(trVisitorHistory(d.v)) }

	writers := []struct {
		name string
		c    *testkit.Client
		path string
	}{
		{"reply", d.s, "/api/v1/conversations/" + d.conv + "/messages"},
		{"comment", d.s, "/api/v1/conversations/" + d.conv + "/comments"},
		{"visitor message", d.v, "/api/v1/widget/messages"},
	}
	for _, w := range writers {
		n, vn := count(), visitorCount()
		cid := testkit.Unique("dup")
		var first, second testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "первый"}, &first)
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "второй"}, &second)
		if second.ID != first.ID || second.Text != "первый" || second.ClientID != cid {
			t.Errorf("%s: the repeat returned %+v, want the first %+v", w.name, second, first)
		}
		if got := count(); got != n+1 {
			t.Errorf("%s: history grew by %d, want 1", w.name, got-n)
		}
		wantV := vn + 1
		if w.name == "comment" {
			wantV = vn
		}
		if got := visitorCount(); got != wantV {
			t.Errorf("%s: the visitor's history grew by %d, want %d", w.name, got-vn, wantV-vn)
		}

		// Racing repeats: all get the same message, one is stored.
		n = count()
		cid = testkit.Unique("race")
		body := badBody(map[string]any{"client_id": cid, "text": "гонка"})
		const racers = 8
		ids := make([]string, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				status, b, err := badPost(w.c, w.path, body)
				if err != nil || status != 201 {
					t.Errorf("%s racer %d: %d %s %v", w.name, i, status, b, err)
					return
				}
				var m testkit.Message
				json.Unmarshal(b, &m)
				ids[i] = m.ID
			})
		}
		wg.Wait()
		for i := range ids {
			if ids[i] != ids[0] {
				t.Errorf("%s: racers got different messages %v", w.name, ids)
				break
			}
		}
		if got := count(); got != n+1 {
			t.Errorf("%s: %d racing repeats stored %d messages", w.name, racers, got-n)
		}

		// A refused request reserves nothing: the same client_id then works.
		cid = testkit.Unique("retry")
		if r := w.c.Do("POST", w.path, map[string]any{"client_id": cid, "text": "  "}); r.Status != 400 {
			t.Errorf("%s: blank text: %d %s", w.name, r.Status, r.Body)
		}
		var m testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "теперь по делу"}, &m)
		if m.Text != "теперь по делу" {
			t.Errorf("%s: after a refused request the same client_id returned %+v", w.name, m)
		}
	}
}

// badPost posts from any goroutine (testkit's clients fail the test from the caller's).
func badPost(c *testkit.Client, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest("POST", c.Base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestBadInputConversationActions: close and transfer.
func TestBadInputConversationActions(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	closePath := "/api/v1/conversations/" + d.conv + "/close"
	d.refuse(t, d.s, "POST", closePath, append(badMalformed(),
		badCase{"no category while the account has categories", badJSON(`{}`), 400, "invalid_input"},
		badCase{"empty body while the account has categories", nil, 400, "invalid_input"},
		badCase{"category_id is a number", badJSON(`{"category_id": 5}`), 400, "invalid_input"},
		badCase{"category_id is true", badJSON(`{"category_id": true}`), 400, "invalid_input"},
		badCase{"category_id is not an id", badJSON(`{"category_id": "abc"}`), 400, "invalid_input"},
		badCase{"category_id is negative", badJSON(`{"category_id": "-3"}`), 400, "invalid_input"},
		badCase{"missing category", badJSON(`{"category_id": "987654321"}`), 400, "invalid_input"},
	))

	transfer := "/api/v1/conversations/" + d.conv + "/transfers"
	d.refuse(t, d.s, "POST", transfer, append(badMalformed(),
		badCase{"no target", badJSON(`{}`), 400, "invalid_input"},
		badCase{"null target", badJSON(`{"to_operator_id": null}`), 400, "invalid_input"},
		badCase{"target is a number", badBody(map[string]any{"to_operator_id": 5}), 400, "invalid_input"},
		badCase{"target is not an id", badJSON(`{"to_operator_id": "abc"}`), 404, "not_found"},
		badCase{"missing target", badJSON(`{"to_operator_id": "987654321"}`), 404, "not_found"},
		badCase{"to oneself", badBody(map[string]any{"to_operator_id": d.s.ID}), 400, "invalid_input"},
		badCase{"comment of 10,001 characters", badBody(map[string]any{"to_operator_id": d.r.ID, "comment": cyr(10001)}), 400, "invalid_input"},
		badCase{"comment is a number", badBody(map[string]any{"to_operator_id": d.r.ID, "comment": 5}), 400, "invalid_input"},
		badCase{"NUL in comment", badBody(map[string]any{"to_operator_id": d.r.ID, "comment": "a\x00b"}), 400, "invalid_input"},
		badCase{"invalid UTF-8 in comment", []byte(`{"to_operator_id":"` + d.r.ID + "\",\"comment\":\"\xff\"}"), 400, "invalid_input"},
		badCase{"unknown field", badBody(map[string]any{"to_operator_id": d.r.ID, "urgent": true}), 400, "invalid_input"},
	))
	// A comment of exactly 10,000 characters is accepted and kept.
	var tr trTransfer
	d.s.Must("POST", transfer, map[string]any{"to_operator_id": d.r.ID, "comment": cyr(10000)}, &tr)
	if utf8.RuneCountInString(tr.Comment) != 10000 {
		t.Errorf("transfer comment has %d characters, want 10000", utf8.RuneCountInString(tr.Comment))
	}
	trExpect(t, "cancel", trAction(d.s, tr.ID, "cancel"), 200, "")
	// A valid close still works after all that.
	d.s.Must("POST", closePath, map[string]any{"category_id": d.catID}, nil)
}

// TestBadInputStatusAndLogin: own status and settings, the widget session, and login with
// its rate limit.
func TestBadInputStatusAndLogin(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	d.refuse(t, d.s, "PUT", "/api/v1/me/status", append(badMalformed(),
		badCase{"unknown status", badJSON(`{"status":"busy"}`), 400, "invalid_input"},
		badCase{"empty status", badJSON(`{"status":""}`), 400, "invalid_input"},
		badCase{"no status", badJSON(`{}`), 400, "invalid_input"},
		badCase{"null status", badJSON(`{"status":null}`), 400, "invalid_input"},
		badCase{"status in capitals", badJSON(`{"status":"AVAILABLE"}`), 400, "invalid_input"},
		badCase{"status with spaces", badJSON(`{"status":" away "}`), 400, "invalid_input"},
		badCase{"status is a number", badJSON(`{"status":1}`), 400, "invalid_input"},
		badCase{"status in Russian", badJSON(`{"status":"пауза"}`), 400, "invalid_input"},
		badCase{"unknown field next to a good status", badJSON(`{"status":"away","mood":"ok"}`), 400, "invalid_input"},
	))
	if me := trMe(d.s); me.Status != "available" {
		t.Fatalf("status %s after refused changes", me.Status)
	}

	d.refuse(t, d.s, "PATCH", "/api/v1/me/settings", append(badMalformed(),
		badCase{"unknown language", badJSON(`{"language":"de"}`), 400, "invalid_input"},
		badCase{"language is a number", badJSON(`{"language":1}`), 400, "invalid_input"},
		badCase{"autocomplete is a string", badJSON(`{"autocomplete_quick_messages":"yes"}`), 400, "invalid_input"},
	))

	anon := &testkit.Client{T: t, Base: d.env.URL, Source: testkit.NextSource()}
	d.refuse(t, anon, "POST", "/api/v1/widget/"+d.key+"/session", append(badMalformed(),
		badCase{"name is a number", badJSON(`{"name":5}`), 400, "invalid_input"},
		badCase{"name of 101 characters", badBody(map[string]any{"name": cyr(101)}), 400, "invalid_input"},
		badCase{"NUL in name", badBody(map[string]any{"name": "a\x00b"}), 400, "invalid_input"},
		badCase{"bad email", badJSON(`{"email":"nope"}`), 400, "invalid_input"},
		badCase{"token is a number", badJSON(`{"visitor_token":5}`), 400, "invalid_input"},
	))
	// A visitor's profile change with bad input leaves the name as it was.
	d.refuse(t, anon, "POST", "/api/v1/widget/"+d.key+"/session", []badCase{
		{"bad name for a known visitor", badBody(map[string]any{"visitor_token": d.v.Token, "name": cyr(101)}), 400, "invalid_input"},
	})

	d.refuse(t, anon, "POST", "/api/v1/auth/login", append(badMalformed(),
		badCase{"no fields", badJSON(`{}`), 400, "invalid_input"},
		badCase{"no password", badBody(map[string]any{"email": d.s.Email}), 400, "invalid_input"},
		badCase{"email is a number", badJSON(`{"email":5,"password":"password1"}`), 400, "invalid_input"},
		badCase{"unknown field", badBody(map[string]any{"email": d.s.Email, "password": "password1", "remember": true}), 400, "invalid_input"},
		badCase{"wrong password", badBody(map[string]any{"email": d.s.Email, "password": "password2"}), 401, "unauthenticated"},
		badCase{"unknown email", badBody(map[string]any{"email": "nobody@example.test", "password": "password1"}), 401, "unauthenticated"},
	))

	// Repeated wrong passwords are rate-limited; then even the right one waits.
	victim := d.a.Operator("Жертва", "operator", 5, "")
	wrong := map[string]any{"email": victim.Email, "password": "wrong-password"}
	limited := false
	for i := 0; i < 50 && !limited; i++ {
		r := anon.Do("POST", "/api/v1/auth/login", wrong)
		switch {
		case r.Status == 429 && r.Code() == "rate_limited":
			limited = true
			if i < 3 {
				t.Errorf("rate-limited after only %d attempts", i)
			}
		case r.Status != 401:
			t.Fatalf("wrong password: %d %s", r.Status, r.Body)
		}
	}
	if !limited {
		t.Fatal("50 wrong passwords were never rate-limited")
	}
	trExpect(t, "right password while limited", anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": victim.Email, "password": "password1"}), 429, "rate_limited")
	// The limit is per account email: a colleague still logs in.
	d.env.Login(d.r.Email, "password1")
}

// TestBadInputAdmin: admin create operator, contact point and category, operator and
// category changes, and account settings.
func TestBadInputAdmin(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	adm := d.a.Admin
	op := func(kv map[string]any) []byte {
		m := map[string]any{"name": "Ольга", "email": testkit.Unique("olga") + "@example.test", "password": "password1"}
		for k, v := range kv {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return badBody(m)
	}
	d.refuse(t, adm, "POST", "/api/v1/admin/operators", append(badMalformed(),
		badCase{"no fields", badJSON(`{}`), 400, "invalid_input"},
		badCase{"no name", op(map[string]any{"name": nil}), 400, "invalid_input"},
		badCase{"blank name", op(map[string]any{"name": "   "}), 400, "invalid_input"},
		badCase{"name of 101 characters", op(map[string]any{"name": cyr(101)}), 400, "invalid_input"},
		badCase{"name is a number", op(map[string]any{"name": 7}), 400, "invalid_input"},
		badCase{"bad email", op(map[string]any{"email": "olga"}), 400, "invalid_input"},
		badCase{"email with a display name", op(map[string]any{"email": "Olga <olga@example.test>"}), 400, "invalid_input"},
		badCase{"taken email", op(map[string]any{"email": d.s.Email}), 409, "conflict"},
		badCase{"short password", op(map[string]any{"password": "short"}), 400, "invalid_input"},
		badCase{"no password", op(map[string]any{"password": nil}), 400, "invalid_input"},
		badCase{"unknown role", op(map[string]any{"role": "owner"}), 400, "invalid_input"},
		badCase{"negative limit", op(map[string]any{"limit": -1}), 400, "invalid_input"},
		badCase{"limit too high", op(map[string]any{"limit": 1001}), 400, "invalid_input"},
		badCase{"limit is a string", op(map[string]any{"limit": "5"}), 400, "invalid_input"},
		badCase{"limit is a fraction", op(map[string]any{"limit": 2.5}), 400, "invalid_input"},
		badCase{"unknown field", op(map[string]any{"phone": "+7"}), 400, "invalid_input"},
	))
	adm.Must("POST", "/api/v1/admin/operators", map[string]any{"name": "Ольга", "email": testkit.Unique("olga") + "@example.test", "password": "password1"}, nil)

	d.refuse(t, adm, "PATCH", "/api/v1/admin/operators/"+d.s.ID, append(badMalformed(),
		badCase{"negative limit", badJSON(`{"limit":-1}`), 400, "invalid_input"},
		badCase{"zero limit", badJSON(`{"limit":0}`), 400, "invalid_input"},
		badCase{"limit too high", badJSON(`{"limit":1001}`), 400, "invalid_input"},
		badCase{"limit is a string", badJSON(`{"limit":"3"}`), 400, "invalid_input"},
		badCase{"unknown role", badJSON(`{"role":"king"}`), 400, "invalid_input"},
		badCase{"blank name", badJSON(`{"name":" "}`), 400, "invalid_input"},
		badCase{"good limit, bad role", badJSON(`{"limit":3,"role":"king"}`), 400, "invalid_input"},
	))
	d.refuse(t, adm, "PATCH", "/api/v1/admin/operators/"+adm.ID, []badCase{{"admin demotes themselves", badJSON(`{"role":"operator"}`), 409, "conflict"}})

	d.refuse(t, adm, "POST", "/api/v1/admin/contact-points", append(badMalformed(),
		badCase{"no name", badJSON(`{"channel":"webchat"}`), 400, "invalid_input"},
		badCase{"blank name", badJSON(`{"name":"  ","channel":"webchat"}`), 400, "invalid_input"},
		badCase{"name of 201 characters", badBody(map[string]any{"name": cyr(201)}), 400, "invalid_input"},
		badCase{"unknown channel", badJSON(`{"name":"Сайт","channel":"telegram"}`), 400, "invalid_input"},
		badCase{"channel is a number", badJSON(`{"name":"Сайт","channel":1}`), 400, "invalid_input"},
		badCase{"settings is a string", badJSON(`{"name":"Сайт","settings":"x"}`), 400, "invalid_input"},
		badCase{"settings is a list", badJSON(`{"name":"Сайт","settings":[1]}`), 400, "invalid_input"},
		badCase{"unknown field", badJSON(`{"name":"Сайт","key":"mine"}`), 400, "invalid_input"},
	))

	d.refuse(t, adm, "POST", "/api/v1/admin/conversation-categories", append(badMalformed(),
		badCase{"no name", badJSON(`{}`), 400, "invalid_input"},
		badCase{"blank name", badJSON(`{"name":"\t "}`), 400, "invalid_input"},
		badCase{"name of 101 characters", badBody(map[string]any{"name": cyr(101)}), 400, "invalid_input"},
		badCase{"position is a string", badJSON(`{"name":"Доставка","position":"1"}`), 400, "invalid_input"},
		badCase{"unknown field", badJSON(`{"name":"Доставка","colour":"red"}`), 400, "invalid_input"},
	))
	d.refuse(t, adm, "PATCH", "/api/v1/admin/conversation-categories/"+d.catID, append(badMalformed(),
		badCase{"blank name", badJSON(`{"name":""}`), 400, "invalid_input"},
		badCase{"name of 101 characters", badBody(map[string]any{"name": cyr(101)}), 400, "invalid_input"},
	))

	d.refuse(t, adm, "PATCH", "/api/v1/admin/settings", append(badMalformed(),
		badCase{"negative default limit", badJSON(`{"default_limit":-1}`), 400, "invalid_input"},
		badCase{"zero default limit", badJSON(`{"default_limit":0}`), 400, "invalid_input"},
		badCase{"default limit is a string", badJSON(`{"default_limit":"5"}`), 400, "invalid_input"},
		badCase{"default limit is a fraction", badJSON(`{"default_limit":5.5}`), 400, "invalid_input"},
		badCase{"transfer timeout too short", badJSON(`{"transfer_timeout_seconds":4}`), 400, "invalid_input"},
		badCase{"transfer timeout too long", badJSON(`{"transfer_timeout_seconds":3601}`), 400, "invalid_input"},
		badCase{"negative requeue", badJSON(`{"offline_requeue_seconds":-1}`), 400, "invalid_input"},
		badCase{"zero retention", badJSON(`{"file_retention_days":0}`), 400, "invalid_input"},
		badCase{"autocomplete is a string", badJSON(`{"autocomplete_quick_messages":"yes"}`), 400, "invalid_input"},
		badCase{"a good field and a bad one", badJSON(`{"default_limit":7,"transfer_timeout_seconds":1}`), 400, "invalid_input"},
	))
}

// TestBadInputIDsAndQueries: ids that are not ids answer 404 on every {id} route; bad
// paging parameters answer 400.
func TestBadInputIDsAndQueries(t *testing.T) {
	t.Parallel()
	d := badSetup(t)
	d.a.Admin.SetStatus("pause")
	before := d.snapshot(t)
	// Opaque ids match exactly: another spelling of a real id ("01", "+1") is no id either.
	bad := []string{"abc", "0", "-1", "1.5", "1e3", "0x1", "99999999999999999999", "%20", "%EF%BC%91", "null", "undefined",
		"0" + d.conv, "+" + d.conv, "%20" + d.conv, d.conv + "%20"}
	n := 0
	for _, rt := range d.env.App.API.Routes() {
		if !strings.Contains(rt.Path, "{id}") {
			continue
		}
		for _, id := range bad {
			path := strings.Replace(rt.Path, "{id}", id, 1)
			var body []byte
			if rt.Method != "GET" && rt.Method != "DELETE" {
				body = []byte(`{"name":"x","text":"x","to_operator_id":"` + d.r.ID + `"}`)
			}
			callers := []*testkit.Client{d.a.Admin, d.s}
			if strings.HasPrefix(rt.Path, "/api/v1/widget/") {
				callers = []*testkit.Client{d.v} // the visitor API: a visitor token
			}
			for _, c := range callers {
				r := c.Raw(rt.Method, path, body)
				if c == d.s && (strings.HasPrefix(rt.Path, "/api/v1/admin/") || rt.Access == httpapi.Staff) {
					if r.Status != 403 {
						t.Errorf("%s %s as an operator: %d %s", rt.Method, path, r.Status, r.Body)
					}
					continue
				}
				if r.Status != 404 || r.Code() != "not_found" {
					t.Errorf("%s %s: %d %s, want 404 not_found", rt.Method, path, r.Status, r.Body)
				}
			}
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d {id} routes in the table", n)
	}

	queries := []struct {
		c    *testkit.Client
		path string
	}{
		{d.s, "/api/v1/conversations?limit=-1"},
		{d.s, "/api/v1/conversations?limit=0"},
		{d.s, "/api/v1/conversations?limit=abc"},
		{d.s, "/api/v1/conversations?limit=1.5"},
		{d.s, "/api/v1/conversations?limit=201"},
		{d.s, "/api/v1/conversations?limit=99999999999999999999"},
		{d.s, "/api/v1/conversations?state=everything"},
		{d.s, "/api/v1/conversations?cursor=garbage"},
		{d.a.Admin, "/api/v1/conversations?assignee_id=abc"},
		{d.s, "/api/v1/conversations/" + d.conv + "/messages?limit=-5"},
		{d.s, "/api/v1/conversations/" + d.conv + "/messages?limit=0"},
		{d.s, "/api/v1/conversations/" + d.conv + "/messages?before=abc"},
		{d.s, "/api/v1/conversations/" + d.conv + "/messages?before=-1"},
		{d.v, "/api/v1/widget/messages?limit=-1"},
		{d.v, "/api/v1/widget/messages?limit=100000"},
		{d.v, "/api/v1/widget/messages?before=xyz"},
	}
	for _, q := range queries {
		r := q.c.Do("GET", q.path, nil)
		if r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("GET %s: %d %s, want 400 invalid_input", q.path, r.Status, r.Body)
		}
	}
	if after := d.snapshot(t); after != before {
		t.Errorf("bad ids and queries changed data:\nbefore: %s\nafter:  %s", before, after)
	}
}
