package app_test

import (
	"livedesk/internal/testkit"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// End-to-end tests of the WebSockets' surface: handshake errors answered as the API's JSON
// errors before upgrading, and sockets closed when an operator's access changes.

// TestWSHandshakeErrorsAreJSON: a malformed cursor, a plain GET without the upgrade
// headers, and a missing token are answered with the API's JSON errors before upgrading,
// on both WebSockets.
func TestWSHandshakeErrorsAreJSON(t *testing.T) {
	t.Parallel()
	_, _, _, op, v := testkit.StartChat(t)

	for _, side := range []struct {
		name    string
		c       *testkit.Client
		visitor bool
		path    string
	}{{"operator", op, false, "/api/v1/ws"}, {"visitor", v, true, "/api/v1/widget/ws"}} {
		for _, cursor := range []string{"abc", "-1", "01", "1.5"} {
			r, h := side.c.RefusedWS(side.visitor, "cursor="+cursor)
			testkit.ExpectJSONError(t, side.name+" cursor "+cursor, r, h, 400, "invalid_input")
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
		forged := &testkit.Client{T: t, Base: side.c.Base, Token: "forged", Source: side.c.Source}
		r, h := forged.RefusedWS(side.visitor, "")
		testkit.ExpectJSONError(t, side.name+" forged token", r, h, 401, "unauthenticated")
		// A good cursor (0 included) still connects.
		conn, r, _, err := side.c.TryWS(side.visitor, "cursor=0")
		if err != nil {
			t.Fatalf("%s: cursor 0: %v (%d %s)", side.name, err, r.Status, r.Body)
		}
		conn.Close()
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

	c1 := op.WS(false, "")
	c2 := second.WS(false, "")
	for _, c := range []*testkit.WS{c1, c2} {
		if _, err := c.Await("ready"); err != nil {
			t.Fatal(err)
		}
	}
	a.Admin.Must("PATCH", "/api/v1/admin/operators/"+op.ID, map[string]any{"limit": 7}, nil)
	c1.Alive("after a limit change")

	a.Admin.Must("PATCH", "/api/v1/admin/operators/"+op.ID, map[string]any{"role": "supervisor"}, nil)
	for i, c := range []*testkit.WS{c1, c2} {
		ce := c.ClosedBy()
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
	s1 := op.WS(false, "")
	s2 := second.WS(false, "")
	for _, c := range []*testkit.WS{s1, s2} {
		if _, err := c.Await("ready"); err != nil {
			t.Fatal(err)
		}
	}
	if r := op.Do("POST", "/api/v1/auth/logout", nil); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if ce := s1.ClosedBy(); ce.Code != websocket.CloseTryAgainLater || ce.Text != "logged out" {
		t.Fatalf("after logout: closed %d %q", ce.Code, ce.Text)
	}
	s2.Alive("the other session after a logout")
	r, h := op.RefusedWS(false, "")
	testkit.ExpectJSONError(t, "reconnect after logout", r, h, 401, "unauthenticated")
}
