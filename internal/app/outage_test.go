package app_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit/pgtest"

	"github.com/gorilla/websocket"
)

// cutProxy forwards TCP connections from a loopback port to a server until Cut, which drops
// every connection and refuses new ones (as when the network to the database fails), and
// Restore, which listens on the same port again.
type cutProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	p := &cutProxy{t: t, target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// Cut drops every connection and stops listening.
func (p *cutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// Restore listens on the same address again.
func (p *cutProxy) Restore() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// TestDatabaseOutage: when PostgreSQL cannot be reached, a visitor's message is refused with
// 503 unavailable (nothing half-written), readiness turns false, and when the database is
// back the node serves again by itself: the next message is taken and reaches the operator,
// and the refused one was never stored.
func TestDatabaseOutage(t *testing.T) {
	direct := pgtest.Database(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.addr
	c := &cluster{t: t, db: u.String()}
	node := c.addWith(u.String(), func(cfg *config.Config) { cfg.Bus = "" })
	tm := newTeam(t, "Outage", node)
	cp := tm.cp
	token := tm.signIn(t, node)
	var s struct {
		VisitorToken string `json:"visitor_token"`
	}
	call(t, node.URL(), "POST", "/api/v1/widget/"+cp.Key+"/session", "", map[string]string{"name": "Гость"}, &s)
	call(t, node.URL(), "POST", "/api/v1/widget/messages", s.VisitorToken, map[string]string{"client_id": "before", "text": "до сбоя"}, nil)

	proxy.Cut()
	status, body := post(t, node.URL()+"/api/v1/widget/messages", s.VisitorToken, `{"client_id":"during","text":"во время сбоя"}`)
	if status != http.StatusServiceUnavailable || !containsCode(body, "unavailable") {
		t.Fatalf("a message while the database is unreachable: %d %s, want 503 unavailable", status, body)
	}
	if res, err := http.Get(node.URL() + "/readyz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readiness while the database is unreachable: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	proxy.Restore()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body = post(t, node.URL()+"/api/v1/widget/messages", s.VisitorToken, `{"client_id":"after","text":"после сбоя"}`)
		if status == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the database came back: %d %s", status, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The operator's replay from the start of the log holds the two messages taken.
	ws, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(node.URL(), "http")+"/api/v1/ws?cursor=0&token="+token, nil)
	if res != nil {
		res.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var texts []string
	for f := readFrame(t, ws); f.Type != "ready"; f = readFrame(t, ws) {
		if f.Type == livedesk.EventMessageCreated {
			texts = append(texts, string(f.Data))
		}
	}
	if len(texts) != 2 {
		t.Fatalf("the operator was replayed %d messages, want 2: %v", len(texts), texts)
	}
	for i, want := range []string{"до сбоя", "после сбоя"} {
		if !strings.Contains(texts[i], want) {
			t.Fatalf("message %d is %s, want %q (the refused one must not be stored)", i, texts[i], want)
		}
	}
}

func post(t *testing.T, u, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{Timeout: 30 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func containsCode(body, code string) bool {
	return strings.Contains(body, fmt.Sprintf(`"code":%q`, code))
}
