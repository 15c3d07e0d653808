package guard

import (
	"math"
	"sync"
	"time"
)

// Buckets are token buckets by key: each key may spend up to burst tokens at once, and
// tokens come back at perMinute a minute. A bucket that has filled up again is forgotten
// (the sweep runs at most once a minute), so memory follows the keys active in the last
// minutes, never the whole history. When more than MaxKeys keys are active, new keys share
// one overflow bucket instead of growing the map without bound.
type Buckets struct {
	mu        sync.Mutex
	m         map[string]*bucket
	overflow  bucket
	lastSweep time.Time
	maxKeys   int
	// share is told of every token spent and every reset, for the other nodes (nil: one node).
	share func(Spend)
}

// Spend is a change of one bucket that the other nodes of a cluster apply to theirs, so a
// limit counts what a client spent on every node.
type Spend struct {
	Key       string  `json:"key"`
	N         float64 `json:"n,omitempty"`
	PerMinute int     `json:"per_minute,omitempty"`
	Burst     int     `json:"burst,omitempty"`
	// Reset: the bucket is full again (a successful login forgets its failures).
	Reset bool `json:"reset,omitempty"`
}

// Share sets the function told of every token spent and every reset (the bus, which sends
// them to the other nodes). Set it before use.
func (b *Buckets) Share(fn func(Spend)) { b.share = fn }

// Apply applies another node's spend or reset: the tokens are spent whether or not they are
// there (down to none), and nobody is told again.
func (b *Buckets) Apply(s Spend, now time.Time) {
	if s.Reset {
		b.mu.Lock()
		delete(b.m, s.Key)
		b.mu.Unlock()
		return
	}
	b.spend(s.Key, s.N, s.PerMinute, s.Burst, now, force)
}

// mode is what spend does with the tokens.
type mode int

const (
	peek  mode = iota // look only
	take              // spend them if they are there
	force             // spend what is there, down to none (another node let the client through)
)

type bucket struct {
	tokens float64
	at     time.Time
	rate   float64 // tokens per second
	burst  float64
}

// DefaultMaxKeys bounds the keys a Buckets holds before new keys share one bucket.
const DefaultMaxKeys = 1 << 20

// NewBuckets returns empty buckets holding at most maxKeys keys (0: DefaultMaxKeys).
func NewBuckets(maxKeys int) *Buckets {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Buckets{m: map[string]*bucket{}, maxKeys: maxKeys}
}

// Take spends one token of key's bucket, which allows perMinute a minute and at most burst at
// once. It reports whether the token was there and, if not, how long until one is.
// perMinute ≤ 0 means no limit.
func (b *Buckets) Take(key string, perMinute, burst int, now time.Time) (ok bool, retryAfter time.Duration) {
	return b.TakeN(key, 1, perMinute, burst, now)
}

// TakeN spends n tokens at once (see Take).
func (b *Buckets) TakeN(key string, n float64, perMinute, burst int, now time.Time) (ok bool, retryAfter time.Duration) {
	return b.take(key, n, perMinute, burst, now, true)
}

// Peek reports what Take would, without spending: for limits that count failures only
// (checked before the attempt, spent when it fails).
func (b *Buckets) Peek(key string, perMinute, burst int, now time.Time) (ok bool, retryAfter time.Duration) {
	return b.take(key, 1, perMinute, burst, now, false)
}

func (b *Buckets) take(key string, n float64, perMinute, burst int, now time.Time, spend bool) (ok bool, retryAfter time.Duration) {
	m := peek
	if spend {
		m = take
	}
	ok, retryAfter = b.spend(key, n, perMinute, burst, now, m)
	if ok && spend && perMinute > 0 && b.share != nil {
		b.share(Spend{Key: key, N: n, PerMinute: perMinute, Burst: burst})
	}
	return ok, retryAfter
}

// spend is the work of take and Apply, under the lock.
func (b *Buckets) spend(key string, n float64, perMinute, burst int, now time.Time, m mode) (ok bool, retryAfter time.Duration) {
	if perMinute <= 0 {
		return true, 0
	}
	if burst <= 0 {
		burst = perMinute
	}
	rate, cap := float64(perMinute)/60, float64(burst)
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) >= time.Minute {
		b.sweep(now)
	}
	k := b.m[key]
	if k == nil {
		if len(b.m) >= b.maxKeys {
			k = &b.overflow
		} else {
			k = &bucket{tokens: cap, at: now}
			b.m[key] = k
		}
	}
	k.rate, k.burst = rate, cap
	if dt := now.Sub(k.at).Seconds(); dt > 0 {
		k.tokens = math.Min(cap, k.tokens+dt*rate)
	}
	k.at = now
	if k.tokens >= n {
		if m != peek {
			k.tokens -= n
		}
		return true, 0
	}
	if m == force {
		k.tokens = 0
		return true, 0
	}
	wait := time.Duration((n - k.tokens) / rate * float64(time.Second))
	if wait < time.Second {
		wait = time.Second
	}
	return false, wait.Round(time.Second)
}

// Reset forgets key (its bucket is full again).
func (b *Buckets) Reset(key string) {
	b.mu.Lock()
	delete(b.m, key)
	b.mu.Unlock()
	if b.share != nil {
		b.share(Spend{Key: key, Reset: true})
	}
}

// Len is the number of keys held.
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

// sweep forgets buckets that are full again by now.
func (b *Buckets) sweep(now time.Time) {
	b.lastSweep = now
	for key, k := range b.m {
		if k.tokens+now.Sub(k.at).Seconds()*k.rate >= k.burst {
			delete(b.m, key)
		}
	}
}
