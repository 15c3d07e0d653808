package realtime_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/testkit"
)

// TestReplayThenLive: a client resuming from its cursor while messages keep coming gets every
// one it missed exactly once, in cursor order, the replay before ready and the events that
// commit during the replay after it, and then goes on live.
func TestReplayThenLive(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{})
	chat := h.Chat()
	cp, v, tok := chat.CP, chat.Visitor, chat.Token
	w := h.OperatorWS(tok)
	cursor := w.Cursor
	w.Close()

	want := map[string]bool{}
	for i := range 30 {
		want[h.Say(cp, v.ID, "пока нет "+strconv.Itoa(i)).ID.String()] = true
	}
	during := make(chan []string, 1)
	go func() {
		var ids []string
		for i := range 30 {
			m, err := h.Desk.Desk.VisitorMessage(context.Background(), cp, v.ID, desk.MessageInput{ClientID: testkit.Unique("v"), Text: "во время " + strconv.Itoa(i)})
			if err != nil {
				break
			}
			ids = append(ids, m.ID.String())
		}
		during <- ids
	}()
	w2 := h.Dial(h.OperatorURL(tok, "cursor="+cursor))
	for _, id := range <-during {
		want[id] = true
	}
	if len(want) != 60 {
		t.Fatalf("%d messages sent, want 60", len(want))
	}
	got := map[string]bool{}
	var last int64
	ready := 0
	for len(got) < len(want) || ready == 0 {
		f := w2.Next(10 * time.Second)
		if f.Type == livedesk.EventResync {
			t.Fatal("the resume answered resync")
		}
		if f.Cursor != "" {
			c := f.Seq(t)
			if c < last || c == last && f.Type != "ready" {
				t.Fatalf("%s frame with cursor %d after cursor %d", f.Type, c, last)
			}
			last = c
		}
		switch f.Type {
		case "ready":
			ready++
		case livedesk.EventMessageCreated:
			id := f.Event(t).Message.ID
			if !want[id] || got[id] {
				t.Fatalf("message %s: sent while away %v, delivered before %v", id, want[id], got[id])
			}
			got[id] = true
		}
	}
	if ready != 1 {
		t.Fatalf("%d ready frames", ready)
	}
	next := h.Say(cp, v.ID, "после")
	if f := w2.WaitFor(livedesk.EventMessageCreated, nil); f.Event(t).Message.ID != next.ID.String() || f.Seq(t) <= last {
		t.Fatalf("live after the resume: %s at %s, want %s after %d", f.Event(t).Message.ID, f.Cursor, next.ID, last)
	}
}

// TestResyncOutsideTheLog: a cursor the log cannot replay from — from the future, older than
// what was pruned, or further back than the replay allows — is answered with resync, on the
// operator's and the visitor's side, and the connection then goes on live.
func TestResyncOutsideTheLog(t *testing.T) {
	t.Parallel()
	h := testkit.StartHub(t, testkit.HubOptions{Hub: realtime.Options{MaxReplay: 2}})
	chat := h.Chat()
	cp, v, tok := chat.CP, chat.Visitor, chat.Token

	expectResync := func(what, url string) {
		t.Helper()
		w := h.Dial(url)
		f := w.Next(10 * time.Second)
		if f.Type != livedesk.EventResync || f.Cursor == "" {
			t.Fatalf("%s: first frame %s %s, want resync", what, f.Type, f.Cursor)
		}
		h.Say(cp, v.ID, "ещё")
		if f2 := w.WaitFor(livedesk.EventMessageCreated, nil); f2.Seq(t) <= f.Seq(t) {
			t.Fatalf("%s: live frame at %s, not after the resync at %s", what, f2.Cursor, f.Cursor)
		}
		w.Close()
	}
	ready := h.OperatorWS(tok)
	now := ready.Cursor
	ready.Close()
	future := (testkit.ParseID(t, now) + 1_000_000).String()
	expectResync("operator, a cursor from the future", h.OperatorURL(tok, "cursor="+future))
	expectResync("visitor, a cursor from the future", h.VisitorURL(cp, v.ID, "cursor="+future))

	// Further back than MaxReplay allows.
	for i := range 50 {
		h.Say(cp, v.ID, "много "+strconv.Itoa(i))
	}
	expectResync("operator, too far back", h.OperatorURL(tok, "cursor="+now))

	// Older than the log keeps: prune everything but the newest event.
	vw := h.VisitorWS(cp, v.ID)
	vCursor := vw.Cursor
	vw.Close()
	ow := h.OperatorWS(tok)
	oCursor := ow.Cursor
	ow.Close()
	for i := range 3 {
		h.Say(cp, v.ID, "сообщение "+strconv.Itoa(i))
	}
	if err := h.Store.Write(context.Background(), func(tx livedesk.Tx) error {
		_, err := tx.PruneEvents(math.MaxInt64, 1, 1<<30)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	expectResync("operator, a pruned cursor", h.OperatorURL(tok, "cursor="+oCursor))
	expectResync("visitor, a pruned cursor", h.VisitorURL(cp, v.ID, "cursor="+vCursor))
}
