package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit/pgtest"
)

// natsURL is the NATS server the cluster tests join (LIVEDESK_TEST_NATS; default the
// machine's, on loopback).
func natsURL() string {
	if u := os.Getenv("LIVEDESK_TEST_NATS"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

// cluster is several livedesk nodes on one PostgreSQL database and one NATS.
type cluster struct {
	t     *testing.T
	db    string
	nodes []*app.App
	cfgs  []config.Config
}

// startCluster starts n nodes on a fresh database.
func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	db := pgtest.Database(t)
	c := &cluster{t: t, db: db}
	for range n {
		c.add(db)
	}
	return c
}

func (c *cluster) add(db string) *app.App {
	c.t.Helper()
	return c.addWith(db, nil)
}

// addWith starts a node whose configuration mod changes (nil: none).
func (c *cluster) addWith(db string, mod func(*config.Config)) *app.App {
	c.t.Helper()
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Data = c.t.TempDir()
	cfg.DB = db
	cfg.Bus = natsURL()
	cfg.BcryptCost = 4
	cfg.GapWait = 100 * time.Millisecond
	cfg.VisitorMessagesPerMinute, cfg.VisitorSessionsPerMinute = 100000, 100000
	if mod != nil {
		mod(&cfg)
	}
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		c.t.Fatalf("node %d: %v", len(c.nodes), err)
	}
	if err := a.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { stopNode(a) })
	c.nodes = append(c.nodes, a)
	c.cfgs = append(c.cfgs, cfg)
	return a
}

var stopped sync.Map

// stopNode shuts a node down once (a test may kill one before its cleanup).
func stopNode(a *app.App) {
	if _, done := stopped.LoadOrStore(a, true); done {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.Shutdown(ctx)
}

// call sends a JSON request to a node and decodes the answer into out.
func call(t *testing.T, base, method, path, token string, in, out any) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, body)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// frame is a WebSocket frame as the server sends it.
type frame struct {
	Type   string          `json:"type"`
	Cursor string          `json:"cursor"`
	Data   json.RawMessage `json:"data"`
}

// dialWS opens a WebSocket on a node with a token (and a cursor to resume from, "" for none)
// and returns the connection after its ready (or resync) frame.
func dialWS(t *testing.T, base, path, token, cursor string) (*websocket.Conn, frame) {
	t.Helper()
	u := "ws" + strings.TrimPrefix(base, "http") + path + "?token=" + token
	if cursor != "" {
		u += "&cursor=" + cursor
	}
	ws, res, err := websocket.DefaultDialer.Dial(u, nil)
	if res != nil {
		res.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	t.Cleanup(func() { ws.Close() })
	for {
		f := readFrame(t, ws)
		if f.Type == "ready" || f.Type == livedesk.EventResync {
			return ws, f
		}
	}
}

func readFrame(t *testing.T, ws *websocket.Conn) frame {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	var f frame
	if err := ws.ReadJSON(&f); err != nil {
		t.Fatalf("read frame: %v", err)
	}
	return f
}

// clusterPassword is the password of every operator the cluster tests create.
const clusterPassword = "cluster-password"

// team is an account for a cluster test: its admin, the operator Анна (limit 5) and a
// webchat contact point.
type team struct {
	acct  *livedesk.Account
	admin *livedesk.Operator
	op    *livedesk.Operator
	cp    *livedesk.ContactPoint
}

// newTeam creates a team through the nodes' desks: the account on the first, the operator
// on the second and the contact point on the third (cycling when there are fewer), so a
// team is written through several nodes.
func newTeam(t *testing.T, name string, nodes ...*app.App) *team {
	t.Helper()
	ctx := context.Background()
	on := func(i int) *desk.Desk { return nodes[i%len(nodes)].Desk }
	domain := strings.ToLower(name) + ".test"
	var tm team
	var err error
	if tm.acct, tm.admin, err = on(0).CreateAccount(ctx, name, desk.NewOperator{Name: "Админ", Email: "admin@" + domain, Password: clusterPassword}, 4); err != nil {
		t.Fatal(err)
	}
	if tm.op, err = on(1).CreateOperator(ctx, tm.acct.ID, desk.NewOperator{Name: "Анна", Email: "anna@" + domain, Password: clusterPassword,
		Role: livedesk.RoleOperator, Limit: 5}, 4); err != nil {
		t.Fatal(err)
	}
	if tm.cp, err = on(2).CreateContactPoint(ctx, tm.acct.ID, desk.NewContactPoint{Name: "Сайт", Channel: livedesk.ChannelWebchat}); err != nil {
		t.Fatal(err)
	}
	return &tm
}

// signIn logs the operator in on node, makes them available and returns their token.
func (tm *team) signIn(t *testing.T, node *app.App) string {
	t.Helper()
	var login struct{ Token string }
	call(t, node.URL(), "POST", "/api/v1/auth/login", "", map[string]string{"email": tm.op.Email, "password": clusterPassword}, &login)
	call(t, node.URL(), "PUT", "/api/v1/me/status", login.Token, map[string]string{"status": "available"}, nil)
	return login.Token
}

// TestClusterEveryNodeSeesEveryOther runs three nodes on one PostgreSQL and one NATS: an
// operator connected to node A receives, in order and once each, the messages of visitors
// writing through nodes B and C at the same time; typing crosses nodes; the operator, moved to
// node C with their cursor, misses nothing and gets nothing twice; an admin's role change on
// node B closes the operator's socket on node C.
func TestClusterEveryNodeSeesEveryOther(t *testing.T) {
	start := time.Now()
	c := startCluster(t, 3)
	ctx := context.Background()
	a, b, cc := c.nodes[0], c.nodes[1], c.nodes[2]
	tm := newTeam(t, "Cluster", a, b, cc)
	admin, op, cp := tm.admin, tm.op, tm.cp
	token := tm.signIn(t, a)
	wsA, _ := dialWS(t, a.URL(), "/api/v1/ws", token, "")
	t.Logf("%v: three nodes up, the operator connected to A", time.Since(start).Round(time.Millisecond))

	// Two visitors, one through B and one through C, each sending 25 messages at once.
	const each = 25
	type visitor struct {
		token string
		texts []string
	}
	visitors := make([]*visitor, 2)
	var wg sync.WaitGroup
	for i, node := range []*app.App{b, cc} {
		var s struct {
			VisitorToken string `json:"visitor_token"`
		}
		call(t, node.URL(), "POST", "/api/v1/widget/"+cp.Key+"/session", "", map[string]string{"name": fmt.Sprint("Гость ", i)}, &s)
		v := &visitor{token: s.VisitorToken}
		visitors[i] = v
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				text := fmt.Sprintf("visitor %d message %d", i, k)
				v.texts = append(v.texts, text)
				call(t, node.URL(), "POST", "/api/v1/widget/messages", v.token, map[string]string{"client_id": fmt.Sprintf("v%d-%d", i, k), "text": text}, nil)
			}
		}()
	}
	wg.Wait()

	// Node A delivers all 50 to the operator, cursors strictly increasing.
	seen := map[string]bool{}
	var last int64
	var cursor string
	for len(seen) < 2*each {
		f := readFrame(t, wsA)
		if f.Cursor != "" {
			var n int64
			fmt.Sscan(f.Cursor, &n)
			if n <= last {
				t.Fatalf("cursor %d after %d", n, last)
			}
			last, cursor = n, f.Cursor
		}
		if f.Type != livedesk.EventMessageCreated {
			continue
		}
		var p livedesk.MessagePayload
		json.Unmarshal(f.Data, &p)
		if seen[p.Message.Text] {
			t.Fatalf("%q delivered twice", p.Message.Text)
		}
		seen[p.Message.Text] = true
	}
	for _, v := range visitors {
		for _, text := range v.texts {
			if !seen[text] {
				t.Fatalf("%q never reached the operator", text)
			}
		}
	}

	t.Logf("%v: 50 messages through B and C reached A in order", time.Since(start).Round(time.Millisecond))
	// Typing of the visitor on C reaches the operator on A.
	wsV, _ := dialWS(t, cc.URL(), "/api/v1/widget/ws", visitors[1].token, "")
	if err := wsV.WriteJSON(map[string]any{"type": "typing"}); err != nil {
		t.Fatal(err)
	}
	for {
		if f := readFrame(t, wsA); f.Type == livedesk.EventTyping {
			break
		}
	}

	// More messages while the operator is away, then they resume on C from their cursor.
	wsA.Close()
	for k := range 5 {
		call(t, b.URL(), "POST", "/api/v1/widget/messages", visitors[0].token, map[string]string{"client_id": fmt.Sprint("late-", k), "text": fmt.Sprint("late ", k)}, nil)
	}
	u := "ws" + strings.TrimPrefix(cc.URL(), "http") + "/api/v1/ws?token=" + token + "&cursor=" + cursor
	wsC, res, err := websocket.DefaultDialer.Dial(u, nil)
	if res != nil {
		res.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	defer wsC.Close()
	late := map[string]bool{}
	for {
		f := readFrame(t, wsC)
		if f.Type == livedesk.EventResync {
			t.Fatal("resync instead of a replay")
		}
		if f.Type == livedesk.EventMessageCreated {
			var p livedesk.MessagePayload
			json.Unmarshal(f.Data, &p)
			if seen[p.Message.Text] || late[p.Message.Text] {
				t.Fatalf("%q replayed though the cursor had it", p.Message.Text)
			}
			late[p.Message.Text] = true
		}
		if f.Type == "ready" {
			break
		}
	}
	if len(late) != 5 {
		t.Fatalf("resumed on another node with %d of the 5 messages sent meanwhile", len(late))
	}

	t.Logf("%v: resumed on C", time.Since(start).Round(time.Millisecond))
	// The admin changes the operator's role on B: their socket on C closes.
	supervisor := livedesk.RoleSupervisor
	if _, err := b.Desk.UpdateOperator(ctx, admin, op.ID, desk.OperatorPatch{Role: &supervisor}); err != nil {
		t.Fatal(err)
	}
	wsC.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var f frame
		if err := wsC.ReadJSON(&f); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseTryAgainLater) {
				t.Fatalf("the socket on C ended with %v, want close 1013", err)
			}
			break
		}
	}
	t.Logf("%v: the socket on C closed", time.Since(start).Round(time.Millisecond))
}

// TestClusterOneLeaderTakenOver checks the cluster-wide jobs' leader: of three nodes exactly
// one leads; when its database session dies (PostgreSQL ends the session holding the lock,
// as when the node's network dies), the cluster has one leader again within seconds; when
// the leading node stops, another takes the lead within seconds.
func TestClusterOneLeaderTakenOver(t *testing.T) {
	c := startCluster(t, 3)
	ctx := context.Background()
	alive := map[*app.App]bool{c.nodes[0]: true, c.nodes[1]: true, c.nodes[2]: true}
	oneLeader := func(why string) *app.App {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			var leaders []*app.App
			for a := range alive {
				if a.Store.Lead(ctx) {
					leaders = append(leaders, a)
				}
			}
			if len(leaders) == 1 {
				return leaders[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d leaders of %d nodes", why, len(leaders), len(alive))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	oneLeader("at start")
	// The cluster's database only: other tests' servers hold the same lock in theirs.
	admin, err := sql.Open("pgx", c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	res, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objid = $1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, int64(7_415_162_002)&0xffffffff)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		t.Fatalf("terminated %d sessions holding the leader lock", k)
	}
	leader := oneLeader("after the leader's session died")
	stopNode(leader)
	delete(alive, leader)
	if next := oneLeader("after the leader stopped"); next == leader {
		t.Fatal("a stopped node leads")
	}
}

// TestClusterPresenceAcrossNodes: an operator with tabs on nodes A and B stays in their
// status when A stops (B's socket keeps them present, whichever node sweeps), and goes
// offline only after the grace period once no node holds a socket of theirs.
func TestClusterPresenceAcrossNodes(t *testing.T) {
	db := pgtest.Database(t)
	c := &cluster{t: t, db: db}
	for range 3 {
		c.addWith(db, func(cfg *config.Config) { cfg.StatusGrace, cfg.SweepInterval = 2*time.Second, 100*time.Millisecond })
	}
	ctx := context.Background()
	a, b, other := c.nodes[0], c.nodes[1], c.nodes[2]
	tm := newTeam(t, "Presence", a)
	acct, op := tm.acct, tm.op
	token := tm.signIn(t, a)
	dialWS(t, a.URL(), "/api/v1/ws", token, "")
	wsB, _ := dialWS(t, b.URL(), "/api/v1/ws", token, "")
	status := func() livedesk.Status {
		briefs, err := other.Desk.OperatorBriefs(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range briefs {
			if o.ID == op.ID {
				return o.Status
			}
		}
		t.Fatal("operator gone")
		return ""
	}
	stopNode(a)
	// Three grace periods with the socket on B alone: still available.
	for end := time.Now().Add(6 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if s := status(); s != livedesk.StatusAvailable {
			t.Fatalf("with a socket on B the operator became %s", s)
		}
	}
	wsB.Close()
	deadline := time.Now().Add(30 * time.Second)
	for status() != livedesk.StatusOffline {
		if time.Now().After(deadline) {
			t.Fatalf("no socket on any node for 30 s, still %s", status())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestClusterBusOutage: while NATS cannot be reached, every node keeps serving its own
// clients and writes commit; when it is back, the operator on the other node receives,
// in order and once each, what the visitor sent meanwhile (read from the event log).
func TestClusterBusOutage(t *testing.T) {
	u, err := url.Parse(natsURL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	db := pgtest.Database(t)
	c := &cluster{t: t, db: db}
	for range 2 {
		c.addWith(db, func(cfg *config.Config) { cfg.Bus = "nats://" + proxy.addr })
	}
	a, b := c.nodes[0], c.nodes[1]
	tm := newTeam(t, "Bus", a)
	cp := tm.cp
	wsA, _ := dialWS(t, a.URL(), "/api/v1/ws", tm.signIn(t, a), "")
	var s struct {
		VisitorToken string `json:"visitor_token"`
	}
	call(t, b.URL(), "POST", "/api/v1/widget/"+cp.Key+"/session", "", map[string]string{"name": "Гость"}, &s)
	call(t, b.URL(), "POST", "/api/v1/widget/messages", s.VisitorToken, map[string]string{"client_id": "m0", "text": "до"}, nil)
	waitText := func(want string) {
		t.Helper()
		for {
			f := readFrame(t, wsA)
			if f.Type != livedesk.EventMessageCreated {
				continue
			}
			var p livedesk.MessagePayload
			json.Unmarshal(f.Data, &p)
			if p.Message.Text != want {
				t.Fatalf("the operator got %q, want %q", p.Message.Text, want)
			}
			return
		}
	}
	waitText("до")

	proxy.Cut()
	for i := range 3 {
		call(t, b.URL(), "POST", "/api/v1/widget/messages", s.VisitorToken, map[string]string{"client_id": fmt.Sprint("m", i+1), "text": fmt.Sprint("без шины ", i)}, nil)
	}
	proxy.Restore()
	for i := range 3 {
		waitText(fmt.Sprint("без шины ", i))
	}
}

// TestClusterRateLimitsShared: failed logins from one address count on every node: after
// the limit is spent on node A, node B refuses that address too (once A's spends reached it
// over the bus), even a login with the right password.
func TestClusterRateLimitsShared(t *testing.T) {
	db := pgtest.Database(t)
	c := &cluster{t: t, db: db}
	for range 2 {
		c.addWith(db, func(cfg *config.Config) { cfg.LoginFailuresPerAddress = 3 })
	}
	a, b := c.nodes[0], c.nodes[1]
	tm := newTeam(t, "Limits", a)
	login := func(node *app.App, password string) int {
		t.Helper()
		res, err := http.Post(node.URL()+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"`+tm.op.Email+`","password":"`+password+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for range 3 {
		if code := login(a, "wrong-password"); code != http.StatusUnauthorized {
			t.Fatalf("a wrong password on A: %d", code)
		}
	}
	if code := login(a, clusterPassword); code != http.StatusTooManyRequests {
		t.Fatalf("A after the limit: %d, want 429", code)
	}
	// B learns A's spends over the bus; until then the right password still works there (and
	// spends nothing).
	deadline := time.Now().Add(15 * time.Second)
	for login(b, clusterPassword) != http.StatusTooManyRequests {
		if time.Now().After(deadline) {
			t.Fatal("node B never counted the failures spent on node A")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
