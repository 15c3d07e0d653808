package realtime_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestAccessRevokedCloses: the access.revoked event the desk emits closes the sockets it
// names, and only those: a logout closes its session's sockets (with 1013 «logged out»), a
// role change every socket of the operator; others stay; the ended session cannot connect
// again.
func TestAccessRevokedCloses(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{})
	ctx := context.Background()
	acct, admin := h.Account()
	anna := h.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, livedesk.StatusPause)
	boris := h.Operator(acct.ID, "Борис", livedesk.RoleOperator, 5, livedesk.StatusPause)
	tok1, tok2, tok3 := h.Login(anna), h.Login(anna), h.Login(anna)
	w1, w1b, w2, w3 := h.OperatorWS(tok1), h.OperatorWS(tok1), h.OperatorWS(tok2), h.OperatorWS(tok3)
	wb := h.OperatorWS(h.Login(boris))

	if err := h.Desk.Desk.Logout(ctx, anna, tok1); err != nil {
		t.Fatal(err)
	}
	for _, w := range []*testkit.WS{w1, w1b} {
		if ce := w.ClosedBy(); ce.Code != websocket.CloseTryAgainLater || ce.Text != "logged out" {
			t.Fatalf("a socket of the ended session: closed %d %q", ce.Code, ce.Text)
		}
	}
	w2.Alive("another session of the operator after a logout")
	wb.Alive("a colleague after a logout")
	if _, _, err := websocket.DefaultDialer.Dial(h.OperatorURL(tok1, ""), nil); err == nil {
		t.Fatal("the ended session connected again")
	}

	role := livedesk.RoleSupervisor
	if _, err := h.Desk.Desk.UpdateOperator(ctx, admin, anna.ID, desk.OperatorPatch{Role: &role}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []*testkit.WS{w2, w3} {
		if ce := w.ClosedBy(); ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "role changed") {
			t.Fatalf("a socket after a role change: closed %d %q", ce.Code, ce.Text)
		}
	}
	wb.Alive("a colleague after a role change")
	h.OperatorWS(tok2).Alive("the operator, connected again with the new role")
}

// TestCloseAllWaitsForDisconnects: at shutdown CloseAll returns only after every
// connection's end was handled — the presence callbacks write to the database, which closes
// right after.
func TestCloseAllWaitsForDisconnects(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{})
	acct, _ := h.Account()
	var mu sync.Mutex
	var gone []livedesk.ID
	h.Hub.OnLastDisconnect = func(account, operator livedesk.ID) {
		time.Sleep(20 * time.Millisecond) // a write to the database takes a moment
		mu.Lock()
		gone = append(gone, operator)
		mu.Unlock()
	}
	const operators = 5
	for i := range operators {
		op := h.Operator(acct.ID, fmt.Sprint("Оператор ", i), livedesk.RoleOperator, 5, livedesk.StatusPause)
		h.OperatorWS(h.Login(op))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.Hub.CloseAll(ctx)
	mu.Lock()
	defer mu.Unlock()
	if len(gone) != operators {
		t.Fatalf("CloseAll returned after %d of %d disconnects were handled", len(gone), operators)
	}
}
