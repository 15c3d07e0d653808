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
