package app_test

import (
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"

	"livedesk/internal/testkit"
)

// TestRoutingLeastLoadThenIdle: lowest open/limit wins; ties go to who waited longest.
func TestRoutingLeastLoadThenIdle(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	opA := a.Operator("A", "operator", 2, "available")
	c1 := env.Visitor(key, "").Say("1").ConversationID // only A available
	opA.SetStatus("pause")
	opB := a.Operator("B", "operator", 4, "available")
	c2 := env.Visitor(key, "").Say("2").ConversationID // only B available
	opA.SetStatus("available")
	// Loads: A 1/2, B 1/4 → B.
	c3 := env.Visitor(key, "").Say("3").ConversationID
	// Loads: A 1/2, B 2/4: tie; A waited longer (last assigned at c1) → A.
	c4 := env.Visitor(key, "").Say("4").ConversationID
	for _, tc := range []struct{ conv, want, why string }{
		{c1, opA.ID, "only A available"}, {c2, opB.ID, "only B available"},
		{c3, opB.ID, "least load"}, {c4, opA.ID, "tie goes to longest idle"},
	} {
		if got := a.Admin.Conversation(tc.conv).AssigneeID; got != tc.want {
			t.Errorf("%s: conversation %s assigned to %s, want %s", tc.why, tc.conv, got, tc.want)
		}
	}
}

// TestQueueDrainsOnEveryTrigger: FIFO queue drained by a status change to available, a
// close and a raised limit.
func TestQueueDrainsOnEveryTrigger(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	op := a.Operator("Solo", "operator", 2, "pause")
	var convs []string
	for i := 0; i < 5; i++ {
		convs = append(convs, env.Visitor(key, fmt.Sprint("V", i)).Say("hi").ConversationID)
	}
	queued, _ := a.Admin.List("state=queued")
	if len(queued) != 5 {
		t.Fatalf("%d queued, want 5", len(queued))
	}
	state := func() []string {
		var out []string
		for _, c := range convs {
			conv := a.Admin.Conversation(c)
			out = append(out, conv.State)
		}
		return out
	}
	expect := func(why string, want ...string) {
		t.Helper()
		got := state()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: states %v, want %v", why, got, want)
		}
	}
	op.SetStatus("available")
	expect("status → available", "assigned", "assigned", "queued", "queued", "queued")
	op.Must("POST", "/api/v1/conversations/"+convs[0]+"/close", map[string]any{}, nil)
	expect("close", "closed", "assigned", "assigned", "queued", "queued")
	var o struct{ ID string }
	a.Admin.Must("PATCH", "/api/v1/admin/operators/"+op.ID, map[string]any{"limit": 3}, &o)
	expect("raised limit", "closed", "assigned", "assigned", "assigned", "queued")
	// The visitor closing a queued conversation closes it; the queue moves on.
	var me struct {
		OpenCount int `json:"open_count"`
		Limit     int `json:"limit"`
	}
	op.Must("GET", "/api/v1/me", nil, &me)
	if me.OpenCount != 3 || me.Limit != 3 {
		t.Fatalf("open %d limit %d, want 3/3", me.OpenCount, me.Limit)
	}
}

// TestRoutingStorm: 1,000 visitors at once against 100 operators with limit 3 → exactly 300
// assigned, 700 queued in arrival order, nobody above the limit.
func TestRoutingStorm(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	const operators, limit, visitors = 100, 3, 1000
	ops := make([]*testkit.Client, operators)
	var wg sync.WaitGroup
	for i := range ops {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ops[i] = a.Operator(fmt.Sprint("Op", i), "operator", limit, "available")
		}(i)
	}
	wg.Wait()
	vs := make([]*testkit.Client, visitors)
	for i := range vs {
		vs[i] = env.Visitor(key, "")
	}
	start := make(chan struct{})
	errs := make(chan error, visitors)
	for _, v := range vs {
		wg.Add(1)
		go func(v *testkit.Client) {
			defer wg.Done()
			<-start
			r := v.Do("POST", "/api/v1/widget/messages", map[string]string{"client_id": "first", "text": "hello"})
			if r.Status != 201 {
				errs <- fmt.Errorf("%d %s", r.Status, r.Body)
			}
		}(v)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var all []testkit.Conversation
	for _, state := range []string{"open", "queued"} {
		cursor := ""
		for {
			page, next := a.Admin.List("state=" + state + "&limit=200&cursor=" + cursor)
			all = append(all, page...)
			if next == "" {
				break
			}
			cursor = next
		}
	}
	var assigned, queued []int
	perOp := map[string]int{}
	for _, c := range all {
		switch c.State {
		case "assigned":
			assigned = append(assigned, int(testkit.ParseID(t, c.ID)))
			perOp[c.AssigneeID]++
		case "queued":
			queued = append(queued, int(testkit.ParseID(t, c.ID)))
		}
	}
	if len(assigned) != operators*limit || len(queued) != visitors-operators*limit {
		t.Fatalf("%d assigned, %d queued; want %d and %d", len(assigned), len(queued), operators*limit, visitors-operators*limit)
	}
	for id, n := range perOp {
		if n > limit {
			t.Errorf("operator %s holds %d conversations, limit %d", id, n, limit)
		}
	}
	var list struct {
		Items []struct {
			ID        string `json:"id"`
			OpenCount int    `json:"open_count"`
			Limit     int    `json:"limit"`
		} `json:"items"`
	}
	a.Admin.Must("GET", "/api/v1/operators", nil, &list)
	for _, o := range list.Items {
		if o.OpenCount > o.Limit || o.OpenCount != perOp[o.ID] {
			t.Errorf("operator %s: open_count %d, limit %d, holds %d", o.ID, o.OpenCount, o.Limit, perOp[o.ID])
		}
	}
	// Arrival order: everything assigned arrived before everything queued.
	sort.Ints(assigned)
	sort.Ints(queued)
	if assigned[len(assigned)-1] > queued[0] {
		t.Fatalf("conversation %d was assigned but %d, which arrived earlier, is queued", assigned[len(assigned)-1], queued[0])
	}
	// Freeing capacity takes the oldest queued conversation first.
	ops[0].Must("GET", "/api/v1/conversations", nil, nil)
	mine, _ := ops[0].List("state=open")
	ops[0].Must("POST", "/api/v1/conversations/"+mine[0].ID+"/close", map[string]any{}, nil)
	if got := a.Admin.Conversation(strconv.Itoa(queued[0])); got.State != "assigned" || got.AssigneeID != ops[0].ID {
		t.Fatalf("oldest queued conversation %d: %s to %s after a close", queued[0], got.State, got.AssigneeID)
	}
}
