// Package proc runs the programs of real-process tests — livedesk nodes, nginx, a private
// PostgreSQL or NATS server — as children of the test, each in a process group of its own,
// with their files in a directory of their own, and makes sure none outlives the test: they
// are killed at the test's cleanup, and should the test process itself die without cleaning
// up (killed, or a timeout's panic) a watchdog shell kills them a second later and removes
// the directory.
package proc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Dir is a directory for the files of a test's processes, removed when the test ends.
type Dir struct {
	// Path is the directory (mode 0755, so programs that drop privileges reach inside).
	Path string

	t        testing.TB
	watchdog *exec.Cmd
	mu       sync.Mutex
	kill     map[string]bool // what the watchdog kills: "-PGID" or "PID"
}

// NewDir makes a directory under $TMPDIR named prefix-…; it is removed at the test's
// cleanup, after every process started in it was killed.
func NewDir(t testing.TB, prefix string) *Dir {
	t.Helper()
	path, err := os.MkdirTemp("", prefix+"-")
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parents are 0700, and nginx's workers or a PostgreSQL run as
	// another user must reach inside.
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
	d := &Dir{Path: path, t: t, kill: map[string]bool{}}
	if d.watchdog, err = startWatchdog(path); err != nil {
		os.RemoveAll(path)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = d.watchdog.Process.Kill()
		_ = d.watchdog.Wait()
		_ = os.RemoveAll(path)
	})
	return d
}

// watchdogScript waits for the test process ($1) to end, then kills what $2/.kill lists
// and removes $2. At a normal cleanup the test kills the watchdog first.
const watchdogScript = `while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ -f "$2/.kill" ]; then while read -r p; do kill -9 "$p" 2>/dev/null; done < "$2/.kill"; fi
rm -rf "$2"`

func startWatchdog(path string) (*exec.Cmd, error) {
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "watchdog", strconv.Itoa(os.Getpid()), path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("proc: watchdog: %w", err)
	}
	return cmd, nil
}

// ProcessDir makes a directory under $TMPDIR named prefix-… that lives as long as the test
// process (a binary built once for every test of a package): a watchdog removes it once the
// process has ended.
func ProcessDir(prefix string) (string, error) {
	path, err := os.MkdirTemp("", prefix+"-")
	if err != nil {
		return "", err
	}
	if _, err := startWatchdog(path); err != nil {
		os.RemoveAll(path)
		return "", err
	}
	return path, nil
}

// mark adds (or, with on false, removes) an entry of the watchdog's list.
func (d *Dir) mark(entry string, on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if on {
		d.kill[entry] = true
	} else {
		delete(d.kill, entry)
	}
	lines := make([]string, 0, len(d.kill))
	for e := range d.kill {
		lines = append(lines, e+"\n")
	}
	sort.Strings(lines)
	tmp := filepath.Join(d.Path, ".kill.tmp")
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "")), 0o644); err == nil {
		_ = os.Rename(tmp, filepath.Join(d.Path, ".kill"))
	}
}

// Process is a running program.
type Process struct {
	// Name names the program in failures and in its log file (Dir.Path/Name.log).
	Name string

	cmd    *exec.Cmd
	dir    *Dir
	exited chan struct{}
	out    *output
	mu     sync.Mutex
	err    error // how it ended, once exited is closed
}

// Start starts cmd as a child in its own process group (so its own children end with it),
// its standard output and error kept (Output, WaitOutput) and written to Dir.Path/name.log.
// It is killed at the test's cleanup unless it ended before.
func (d *Dir) Start(name string, cmd *exec.Cmd) *Process {
	d.t.Helper()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	logFile, err := os.OpenFile(filepath.Join(d.Path, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		d.t.Fatal(err)
	}
	p := &Process{Name: name, cmd: cmd, dir: d, exited: make(chan struct{}), out: newOutput(logFile)}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		logFile.Close()
		d.t.Fatalf("proc: start %s: %v", name, err)
	}
	group := "-" + strconv.Itoa(cmd.Process.Pid)
	d.mark(group, true)
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		d.mark(group, false)
		logFile.Close()
		close(p.exited)
	}()
	d.t.Cleanup(p.Kill)
	return p
}

// KillAtExit has the watchdog kill pid too should the test process die (a daemon a child
// started, which left the child's process group).
func (d *Dir) KillAtExit(pid int) { d.mark(strconv.Itoa(pid), true) }

// Pid is the process id (and its process group's).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err is how the process ended (nil while it runs or after a clean exit).
func (p *Process) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Kill sends SIGKILL to the process's group and waits for the process to end.
func (p *Process) Kill() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.exited
}

// Signal sends sig to the process alone (not its group).
func (p *Process) Signal(sig syscall.Signal) { _ = p.cmd.Process.Signal(sig) }

// Stop sends sig and waits up to wait for the process to end, then kills its group. It
// reports whether the process ended by itself.
func (p *Process) Stop(sig syscall.Signal, wait time.Duration) bool {
	p.Signal(sig)
	select {
	case <-p.exited:
		return true
	case <-time.After(wait):
		p.Kill()
		return false
	}
}

// Output is everything the process wrote so far (its last 256 KiB).
func (p *Process) Output() string { return p.out.String() }

// WaitOutput waits until a line of the output matches re and returns the line's submatches;
// it fails when the process ends or d passes first.
func (p *Process) WaitOutput(re *regexp.Regexp, d time.Duration) ([]string, error) {
	deadline := time.After(d)
	for {
		changed := p.out.changed()
		for _, line := range strings.Split(p.out.String(), "\n") {
			if m := re.FindStringSubmatch(line); m != nil {
				return m, nil
			}
		}
		select {
		case <-changed:
		case <-p.exited:
			return nil, fmt.Errorf("%s exited (%v) before writing %q:\n%s", p.Name, p.Err(), re, p.Output())
		case <-deadline:
			return nil, fmt.Errorf("%s did not write %q within %s:\n%s", p.Name, re, d, p.Output())
		}
	}
}

// output keeps the tail of a process's output and tells waiters when it grows.
type output struct {
	mu     sync.Mutex
	buf    []byte
	file   *os.File
	notify chan struct{}
}

const outputTail = 256 << 10

func newOutput(f *os.File) *output { return &output{file: f, notify: make(chan struct{})} }

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.file.Write(b)
	o.buf = append(o.buf, b...)
	if len(o.buf) > outputTail {
		o.buf = append([]byte(nil), o.buf[len(o.buf)-outputTail:]...)
	}
	close(o.notify)
	o.notify = make(chan struct{})
	return len(b), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.buf)
}

// changed is closed at the next write.
func (o *output) changed() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.notify
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Addr is 127.0.0.1:port.
func Addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// WaitListening waits until addr accepts TCP connections; it fails when p ends or d passes
// first.
func (p *Process) WaitListening(addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited (%v) before listening on %s:\n%s", p.Name, p.Err(), addr, p.Output())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.Join(fmt.Errorf("%s is not listening on %s after %s:\n%s", p.Name, addr, d, p.Output()), err)
		}
	}
}
