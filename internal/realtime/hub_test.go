package realtime

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

// testConn is a registered, live connection whose frames stay in its queue (no socket: the
// writer is never started), so a test reads what the hub delivered to it.
func testConn(t *testing.T, h *Hub, account, operator, visitor livedesk.ID) *conn {
	t.Helper()
	c := &conn{hub: h, accountID: account, operatorID: operator, visitorID: visitor, role: livedesk.RoleOperator,
		live: true, flushing: true, done: make(chan struct{})}
	if refused := h.add(c, time.Time{}); refused != "" {
		t.Fatalf("connection refused: %s", refused)
	}
	return c
}

func queued(c *conn) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.queue))
	for i, f := range c.queue {
		out[i] = string(f)
	}
	return out
}

// TestAllVisitorsEvent: an event for every visitor of an account reaches each socket of each
// of its visitors, and no operator's and no other account's socket; a closed socket is
// forgotten.
func TestAllVisitorsEvent(t *testing.T) {
	h := NewHub(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	a1 := testConn(t, h, 1, 0, 10)
	a2 := testConn(t, h, 1, 0, 10) // a second tab of the same visitor
	a3 := testConn(t, h, 1, 0, 11)
	b := testConn(t, h, 2, 0, 20)
	op := testConn(t, h, 1, 5, 0)

	h.Publish([]*livedesk.Event{{ID: 7, AccountID: 1, Type: livedesk.EventAvailability, AllVisitors: true,
		Payload: []byte(`{}`), VisitorPayload: []byte(`{"online":true}`)}})
	want := `{"type":"availability","cursor":"7","data":{"online":true}}`
	for name, c := range map[string]*conn{"first tab": a1, "second tab": a2, "other visitor": a3} {
		if got := queued(c); len(got) != 1 || got[0] != want {
			t.Errorf("%s of account 1 got %q, want [%s]", name, got, want)
		}
	}
	if got := queued(b); len(got) != 0 {
		t.Errorf("account 2's visitor got %q", got)
	}
	if got := queued(op); len(got) != 0 {
		t.Errorf("account 1's operator got %q", got)
	}

	h.remove(a1)
	h.remove(a2)
	h.remove(a3)
	if n := len(h.visitorsOf[1]); n != 0 {
		t.Fatalf("%d closed sockets still indexed by account", n)
	}
	h.Publish([]*livedesk.Event{{ID: 8, AccountID: 2, Type: livedesk.EventAvailability, AllVisitors: true,
		Payload: []byte(`{}`), VisitorPayload: []byte(`{"online":false}`)}})
	if got := queued(b); len(got) != 1 || got[0] != `{"type":"availability","cursor":"8","data":{"online":false}}` {
		t.Errorf("account 2's visitor got %q", got)
	}
}
