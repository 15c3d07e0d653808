package pgtest_test

import (
	"context"
	"database/sql"
	"testing"

	"livedesk/internal/testkit/pgtest"
)

// TestPrivateSurvivesCrash: a row committed before the private server is killed is there
// after it starts again on the same URL, and a connection of the old pool that died with
// the server is replaced.
func TestPrivateSurvivesCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server; skipped with -short")
	}
	s := pgtest.StartPrivate(t)
	db, err := sql.Open("pgx", s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE kept (n INT); INSERT INTO kept VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := db.PingContext(ctx); err == nil {
		t.Fatal("the server answers after Stop")
	}
	s.Start()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT n FROM kept`).Scan(&n); err != nil || n != 42 {
		t.Fatalf("after the restart: %d, %v", n, err)
	}
}
