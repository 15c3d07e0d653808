package nginxtest_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"livedesk/internal/testkit/nginxtest"
	"livedesk/internal/testkit/proc"
)

// TestRender: the operators' file gets the test's addresses and nothing else changes; files
// of another shape are refused.
func TestRender(t *testing.T) {
	path, err := nginxtest.FindConf()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	out, err := nginxtest.Render(conf, "127.0.0.1:9999", []string{"127.0.0.1:1001", "127.0.0.1:1002"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"server 127.0.0.1:1001 max_fails=1 fail_timeout=10s;", "server 127.0.0.1:1002 max_fails=1 fail_timeout=10s;",
		"listen 127.0.0.1:9999;", "keepalive 32;", "proxy_read_timeout 75s;", "client_max_body_size 33m;"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered file lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "10.0.0.1") || strings.Contains(out, "listen 80;") {
		t.Errorf("the file's own addresses are left:\n%s", out)
	}
	// Outside the upstream and the listen line, not a byte changed.
	strip := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			f := strings.Fields(l)
			if len(f) > 0 && (f[0] == "server" && strings.Contains(l, ":") || f[0] == "listen") {
				continue
			}
			keep = append(keep, l)
		}
		return strings.Join(keep, "\n")
	}
	if strip(out) != strip(conf) {
		t.Errorf("rendering changed more than the addresses:\n%s", out)
	}
	for name, bad := range map[string]string{
		"no upstream":    "server { listen 80; }",
		"no server line": "upstream livedesk { keepalive 2; }\nserver {\n    listen 80;\n}",
		"two listens":    "upstream livedesk {\n    server a:1;\n}\nserver {\n    listen 80;\n    listen 81;\n}",
	} {
		if _, err := nginxtest.Render(bad, "127.0.0.1:1", []string{"b:2"}); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}

// TestDocumented: the configuration shown in docs/operations.md is the file's, comments and
// blank lines aside.
func TestDocumented(t *testing.T) {
	path, err := nginxtest.FindConf()
	if err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(filepath.Dir(path), "../../docs/operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(doc), "```nginx\n")
	block, _, closed := strings.Cut(block, "```")
	if !found || !closed {
		t.Fatal("docs/operations.md shows no nginx block")
	}
	directives := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				out = append(out, strings.Join(strings.Fields(l), " "))
			}
		}
		return out
	}
	if got, want := directives(block), directives(string(conf)); !slices.Equal(got, want) {
		t.Fatalf("docs/operations.md shows\n%s\nbut %s holds\n%s", strings.Join(got, "\n"), nginxtest.ConfFile, strings.Join(want, "\n"))
	}
}

// TestProxy runs nginx with the operators' file in front of two backends, one of them dead:
// every request reaches the live one (the dead one is skipped), the backend sees the
// client's own address last in X-Forwarded-For and the client's Host, a WebSocket upgrade
// goes through both ways, and a body over the limit is refused by nginx.
func TestProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx; skipped with -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	upgrader := websocket.Upgrader{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ws" {
			ws, err := upgrader.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer ws.Close()
			for {
				kind, msg, err := ws.ReadMessage()
				if err != nil {
					return
				}
				ws.WriteMessage(kind, append([]byte("echo "), msg...))
			}
		}
		io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Seen-XFF", r.Header.Get("X-Forwarded-For"))
		w.Header().Set("X-Seen-Host", r.Host)
		w.Write([]byte("ok"))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	dead := proc.Addr(proc.FreePort(t))
	px := nginxtest.Start(t, []string{dead, ln.Addr().String()})

	src := net.ParseIP("127.3.4.5")
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: src}}).DialContext}}
	for range 4 {
		req, _ := http.NewRequest("GET", px.URL+"/x", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9") // what the client claims stays left
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("through nginx: %d", res.StatusCode)
		}
		if xff := res.Header.Get("X-Seen-XFF"); xff != "203.0.113.9, 127.3.4.5" {
			t.Fatalf("the backend saw X-Forwarded-For %q", xff)
		}
		if host := res.Header.Get("X-Seen-Host"); host != strings.TrimPrefix(px.URL, "http://") {
			t.Fatalf("the backend saw Host %q", host)
		}
	}

	ws, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(px.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatalf("websocket through nginx: %v", err)
	}
	res.Body.Close()
	defer ws.Close()
	if err := ws.WriteMessage(websocket.TextMessage, []byte("привет")); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := ws.ReadMessage(); err != nil || string(msg) != "echo привет" {
		t.Fatalf("websocket answer %q %v", msg, err)
	}

	// 33 MiB + 1 byte announced: refused before a byte of it is read.
	req, _ := http.NewRequest("POST", px.URL+"/upload", io.LimitReader(zeros{}, 33<<20+1))
	req.ContentLength = 33<<20 + 1
	res, err = http.DefaultClient.Do(req)
	if err == nil {
		res.Body.Close()
	}
	if err != nil || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a body over client_max_body_size: %v %v", res, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
