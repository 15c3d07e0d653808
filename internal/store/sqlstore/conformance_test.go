package sqlstore

import (
	"path/filepath"
	"testing"

	"livedesk/internal/livedesk"
	"livedesk/internal/store/storetest"
	"livedesk/internal/testkit/pgtest"
)

// TestConformance runs the data layer's conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (livedesk.Store, func() livedesk.Store) {
		path := filepath.Join(t.TempDir(), "livedesk.db")
		open := func() livedesk.Store {
			s, err := OpenSQLite(SQLiteOptions{Path: path, Synchronous: "NORMAL"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}

// TestConformancePostgres runs the suite on PostgreSQL: a database of its own per test,
// dropped after. LIVEDESK_TEST_POSTGRES is the server's URL (default: the machine's
// PostgreSQL on 127.0.0.1:5432, user postgres); "off" skips it.
func TestConformancePostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (livedesk.Store, func() livedesk.Store) {
		dsn := pgtest.Database(t)
		open := func() livedesk.Store {
			s, err := OpenPostgres(PostgresOptions{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}
