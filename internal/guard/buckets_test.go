package guard

import (
	"testing"
	"time"
)

// TestBucketsShareAndApply: a node's spends and resets are told to the others, which apply
// them whatever their own buckets hold; applied spends are not told again.
func TestBucketsShareAndApply(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	a, b := NewBuckets(0), NewBuckets(0)
	var told []Spend
	a.Share(func(s Spend) { told = append(told, s) })
	b.Share(func(s Spend) { t.Errorf("an applied spend was told again: %+v", s) })
	for range 3 {
		if ok, _ := a.Take("login:127.0.0.1", 3, 3, now); !ok {
			t.Fatal("a token within the burst was refused")
		}
	}
	if ok, _ := a.Peek("login:127.0.0.1", 3, 3, now); ok || len(told) != 3 {
		t.Fatalf("after the burst: peek %v, told %d spends", ok, len(told))
	}
	// b had spent one of its own already: applying a's three leaves none, not less than none.
	b.spend("login:127.0.0.1", 1, 3, 3, now, take)
	for _, s := range told {
		b.Apply(s, now)
	}
	if ok, _ := b.Peek("login:127.0.0.1", 3, 3, now); ok {
		t.Fatal("b lets the address through after a spent the burst")
	}
	if ok, _ := b.Peek("login:127.0.0.1", 3, 3, now.Add(20*time.Second)); !ok {
		t.Fatal("b did not refill from zero: one token comes back after 20 s at 3 a minute")
	}
	a.Reset("login:127.0.0.1")
	if last := told[len(told)-1]; !last.Reset || last.Key != "login:127.0.0.1" {
		t.Fatalf("a reset was told as %+v", last)
	}
	b.Apply(told[len(told)-1], now)
	if ok, _ := b.Peek("login:127.0.0.1", 3, 3, now); !ok {
		t.Fatal("b kept the bucket a reset")
	}
}
