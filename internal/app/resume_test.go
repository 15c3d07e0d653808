package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// Reconnect and resume (DESIGN §3, docs/events.md «Resuming with ?cursor=»): a client that
// drops and comes back with its cursor gets every event it missed exactly once, in cursor
// order, with no gap between the replay and the live events that arrive while the replay
// runs; a cursor the server cannot replay from is answered with resync.

// sendMessages sends n messages one after another as c (a visitor, or an operator in a
// conversation) at path and returns the ids of the acknowledged ones, in order. It never
// fails the test, so goroutines may call it.
func sendMessages(c *testkit.Client, path, prefix string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for i := range n {
		r, err := c.TryDo(context.Background(), "POST", path, map[string]any{"client_id": testkit.Unique("rs"), "text": prefix + " " + strconv.Itoa(i)})
		if err != nil {
			return ids, err
		}
		if r.Status != 201 {
			return ids, fmt.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
		var m testkit.Message
		if err := json.Unmarshal(r.Body, &m); err != nil {
			return ids, err
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// writer is someone who writes messages at a path (a visitor, or an operator in a
// conversation).
type writer struct {
	c    *testkit.Client
	path string
}

// burst makes every writer send n messages concurrently (one goroutine per writer, each
// sending one after another) and returns the acknowledged ids.
func burst(writers []writer, prefix string, n int) ([]string, error) {
	type result struct {
		ids []string
		err error
	}
	out := make(chan result, len(writers))
	for _, w := range writers {
		go func() {
			ids, err := sendMessages(w.c, w.path, prefix, n)
			out <- result{ids, err}
		}()
	}
	var all []string
	var first error
	for range writers {
		r := <-out
		all = append(all, r.ids...)
		if r.err != nil && first == nil {
			first = r.err
		}
	}
	return all, first
}

// checkResume checks one side (operator or visitor WebSocket): connect, read, drop; the
// writers send `before` messages each while it is away and `during` more each concurrently
// with the reconnect; the resumed connection must deliver all of them exactly once, in
// cursor order (which is commit order, so message ids increase too), with ready between the
// replay and the live part, and then go on live.
func checkResume(t *testing.T, reader *testkit.Client, visitor bool, writers []writer, before, during int) {
	t.Helper()
	serialIDs := os.Getenv(testkit.StoreEnv) != "postgres"
	w := reader.WS(visitor, "")
	w.Ready()
	seen, err := burst(writers, "до", 1)
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]bool{}
	for _, id := range seen {
		pending[id] = true
	}
	for len(pending) > 0 {
		delete(pending, w.WaitFor("message.created", nil).Event(t).Message.ID)
	}
	cursor := w.Cursor
	w.Close()

	missed, err := burst(writers, "пока нет", before)
	if err != nil {
		t.Fatal(err)
	}
	// The second batch starts together with the reconnect, so that events commit while the
	// replay runs (the hub holds them and sends them after it) and right after it.
	type result struct {
		ids []string
		err error
	}
	done := make(chan result, 1)
	go func() {
		ids, err := burst(writers, "во время", during)
		done <- result{ids, err}
	}()
	w2 := reader.WS(visitor, cursor)
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := map[string]bool{}
	for _, id := range append(missed, res.ids...) {
		want[id] = true
	}

	got := map[string]int{}
	var order []string
	var last int64
	lastType := ""
	readyAt := -1
	deadline := time.Now().Add(30 * time.Second)
	for len(order) < len(want) || readyAt < 0 {
		f := w2.Next(time.Until(deadline))
		if f.Type == "resync" {
			t.Fatalf("resume from %s answered resync", cursor)
		}
		if f.Cursor != "" {
			c := f.Seq(t)
			if c < last || (c == last && f.Type != "ready") {
				t.Fatalf("%s frame with cursor %d after %s frame with cursor %d", f.Type, c, lastType, last)
			}
			last, lastType = c, f.Type
		}
		switch f.Type {
		case "ready":
			if readyAt >= 0 {
				t.Fatal("two ready frames")
			}
			readyAt = len(order)
		case "message.created":
			id := f.Event(t).Message.ID
			if !want[id] {
				t.Fatalf("message %s was not sent while the client was away", id)
			}
			if got[id]++; got[id] > 1 {
				t.Fatalf("message %s delivered twice", id)
			}
			// On SQLite message ids are taken by the one writer in commit order too; on
			// PostgreSQL concurrent writers take them out of commit order (the cursor, checked
			// above, is what orders delivery).
			if serialIDs && len(order) > 0 && testkit.ParseID(t, id) <= testkit.ParseID(t, order[len(order)-1]) {
				t.Fatalf("message %s delivered after message %s", id, order[len(order)-1])
			}
			order = append(order, id)
		}
	}
	if len(order) != len(want) {
		t.Fatalf("got %d messages, want %d", len(order), len(want))
	}
	t.Logf("resumed: %d delivered before ready (replay), %d after it (held or live)", readyAt, len(order)-readyAt)
	// Live after the resume.
	next, err := sendMessages(writers[0].c, writers[0].path, "после", 1)
	if err != nil {
		t.Fatal(err)
	}
	f := w2.WaitFor("message.created", nil)
	if id := f.Event(t).Message.ID; id != next[0] || f.Seq(t) <= last {
		t.Fatalf("live after resume: message %s cursor %s, want %s after %d", id, f.Cursor, next[0], last)
	}
}

// TestResumeOperator: the operator's WebSocket resumes from its cursor while a visitor
// keeps writing.
func TestResumeOperator(t *testing.T) {
	t.Parallel()
	// Each visitor writes 150 messages as fast as they are answered: above the per-address
	// message rate that keeps out floods, which this test is not about.
	env := testkit.Start(t, func(c *config.Config) { c.VisitorMessagesPerMinute = 100000 })
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Анна", "operator", 5, "available")
	var writers []writer
	for i := range 4 {
		v := env.Visitor(key, "Вера "+strconv.Itoa(i))
		v.Say("Здравствуйте")
		writers = append(writers, writer{v, "/api/v1/widget/messages"})
	}
	checkResume(t, op, false, writers, 150, 100)
}

// TestResumeVisitor: the visitor's WebSocket resumes from its cursor while the operator
// keeps replying.
func TestResumeVisitor(t *testing.T) {
	t.Parallel()
	_, _, _, op, v := testkit.StartChat(t)
	conv := v.Say("Здравствуйте").ConversationID
	w := writer{op, "/api/v1/conversations/" + conv + "/messages"}
	checkResume(t, v, true, []writer{w, w, w, w}, 150, 100)
}

// TestResumeResync: a cursor from the future, or older than what the event log still keeps,
// is answered with resync (and the connection then goes on live), on both sides.
func TestResumeResync(t *testing.T) {
	t.Parallel()
	env, _, _, op, v := testkit.StartChat(t)
	conv := v.Say("Здравствуйте").ConversationID

	expectResync := func(c *testkit.Client, visitor bool, cursor string) {
		t.Helper()
		w := c.WS(visitor, cursor)
		f := w.Next(5 * time.Second)
		if f.Type != "resync" || f.Cursor == "" {
			t.Fatalf("cursor %s: first frame %s %s, want resync", cursor, f.Type, f.Cursor)
		}
		// The connection goes on live from the resync cursor.
		if visitor {
			op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "ответ"}, nil)
		} else {
			v.Say("ещё")
		}
		if f2 := w.WaitFor("message.created", nil); f2.Seq(t) <= f.Seq(t) {
			t.Fatalf("live frame cursor %s not after resync cursor %s", f2.Cursor, f.Cursor)
		}
		w.Close()
	}
	ow := op.WS(false, "")
	ready := ow.Ready()
	ow.Close()
	future := strconv.FormatInt(ready.Seq(t)+1_000_000, 10)
	expectResync(op, false, future)
	expectResync(v, true, future)

	// Old cursors: remember where both sides were, write more, then prune the log as the
	// retention sweep does (here: everything but the newest event).
	opOld := op.WS(false, "")
	opCursor := opOld.Ready().Cursor
	opOld.Close()
	vOld := v.WS(true, "")
	vCursor := vOld.Ready().Cursor
	vOld.Close()
	for i := range 3 {
		v.Say("сообщение " + strconv.Itoa(i))
		op.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "ответ"}, nil)
	}
	err := env.App.Store.Write(context.Background(), func(tx livedesk.Tx) error {
		_, err := tx.PruneEvents(math.MaxInt64, 1, 1<<30)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	expectResync(op, false, opCursor)
	expectResync(v, true, vCursor)
}
