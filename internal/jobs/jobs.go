// Package jobs runs livedesk's periodic jobs (transfer expiry, presence, file retention,
// event pruning, pings) on one scheduler: each job at its own interval, one at a time, never
// two runs of the same job at once.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Scheduler runs registered jobs on one ticker goroutine.
type Scheduler struct {
	tick time.Duration
	log  *slog.Logger
	jobs []*job
	// Lead reports whether this node runs the cluster-wide jobs now (taking the lead when
	// nobody holds it); nil: it always does (one node). Set before Start.
	Lead    func(context.Context) bool
	leading bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type job struct {
	name  string
	every time.Duration
	run   func(context.Context) error
	last  time.Time
	// once: a cluster-wide job, run only on the node that leads (see Lead).
	once bool
}

// New returns a scheduler that looks at its jobs every tick (the finest interval a job can
// have).
func New(tick time.Duration, log *slog.Logger) *Scheduler {
	return &Scheduler{tick: tick, log: log}
}

// Every registers a job run every interval (at least a tick); a job's error is logged with
// its name. Register before Start.
func (s *Scheduler) Every(name string, interval time.Duration, run func(context.Context) error) {
	s.jobs = append(s.jobs, &job{name: name, every: interval, run: run})
}

// Once registers a cluster-wide job: with several nodes, only the one that leads runs it.
func (s *Scheduler) Once(name string, interval time.Duration, run func(context.Context) error) {
	s.jobs = append(s.jobs, &job{name: name, every: interval, run: run, once: true})
}

// Start runs the jobs in the background until Close.
func (s *Scheduler) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.tick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				s.runDue(ctx, now)
			}
		}
	}()
}

// runDue runs, in registration order, every job whose interval has passed.
func (s *Scheduler) runDue(ctx context.Context, now time.Time) {
	lead := true
	if s.Lead != nil {
		lead = s.Lead(ctx)
		if lead != s.leading {
			s.log.Info("cluster-wide jobs", "leading", lead)
			s.leading = lead
		}
	}
	for _, j := range s.jobs {
		if ctx.Err() != nil {
			return
		}
		if now.Sub(j.last) < j.every || (j.once && !lead) {
			continue
		}
		j.last = now
		if err := j.run(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("periodic job failed", "job", j.name, "err", err)
		}
	}
}

// Close stops the scheduler and waits for a job that is running to end.
func (s *Scheduler) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}
