package app_test

import (
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit/pgtest"
)

// TestClusterInstallationsApart: two installations (each its own database) on one NATS
// server, whose first accounts, operators and conversations have the same ids: a visitor's
// message in the first never reaches the operator of the second (before the bus had a
// namespace per installation it did, conversation and text included).
func TestClusterInstallationsApart(t *testing.T) {
	one := &cluster{t: t}
	one.add(pgtest.Database(t))
	two := &cluster{t: t}
	two.add(pgtest.Database(t))
	tm1, tm2 := newTeam(t, "One", one.nodes[0]), newTeam(t, "Two", two.nodes[0])
	if tm1.acct.ID != tm2.acct.ID || tm1.op.ID != tm2.op.ID {
		t.Fatalf("the installations' ids differ (%v/%v, %v/%v): the test needs them equal", tm1.acct.ID, tm2.acct.ID, tm1.op.ID, tm2.op.ID)
	}
	ws2, _ := dialWS(t, two.nodes[0].URL(), "/api/v1/ws", tm2.signIn(t, two.nodes[0]), "")
	ws1, _ := dialWS(t, one.nodes[0].URL(), "/api/v1/ws", tm1.signIn(t, one.nodes[0]), "")
	var s struct {
		VisitorToken string `json:"visitor_token"`
	}
	call(t, one.nodes[0].URL(), "POST", "/api/v1/widget/"+tm1.cp.Key+"/session", "", map[string]string{"name": "Гость"}, &s)
	call(t, one.nodes[0].URL(), "POST", "/api/v1/widget/messages", s.VisitorToken, map[string]string{"client_id": "m1", "text": "только для первой"}, nil)
	for f := readFrame(t, ws1); f.Type != livedesk.EventMessageCreated; f = readFrame(t, ws1) {
	}
	// The first installation's operator has it; the bus had it to the second's node as soon.
	ws2.SetReadDeadline(time.Now().Add(time.Second))
	var f frame
	if err := ws2.ReadJSON(&f); err == nil {
		t.Fatalf("the other installation's operator got %s %s", f.Type, f.Data)
	}
}
