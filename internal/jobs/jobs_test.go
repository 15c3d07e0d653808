package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// TestRunDueIntervals: each job runs when its interval has passed since its last run, in
// registration order, and a failing job does not keep the others from running.
func TestRunDueIntervals(t *testing.T) {
	s := New(time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var order []string
	s.Every("fast", time.Second, func(context.Context) error { order = append(order, "fast"); return errors.New("boom") })
	s.Every("slow", 10*time.Second, func(context.Context) error { order = append(order, "slow"); return nil })
	start := time.Unix(1000, 0)
	for i := range 12 {
		s.runDue(context.Background(), start.Add(time.Duration(i)*time.Second))
	}
	fast, slow := 0, 0
	for _, o := range order {
		if o == "fast" {
			fast++
		} else {
			slow++
		}
	}
	if fast != 12 || slow != 2 || order[0] != "fast" || order[1] != "slow" {
		t.Fatalf("ran fast %d, slow %d times, order %v; want 12, 2, fast first", fast, slow, order[:2])
	}
}

// TestCloseWaitsForRunningJob: Close returns only after a running job ended, and the job's
// context is cancelled.
func TestCloseWaitsForRunningJob(t *testing.T) {
	s := New(time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	started, ended := make(chan struct{}), make(chan struct{})
	s.Every("long", time.Millisecond, func(ctx context.Context) error {
		select {
		case <-started:
		default:
			close(started)
			<-ctx.Done()
			close(ended)
		}
		return nil
	})
	s.Start()
	<-started
	s.Close()
	select {
	case <-ended:
	default:
		t.Fatal("Close returned while the job was still running")
	}
}
