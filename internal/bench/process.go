package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is a process started by bench: livedesk serve or the echo server.
type child struct {
	name   string
	cmd    *exec.Cmd
	stderr *tailBuffer
	done   chan error
}

// tailBuffer keeps the last bytes written to it, for error reports.
type tailBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > 8192 {
		t.b = append(t.b[:0], t.b[len(t.b)-8192:]...)
	}
	return len(p), nil
}

// String is what the buffer holds, trimmed.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// startChild starts this executable with args.
func startChild(name string, args ...string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	c := &child{name: name, cmd: exec.Command(exe, args...), stderr: &tailBuffer{}, done: make(chan error, 1)}
	c.cmd.Stderr = c.stderr
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	return c, nil
}

// pid is the child's process id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// stop asks the child to shut down and waits for it, killing it after a grace period.
func (c *child) stop(log *slog.Logger) {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
		log.Warn("child did not stop; killing it", "child", c.name, "pid", c.pid())
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// exited reports the child's exit as an error with its last log lines.
func (c *child) exited() error {
	select {
	case err := <-c.done:
		c.done <- err
		return fmt.Errorf("%s exited (%v): %s", c.name, err, c.stderr.String())
	default:
		return nil
	}
}

// waitHTTP polls url until it answers 200, the child exits or the timeout passes.
func (c *child) waitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		if err := c.exited(); err != nil {
			return err
		}
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer %s within %s", c.name, url, timeout)
}

// livedeskChild is a livedesk server started for the run, with its account.
type livedeskChild struct {
	*child
	url, dir, email, password string
}

const (
	benchAdminEmail    = "admin@bench.test"
	benchAdminPassword = "bench-password"
)

// startLivedesk creates an account in a fresh data directory and serves it.
func startLivedesk(ctx context.Context, opts Options, log *slog.Logger) (*livedeskChild, error) {
	dir, err := os.MkdirTemp("", "livedesk-bench-")
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(actx, exe, "account", "create", "--data", dir, "--bcrypt-cost", "4",
		"--sqlite-synchronous", opts.Synchronous, "--name", "Bench",
		"--admin-email", benchAdminEmail, "--admin-password", benchAdminPassword).Output()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("account create: %w", exitDetail(err))
	}
	var acct struct {
		AccountID string `json:"account_id"`
	}
	if err := json.Unmarshal(out, &acct); err != nil || acct.AccountID == "" {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("account create printed %q", out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	// Visitors' sockets come from addresses of their own (dialAs), but their requests share
	// one connection pool and each sends several messages a second, a rate no person
	// reaches: the per-address visitor rates are lifted for the run.
	args := []string{"serve", "--data", dir, "--listen", addr, "--bcrypt-cost", "4", "--log-level", "warn",
		"--sqlite-synchronous", opts.Synchronous,
		"--visitor-sessions-per-minute", "100000000", "--visitor-messages-per-minute", "100000000"}
	if opts.SendQueue > 0 {
		args = append(args, "--send-queue", strconv.Itoa(opts.SendQueue))
	}
	c, err := startChild("livedesk serve", args...)
	if err != nil {
		return nil, err
	}
	lc := &livedeskChild{child: c, url: "http://" + addr, dir: dir, email: benchAdminEmail, password: benchAdminPassword}
	if err := c.waitHTTP(ctx, lc.url+"/readyz", 30*time.Second); err != nil {
		lc.stop(log, opts.Keep)
		return nil, err
	}
	log.Debug("livedesk started", "url", lc.url, "pid", c.pid(), "data", dir, "account", acct.AccountID)
	return lc, nil
}

// stop stops the server and removes its data unless keep.
func (l *livedeskChild) stop(log *slog.Logger, keep bool) {
	l.child.stop(log)
	if tail := l.child.stderr.String(); tail != "" {
		log.Debug("livedesk log tail", "log", tail)
	}
	if keep {
		log.Info("data kept", "dir", l.dir)
		return
	}
	os.RemoveAll(l.dir)
}

func exitDetail(err error) error {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
	}
	return err
}

// startEchoServer starts `livedesk bench echo-server` on a free port.
func startEchoServer(ctx context.Context, log *slog.Logger) (*child, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	c, err := startChild("echo server", "bench", "echo-server", "--listen", addr)
	if err != nil {
		return nil, "", err
	}
	if err := c.waitHTTP(ctx, "http://"+addr+"/healthz", 15*time.Second); err != nil {
		c.stop(log)
		return nil, "", err
	}
	return c, "ws://" + addr + "/", nil
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
