package realtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

// TestSequencerOrdersAndFillsGaps feeds an account's events out of order, one of them never
// (as when a node dies between its commit and its publication): the sequencer passes them on
// in id order, each once, reading the missing one from the log after the wait.
func TestSequencerOrdersAndFillsGaps(t *testing.T) {
	ev := func(id livedesk.ID) *livedesk.Event { return &livedesk.Event{ID: id, AccountID: 7, Type: "test"} }
	log := []*livedesk.Event{ev(1), ev(2), ev(3), ev(4), ev(5), ev(6)} // the event log
	var mu sync.Mutex
	var out []livedesk.ID
	done := make(chan struct{})
	s := &sequencer{accounts: map[livedesk.ID]*accountSeq{}, wait: 20 * time.Millisecond,
		fetch: func(_ context.Context, account, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
			var r []*livedesk.Event
			for _, e := range log {
				if e.AccountID == account && e.ID > after {
					r = append(r, e)
				}
			}
			return r, nil
		},
		out: func(evs []*livedesk.Event) {
			mu.Lock()
			defer mu.Unlock()
			for _, e := range evs {
				out = append(out, e.ID)
			}
			if len(out) == 5 {
				close(done)
			}
		}}
	s.ensure(7, 1)                                                 // the first connection replayed up to 1
	s.add([]*livedesk.Event{ev(3)})                                // 2 is late
	s.add([]*livedesk.Event{ev(2)})                                // now 2, 3
	s.add([]*livedesk.Event{ev(1)})                                // old: dropped
	s.add([]*livedesk.Event{ev(5), ev(6)})                         // 4 never comes: read from the log
	s.add([]*livedesk.Event{&livedesk.Event{ID: 9, AccountID: 8}}) // nobody follows account 8 here
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the gap was never filled")
	}
	mu.Lock()
	defer mu.Unlock()
	want := []livedesk.ID{2, 3, 4, 5, 6}
	for i := range want {
		if out[i] != want[i] {
			t.Fatalf("passed on %v, want %v", out, want)
		}
	}
}

// TestSequencerCatchUpReadsEveryPage: after a long bus outage more events than one page of
// the log wait, and nothing new comes to ask for the rest: the catch-up reads page after
// page until the stream is at the log's end.
func TestSequencerCatchUpReadsEveryPage(t *testing.T) {
	const missed = 2*fillPage + 500
	var mu sync.Mutex
	var out []livedesk.ID
	s := &sequencer{accounts: map[livedesk.ID]*accountSeq{}, wait: time.Hour, // no timer helps
		fetch: func(_ context.Context, account, after livedesk.ID, limit int) ([]*livedesk.Event, error) {
			var r []*livedesk.Event
			for id := after + 1; id <= missed && len(r) < limit; id++ {
				r = append(r, &livedesk.Event{ID: id, AccountID: account, Type: "test"})
			}
			return r, nil
		},
		out: func(evs []*livedesk.Event) {
			mu.Lock()
			defer mu.Unlock()
			for _, e := range evs {
				out = append(out, e.ID)
			}
		}}
	s.ensure(7, 0)
	s.catchUp()
	mu.Lock()
	defer mu.Unlock()
	if len(out) != missed {
		t.Fatalf("caught up %d of the %d events missed", len(out), missed)
	}
	for i, id := range out {
		if id != livedesk.ID(i+1) {
			t.Fatalf("event %d passed on as the %dth", id, i+1)
		}
	}
}
