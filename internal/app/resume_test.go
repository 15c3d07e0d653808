package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
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

// rsPost posts JSON from any goroutine and returns the created message's id.
func rsPost(base, token, path string, body map[string]any) (string, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", base+path, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		return "", fmt.Errorf("%s: %d %s", path, resp.StatusCode, data)
	}
	var m testkit.Message
	if err := json.Unmarshal(data, &m); err != nil {
		return "", err
	}
	return m.ID, nil
}

// rsSender sends n messages one after another with the writer (a visitor or an operator)
// and returns the ids of the acknowledged ones, in order.
func rsSender(c *testkit.Client, path, prefix string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for i := range n {
		id, err := rsPost(c.Base, c.Token, path, map[string]any{"client_id": testkit.Unique("rs"), "text": prefix + " " + strconv.Itoa(i)})
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// rsMessageID is the id of the message of a message.created frame.
func rsMessageID(t *testing.T, f testkit.Frame) string {
	t.Helper()
	var d struct {
		Message testkit.Message `json:"message"`
	}
	if err := json.Unmarshal(f.Data, &d); err != nil {
		t.Fatalf("decode %s: %v", f.Data, err)
	}
	return d.Message.ID
}

func rsCursor(t *testing.T, f testkit.Frame) int64 {
	t.Helper()
	n, err := strconv.ParseInt(f.Cursor, 10, 64)
	if err != nil {
		t.Fatalf("%s frame with cursor %q", f.Type, f.Cursor)
	}
	return n
}

// rsWriter is someone who writes messages at a path (a visitor, or an operator in a
// conversation).
type rsWriter struct {
	c    *testkit.Client
	path string
}

// rsBurst makes every writer send n messages concurrently (one goroutine per writer, each
// sending one after another) and returns the acknowledged ids.
func rsBurst(writers []rsWriter, prefix string, n int) ([]string, error) {
	type result struct {
		ids []string
		err error
	}
	out := make(chan result, len(writers))
	for _, w := range writers {
		go func() {
			ids, err := rsSender(w.c, w.path, prefix, n)
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

func rsID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("id %q", s)
	}
	return n
}

// rsResume checks one side (operator or visitor WebSocket): connect, read, drop; the
// writers send `before` messages each while it is away and `during` more each concurrently
// with the reconnect; the resumed connection must deliver all of them exactly once, in
// cursor order (which is commit order, so message ids increase too), with ready between the
// replay and the live part, and then go on live.
func rsResume(t *testing.T, reader *testkit.Client, visitor bool, writers []rsWriter, before, during int) {
	t.Helper()
	w := reader.WS(visitor, "")
	w.Ready()
	seen, err := rsBurst(writers, "до", 1)
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]bool{}
	for _, id := range seen {
		pending[id] = true
	}
	for len(pending) > 0 {
		delete(pending, rsMessageID(t, w.WaitFor("message.created", nil)))
	}
	cursor := w.Cursor
	w.Close()

	missed, err := rsBurst(writers, "пока нет", before)
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
		ids, err := rsBurst(writers, "во время", during)
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
			c := rsCursor(t, f)
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
			id := rsMessageID(t, f)
			if !want[id] {
				t.Fatalf("message %s was not sent while the client was away", id)
			}
			if got[id]++; got[id] > 1 {
				t.Fatalf("message %s delivered twice", id)
			}
			if len(order) > 0 && rsID(t, id) <= rsID(t, order[len(order)-1]) {
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
	next, err := rsSender(writers[0].c, writers[0].path, "после", 1)
	if err != nil {
		t.Fatal(err)
	}
	f := w2.WaitFor("message.created", nil)
	if id := rsMessageID(t, f); id != next[0] || rsCursor(t, f) <= last {
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
	var writers []rsWriter
	for i := range 4 {
		v := env.Visitor(key, "Вера "+strconv.Itoa(i))
		v.Say("Здравствуйте")
		writers = append(writers, rsWriter{v, "/api/v1/widget/messages"})
	}
	rsResume(t, op, false, writers, 150, 100)
}

// TestResumeVisitor: the visitor's WebSocket resumes from its cursor while the operator
// keeps replying.
func TestResumeVisitor(t *testing.T) {
	t.Parallel()
	_, _, _, op, v := testkit.StartChat(t)
	conv := v.Say("Здравствуйте").ConversationID
	w := rsWriter{op, "/api/v1/conversations/" + conv + "/messages"}
	rsResume(t, v, true, []rsWriter{w, w, w, w}, 150, 100)
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
		if f2 := w.WaitFor("message.created", nil); rsCursor(t, f2) <= rsCursor(t, f) {
			t.Fatalf("live frame cursor %s not after resync cursor %s", f2.Cursor, f.Cursor)
		}
		w.Close()
	}
	ow := op.WS(false, "")
	ready := ow.Ready()
	ow.Close()
	future := strconv.FormatInt(rsCursor(t, ready)+1_000_000, 10)
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
