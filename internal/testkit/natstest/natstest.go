// Package natstest runs a private NATS server (Debian's nats-server, with JetStream as the
// machine's) on a free loopback port for the tests that stop and restart it: the machine's
// NATS on 127.0.0.1:4222 is shared by every test running in parallel and must never be
// restarted by one.
package natstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"livedesk/internal/testkit/proc"
)

// Program is Debian's NATS server (package nats-server).
const Program = "/usr/sbin/nats-server"

// Server is a private nats-server.
type Server struct {
	// URL is nats://127.0.0.1:PORT; it stays the same across Stop and Start.
	URL string

	t    testing.TB
	dir  *proc.Dir
	port int
	p    *proc.Process
	runs int
}

// Start starts a NATS server for the test; it is killed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := os.Stat(Program); err != nil {
		t.Fatalf("natstest: %s not found: install nats-server (see .ci/run)", Program)
	}
	s := &Server{t: t, dir: proc.NewDir(t, "livedesk-nats"), port: proc.FreePort(t)}
	s.URL = "nats://" + proc.Addr(s.port)
	s.Start()
	return s
}

// Start starts the server again after Stop, on the same port (and JetStream directory).
func (s *Server) Start() {
	s.t.Helper()
	if s.p != nil {
		select {
		case <-s.p.Exited():
		default:
			s.t.Fatal("natstest: the server is running")
		}
	}
	s.runs++
	cmd := exec.Command(Program, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-js", "-sd", filepath.Join(s.dir.Path, "jetstream"))
	s.p = s.dir.Start("nats-server-"+strconv.Itoa(s.runs), cmd)
	if err := s.p.WaitListening(proc.Addr(s.port), 20*time.Second); err != nil {
		s.t.Fatalf("natstest: %v", err)
	}
}

// Stop ends the server as a crash would (SIGKILL): its clients lose their connections at
// once.
func (s *Server) Stop() {
	s.p.Kill()
}

// Restart stops the server, keeps it down for down, and starts it again on the same port.
func (s *Server) Restart(down time.Duration) {
	s.t.Helper()
	s.Stop()
	time.Sleep(down)
	s.Start()
}
