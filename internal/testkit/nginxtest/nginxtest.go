// Package nginxtest runs Debian's nginx in front of livedesk nodes for tests, with the
// configuration operators are given: deploy/nginx/livedesk.conf, of which only the
// addresses change (the nodes' in the upstream, a free loopback port to listen on). nginx
// runs in the foreground (daemon off) as a child of the test, its pid file, logs and
// temporary files in a directory of its own; nothing of /etc/nginx is read.
package nginxtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"livedesk/internal/testkit/proc"
)

// Program is Debian's nginx (package nginx-light or nginx).
const Program = "/usr/sbin/nginx"

// ConfFile is the operators' configuration, relative to the module's root.
const ConfFile = "deploy/nginx/livedesk.conf"

// Proxy is a running nginx.
type Proxy struct {
	// URL is http://127.0.0.1:PORT, the address clients use.
	URL string
	// Dir holds nginx.conf, livedesk.conf (rendered), error.log and access.log.
	Dir string
}

// Start runs nginx listening on a free loopback port and proxying to backends (host:port
// of each node) with the operators' configuration; it is stopped when the test ends.
func Start(t testing.TB, backends []string) *Proxy {
	t.Helper()
	if _, err := os.Stat(Program); err != nil {
		t.Fatalf("nginxtest: %s not found: install nginx-light (see .ci/run)", Program)
	}
	path, err := FindConf()
	if err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	port := proc.FreePort(t)
	site, err := Render(string(conf), proc.Addr(port), backends)
	if err != nil {
		t.Fatalf("nginxtest: %s: %v", path, err)
	}
	dir := proc.NewDir(t, "livedesk-nginx")
	if err := os.WriteFile(filepath.Join(dir.Path, "livedesk.conf"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir.Path, "temp"), 0o755); err != nil {
		t.Fatal(err)
	}
	main := mainConf(dir.Path, os.Geteuid() == 0)
	if err := os.WriteFile(filepath.Join(dir.Path, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Program, "-p", dir.Path+"/", "-c", filepath.Join(dir.Path, "nginx.conf"),
		"-e", filepath.Join(dir.Path, "error.log"), "-g", "daemon off;")
	p := dir.Start("nginx", cmd)
	if err := p.WaitListening(proc.Addr(port), 20*time.Second); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir.Path, "error.log"))
		t.Fatalf("nginxtest: %v\n%s", err, log)
	}
	px := &Proxy{URL: "http://" + proc.Addr(port), Dir: dir.Path}
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir.Path, "error.log"))
			t.Logf("nginx error.log:\n%s", tail(string(log), 40))
		}
	})
	return px
}

// mainConf is the nginx.conf around the operators' file: what a distribution's nginx.conf
// holds (the worker, its connections, logs), with every path in dir.
func mainConf(dir string, root bool) string {
	var b strings.Builder
	if root {
		// The workers drop root as on a real host; nginx makes the temporary directories
		// theirs.
		b.WriteString("user nobody nogroup;\n")
	}
	fmt.Fprintf(&b, `worker_processes 1;
worker_rlimit_nofile 16384;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events {
    worker_connections 8192;
}
http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/temp/body;
    proxy_temp_path %[1]s/temp/proxy;
    fastcgi_temp_path %[1]s/temp/fastcgi;
    uwsgi_temp_path %[1]s/temp/uwsgi;
    scgi_temp_path %[1]s/temp/scgi;
    include %[1]s/livedesk.conf;
}
`, dir)
	return b.String()
}

var (
	upstreamRe = regexp.MustCompile(`(?s)upstream\s+livedesk\s*\{.*?\}`)
	serverRe   = regexp.MustCompile(`(?m)^([ \t]*)server[ \t]+(\S+)([^;]*);[ \t]*\n`)
	listenRe   = regexp.MustCompile(`(?m)^([ \t]*)listen[ \t]+[^;]+;`)
)

// Render puts the test's addresses into the operators' configuration: the upstream
// livedesk gets one server line per backend (with the parameters of the file's first one)
// and the server listens on listen. Nothing else changes; a file of another shape (no
// upstream livedesk, no server line in it, not exactly one listen) is an error.
func Render(conf, listen string, backends []string) (string, error) {
	if len(backends) == 0 {
		return "", errors.New("no backends")
	}
	up := upstreamRe.FindStringIndex(conf)
	if up == nil {
		return "", errors.New("no upstream livedesk block")
	}
	block := conf[up[0]:up[1]]
	lines := serverRe.FindAllStringSubmatchIndex(block, -1)
	if len(lines) == 0 {
		return "", errors.New("no server line in the upstream")
	}
	first := serverRe.FindStringSubmatch(block[lines[0][0]:lines[0][1]])
	var servers strings.Builder
	for _, b := range backends {
		fmt.Fprintf(&servers, "%sserver %s%s;\n", first[1], b, first[3])
	}
	// The server lines are replaced where the first stood; the others are dropped.
	var nb strings.Builder
	last := 0
	for i, l := range lines {
		nb.WriteString(block[last:l[0]])
		if i == 0 {
			nb.WriteString(servers.String())
		}
		last = l[1]
	}
	nb.WriteString(block[last:])
	out := conf[:up[0]] + nb.String() + conf[up[1]:]
	if n := len(listenRe.FindAllStringIndex(out, -1)); n != 1 {
		return "", fmt.Errorf("%d listen lines, want one", n)
	}
	return listenRe.ReplaceAllString(out, "${1}listen "+listen+";"), nil
}

// FindConf finds ConfFile in the module the test runs in (walking up to go.mod).
func FindConf() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ConfFile), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("nginxtest: no go.mod above the test's directory to find %s in", ConfFile)
		}
		dir = parent
	}
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}
