package app_test

import (
	"fmt"
	"sync"
	"testing"

	"livedesk/internal/testkit"
)

// TestAssignQueued: a supervisor takes a queued conversation or assigns it to an operator,
// within the receiver's limit and status, atomically: of many conversations assigned at once
// to one operator, only their limit's worth succeed. Operators cannot; another account's
// conversation or operator is not found.
func TestAssignQueued(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	sup := a.Operator("Сева", "supervisor", 2, "pause") // pause: routing passes them by
	op := a.Operator("Оля", "operator", 3, "pause")
	away := a.Operator("Гена", "operator", 3, "away")
	var queued []string
	for i := range 6 {
		queued = append(queued, env.Visitor(key, fmt.Sprint("Гость ", i)).Say("ждём").ConversationID)
	}
	assignTo := func(c *testkit.Client, conv, to string) testkit.Response {
		body := map[string]any{}
		if to != "" {
			body["operator_id"] = to
		}
		return c.Do("POST", "/api/v1/conversations/"+conv+"/assign", body)
	}
	var q struct{ Waiting int }
	op.Must("GET", "/api/v1/queue", nil, &q)
	if q.Waiting != 6 {
		t.Errorf("an operator sees %d waiting, want 6", q.Waiting)
	}
	if r := assignTo(op, queued[0], ""); r.Status != 403 {
		t.Errorf("an operator assigning: %d %s, want 403", r.Status, r.Body)
	}
	if r := assignTo(sup, queued[0], away.ID); r.Status != 409 || r.Code() != "target_unavailable" {
		t.Errorf("to an operator who is away: %d %s", r.Status, r.Body)
	}
	var got struct {
		State      string `json:"state"`
		AssigneeID string `json:"assignee_id"`
	}
	sup.Must("POST", "/api/v1/conversations/"+queued[0]+"/assign", map[string]any{}, &got)
	if got.State != "assigned" || got.AssigneeID != sup.ID {
		t.Fatalf("taken by the supervisor: %+v", got)
	}
	if r := assignTo(sup, queued[0], op.ID); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("a conversation no longer queued: %d %s", r.Status, r.Body)
	}

	// Five at once to Оля (limit 3): exactly three succeed, the others are limit_reached.
	var wg sync.WaitGroup
	codes := make([]string, 5)
	for i := range 5 {
		wg.Go(func() {
			r := assignTo(sup, queued[1+i], op.ID)
			codes[i] = fmt.Sprint(r.Status, r.Code())
		})
	}
	wg.Wait()
	ok, full := 0, 0
	for _, c := range codes {
		switch c {
		case "200":
			ok++
		case "409limit_reached":
			full++
		}
	}
	if ok != 3 || full != 2 {
		t.Fatalf("five assignments to a limit of 3: %v", codes)
	}
	var me struct {
		OpenCount int `json:"open_count"`
	}
	op.Must("GET", "/api/v1/me", nil, &me)
	if me.OpenCount != 3 {
		t.Errorf("Оля's open count %d, want 3", me.OpenCount)
	}

	still := env.Visitor(key, "Последний").Say("ждём").ConversationID
	b := env.NewAccount()
	bsup := b.Operator("Чужой", "supervisor", 5, "available")
	if r := assignTo(bsup, still, ""); r.Status != 404 {
		t.Errorf("another account's conversation: %d", r.Status)
	}
	if r := assignTo(sup, still, bsup.ID); r.Status != 404 {
		t.Errorf("another account's operator: %d", r.Status)
	}
}

// TestAssignQueuedRules: the caller's own status and limit count when they take a
// conversation for themselves, an offline receiver is refused, and one conversation given to
// two operators at once goes to exactly one of them.
func TestAssignQueuedRules(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	sup := a.Operator("Сева", "supervisor", 1, "pause")
	off := a.Operator("Олег", "operator", 3, "") // never chose a status: offline
	o1 := a.Operator("Оля", "operator", 3, "pause")
	o2 := a.Operator("Яна", "operator", 3, "pause")
	var queued []string
	for i := range 4 {
		queued = append(queued, env.Visitor(key, fmt.Sprint("Гость ", i)).Say("ждём").ConversationID)
	}
	take := func(c *testkit.Client, conv string, body map[string]any) testkit.Response {
		return c.Do("POST", "/api/v1/conversations/"+conv+"/assign", body)
	}
	if r := take(sup, queued[0], map[string]any{"operator_id": off.ID}); r.Status != 409 || r.Code() != "target_unavailable" {
		t.Errorf("to an offline operator: %d %s", r.Status, r.Body)
	}
	if r := take(sup, queued[0], nil); r.Status != 200 {
		t.Fatalf("the supervisor takes one: %d %s", r.Status, r.Body)
	}
	if r := take(sup, queued[1], nil); r.Status != 409 || r.Code() != "limit_reached" {
		t.Errorf("the supervisor over their own limit of 1: %d %s", r.Status, r.Body)
	}
	sup.SetStatus("away")
	if r := take(sup, queued[1], map[string]any{"operator_id": o1.ID}); r.Status != 200 {
		t.Errorf("an away supervisor may still assign to others: %d %s", r.Status, r.Body)
	}
	sup.SetStatus("offline")
	if r := take(sup, queued[2], map[string]any{"operator_id": o1.ID}); r.Status != 403 || r.Code() != "operator_offline" {
		t.Errorf("an offline supervisor: %d %s", r.Status, r.Body)
	}
	sup.SetStatus("pause")

	// The same conversation to Оля and Яна at once: one gets it, the other hears conflict.
	var wg sync.WaitGroup
	results := make([]testkit.Response, 2)
	for i, to := range []*testkit.Client{o1, o2} {
		wg.Go(func() { results[i] = take(sup, queued[3], map[string]any{"operator_id": to.ID}) })
	}
	wg.Wait()
	won, lost := 0, 0
	for _, r := range results {
		switch {
		case r.Status == 200:
			won++
		case r.Status == 409 && r.Code() == "conflict":
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("one conversation to two operators at once: %d %s / %d %s", results[0].Status, results[0].Body, results[1].Status, results[1].Body)
	}
	open := 0
	for _, c := range []*testkit.Client{o1, o2} {
		var me struct {
			OpenCount int `json:"open_count"`
		}
		c.Must("GET", "/api/v1/me", nil, &me)
		open += me.OpenCount
	}
	if open != 2 { // Оля's from queued[1] and the one won now
		t.Errorf("open conversations of Оля and Яна together: %d, want 2", open)
	}
}

// TestOfflineSettings: an offline operator changes no setting, spell check included (the
// seed: offline «не может совершать никакие настройки»).
func TestOfflineSettings(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	op := a.Operator("Оля", "operator", 3, "available")
	op.Must("PATCH", "/api/v1/me/settings", map[string]any{"spellcheck": false}, nil)
	op.SetStatus("offline")
	for _, body := range []map[string]any{{"spellcheck": true}, {"autocomplete_quick_messages": false}, {"language": "en"}} {
		if r := op.Do("PATCH", "/api/v1/me/settings", body); r.Status != 403 || r.Code() != "operator_offline" {
			t.Errorf("offline %v: %d %s, want 403 operator_offline", body, r.Status, r.Body)
		}
	}
	var me struct {
		Settings struct {
			Spellcheck *bool `json:"spellcheck"`
		} `json:"settings"`
	}
	op.Must("GET", "/api/v1/me", nil, &me)
	if me.Settings.Spellcheck == nil || *me.Settings.Spellcheck {
		t.Errorf("spell check after the refused change: %v, want still off", me.Settings.Spellcheck)
	}
}
