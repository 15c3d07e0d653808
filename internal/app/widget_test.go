package app_test

import (
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"os"
	"testing"
)

// TestAvailabilityPush: a visitor's socket learns at once when the account's first operator
// comes online and when the last one goes offline; another account's visitors hear nothing.
func TestAvailabilityPush(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "")
	ws := env.Visitor(key, "").WS(true, "")
	ws.Ready()
	b := env.NewAccount()
	_, bkey := b.ContactPoint("webchat")
	other := env.Visitor(bkey, "").WS(true, "")
	other.Ready()

	op.SetStatus("available")
	f := ws.WaitFor("availability", nil)
	if string(f.Data) != `{"online":true}` {
		t.Fatalf("availability frame %s", f.Data)
	}
	op.SetStatus("pause") // still online: nothing to say
	op.SetStatus("offline")
	last := ws.WaitFor("availability", nil)
	if string(last.Data) != `{"online":false}` {
		t.Fatalf("availability frame after the last went offline: %s", last.Data)
	}
	b.Operator("Борис", "operator", 5, "available")
	// B's visitor's first availability frame is B's own. On SQLite event ids are global and
	// grow, so it comes after A's; on PostgreSQL ids are per account, and only the data is
	// compared (the hub sends these frames to the account's visitors alone: the same code).
	f2 := other.WaitFor("availability", nil)
	id, ok := livedesk.ParseID(f2.Cursor)
	if os.Getenv(testkit.StoreEnv) == "postgres" {
		id, ok = testkit.ParseID(t, last.Cursor)+1, true
	}
	if string(f2.Data) != `{"online":true}` || !ok || id <= testkit.ParseID(t, last.Cursor) {
		t.Fatalf("account B's visitor heard %s (cursor %s, A's last %s)", f2.Data, f2.Cursor, last.Cursor)
	}
}
