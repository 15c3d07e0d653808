package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
)

// TestOfflineRequeue (DESIGN §2.1, §2.3): an operator whose last connection is gone becomes
// offline after the grace period; once offline longer than the account's
// offline_requeue_seconds, their webchat conversations go back to the queue and are routed
// to an online operator with capacity, while their email conversations stay. Time is an
// injected clock, so nothing here waits for the thresholds.
func TestOfflineRequeue(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock})
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	emailCP, _ := a.ContactPoint("email")
	anna := a.Operator("Анна", "operator", 5, "available")
	boris := a.Operator("Борис", "operator", 1, "pause") // not routed to until available

	annaWS := anna.WS(false, "")
	annaWS.Ready()
	v1, v2 := env.Visitor(key, "Вера"), env.Visitor(key, "Глеб")
	conv1 := v1.Say("Здравствуйте").ConversationID
	conv2 := v2.Say("Добрый день").ConversationID
	mail := a.EmailConversation(emailCP, "Письмо")
	for _, c := range []string{conv1, conv2, mail} {
		if got := a.Admin.Conversation(c); got.State != "assigned" || got.AssigneeID != anna.ID {
			t.Fatalf("conversation %s: %s to %s, want assigned to Анна", c, got.State, got.AssigneeID)
		}
	}
	// Борис becomes available with room for one: the queue is empty, nothing moves yet.
	boris.SetStatus("available")
	borisWS := boris.WS(false, "")
	borisWS.Ready()
	staffWS := a.Admin.WS(false, "")
	staffWS.Ready()
	visitorWS := v1.WS(true, "")
	visitorWS.Ready()

	// Анна's last connection goes away; the grace period starts when the server notices.
	annaCursor := annaWS.Cursor
	annaWS.Close()
	annaID, _ := livedesk.ParseID(anna.ID)
	for env.App.Hub.Online(annaID) {
		time.Sleep(5 * time.Millisecond)
	}
	// The disconnect also records when she was last seen, asynchronously: move the clock
	// past the grace period until the sweeper has set her offline (each step is far below
	// the requeue threshold).
	status := func() string {
		var out struct {
			Items []struct{ ID, Status string } `json:"items"`
		}
		a.Admin.Must("GET", "/api/v1/admin/operators", nil, &out)
		for _, o := range out.Items {
			if o.ID == anna.ID {
				return o.Status
			}
		}
		return ""
	}
	for deadline := time.Now().Add(10 * time.Second); status() != "offline"; {
		if time.Now().After(deadline) {
			t.Fatal("Анна never went offline")
		}
		clock.Advance(env.Cfg.StatusGrace + time.Second)
		time.Sleep(4 * env.Cfg.SweepInterval)
	}
	borisWS.WaitFor("operator.status", testkit.OfOperator(t, anna.ID, "offline"))

	// Offline, but not for longer than the setting (default 300 s): nothing is requeued,
	// however many sweeps run, since the clock does not move.
	for _, c := range []string{conv1, conv2, mail} {
		if got := a.Admin.Conversation(c); got.State != "assigned" || got.AssigneeID != anna.ID {
			t.Fatalf("before the requeue threshold, %s: %s to %s", c, got.State, got.AssigneeID)
		}
	}
	var settings struct {
		OfflineRequeue int `json:"offline_requeue_seconds"`
	}
	a.Admin.Must("GET", "/api/v1/admin/settings", nil, &settings)
	clock.Advance(time.Duration(settings.OfflineRequeue)*time.Second + time.Second)

	// Both webchat conversations are queued again (staff see it), the first in the queue
	// goes to Борис, who has room for one; the second waits.
	queued := map[string]bool{}
	for len(queued) < 2 {
		f := staffWS.WaitFor("conversation.queued", nil)
		queued[f.Event(t).Conversation.ID] = true
	}
	if !queued[conv1] || !queued[conv2] || queued[mail] {
		t.Fatalf("queued: %v, want %s and %s", queued, conv1, conv2)
	}
	assigned := borisWS.WaitFor("conversation.assigned", nil).Event(t).Conversation
	if assigned.ID != conv1 || assigned.AssigneeID != boris.ID {
		t.Fatalf("Борис was assigned %s (assignee %s), want %s", assigned.ID, assigned.AssigneeID, conv1)
	}
	// The visitor is told first that the conversation is back in the queue, then who took it.
	if d := visitorWS.WaitFor("conversation.queued", nil).Event(t); d.ConversationID != conv1 || d.Reason != "requeued" {
		t.Fatalf("visitor's conversation.queued: %+v", d)
	}
	visitorWS.WaitFor("operator.joined", func(f testkit.Frame) bool {
		var d struct {
			Operator struct{ ID string } `json:"operator"`
		}
		json.Unmarshal(f.Data, &d)
		return d.Operator.ID == boris.ID
	})
	want := map[string]struct{ state, assignee string }{
		conv1: {"assigned", boris.ID},
		conv2: {"queued", ""},
		mail:  {"assigned", anna.ID},
	}
	for c, w := range want {
		if got := a.Admin.Conversation(c); got.State != w.state || got.AssigneeID != w.assignee {
			t.Errorf("after the requeue, %s: %s to %q, want %s to %q", c, got.State, got.AssigneeID, w.state, w.assignee)
		}
	}
	for _, o := range []struct {
		c    *testkit.Client
		open int
	}{{anna, 1}, {boris, 1}} {
		if me := o.c.Me(); me.OpenCount != o.open {
			t.Errorf("operator %s: open_count %d, want %d", o.c.ID, me.OpenCount, o.open)
		}
	}

	// Анна, back, resumes: she is told both webchat conversations left her list (reason
	// requeued), and nothing about the email one.
	back := anna.WS(false, annaCursor)
	removed := map[string]string{}
	for {
		f := back.Next(5 * time.Second)
		if f.Type == "ready" {
			break
		}
		if f.Type == "resync" {
			t.Fatal("Анна's resume answered resync")
		}
		if f.Type == "conversation.removed" {
			e := f.Event(t)
			removed[e.ConversationID] = e.Reason
		}
	}
	if len(removed) != 2 || removed[conv1] != "requeued" || removed[conv2] != "requeued" {
		t.Fatalf("Анна's replay removed %v, want %s and %s (requeued)", removed, conv1, conv2)
	}
	if items, _ := anna.List("state=open"); len(items) != 1 || items[0].ID != mail {
		t.Fatalf("Анна's list after the requeue: %+v, want only %s", items, mail)
	}
}
