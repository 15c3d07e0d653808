package app_test

import (
	"context"
	"encoding/json"
	"livedesk/internal/testkit"
	"sync"
	"testing"
)

// End-to-end tests of client_id: a repeated write returns the first message and stores
// nothing twice, even when the repeats race; a client_id belongs to one author, conversation
// and kind of message.

// TestClientIDScoped: an operator's client_id repeats one write only: the same
// conversation and kind return the first message; another conversation or the other kind
// is 409 client_id_reused and stores nothing.
func TestClientIDScoped(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	v2 := d.Env.Visitor(d.Key, "Глеб")
	conv2 := v2.Say("Добрый день").ConversationID
	if c := d.Account.Admin.Conversation(conv2); c.AssigneeID != d.Sender.ID {
		t.Fatalf("second conversation went to %s", c.AssigneeID)
	}
	reply := func(conv string) string { return "/api/v1/conversations/" + conv + "/messages" }
	note := func(conv string) string { return "/api/v1/conversations/" + conv + "/comments" }
	counts := func() (int, int) { return len(d.Sender.History(d.Conv)), len(d.Sender.History(conv2)) }

	x := testkit.Unique("cid")
	var first, again testkit.Message
	d.Sender.Must("POST", reply(d.Conv), map[string]any{"client_id": x, "text": "первый"}, &first)
	d.Sender.Must("POST", reply(d.Conv), map[string]any{"client_id": x, "text": "повтор"}, &again)
	if again.ID != first.ID || again.Text != "первый" {
		t.Fatalf("repeat in the same conversation returned %+v, want %+v", again, first)
	}
	n1, n2 := counts()
	testkit.Expect(t, "reply client_id in another conversation", d.Sender.Do("POST", reply(conv2), map[string]any{"client_id": x, "text": "чужой"}), 409, "client_id_reused")
	testkit.Expect(t, "reply client_id as a comment", d.Sender.Do("POST", note(d.Conv), map[string]any{"client_id": x, "text": "заметка"}), 409, "client_id_reused")
	testkit.Expect(t, "reply client_id as a comment elsewhere", d.Sender.Do("POST", note(conv2), map[string]any{"client_id": x, "text": "заметка"}), 409, "client_id_reused")

	y := testkit.Unique("cid")
	var c1, c2 testkit.Message
	d.Sender.Must("POST", note(d.Conv), map[string]any{"client_id": y, "text": "заметка"}, &c1)
	d.Sender.Must("POST", note(d.Conv), map[string]any{"client_id": y, "text": "заметка 2"}, &c2)
	if c1.ID != c2.ID || c2.Kind != "comment" {
		t.Fatalf("repeated comment: %+v then %+v", c1, c2)
	}
	testkit.Expect(t, "comment client_id as a reply", d.Sender.Do("POST", reply(d.Conv), map[string]any{"client_id": y, "text": "ответ"}), 409, "client_id_reused")
	testkit.Expect(t, "comment client_id in another conversation", d.Sender.Do("POST", note(conv2), map[string]any{"client_id": y, "text": "ответ"}), 409, "client_id_reused")
	if m1, m2 := counts(); m1 != n1+1 || m2 != n2 {
		t.Fatalf("histories grew by %d and %d, want 1 (the comment) and 0", m1-n1, m2-n2)
	}
	// Another author has its own namespace: the admin's x is a new message.
	d.Account.Admin.SetStatus("pause")
	var adm testkit.Message
	d.Account.Admin.Must("POST", reply(d.Conv), map[string]any{"client_id": x, "text": "от админа"}, &adm)
	if adm.ID == first.ID || adm.Text != "от админа" {
		t.Fatalf("the admin's client_id returned another author's message %+v", adm)
	}
}

// TestBadInputDuplicateClientID: the same client_id twice returns the first message and
// stores nothing twice, even when the requests race.
func TestBadInputDuplicateClientID(t *testing.T) {
	t.Parallel()
	d := testkit.StartTeamChat(t)
	count := func() int { return len(d.Sender.History(d.Conv)) }
	visitorCount := func() int { return len(d.Visitor.VisitorHistory()) }

	writers := []struct {
		name string
		c    *testkit.Client
		path string
	}{
		{"reply", d.Sender, "/api/v1/conversations/" + d.Conv + "/messages"},
		{"comment", d.Sender, "/api/v1/conversations/" + d.Conv + "/comments"},
		{"visitor message", d.Visitor, "/api/v1/widget/messages"},
	}
	for _, w := range writers {
		n, vn := count(), visitorCount()
		cid := testkit.Unique("dup")
		var first, second testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "первый"}, &first)
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "второй"}, &second)
		if second.ID != first.ID || second.Text != "первый" || second.ClientID != cid {
			t.Errorf("%s: the repeat returned %+v, want the first %+v", w.name, second, first)
		}
		if got := count(); got != n+1 {
			t.Errorf("%s: history grew by %d, want 1", w.name, got-n)
		}
		wantV := vn + 1
		if w.name == "comment" {
			wantV = vn
		}
		if got := visitorCount(); got != wantV {
			t.Errorf("%s: the visitor's history grew by %d, want %d", w.name, got-vn, wantV-vn)
		}

		// Racing repeats: all get the same message, one is stored.
		n = count()
		cid = testkit.Unique("race")
		body := map[string]any{"client_id": cid, "text": "гонка"}
		const racers = 8
		ids := make([]string, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				r, err := w.c.TryDo(context.Background(), "POST", w.path, body)
				if err != nil || r.Status != 201 {
					t.Errorf("%s racer %d: %d %s %v", w.name, i, r.Status, r.Body, err)
					return
				}
				var m testkit.Message
				json.Unmarshal(r.Body, &m)
				ids[i] = m.ID
			})
		}
		wg.Wait()
		for i := range ids {
			if ids[i] != ids[0] {
				t.Errorf("%s: racers got different messages %v", w.name, ids)
				break
			}
		}
		if got := count(); got != n+1 {
			t.Errorf("%s: %d racing repeats stored %d messages", w.name, racers, got-n)
		}

		// A refused request reserves nothing: the same client_id then works.
		cid = testkit.Unique("retry")
		if r := w.c.Do("POST", w.path, map[string]any{"client_id": cid, "text": "  "}); r.Status != 400 {
			t.Errorf("%s: blank text: %d %s", w.name, r.Status, r.Body)
		}
		var m testkit.Message
		w.c.Must("POST", w.path, map[string]any{"client_id": cid, "text": "теперь по делу"}, &m)
		if m.Text != "теперь по делу" {
			t.Errorf("%s: after a refused request the same client_id returned %+v", w.name, m)
		}
	}
}
