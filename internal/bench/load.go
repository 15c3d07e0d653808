package bench

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Messages carry their own identity and send time in client_id: "ld<phase>-<seq>-<ns>",
// where ns is the time the message was due, in nanoseconds since the recorder's start on
// the monotonic clock. The receiver needs no shared table to compute the latency.
const (
	phaseWarmup  = 'w'
	phaseMeasure = 'm'
)

const clientIDKey = `"client_id":"ld`

// messageBody is the JSON body of a visitor message (and of an echo frame).
func messageBody(phase byte, seq int64, due time.Duration, text string) []byte {
	b := make([]byte, 0, len(text)+64)
	b = append(b, `{"client_id":"ld`...)
	b = append(b, phase, '-')
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(due), 10)
	b = append(b, `","text":"`...)
	b = append(b, text...)
	return append(b, `"}`...)
}

// parseClientID finds a bench client_id in a frame.
func parseClientID(frame []byte) (phase byte, seq int64, due time.Duration, ok bool) {
	i := bytes.Index(frame, []byte(clientIDKey))
	if i < 0 {
		return 0, 0, 0, false
	}
	rest := frame[i+len(clientIDKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 3 {
		return 0, 0, 0, false
	}
	id := string(rest[:end])
	phase = id[0]
	parts := strings.Split(id[2:], "-")
	if id[1] != '-' || len(parts) != 2 {
		return 0, 0, 0, false
	}
	s, err1 := strconv.ParseInt(parts[0], 10, 64)
	ns, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, 0, false
	}
	return phase, s, time.Duration(ns), true
}

// filler is message text of n bytes.
func filler(n int) string {
	const word = "hello from the load generator "
	return strings.Repeat(word, n/len(word)+1)[:n]
}

// recorder collects delivery latencies of one run.
type recorder struct {
	start time.Time

	mu      sync.Mutex
	lat     []time.Duration // measured deliveries
	seen    map[int64]struct{}
	dups    int64
	warmups map[int64]struct{}

	ackMu  sync.Mutex
	ackLat []time.Duration
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), seen: map[int64]struct{}{}, warmups: map[int64]struct{}{}}
}

// now is the time since the start on the monotonic clock.
func (r *recorder) now() time.Duration { return time.Since(r.start) }

// observe records a received frame if it carries a bench message; it returns the
// message's sequence number and whether it did.
func (r *recorder) observe(frame []byte) (int64, bool) {
	at := r.now()
	phase, seq, due, ok := parseClientID(frame)
	if !ok {
		return 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch phase {
	case phaseWarmup:
		r.warmups[seq] = struct{}{}
	case phaseMeasure:
		if _, dup := r.seen[seq]; dup {
			r.dups++
			return seq, true
		}
		r.seen[seq] = struct{}{}
		r.lat = append(r.lat, at-due)
	}
	return seq, true
}

// ack records the time a send took to be acknowledged.
func (r *recorder) ack(d time.Duration) {
	r.ackMu.Lock()
	r.ackLat = append(r.ackLat, d)
	r.ackMu.Unlock()
}

func (r *recorder) warmupsSeen() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.warmups)
}

func (r *recorder) delivered() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.seen))
}

// waitDelivered waits until n measured messages arrived or the timeout passes.
func (r *recorder) waitDelivered(ctx context.Context, n int64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for r.delivered() < n && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

// sendFunc sends message seq, due at due, from sender worker; it returns when the
// message is acknowledged (livedesk: stored; echo: written, or echoed in closed loop).
type sendFunc func(ctx context.Context, worker int, seq int64, due time.Duration) error

// driveStats is what the driver saw.
type driveStats struct {
	Sent     int64
	Errors   int64
	Elapsed  time.Duration
	MaxLag   time.Duration // how late the sender picked up a due message at worst
	FirstErr string
}

// drive sends messages at rate (0: closed loop, as fast as the workers go) for d.
func drive(ctx context.Context, rec *recorder, rate float64, d time.Duration, workers int, send sendFunc) driveStats {
	var st driveStats
	var errs, sent atomic.Int64
	var maxLag atomic.Int64
	var firstErr sync.Once
	run := func(w int, seq int64, due time.Duration) {
		storeMax(&maxLag, int64(rec.now()-due))
		if err := send(ctx, w, seq, due); err != nil {
			errs.Add(1)
			firstErr.Do(func() { st.FirstErr = err.Error() })
			return
		}
		sent.Add(1)
	}
	begin := rec.now()
	if rate > 0 {
		paced(ctx, rec.start.Add(begin), begin, rate, d, workers, run)
	} else {
		closedLoop(ctx, rec, begin, d, workers, run)
	}
	st.Elapsed = rec.now() - begin
	st.Sent, st.Errors, st.MaxLag = sent.Load(), errs.Load(), time.Duration(maxLag.Load())
	return st
}

type job struct {
	seq int64
	due time.Duration
}

// paced schedules message i at begin + i/rate and hands it to a free worker; a message
// waiting for a worker keeps its due time, so client-side queueing counts as latency.
func paced(ctx context.Context, start time.Time, begin time.Duration, rate float64, d time.Duration, workers int, run func(int, int64, time.Duration)) {
	total := int64(rate * d.Seconds())
	jobs := make(chan job, 1<<16)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				run(w, j.seq, j.due)
			}
		}()
	}
	at := func(i int64) time.Duration { return time.Duration(float64(i) / rate * float64(time.Second)) }
	timer := time.NewTimer(0)
	defer timer.Stop()
	var next int64
	for next < total && ctx.Err() == nil {
		now := time.Since(start)
		for ; next < total && at(next) <= now; next++ {
			jobs <- job{seq: next, due: begin + at(next)}
		}
		timer.Reset(at(next) - time.Since(start))
		select {
		case <-timer.C:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
}

// closedLoop has every worker send back to back until d has passed.
func closedLoop(ctx context.Context, rec *recorder, begin, d time.Duration, workers int, run func(int, int64, time.Duration)) {
	var seq atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				now := rec.now()
				if now-begin >= d {
					return
				}
				run(w, seq.Add(1)-1, now)
			}
		}()
	}
	wg.Wait()
}

// Latency is a latency distribution in milliseconds.
type Latency struct {
	Count int64   `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p999_ms"`
	Max   float64 `json:"max_ms"`
}

func summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	q := func(p float64) float64 { return ms(s[min(len(s)-1, int(p*float64(len(s))))]) }
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Latency{Count: int64(len(s)), Mean: ms(sum / time.Duration(len(s))), P50: q(0.50), P90: q(0.90),
		P99: q(0.99), P999: q(0.999), Max: ms(s[len(s)-1])}
}

// storeMax raises v to n if n is larger.
func storeMax(v *atomic.Int64, n int64) {
	for {
		old := v.Load()
		if n <= old || v.CompareAndSwap(old, n) {
			return
		}
	}
}
