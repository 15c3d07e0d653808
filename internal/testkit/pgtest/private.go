package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"livedesk/internal/testkit/proc"
)

// binDir is where Debian keeps the programs of its newest PostgreSQL
// (/usr/lib/postgresql/VERSION/bin, package postgresql-VERSION), "" when there is none.
func binDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestVersion := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if _, statErr := os.Stat(filepath.Join(d, "initdb")); err == nil && statErr == nil && v > bestVersion {
			best, bestVersion = d, v
		}
	}
	return best
}

// Private is a PostgreSQL server of the test's own (initdb in a temporary directory, the
// server on a free loopback port), for the tests that stop and restart it: the machine's
// server is shared by every test running in parallel and must never be restarted by one.
// It runs as the postgres OS user when the test runs as root (initdb refuses root).
type Private struct {
	// URL is the database livedesk for the user postgres (trust authentication), the same
	// across Stop and Start.
	URL string

	t    testing.TB
	bin  string
	dir  *proc.Dir
	data string
	port int
	cred *syscall.Credential
	p    *proc.Process
	runs int
}

// StartPrivate initialises a cluster and starts its server with a database livedesk; the
// server is killed and its files removed when the test ends.
func StartPrivate(t testing.TB) *Private {
	t.Helper()
	bin := binDir()
	if bin == "" {
		t.Fatal("pgtest: no /usr/lib/postgresql/VERSION/bin/initdb: install postgresql (see .ci/run)")
	}
	s := &Private{t: t, bin: bin, dir: proc.NewDir(t, "livedesk-pg"), port: proc.FreePort(t)}
	s.data = filepath.Join(s.dir.Path, "data")
	if err := os.Mkdir(s.data, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("pgtest: running as root, and there is no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(s.data, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	initdb := s.command("initdb", "-D", s.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	s.URL = fmt.Sprintf("postgres://postgres@%s/livedesk?sslmode=disable", proc.Addr(s.port))
	s.Start()
	admin, err := sql.Open("pgx", fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", proc.Addr(s.port)))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE livedesk`); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return s
}

// command is a PostgreSQL program run as the server's user.
func (s *Private) command(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, prog), args...)
	cmd.Dir = s.dir.Path
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

// Start starts the server (again, after Stop) on the same port and data, and waits until
// it takes connections (after crash recovery, when it was killed).
func (s *Private) Start() {
	s.t.Helper()
	if s.p != nil {
		select {
		case <-s.p.Exited():
		default:
			s.t.Fatal("pgtest: the server is running")
		}
	}
	s.runs++
	// In the foreground, a child of the test: no unix socket, loopback only, the log on
	// standard error.
	s.p = s.dir.Start("postgres-"+strconv.Itoa(s.runs), s.command("postgres", "-D", s.data, "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"))
	if err := s.p.WaitListening(proc.Addr(s.port), 30*time.Second); err != nil {
		s.t.Fatalf("pgtest: %v", err)
	}
	db, err := sql.Open("pgx", fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", proc.Addr(s.port)))
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := db.PingContext(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("pgtest: the server does not take connections: %v\n%s", err, s.p.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills the server and every backend (SIGKILL to the process group), as a crash of
// the machine's database would: connections drop at once, the next Start recovers from
// the write-ahead log.
func (s *Private) Stop() { s.p.Kill() }
