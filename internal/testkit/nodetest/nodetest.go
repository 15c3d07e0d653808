// Package nodetest runs livedesk nodes as real processes for tests: the binary is built
// once per test process, and each node is `livedesk serve` on a free loopback port with the
// scale-out flags (--db, --bus, --files, --secret-key) its cluster shares. A node can be
// killed (SIGKILL, nothing of it runs on), stopped (SIGTERM) and started again on its port.
package nodetest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"livedesk/internal/testkit/proc"
)

// MetricsToken is the --metrics-token of every node: a test reads a node's /metrics with it.
const MetricsToken = "node-test-metrics"

var built struct {
	once sync.Once
	path string
	err  error
}

// Binary is the livedesk binary, built (go build ./cmd/livedesk) at the first call of the
// test process and removed once the process has ended.
func Binary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := proc.ProcessDir("livedesk-bin")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "livedesk")
		if out, err := exec.Command("go", "build", "-o", built.path, "livedesk/cmd/livedesk").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// Options are a node's flags beyond the ones every test node gets (--listen on loopback,
// --bcrypt-cost 4, --trusted-proxies 127.0.0.1, no dictionaries, the metrics token).
type Options struct {
	// DB is --db (empty: SQLite in the node's data directory); Bus is --bus.
	DB, Bus string
	// Files is --files (empty: the node's data directory); SecretKey is --secret-key.
	Files, SecretKey string
	// Args are more flags.
	Args []string
}

// Node is a running `livedesk serve`.
type Node struct {
	// Name names the node in failures and logs ("A", "B" …).
	Name string
	// URL is http://127.0.0.1:PORT; Addr is 127.0.0.1:PORT. Both stay across Restart.
	URL, Addr string

	t    testing.TB
	dir  *proc.Dir
	bin  string
	args []string
	p    *proc.Process
	runs int
}

var listening = regexp.MustCompile(`msg="livedesk listening" url=http://(\S+)`)

// Start starts a node; it is killed when the test ends (its log's tail printed if the test
// failed).
func Start(t testing.TB, name string, o Options) *Node {
	t.Helper()
	n := &Node{Name: name, t: t, bin: Binary(t), dir: proc.NewDir(t, "livedesk-node-"+name)}
	n.args = []string{"serve", "--data", filepath.Join(n.dir.Path, "data"), "--bcrypt-cost", "4",
		"--trusted-proxies", "127.0.0.1", "--dictionaries", filepath.Join(n.dir.Path, "no-dictionaries"),
		"--metrics-token", MetricsToken, "--log-format", "text"}
	for flag, v := range map[string]string{"--db": o.DB, "--bus": o.Bus, "--files": o.Files, "--secret-key": o.SecretKey} {
		if v != "" {
			n.args = append(n.args, flag, v)
		}
	}
	n.args = append(n.args, o.Args...)
	n.start("127.0.0.1:0")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("node %s, its errors:\n%s\nthe end of its log:\n%s", n.Name, errorLines(n.p.Output(), 20), tail(n.p.Output(), 30))
		}
	})
	return n
}

func (n *Node) start(listen string) {
	n.t.Helper()
	n.runs++
	cmd := exec.Command(n.bin, append(append([]string(nil), n.args...), "--listen", listen)...)
	n.p = n.dir.Start(fmt.Sprintf("livedesk-%s-%d", n.Name, n.runs), cmd)
	m, err := n.p.WaitOutput(listening, 60*time.Second)
	if err != nil {
		n.t.Fatalf("node %s: %v", n.Name, err)
	}
	n.Addr, n.URL = m[1], "http://"+m[1]
}

// Kill ends the node with SIGKILL: no shutdown, its sockets and database sessions drop.
func (n *Node) Kill() { n.p.Kill() }

// Stop ends the node with SIGTERM (a clean shutdown) and waits for it.
func (n *Node) Stop() {
	if !n.p.Stop(syscall.SIGTERM, 30*time.Second) {
		n.t.Errorf("node %s did not stop within 30 s of SIGTERM", n.Name)
	}
}

// Restart starts the node again, on the same port, after Kill or Stop.
func (n *Node) Restart() {
	n.t.Helper()
	select {
	case <-n.p.Exited():
	default:
		n.t.Fatalf("node %s is running", n.Name)
	}
	n.start(n.Addr)
}

// Output is what the node wrote to its log since its last start.
func (n *Node) Output() string { return n.p.Output() }

// Cluster is several nodes sharing one database, bus, files directory and secret key.
type Cluster struct {
	t     testing.TB
	Nodes []*Node
	// Options are the shared flags every node got.
	Options Options
}

// StartCluster starts n nodes (named A, B, C …) on db and bus with a files directory and a
// secret key of the test's own; args are more flags for every node.
func StartCluster(t testing.TB, n int, db, bus string, args ...string) *Cluster {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	files := proc.NewDir(t, "livedesk-files")
	o := Options{DB: db, Bus: bus, Files: files.Path, SecretKey: base64.StdEncoding.EncodeToString(key), Args: args}
	c := &Cluster{t: t, Options: o}
	// One at a time: the first applies the migrations, the others find them done.
	for range n {
		c.Add()
	}
	return c
}

// Add starts one more node (named by the next letter) with the cluster's options.
func (c *Cluster) Add() *Node {
	c.t.Helper()
	n := Start(c.t, string(rune('A'+len(c.Nodes))), c.Options)
	c.Nodes = append(c.Nodes, n)
	return n
}

// Addrs are the nodes' host:port, for a load balancer.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr
	}
	return out
}

// CreateAccount runs `livedesk account create` on the database and returns the account's
// id.
func CreateAccount(t testing.TB, db, name, adminEmail, adminPassword string) string {
	t.Helper()
	out, err := exec.Command(Binary(t), "account", "create", "--db", db, "--bcrypt-cost", "4", "--name", name,
		"--admin-email", adminEmail, "--admin-password", adminPassword).Output()
	if err != nil {
		t.Fatalf("account create: %v", err)
	}
	var acct struct {
		AccountID string `json:"account_id"`
	}
	if json.Unmarshal(out, &acct) != nil || acct.AccountID == "" {
		t.Fatalf("account create printed %q", out)
	}
	return acct.AccountID
}

// Metric reads a metric's value from the node's /metrics (-1 when it is not there).
func (n *Node) Metric(name string) float64 {
	n.t.Helper()
	body, err := get(n.URL+"/metrics", MetricsToken)
	if err != nil {
		n.t.Fatalf("node %s /metrics: %v", n.Name, err)
	}
	for _, line := range strings.Split(body, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == name {
			v, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// errorLines are the first level=ERROR lines of a log.
func errorLines(s string, most int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "level=ERROR") && len(out) < most {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

func get(url, token string) (string, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return "", fmt.Errorf("%d %s", res.StatusCode, b)
	}
	return string(b), err
}
