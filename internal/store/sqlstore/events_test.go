package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stepClock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func openTest(t *testing.T, clock livedesk.Clock) *Store {
	t.Helper()
	s, err := OpenSQLite(SQLiteOptions{Path: filepath.Join(t.TempDir(), "livedesk.db"), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// emitAt stores n events, one write each, at the clock's time t.
func emitAt(t *testing.T, s *Store, clock *stepClock, at time.Time, n int) {
	t.Helper()
	clock.set(at)
	for range n {
		err := s.Write(context.Background(), func(tx livedesk.Tx) error {
			return tx.Emit(&livedesk.Event{AccountID: 1, Type: "test", AllOperators: true, Payload: []byte(`{}`)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestPruneEventsDeletesOldInBoundedChunksAndKeepsTheNewest(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	clock := &stepClock{}
	s := openTest(t, clock)
	ctx := context.Background()
	emitAt(t, s, clock, t0, 7)                   // ids 1..7: old
	emitAt(t, s, clock, t0.Add(48*time.Hour), 3) // ids 8..10: recent

	prune := func(before time.Time, keep, limit int) int64 {
		t.Helper()
		var n int64
		err := s.Write(ctx, func(tx livedesk.Tx) (err error) {
			n, err = tx.PruneEvents(before.UnixMilli(), keep, limit)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	bounds := func() (livedesk.ID, livedesk.ID) {
		t.Helper()
		lo, hi, err := s.EventBounds(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		return lo, hi
	}
	if lo, hi := bounds(); lo != 1 || hi != 10 {
		t.Fatalf("bounds %d..%d, want 1..10", lo, hi)
	}
	cut := t0.Add(24 * time.Hour)
	if n := prune(cut, 0, 3); n != 3 {
		t.Fatalf("first chunk deleted %d, want 3", n)
	}
	if n := prune(cut, 0, 3); n != 3 {
		t.Fatalf("second chunk deleted %d, want 3", n)
	}
	if n := prune(cut, 0, 3); n != 1 {
		t.Fatalf("last chunk deleted %d, want 1", n)
	}
	if n := prune(cut, 0, 3); n != 0 {
		t.Fatalf("nothing old is left, deleted %d", n)
	}
	if lo, hi := bounds(); lo != 8 || hi != 10 {
		t.Fatalf("bounds %d..%d, want 8..10", lo, hi)
	}
	// Everything is old now, but the newest two are kept.
	if n := prune(t0.Add(100*time.Hour), 2, 100); n != 1 {
		t.Fatalf("deleted %d, want 1 (keeping 2 of 3)", n)
	}
	if lo, hi := bounds(); lo != 9 || hi != 10 {
		t.Fatalf("bounds %d..%d, want 9..10", lo, hi)
	}
	if n := prune(t0.Add(100*time.Hour), 0, 100); n != 2 {
		t.Fatalf("deleted %d, want 2", n)
	}
	// An empty log resumes after the last id ever given.
	if lo, hi := bounds(); lo != 11 || hi != 10 {
		t.Fatalf("empty log bounds %d..%d, want 11..10", lo, hi)
	}
	if n := prune(t0.Add(100*time.Hour), 0, 100); n != 0 {
		t.Fatalf("empty log deleted %d", n)
	}
}

// TestHotQueriesUseIndexes guards the queries that run per message, per connection, per
// list page or over a report's range against plans that scan a whole table (events alone grows by millions a day).
func TestHotQueriesUseIndexes(t *testing.T) {
	s := openTest(t, livedesk.SystemClock{})
	queries := map[string]string{
		"event bounds":       `SELECT (SELECT MIN(id) FROM events WHERE account_id = 1), (SELECT MAX(id) FROM events WHERE account_id = 1)`,
		"visitor events":     `SELECT id FROM events WHERE visitor_id = 1 AND id > 0 AND visitor_payload IS NOT NULL ORDER BY id LIMIT 10`,
		"operator events":    `SELECT id FROM events WHERE id > 5 AND account_id = 1 AND (all_operators = 1 OR operator_id = 2) ORDER BY id LIMIT 10`,
		"prune cut":          `SELECT id FROM events WHERE created_at >= 5 ORDER BY id LIMIT 1`,
		"report created":     `SELECT created_at, first_reply_at FROM conversations WHERE account_id = 1 AND created_at >= 0 AND created_at < 5`,
		"report closed":      `SELECT closed_at, category_id FROM conversations WHERE account_id = 1 AND closed_at >= 0 AND closed_at < 5`,
		"closed of account":  `SELECT c.id FROM conversations c WHERE c.account_id = 1 AND c.state = 'closed' AND c.closed_at IS NOT NULL ORDER BY c.closed_at DESC, c.id DESC LIMIT 50`,
		"closed of operator": `SELECT c.id FROM conversations c WHERE c.assignee_id = 2 AND c.account_id = 1 AND c.state = 'closed' AND c.closed_at IS NOT NULL ORDER BY c.closed_at DESC, c.id DESC LIMIT 50`,
		"prune delete":       `DELETE FROM events WHERE id < MIN(10, (SELECT MIN(id) FROM events) + 5)`,
	}
	for name, q := range queries {
		rows, err := s.read.Query(`EXPLAIN QUERY PLAN ` + q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			// "SCAN events" without an index or a rowid range is a full table scan; the prune
			// cut is meant to walk in rowid order and stop at the first young event.
			full := strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, " USING ") && step != "SCAN CONSTANT ROW"
			if strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s sorts in memory: %q\n%s", name, step, strings.Join(plan, "\n"))
			}
			if full && name != "prune cut" {
				t.Errorf("%s scans a table: %q\n%s", name, step, strings.Join(plan, "\n"))
			}
		}
	}
}

func TestContactPointCacheSeesCommittedChanges(t *testing.T) {
	s := openTest(t, livedesk.SystemClock{})
	ctx := context.Background()
	cp := &livedesk.ContactPoint{Name: "Сайт", Channel: livedesk.ChannelWebchat, Key: "k1"}
	err := s.Write(ctx, func(tx livedesk.Tx) error {
		if _, err := tx.CreateAccount("A", livedesk.Settings{}); err != nil {
			return err
		}
		if _, err := tx.CreateAccount("B", livedesk.Settings{}); err != nil {
			return err
		}
		cp.AccountID = 1
		return tx.CreateContactPoint(cp)
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(account livedesk.ID) (*livedesk.ContactPoint, error) { return s.ContactPoint(ctx, account, cp.ID) }
	if got, err := read(1); err != nil || got.Name != "Сайт" {
		t.Fatalf("first read: %+v, %v", got, err)
	}
	// Cached now; another account's id still answers not_found.
	if _, err := read(2); !livedesk.IsCode(err, livedesk.CodeNotFound) {
		t.Fatalf("other account: %v, want not_found", err)
	}
	// A failed write changes nothing; a committed one is seen by the next read.
	_ = s.Write(ctx, func(tx livedesk.Tx) error {
		cp2 := *cp
		cp2.Name = "откат"
		if err := tx.UpdateContactPoint(&cp2); err != nil {
			return err
		}
		return livedesk.Errorf(livedesk.CodeInvalidInput, "roll back")
	})
	if got, _ := read(1); got.Name != "Сайт" {
		t.Fatalf("after a rolled back update: %q", got.Name)
	}
	cp.Name = "Магазин"
	if err := s.Write(ctx, func(tx livedesk.Tx) error { return tx.UpdateContactPoint(cp) }); err != nil {
		t.Fatal(err)
	}
	if got, _ := read(1); got.Name != "Магазин" {
		t.Fatalf("after update: %q, want Магазин", got.Name)
	}
	// Callers get their own copy.
	got, _ := read(1)
	got.Name = "испорчено"
	if again, _ := read(1); again.Name != "Магазин" {
		t.Fatalf("a caller's change leaked into the cache: %q", again.Name)
	}
}
