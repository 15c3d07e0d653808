package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"livedesk/internal/httpapi"
	"livedesk/internal/testkit"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Integration tests of DESIGN §2.12 «every input validated with a clear error»: bad input on
// every write endpoint is refused with the right code and a message for people, and a
// refused request stores nothing.

// TestBadInputMessages: operator replies, comments and visitor messages.
func TestBadInputMessages(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	reply := "/api/v1/conversations/" + d.Conv + "/messages"
	comment := "/api/v1/conversations/" + d.Conv + "/comments"

	replyCases := append(testkit.MalformedBodies(), testkit.BadTexts(nil)...)
	replyCases = append(replyCases,
		testkit.Refused("reply_to is a number", testkit.JSON(map[string]any{"text": "hi", "reply_to": 5}), 400, "invalid_input"),
		testkit.Refused("reply_to is not an id", testkit.JSON(map[string]any{"text": "hi", "reply_to": "abc"}), 400, "invalid_input"),
		testkit.Refused("reply_to a missing message", testkit.JSON(map[string]any{"text": "hi", "reply_to": "987654321"}), 400, "invalid_input"),
	)
	testkit.Refuse(t, d.Snapshot, d.Sender, "POST", reply, replyCases)

	commentCases := append(testkit.MalformedBodies(), testkit.BadTexts(nil)...)
	commentCases = append(commentCases, testkit.Refused("reply_to on a comment", testkit.JSON(map[string]any{"text": "hi", "reply_to": "1"}), 400, "invalid_input"))
	testkit.Refuse(t, d.Snapshot, d.Sender, "POST", comment, commentCases)

	visitorCases := append(testkit.MalformedBodies(), testkit.BadTexts(nil)...)
	visitorCases = append(visitorCases, testkit.Refused("visitors cannot quote", testkit.JSON(map[string]any{"text": "hi", "reply_to": "1"}), 400, "invalid_input"))
	testkit.Refuse(t, d.Snapshot, d.Visitor, "POST", "/api/v1/widget/messages", visitorCases)

	// Quoting their own message is refused too.
	own := d.Visitor.VisitorHistory()[0].ID
	testkit.Refuse(t, d.Snapshot, d.Visitor, "POST", "/api/v1/widget/messages", []testkit.Refusal{testkit.Refused("visitor quotes", testkit.JSON(map[string]any{"text": "hi", "reply_to": own}), 400, "invalid_input")})

	// The boundaries: 10,000 characters (20,000 bytes of Cyrillic) are accepted.
	long := testkit.Cyrillic(10000)
	for _, w := range []struct {
		c    *testkit.Client
		path string
	}{{d.Sender, reply}, {d.Sender, comment}, {d.Visitor, "/api/v1/widget/messages"}} {
		var m testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": testkit.Unique("long"), "text": long}, &m)
		if utf8.RuneCountInString(m.Text) != 10000 {
			t.Errorf("POST %s: the 10,000-character text came back with %d characters", w.path, utf8.RuneCountInString(m.Text))
		}
	}
	var stored int
	for _, m := range d.Sender.History(d.Conv) {
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
	if r := d.Sender.Raw("POST", reply, exact); r.Status != 201 {
		t.Errorf("a body of exactly 1 MiB: %d %s", r.Status, r.Body)
	}
}

// TestBadInputConversationActions: close and transfer.
func TestBadInputConversationActions(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	closePath := "/api/v1/conversations/" + d.Conv + "/close"
	testkit.Refuse(t, d.Snapshot, d.Sender, "POST", closePath, append(testkit.MalformedBodies(),
		testkit.Refused("no category while the account has categories", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("empty body while the account has categories", nil, 400, "invalid_input"),
		testkit.Refused("category_id is a number", []byte(`{"category_id": 5}`), 400, "invalid_input"),
		testkit.Refused("category_id is true", []byte(`{"category_id": true}`), 400, "invalid_input"),
		testkit.Refused("category_id is not an id", []byte(`{"category_id": "abc"}`), 400, "invalid_input"),
		testkit.Refused("category_id is negative", []byte(`{"category_id": "-3"}`), 400, "invalid_input"),
		testkit.Refused("missing category", []byte(`{"category_id": "987654321"}`), 400, "invalid_input"),
	))

	transfer := "/api/v1/conversations/" + d.Conv + "/transfers"
	testkit.Refuse(t, d.Snapshot, d.Sender, "POST", transfer, append(testkit.MalformedBodies(),
		testkit.Refused("no target", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("null target", []byte(`{"to_operator_id": null}`), 400, "invalid_input"),
		testkit.Refused("target is a number", testkit.JSON(map[string]any{"to_operator_id": 5}), 400, "invalid_input"),
		testkit.Refused("target is not an id", []byte(`{"to_operator_id": "abc"}`), 404, "not_found"),
		testkit.Refused("missing target", []byte(`{"to_operator_id": "987654321"}`), 404, "not_found"),
		testkit.Refused("to oneself", testkit.JSON(map[string]any{"to_operator_id": d.Sender.ID}), 400, "invalid_input"),
		testkit.Refused("comment of 10,001 characters", testkit.JSON(map[string]any{"to_operator_id": d.Receiver.ID, "comment": testkit.Cyrillic(10001)}), 400, "invalid_input"),
		testkit.Refused("comment is a number", testkit.JSON(map[string]any{"to_operator_id": d.Receiver.ID, "comment": 5}), 400, "invalid_input"),
		testkit.Refused("NUL in comment", testkit.JSON(map[string]any{"to_operator_id": d.Receiver.ID, "comment": "a\x00b"}), 400, "invalid_input"),
		testkit.Refused("invalid UTF-8 in comment", []byte(`{"to_operator_id":"`+d.Receiver.ID+"\",\"comment\":\"\xff\"}"), 400, "invalid_input"),
		testkit.Refused("unknown field", testkit.JSON(map[string]any{"to_operator_id": d.Receiver.ID, "urgent": true}), 400, "invalid_input"),
	))
	// A comment of exactly 10,000 characters is accepted and kept.
	var tr testkit.Transfer
	d.Sender.Must("POST", transfer, map[string]any{"to_operator_id": d.Receiver.ID, "comment": testkit.Cyrillic(10000)}, &tr)
	if utf8.RuneCountInString(tr.Comment) != 10000 {
		t.Errorf("transfer comment has %d characters, want 10000", utf8.RuneCountInString(tr.Comment))
	}
	testkit.Expect(t, "cancel", d.Sender.TransferAction(tr.ID, "cancel"), 200, "")
	// A valid close still works after all that.
	d.Sender.Must("POST", closePath, map[string]any{"category_id": d.CategoryID}, nil)
}

// TestBadInputStatusAndLogin: own status and settings, the widget session, and login with
// its rate limit.
func TestBadInputStatusAndLogin(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	testkit.Refuse(t, d.Snapshot, d.Sender, "PUT", "/api/v1/me/status", append(testkit.MalformedBodies(),
		testkit.Refused("unknown status", []byte(`{"status":"busy"}`), 400, "invalid_input"),
		testkit.Refused("empty status", []byte(`{"status":""}`), 400, "invalid_input"),
		testkit.Refused("no status", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("null status", []byte(`{"status":null}`), 400, "invalid_input"),
		testkit.Refused("status in capitals", []byte(`{"status":"AVAILABLE"}`), 400, "invalid_input"),
		testkit.Refused("status with spaces", []byte(`{"status":" away "}`), 400, "invalid_input"),
		testkit.Refused("status is a number", []byte(`{"status":1}`), 400, "invalid_input"),
		testkit.Refused("status in Russian", []byte(`{"status":"пауза"}`), 400, "invalid_input"),
		testkit.Refused("unknown field next to a good status", []byte(`{"status":"away","mood":"ok"}`), 400, "invalid_input"),
	))
	if me := d.Sender.Me(); me.Status != "available" {
		t.Fatalf("status %s after refused changes", me.Status)
	}

	testkit.Refuse(t, d.Snapshot, d.Sender, "PATCH", "/api/v1/me/settings", append(testkit.MalformedBodies(),
		testkit.Refused("unknown language", []byte(`{"language":"de"}`), 400, "invalid_input"),
		testkit.Refused("language is a number", []byte(`{"language":1}`), 400, "invalid_input"),
		testkit.Refused("autocomplete is a string", []byte(`{"autocomplete_quick_messages":"yes"}`), 400, "invalid_input"),
	))

	anon := &testkit.Client{T: t, Base: d.Env.URL, Source: testkit.NextSource()}
	testkit.Refuse(t, d.Snapshot, anon, "POST", "/api/v1/widget/"+d.Key+"/session", append(testkit.MalformedBodies(),
		testkit.Refused("name is a number", []byte(`{"name":5}`), 400, "invalid_input"),
		testkit.Refused("name of 101 characters", testkit.JSON(map[string]any{"name": testkit.Cyrillic(101)}), 400, "invalid_input"),
		testkit.Refused("NUL in name", testkit.JSON(map[string]any{"name": "a\x00b"}), 400, "invalid_input"),
		testkit.Refused("bad email", []byte(`{"email":"nope"}`), 400, "invalid_input"),
		testkit.Refused("token is a number", []byte(`{"visitor_token":5}`), 400, "invalid_input"),
	))
	// A visitor's profile change with bad input leaves the name as it was.
	testkit.Refuse(t, d.Snapshot, anon, "POST", "/api/v1/widget/"+d.Key+"/session", []testkit.Refusal{
		testkit.Refused("bad name for a known visitor", testkit.JSON(map[string]any{"visitor_token": d.Visitor.Token, "name": testkit.Cyrillic(101)}), 400, "invalid_input"),
	})

	testkit.Refuse(t, d.Snapshot, anon, "POST", "/api/v1/auth/login", append(testkit.MalformedBodies(),
		testkit.Refused("no fields", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("no password", testkit.JSON(map[string]any{"email": d.Sender.Email}), 400, "invalid_input"),
		testkit.Refused("email is a number", []byte(`{"email":5,"password":"password1"}`), 400, "invalid_input"),
		testkit.Refused("unknown field", testkit.JSON(map[string]any{"email": d.Sender.Email, "password": "password1", "remember": true}), 400, "invalid_input"),
		testkit.Refused("wrong password", testkit.JSON(map[string]any{"email": d.Sender.Email, "password": "password2"}), 401, "unauthenticated"),
		testkit.Refused("unknown email", testkit.JSON(map[string]any{"email": "nobody@example.test", "password": "password1"}), 401, "unauthenticated"),
	))

	// Repeated wrong passwords are rate-limited; then even the right one waits.
	victim := d.Account.Operator("Жертва", "operator", 5, "")
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
	testkit.Expect(t, "right password while limited", anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": victim.Email, "password": "password1"}), 429, "rate_limited")
	// The limit is per account email: a colleague still logs in.
	d.Env.Login(d.Receiver.Email, "password1")
}

// TestBadInputAdmin: admin create operator, contact point and category, operator and
// category changes, and account settings.
func TestBadInputAdmin(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	adm := d.Account.Admin
	op := func(kv map[string]any) []byte {
		m := map[string]any{"name": "Ольга", "email": testkit.Unique("olga") + "@example.test", "password": "password1"}
		for k, v := range kv {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return testkit.JSON(m)
	}
	testkit.Refuse(t, d.Snapshot, adm, "POST", "/api/v1/admin/operators", append(testkit.MalformedBodies(),
		testkit.Refused("no fields", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("no name", op(map[string]any{"name": nil}), 400, "invalid_input"),
		testkit.Refused("blank name", op(map[string]any{"name": "   "}), 400, "invalid_input"),
		testkit.Refused("name of 101 characters", op(map[string]any{"name": testkit.Cyrillic(101)}), 400, "invalid_input"),
		testkit.Refused("name is a number", op(map[string]any{"name": 7}), 400, "invalid_input"),
		testkit.Refused("bad email", op(map[string]any{"email": "olga"}), 400, "invalid_input"),
		testkit.Refused("email with a display name", op(map[string]any{"email": "Olga <olga@example.test>"}), 400, "invalid_input"),
		testkit.Refused("taken email", op(map[string]any{"email": d.Sender.Email}), 409, "conflict"),
		testkit.Refused("short password", op(map[string]any{"password": "short"}), 400, "invalid_input"),
		testkit.Refused("no password", op(map[string]any{"password": nil}), 400, "invalid_input"),
		testkit.Refused("unknown role", op(map[string]any{"role": "owner"}), 400, "invalid_input"),
		testkit.Refused("negative limit", op(map[string]any{"limit": -1}), 400, "invalid_input"),
		testkit.Refused("limit too high", op(map[string]any{"limit": 1001}), 400, "invalid_input"),
		testkit.Refused("limit is a string", op(map[string]any{"limit": "5"}), 400, "invalid_input"),
		testkit.Refused("limit is a fraction", op(map[string]any{"limit": 2.5}), 400, "invalid_input"),
		testkit.Refused("unknown field", op(map[string]any{"phone": "+7"}), 400, "invalid_input"),
	))
	adm.Must("POST", "/api/v1/admin/operators", map[string]any{"name": "Ольга", "email": testkit.Unique("olga") + "@example.test", "password": "password1"}, nil)

	testkit.Refuse(t, d.Snapshot, adm, "PATCH", "/api/v1/admin/operators/"+d.Sender.ID, append(testkit.MalformedBodies(),
		testkit.Refused("negative limit", []byte(`{"limit":-1}`), 400, "invalid_input"),
		testkit.Refused("zero limit", []byte(`{"limit":0}`), 400, "invalid_input"),
		testkit.Refused("limit too high", []byte(`{"limit":1001}`), 400, "invalid_input"),
		testkit.Refused("limit is a string", []byte(`{"limit":"3"}`), 400, "invalid_input"),
		testkit.Refused("unknown role", []byte(`{"role":"king"}`), 400, "invalid_input"),
		testkit.Refused("blank name", []byte(`{"name":" "}`), 400, "invalid_input"),
		testkit.Refused("good limit, bad role", []byte(`{"limit":3,"role":"king"}`), 400, "invalid_input"),
	))
	testkit.Refuse(t, d.Snapshot, adm, "PATCH", "/api/v1/admin/operators/"+adm.ID, []testkit.Refusal{testkit.Refused("admin demotes themselves", []byte(`{"role":"operator"}`), 409, "conflict")})

	testkit.Refuse(t, d.Snapshot, adm, "POST", "/api/v1/admin/contact-points", append(testkit.MalformedBodies(),
		testkit.Refused("no name", []byte(`{"channel":"webchat"}`), 400, "invalid_input"),
		testkit.Refused("blank name", []byte(`{"name":"  ","channel":"webchat"}`), 400, "invalid_input"),
		testkit.Refused("name of 201 characters", testkit.JSON(map[string]any{"name": testkit.Cyrillic(201)}), 400, "invalid_input"),
		testkit.Refused("unknown channel", []byte(`{"name":"Сайт","channel":"telegram"}`), 400, "invalid_input"),
		testkit.Refused("channel is a number", []byte(`{"name":"Сайт","channel":1}`), 400, "invalid_input"),
		testkit.Refused("settings is a string", []byte(`{"name":"Сайт","settings":"x"}`), 400, "invalid_input"),
		testkit.Refused("settings is a list", []byte(`{"name":"Сайт","settings":[1]}`), 400, "invalid_input"),
		testkit.Refused("unknown field", []byte(`{"name":"Сайт","key":"mine"}`), 400, "invalid_input"),
	))

	testkit.Refuse(t, d.Snapshot, adm, "POST", "/api/v1/admin/conversation-categories", append(testkit.MalformedBodies(),
		testkit.Refused("no name", []byte(`{}`), 400, "invalid_input"),
		testkit.Refused("blank name", []byte(`{"name":"\t "}`), 400, "invalid_input"),
		testkit.Refused("name of 101 characters", testkit.JSON(map[string]any{"name": testkit.Cyrillic(101)}), 400, "invalid_input"),
		testkit.Refused("position is a string", []byte(`{"name":"Доставка","position":"1"}`), 400, "invalid_input"),
		testkit.Refused("unknown field", []byte(`{"name":"Доставка","colour":"red"}`), 400, "invalid_input"),
	))
	testkit.Refuse(t, d.Snapshot, adm, "PATCH", "/api/v1/admin/conversation-categories/"+d.CategoryID, append(testkit.MalformedBodies(),
		testkit.Refused("blank name", []byte(`{"name":""}`), 400, "invalid_input"),
		testkit.Refused("name of 101 characters", testkit.JSON(map[string]any{"name": testkit.Cyrillic(101)}), 400, "invalid_input"),
	))

	testkit.Refuse(t, d.Snapshot, adm, "PATCH", "/api/v1/admin/settings", append(testkit.MalformedBodies(),
		testkit.Refused("negative default limit", []byte(`{"default_limit":-1}`), 400, "invalid_input"),
		testkit.Refused("zero default limit", []byte(`{"default_limit":0}`), 400, "invalid_input"),
		testkit.Refused("default limit is a string", []byte(`{"default_limit":"5"}`), 400, "invalid_input"),
		testkit.Refused("default limit is a fraction", []byte(`{"default_limit":5.5}`), 400, "invalid_input"),
		testkit.Refused("transfer timeout too short", []byte(`{"transfer_timeout_seconds":4}`), 400, "invalid_input"),
		testkit.Refused("transfer timeout too long", []byte(`{"transfer_timeout_seconds":3601}`), 400, "invalid_input"),
		testkit.Refused("negative requeue", []byte(`{"offline_requeue_seconds":-1}`), 400, "invalid_input"),
		testkit.Refused("zero retention", []byte(`{"file_retention_days":0}`), 400, "invalid_input"),
		testkit.Refused("autocomplete is a string", []byte(`{"autocomplete_quick_messages":"yes"}`), 400, "invalid_input"),
		testkit.Refused("a good field and a bad one", []byte(`{"default_limit":7,"transfer_timeout_seconds":1}`), 400, "invalid_input"),
	))
}

// TestBadInputIDsAndQueries: ids that are not ids answer 404 on every {id} route; bad
// paging parameters answer 400.
func TestBadInputIDsAndQueries(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	d.Account.Admin.SetStatus("pause")
	before := d.Snapshot()
	// Opaque ids match exactly: another spelling of a real id ("01", "+1") is no id either.
	bad := []string{"abc", "0", "-1", "1.5", "1e3", "0x1", "99999999999999999999", "%20", "%EF%BC%91", "null", "undefined",
		"0" + d.Conv, "+" + d.Conv, "%20" + d.Conv, d.Conv + "%20"}
	n := 0
	for _, rt := range d.Env.App.API.Routes() {
		if !strings.Contains(rt.Path, "{id}") {
			continue
		}
		for _, id := range bad {
			path := strings.Replace(rt.Path, "{id}", id, 1)
			var body []byte
			if rt.Method != "GET" && rt.Method != "DELETE" {
				body = []byte(`{"name":"x","text":"x","to_operator_id":"` + d.Receiver.ID + `"}`)
			}
			callers := []*testkit.Client{d.Account.Admin, d.Sender}
			if strings.HasPrefix(rt.Path, "/api/v1/widget/") {
				callers = []*testkit.Client{d.Visitor} // the visitor API: a visitor token
			}
			for _, c := range callers {
				r := c.Raw(rt.Method, path, body)
				if c == d.Sender && (strings.HasPrefix(rt.Path, "/api/v1/admin/") || rt.Access == httpapi.Staff) {
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
		{d.Sender, "/api/v1/conversations?limit=-1"},
		{d.Sender, "/api/v1/conversations?limit=0"},
		{d.Sender, "/api/v1/conversations?limit=abc"},
		{d.Sender, "/api/v1/conversations?limit=1.5"},
		{d.Sender, "/api/v1/conversations?limit=201"},
		{d.Sender, "/api/v1/conversations?limit=99999999999999999999"},
		{d.Sender, "/api/v1/conversations?state=everything"},
		{d.Sender, "/api/v1/conversations?cursor=garbage"},
		{d.Account.Admin, "/api/v1/conversations?assignee_id=abc"},
		{d.Sender, "/api/v1/conversations/" + d.Conv + "/messages?limit=-5"},
		{d.Sender, "/api/v1/conversations/" + d.Conv + "/messages?limit=0"},
		{d.Sender, "/api/v1/conversations/" + d.Conv + "/messages?before=abc"},
		{d.Sender, "/api/v1/conversations/" + d.Conv + "/messages?before=-1"},
		{d.Visitor, "/api/v1/widget/messages?limit=-1"},
		{d.Visitor, "/api/v1/widget/messages?limit=100000"},
		{d.Visitor, "/api/v1/widget/messages?before=xyz"},
	}
	for _, q := range queries {
		r := q.c.Do("GET", q.path, nil)
		if r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("GET %s: %d %s, want 400 invalid_input", q.path, r.Status, r.Body)
		}
	}
	if after := d.Snapshot(); after != before {
		t.Errorf("bad ids and queries changed data:\nbefore: %s\nafter:  %s", before, after)
	}
}

// TestDecodeErrorsForPeople: bad types, unknown fields, nulls and broken JSON get messages in
// JSON words that name the field, never Go's wording or type names.
func TestDecodeErrorsForPeople(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	adm := d.Account.Admin
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
		{adm, "PATCH", "/api/v1/admin/operators/" + d.Sender.ID, `{"limit":true}`, `field "limit" must be a whole number, not true or false`},
		{d.Sender, "PUT", "/api/v1/me/status", `{"status":{}}`, `field "status" must be a string, not an object`},
		{d.Sender, "POST", "/api/v1/conversations/" + d.Conv + "/messages", `{"text":1}`, `field "text" must be a string, not a number`},
		{d.Visitor, "POST", "/api/v1/widget/messages", `{"text":"hi","client_id":7}`, `field "client_id" must be a string, not a number`},
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
