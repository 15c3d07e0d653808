package realtime_test

import (
	"slices"
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestVisitorsOnline: a visitor holding widget sockets is among OnlineVisitors until their
// last socket closes, and only then is OnVisitorGone told (once, with the account), which
// is when their last sign of life is written (a followup by mail is for visitors gone).
func TestVisitorsOnline(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{})
	gone := make(chan [2]livedesk.ID, 4)
	h.Hub.OnVisitorGone = func(account, visitor livedesk.ID) { gone <- [2]livedesk.ID{account, visitor} }
	c := h.Chat()
	first := h.VisitorWS(c.CP, c.Visitor.ID)
	second := h.VisitorWS(c.CP, c.Visitor.ID)
	if got := h.Hub.OnlineVisitors(); !slices.Equal(got, []livedesk.ID{c.Visitor.ID}) {
		t.Fatalf("online visitors %v, want [%d]", got, c.Visitor.ID)
	}
	first.Close()
	second.Alive("the second tab") // the first socket's end is handled by now or soon; the second is alive
	select {
	case g := <-gone:
		t.Fatalf("told the visitor left while a tab is open: %v", g)
	case <-time.After(200 * time.Millisecond):
	}
	second.Close()
	select {
	case g := <-gone:
		if g != [2]livedesk.ID{c.Account.ID, c.Visitor.ID} {
			t.Fatalf("told %v, want account %d visitor %d", g, c.Account.ID, c.Visitor.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the visitor's last socket closed and nobody was told")
	}
	if got := h.Hub.OnlineVisitors(); len(got) != 0 {
		t.Fatalf("online visitors after the last socket closed: %v", got)
	}
}
