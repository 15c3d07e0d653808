package app_test

import (
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// TestStatusMatrix checks every status × action of DESIGN §2.1 on the server.
func TestStatusMatrix(t *testing.T) {
	env := testkit.Start(t)
	type want struct {
		autoRouted  bool
		offerTo     string // "" ok, else error code
		reply       string
		comment     string
		transferOut string
		settings    string
		markRead    string
		closeConv   string
	}
	const offline = "operator_offline"
	cases := map[string]want{
		"available": {autoRouted: true},
		"pause":     {},
		"away":      {offerTo: "target_unavailable"},
		"offline": {offerTo: "target_unavailable", reply: offline, comment: offline, transferOut: offline,
			settings: offline, markRead: offline, closeConv: offline},
	}
	for _, status := range []string{"available", "pause", "away", "offline"} {
		w := cases[status]
		t.Run(status, func(t *testing.T) {
			a := env.NewAccount()
			_, key := a.ContactPoint("webchat")
			x := a.Operator("X", "operator", 5, "available")
			c1 := env.Visitor(key, "One").Say("hello x").ConversationID
			x.SetStatus("pause")
			y := a.Operator("Y", "operator", 5, "available")
			c2 := env.Visitor(key, "Two").Say("hello y").ConversationID
			if got := y.Conversation(c2).AssigneeID; got != y.ID {
				t.Fatalf("c2 assigned to %s, want Y", got)
			}
			x.SetStatus(status) // changing one's own status is always allowed
			y.SetStatus("pause")

			// Auto-routing.
			c3 := env.Visitor(key, "Three").Say("who is there").ConversationID
			conv := a.Admin.Conversation(c3)
			if w.autoRouted && conv.AssigneeID != x.ID || !w.autoRouted && conv.State != "queued" {
				t.Errorf("auto-routing: state %s assignee %s", conv.State, conv.AssigneeID)
			}

			// Being offered a manual transfer, and accepting it.
			r := y.Do("POST", "/api/v1/conversations/"+c2+"/transfers", map[string]any{"to_operator_id": x.ID})
			if r.Code() != w.offerTo {
				t.Errorf("offer to %s: %d %s, want %q", status, r.Status, r.Body, w.offerTo)
			}
			if r.Status == 201 {
				var tr struct{ ID string }
				r.Decode(t, &tr)
				if r := x.Do("POST", "/api/v1/transfers/"+tr.ID+"/accept", nil); r.Status != 200 {
					t.Errorf("accept while %s: %d %s", status, r.Status, r.Body)
				}
			}

			check := func(what string, r testkit.Response, wantCode string) {
				t.Helper()
				if r.Code() != wantCode || (wantCode == "" && r.Status/100 != 2) {
					t.Errorf("%s while %s: %d %s, want %q", what, status, r.Status, r.Body, wantCode)
				}
			}
			check("reply", x.Do("POST", "/api/v1/conversations/"+c1+"/messages", map[string]any{"text": "hi", "client_id": testkit.Unique("m")}), w.reply)
			check("comment", x.Do("POST", "/api/v1/conversations/"+c1+"/comments", map[string]any{"text": "note"}), w.comment)
			check("settings", x.Do("PATCH", "/api/v1/me/settings", map[string]any{"language": "en"}), w.settings)
			check("mark read", x.Do("POST", "/api/v1/conversations/"+c1+"/read", nil), w.markRead)
			r = x.Do("POST", "/api/v1/conversations/"+c1+"/transfers", map[string]any{"to_operator_id": y.ID})
			check("transfer out", r, w.transferOut)
			if r.Status == 201 {
				var tr struct{ ID string }
				r.Decode(t, &tr)
				check("cancel transfer", x.Do("POST", "/api/v1/transfers/"+tr.ID+"/cancel", nil), "")
			}
			check("close", x.Do("POST", "/api/v1/conversations/"+c1+"/close", map[string]any{}), w.closeConv)
			// Reading is always allowed.
			check("list", x.Do("GET", "/api/v1/conversations", nil), "")
		})
	}
}

// TestStatusBelongsToOperator: a second connection never flips the status; the operator
// goes offline only after the grace period with no connection at all.
func TestStatusBelongsToOperator(t *testing.T) {
	env := testkit.Start(t, func(c *config.Config) { c.StatusGrace = 400 * time.Millisecond })
	a := env.NewAccount()
	x := a.Operator("X", "operator", 5, "")
	var me struct{ Status string }
	x.Must("GET", "/api/v1/me", nil, &me)
	if me.Status != "offline" {
		t.Fatalf("logging in made the operator %s; it must stay offline until they choose", me.Status)
	}
	ws1 := x.WS(false, "")
	ws1.Ready()
	x.SetStatus("away")
	ws2 := x.WS(false, "")
	ws2.Ready()
	ws2.Close()
	// Well past the grace period with one connection still open: still away.
	time.Sleep(1200 * time.Millisecond)
	x.Must("GET", "/api/v1/me", nil, &me)
	if me.Status != "away" {
		t.Fatalf("status %s after a second connection closed, want away", me.Status)
	}
	// A colleague watching sees the status change live when the last connection goes.
	y := a.Operator("Y", "operator", 5, "available")
	wy := y.WS(false, "")
	wy.Ready()
	ws1.Close()
	wy.WaitFor("operator.status", testkit.OfOperator(t, x.ID, "offline"))
	// Offline: writes refused, status change allowed.
	if r := x.Do("PATCH", "/api/v1/me/settings", map[string]any{"language": "ru"}); r.Code() != "operator_offline" {
		t.Fatalf("settings while offline: %d %s", r.Status, r.Body)
	}
	x.SetStatus("available")
}
