package realtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/testkit"
)

// framesUntil reads w's frames up to and including the first that matches marker.
func framesUntil(t *testing.T, w *testkit.WS, marker func(testkit.Frame) bool) []testkit.Frame {
	t.Helper()
	var out []testkit.Frame
	deadline := time.Now().Add(10 * time.Second)
	for {
		f := w.Next(time.Until(deadline))
		out = append(out, f)
		if marker(f) {
			return out
		}
	}
}

// messageIDs are the ids of the messages of the message.created frames.
func messageIDs(t *testing.T, frames []testkit.Frame) map[string]bool {
	ids := map[string]bool{}
	for _, f := range frames {
		if f.Type == livedesk.EventMessageCreated {
			ids[f.Event(t).Message.ID] = true
		}
	}
	return ids
}

// TestFanOutByAudience: a committed event reaches exactly its audience over real sockets: a
// visitor's message its conversation's assignee, the account's staff and that visitor; an
// internal comment the assignee and staff only; never a colleague, another visitor or
// another account. Each socket reads until a later event it does receive (events arrive in
// commit order), so what it has not got by then it never gets.
func TestFanOutByAudience(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{})
	ctx := context.Background()
	acct, admin := h.Account()
	cp := h.ContactPoint(acct.ID, livedesk.ChannelWebchat)
	h.SetStatus(admin, livedesk.StatusPause)
	anna := h.Operator(acct.ID, "Анна", livedesk.RoleOperator, 5, livedesk.StatusAvailable)
	boris := h.Operator(acct.ID, "Борис", livedesk.RoleOperator, 5, livedesk.StatusPause)
	sup := h.Operator(acct.ID, "Сева", livedesk.RoleSupervisor, 5, livedesk.StatusPause)
	marker := h.Operator(acct.ID, "Метка", livedesk.RoleOperator, 5, livedesk.StatusPause)
	other, _ := h.Account()
	ocp := h.ContactPoint(other.ID, livedesk.ChannelWebchat)
	stranger := h.Operator(other.ID, "Чужой", livedesk.RoleSupervisor, 5, livedesk.StatusAvailable)
	v1, v2, ov := h.Visitor(cp), h.Visitor(cp), h.Visitor(ocp)
	conv := h.Say(cp, v1.ID, "первый").ConversationID
	h.Say(cp, v2.ID, "второй")
	h.Say(ocp, ov.ID, "чужой")

	wa, wb, ws := h.OperatorWS(h.Login(anna)), h.OperatorWS(h.Login(boris)), h.OperatorWS(h.Login(sup))
	wo := h.OperatorWS(h.Login(stranger))
	wv1, wv2, wov := h.VisitorWS(cp, v1.ID), h.VisitorWS(cp, v2.ID), h.VisitorWS(ocp, ov.ID)

	msg := h.Say(cp, v1.ID, "секрет")
	note, err := h.Desk.Desk.AddComment(ctx, acct.ID, anna.ID, conv, testkit.Unique("c"), "заметка")
	if err != nil {
		t.Fatal(err)
	}
	// The markers: a status change every operator of an account hears, and each visitor's
	// own next message.
	h.SetStatus(marker, livedesk.StatusAway)
	h.SetStatus(stranger, livedesk.StatusPause)
	m1, m2, m3 := h.Say(cp, v1.ID, "метка"), h.Say(cp, v2.ID, "метка"), h.Say(ocp, ov.ID, "метка")
	ofMessage := func(m *livedesk.Message) func(testkit.Frame) bool { return testkit.OfMessage(m.ID.String()) }

	for _, tc := range []struct {
		name          string
		w             *testkit.WS
		marker        func(testkit.Frame) bool
		message, note bool
	}{
		{"the assignee", wa, testkit.OfOperator(t, marker.ID.String(), "away"), true, true},
		{"a supervisor", ws, testkit.OfOperator(t, marker.ID.String(), "away"), true, true},
		{"a colleague", wb, testkit.OfOperator(t, marker.ID.String(), "away"), false, false},
		{"another account's supervisor", wo, testkit.OfOperator(t, stranger.ID.String(), "pause"), false, false},
		{"the visitor", wv1, ofMessage(m1), true, false},
		{"another visitor", wv2, ofMessage(m2), false, false},
		{"another account's visitor", wov, ofMessage(m3), false, false},
	} {
		frames := framesUntil(t, tc.w, tc.marker)
		ids := messageIDs(t, frames)
		if ids[msg.ID.String()] != tc.message || ids[note.ID.String()] != tc.note {
			t.Errorf("%s: got the message %v (want %v), the comment %v (want %v)", tc.name, ids[msg.ID.String()], tc.message, ids[note.ID.String()], tc.note)
		}
		for _, f := range frames {
			if tc.w == wo || tc.w == wov {
				if s := string(f.Data); strings.Contains(s, "секрет") || strings.Contains(s, "заметка") || strings.Contains(s, `"id":"`+conv.String()+`"`) {
					t.Errorf("%s got account A's %s: %s", tc.name, f.Type, s)
				}
			}
			if tc.w == wv1 && strings.Contains(string(f.Data), "заметка") {
				t.Errorf("the visitor got the internal comment: %s %s", f.Type, f.Data)
			}
		}
	}
}

// TestSlowConsumerClosed: a client that stops reading fills its bounded queue and is
// closed with 1013 «slow consumer» instead of holding anyone up (another session of the same
// operator gets every frame); resuming from the last cursor it read, it loses nothing.
func TestSlowConsumerClosed(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{Hub: realtime.Options{SendQueue: 4}, SendBuffer: 4096})
	chat := h.Chat()
	cp, anna, v, tok := chat.CP, chat.Anna, chat.Visitor, chat.Token

	// The slow client: a small receive buffer, and it reads nothing for now.
	dialer := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	slow, resp, err := dialer.Dial(h.OperatorURL(tok, ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() { slow.Close() })
	fast := h.OperatorWS(h.Login(anna))
	for h.Hub.Metrics.Connections.Load() < 2 {
		time.Sleep(time.Millisecond) // the slow socket is registered after its handshake
	}

	long := testkit.Cyrillic(9900)
	var sent []string
	got := map[string]bool{}
	for i := range 40 {
		id := h.Say(cp, v.ID, fmt.Sprint(i, " ", long)).ID.String()
		sent = append(sent, id)
		// The reading session takes each message before the next is sent, so only the one that
		// does not read fills its queue, however slowly this machine runs the hub's writers.
		maps.Copy(got, messageIDs(t, framesUntil(t, fast, testkit.OfMessage(id))))
	}
	for _, id := range sent {
		if !got[id] {
			t.Fatalf("the reading session missed message %s", id)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); h.Hub.Metrics.SlowDropped.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the client that does not read was never dropped")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// It reads what was written before the drop, then the close frame.
	seen := map[string]bool{}
	cursor := ""
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, data, err := slow.ReadMessage()
		if err != nil {
			ce, ok := errors.AsType[*websocket.CloseError](err)
			if !ok || ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "slow consumer") {
				t.Fatalf("the slow socket ended with %v, want 1013 slow consumer", err)
			}
			break
		}
		var f testkit.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if f.Cursor != "" {
			cursor = f.Cursor
		}
		if f.Type == livedesk.EventMessageCreated {
			seen[f.Event(t).Message.ID] = true
		}
	}
	if len(seen) >= len(sent) {
		t.Fatalf("the slow client got all %d messages before it was dropped", len(seen))
	}
	// Resuming from its cursor, it gets the rest, each once.
	w := h.Dial(h.OperatorURL(tok, "cursor="+cursor))
	for _, f := range framesUntil(t, w, testkit.OfMessage(sent[len(sent)-1])) {
		if f.Type != livedesk.EventMessageCreated {
			continue
		}
		id := f.Event(t).Message.ID
		if seen[id] {
			t.Fatalf("message %s delivered again after the resume", id)
		}
		seen[id] = true
	}
	for _, id := range sent {
		if !seen[id] {
			t.Errorf("message %s lost", id)
		}
	}
}
