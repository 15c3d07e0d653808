package app_test

import (
	"encoding/json"
	"livedesk/internal/testkit"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// End-to-end tests of the admin cabinet's changes: partial category updates, deactivating
// and reactivating an operator.

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
		{"long name", `{"name":"` + testkit.Cyrillic(101) + `"}`, "name is longer than 100 characters"},
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
	testkit.Expect(t, "unknown category", a.Admin.Do("PATCH", "/api/v1/admin/conversation-categories/999999", map[string]any{"position": 1}), 404, "not_found")
}

// TestDeactivateOperator: deactivation closes the operator's sockets, ends their sessions,
// refuses their login and transfers to them; reactivation lets them log in again.
func TestDeactivateOperator(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeam(t) // d.Sender available, d.Receiver on pause
	cpID, _ := d.Account.ContactPoint("email")
	mail := d.Account.EmailConversation(cpID, "Письмо")

	conn := d.Receiver.WS(false, "")
	if _, err := conn.Await("ready"); err != nil {
		t.Fatal(err)
	}
	testkit.Expect(t, "admin deactivates themselves", d.Account.Admin.Do("PATCH", "/api/v1/admin/operators/"+d.Account.Admin.ID, map[string]any{"deactivated": true}), 409, "conflict")
	var op struct {
		Deactivated bool   `json:"deactivated"`
		Status      string `json:"status"`
	}
	d.Account.Admin.Must("PATCH", "/api/v1/admin/operators/"+d.Receiver.ID, map[string]any{"deactivated": true}, &op)
	if !op.Deactivated || op.Status != "offline" {
		t.Fatalf("after deactivation: %+v", op)
	}
	if ce := conn.ClosedBy(); ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "deactivated") {
		t.Fatalf("socket after deactivation: closed %d %q", ce.Code, ce.Text)
	}
	r, h := d.Receiver.RefusedWS(false, "")
	testkit.ExpectJSONError(t, "reconnect after deactivation", r, h, 401, "unauthenticated")
	testkit.Expect(t, "REST after deactivation", d.Receiver.Do("GET", "/api/v1/me", nil), 401, "unauthenticated")
	anon := &testkit.Client{T: t, Base: d.Env.URL}
	testkit.Expect(t, "login after deactivation", anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": d.Receiver.Email, "password": "password1"}), 403, "forbidden")
	testkit.Expect(t, "email transfer to a deactivated operator", d.Sender.Offer(mail, d.Receiver.ID, ""), 409, "target_unavailable")

	d.Account.Admin.Must("PATCH", "/api/v1/admin/operators/"+d.Receiver.ID, map[string]any{"deactivated": false}, &op)
	if op.Deactivated {
		t.Fatal("reactivation did not stick")
	}
	back := d.Env.Login(d.Receiver.Email, "password1")
	back.SetStatus("pause")
	d.Sender.MustOffer(mail, back.ID, "", "accepted")
}
