package realtime

import (
	"context"
	"sync"
	"time"

	"livedesk/internal/livedesk"
)

// With several nodes, the events of one account reach a node from two sides: its own
// commits, at once, and the other nodes' commits, over the bus, a moment later. Connections
// must see them in id order (a client's cursor is the last id it saw, and it skips anything
// lower). On PostgreSQL an account's event ids are gap-free in commit order, so the
// sequencer can tell "not here yet" from "not for anyone": it passes each account's events on
// strictly in id order, holds an event whose predecessors have not arrived, and when they do
// not arrive within GapWait (a node died between its commit and its publication, or the bus
// dropped a message) it reads them from the event log.
type sequencer struct {
	mu       sync.Mutex
	accounts map[livedesk.ID]*accountSeq
	// fetch reads an account's events after the cursor, in order (the event log).
	fetch func(ctx context.Context, account, after livedesk.ID, limit int) ([]*livedesk.Event, error)
	// out fans a run of in-order events out to the connections; it is called with mu held,
	// so runs never overtake each other.
	out  func([]*livedesk.Event)
	wait time.Duration
	// gapsFilled counts the events read from the log because they did not arrive in time.
	gapsFilled func(n int)
}

// accountSeq is where one account's stream stands on this node.
type accountSeq struct {
	next  livedesk.ID // the id the connections get next
	held  map[livedesk.ID]*livedesk.Event
	timer *time.Timer
}

// ensure starts following an account from after its newest event, before its first
// connection on this node begins collecting live events (a later connection's replay covers
// whatever the stream has not reached yet).
func (s *sequencer) ensure(account, newest livedesk.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.accounts[account] == nil {
		s.accounts[account] = &accountSeq{next: newest + 1, held: map[livedesk.ID]*livedesk.Event{}}
	}
}

// add takes committed events from either side, in any order, and passes them on in order.
// Events of accounts nobody on this node follows have no one to go to and are dropped.
func (s *sequencer) add(events []*livedesk.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var run []*livedesk.Event
	for _, e := range events {
		a := s.accounts[e.AccountID]
		if a == nil || e.ID < a.next {
			continue // nobody follows the account here, or seen already
		}
		a.held[e.ID] = e
		run = s.advance(e.AccountID, a, run)
	}
	if len(run) > 0 {
		s.out(run)
	}
}

// advance moves an account's stream over the held events that follow it, appending them to
// run, and arms the gap timer when something is still held. s.mu is held.
func (s *sequencer) advance(account livedesk.ID, a *accountSeq, run []*livedesk.Event) []*livedesk.Event {
	for {
		e, ok := a.held[a.next]
		if !ok {
			break
		}
		delete(a.held, a.next)
		run = append(run, e)
		a.next++
	}
	switch {
	case len(a.held) == 0 && a.timer != nil:
		a.timer.Stop()
		a.timer = nil
	case len(a.held) > 0 && a.timer == nil:
		a.timer = time.AfterFunc(s.wait, func() { s.fill(account) })
	}
	return run
}

// catchUp reads from the log, for every account followed here, what came after the stream's
// place: after the bus was away, the other nodes' events of that time were never announced.
func (s *sequencer) catchUp() {
	s.mu.Lock()
	accounts := make([]livedesk.ID, 0, len(s.accounts))
	for id := range s.accounts {
		accounts = append(accounts, id)
	}
	s.mu.Unlock()
	for _, id := range accounts {
		s.fill(id)
	}
}

// fillPage is how many events fill reads from the log at once.
const fillPage = 1000

// fill reads from the log the events an account's stream still waits for (or, from
// catchUp, whatever follows its place), page after page while pages come full: after a long
// bus outage more than a page may wait, and no later event may come to ask for the rest.
func (s *sequencer) fill(account livedesk.ID) {
	for s.fillPage(account) {
	}
}

// fillPage reads one page for fill and reports whether it was full.
func (s *sequencer) fillPage(account livedesk.ID) (full bool) {
	s.mu.Lock()
	a := s.accounts[account]
	if a == nil {
		s.mu.Unlock()
		return false
	}
	a.timer = nil
	after := a.next - 1
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, err := s.fetch(ctx, account, after, fillPage)
	s.mu.Lock()
	if err != nil || len(events) == 0 {
		// Try again a little later: the log answers once the commit is visible.
		if a.timer == nil && len(a.held) > 0 {
			a.timer = time.AfterFunc(s.wait, func() { s.fill(account) })
		}
		s.mu.Unlock()
		return false
	}
	filled := 0
	for _, e := range events {
		if e.ID >= a.next {
			if _, ok := a.held[e.ID]; !ok {
				filled++
			}
			a.held[e.ID] = e
		}
	}
	// Passed on under the lock, like add does: runs never overtake each other.
	if run := s.advance(account, a, nil); len(run) > 0 {
		s.out(run)
	}
	s.mu.Unlock()
	if s.gapsFilled != nil && filled > 0 {
		s.gapsFilled(filled)
	}
	return len(events) == fillPage
}
