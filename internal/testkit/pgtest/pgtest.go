// Package pgtest gives a test a PostgreSQL database of its own on the machine's server,
// dropped when the test ends (Database), or a whole private server it may stop and start
// (StartPrivate). It imports nothing of livedesk but testkit/proc, so the store's own
// tests can use it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// ServerEnv names the variable holding the PostgreSQL server's URL for tests; "off" skips
// the tests that need it.
const ServerEnv = "LIVEDESK_TEST_POSTGRES"

// DefaultServer is the machine's PostgreSQL on loopback (trust authentication).
const DefaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Server returns the server's URL, skipping the test when ServerEnv is "off".
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(ServerEnv)
	if dsn == "off" {
		t.Skip(ServerEnv + "=off")
	}
	if dsn == "" {
		dsn = DefaultServer
	}
	return dsn
}

// Database creates an empty database for the test and returns its URL; the database is
// dropped (with any connections left) when the test ends. A server that does not answer
// fails the test: `.ci/run` starts PostgreSQL, and a test that cannot reach it must not pass.
func Database(t testing.TB) string {
	t.Helper()
	server := Server(t)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at %s does not answer (start it, or set %s=off): %v", server, ServerEnv, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "livedesk_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
