package sqlite

import (
	"path/filepath"
	"testing"

	"livedesk/internal/livedesk"
	"livedesk/internal/store/storetest"
)

// TestConformance runs the data layer's conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (livedesk.Store, func() livedesk.Store) {
		path := filepath.Join(t.TempDir(), "livedesk.db")
		open := func() livedesk.Store {
			s, err := Open(Options{Path: path, Synchronous: "NORMAL"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}
