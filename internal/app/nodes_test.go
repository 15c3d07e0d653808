package app_test

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/nginxtest"
	"livedesk/internal/testkit/nodetest"
	"livedesk/internal/testkit/pgtest"
)

// The node tests run livedesk as real processes: three `livedesk serve` nodes on one
// PostgreSQL database and one NATS, behind Debian's nginx with the configuration operators
// are given (deploy/nginx/livedesk.conf). Every client talks to nginx unless a test needs a
// given node. They are skipped with -short, and in the second pass of `make test`
// (LIVEDESK_TEST_STORE=postgres), whose only difference — PostgreSQL — they always have.

// skipNodeTests skips the node tests when they do not belong to this run.
func skipNodeTests(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("the node tests build and run livedesk, nginx and servers; skipped with -short")
	}
	if os.Getenv(testkit.StoreEnv) == "postgres" {
		t.Skip("the node tests run on PostgreSQL in the first pass already")
	}
}

// deployment is a cluster of nodes behind nginx with an account on it.
type deployment struct {
	t  *testing.T
	db string
	*nodetest.Cluster
	// Proxy is nginx in front of every node; env is the account's environment through it.
	Proxy *nginxtest.Proxy
	env   *testkit.Env
	acct  *testkit.Account
	key   string
}

// deploy starts n nodes on db and bus (args: more flags for every node), nginx in front of
// them, and an account (created with `livedesk account create`) with a webchat contact point.
func deploy(t *testing.T, n int, db, bus string, args ...string) *deployment {
	t.Helper()
	return deployWith(t, setup{nodes: n, db: db, bus: bus, args: args})
}

// setup is what deployWith starts.
type setup struct {
	nodes   int
	db, bus string
	// leaderA starts node A alone until it holds the cluster-wide jobs' lock, then the others.
	leaderA bool
	args    []string
}

// deployWith starts a deployment as set up.
func deployWith(t *testing.T, s setup) *deployment {
	t.Helper()
	nodetest.Binary(t)
	start := time.Now()
	first := s.nodes
	if s.leaderA {
		first = 1
	}
	c := nodetest.StartCluster(t, first, s.db, s.bus, s.args...)
	if s.leaderA {
		waitLeader(t, s.db)
		for len(c.Nodes) < s.nodes {
			c.Add()
		}
	}
	px := nginxtest.Start(t, c.Addrs())
	d := &deployment{t: t, db: s.db, Cluster: c, Proxy: px, env: &testkit.Env{T: t, URL: px.URL}}
	d.acct = d.account("Nodes")
	_, d.key = d.acct.ContactPoint("webchat")
	t.Logf("%d nodes and nginx up in %v", s.nodes, time.Since(start).Round(time.Millisecond))
	return d
}

// leaderLocks counts the sessions holding the cluster-wide jobs' lock in db's database.
func leaderLocks(t *testing.T, db string) int {
	t.Helper()
	conn, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		int64(7_415_162_002)&0xffffffff).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitLeader waits until a node holds the cluster-wide jobs' lock.
func waitLeader(t *testing.T, db string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for leaderLocks(t, db) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("no node took the lead of the cluster-wide jobs within 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// account creates another account on the deployment and logs its admin in through nginx.
func (d *deployment) account(name string) *testkit.Account {
	d.t.Helper()
	email := strings.ToLower(name) + "-admin@nodes.test"
	id := nodetest.CreateAccount(d.t, d.db, name, email, "password1")
	return &testkit.Account{Env: d.env, ID: id, Admin: d.env.Login(email, "password1")}
}

// on is the client c talking to node directly instead of through nginx.
func on(node *nodetest.Node, c *testkit.Client) *testkit.Client {
	cc := *c
	cc.Base = node.URL
	return &cc
}

// parallel runs f(0) … f(n-1) on workers goroutines and fails the test with the first
// error (f must not call t.Fatal: it runs on other goroutines).
func parallel(t *testing.T, n, workers int, f func(i int) error) {
	t.Helper()
	next := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					errs <- fmt.Errorf("%d: %w", i, err)
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// tryOperator creates an operator with the limit through the admin, logs them in and
// returns their client (off the test's goroutine: errors, not failures).
func tryOperator(a *testkit.Account, name string, limit int) (*testkit.Client, error) {
	ctx := a.Admin.T.Context()
	email := testkit.Unique("op") + "@nodes.test"
	r, err := a.Admin.TryDo(ctx, "POST", "/api/v1/admin/operators", map[string]any{"name": name, "email": email,
		"password": "password1", "role": "operator", "limit": limit})
	if err != nil || r.Status != 201 {
		return nil, fmt.Errorf("create operator: %v %d %s", err, r.Status, r.Body)
	}
	c := &testkit.Client{T: a.Admin.T, Base: a.Admin.Base, Email: email}
	r, err = c.TryDo(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "password1"})
	if err != nil || r.Status != 200 {
		return nil, fmt.Errorf("login: %v %d %s", err, r.Status, r.Body)
	}
	var out struct {
		Token    string `json:"token"`
		Operator struct {
			ID string `json:"id"`
		} `json:"operator"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		return nil, err
	}
	c.Token, c.ID = out.Token, out.Operator.ID
	return c, nil
}

// trySetStatus sets an operator's status (off the test's goroutine).
func trySetStatus(c *testkit.Client, status string) error {
	r, err := c.TryDo(c.T.Context(), "PUT", "/api/v1/me/status", map[string]string{"status": status})
	if err != nil || r.Status != 200 {
		return fmt.Errorf("status %s: %v %d %s", status, err, r.Status, r.Body)
	}
	return nil
}

// tryVisitor starts a visitor session at the contact point key from a loopback address of
// the visitor's own (off the test's goroutine).
func tryVisitor(e *testkit.Env, key, name string) (*testkit.Client, error) {
	c := &testkit.Client{T: e.T, Base: e.URL, Source: testkit.NextSource()}
	r, err := c.TryDo(e.T.Context(), "POST", "/api/v1/widget/"+key+"/session", map[string]any{"name": name})
	if err != nil || r.Status != 201 && r.Status != 200 {
		return nil, fmt.Errorf("visitor session: %v %d %s", err, r.Status, r.Body)
	}
	var out struct {
		Token   string `json:"visitor_token"`
		Visitor struct {
			ID string `json:"id"`
		} `json:"visitor"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		return nil, err
	}
	c.Token, c.ID = out.Token, out.Visitor.ID
	return c, nil
}

// listed is a conversation of the list as these tests look at it.
type listed struct {
	ID         string    `json:"id"`
	State      string    `json:"state"`
	AssigneeID string    `json:"assignee_id"`
	QueuedAt   time.Time `json:"queued_at"`
}

// listAll reads every conversation of the list in the states, page by page.
func listAll(c *testkit.Client, states ...string) []listed {
	c.T.Helper()
	var all []listed
	for _, state := range states {
		cursor := ""
		for {
			var page struct {
				Items      []listed `json:"items"`
				NextCursor *string  `json:"next_cursor"`
			}
			c.Must("GET", "/api/v1/conversations?state="+state+"&limit=200&cursor="+cursor, nil, &page)
			all = append(all, page.Items...)
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
	}
	return all
}

// opBrief is operator.status's operator.
type opBrief struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	OpenCount int    `json:"open_count"`
	Limit     int    `json:"limit"`
}

// TestNodesRoutingStorm: three nodes behind nginx, 100 operators with a limit of 3 whose
// sockets nginx spreads over the nodes, and 1,000 visitors (each from an address of its own,
// which the nodes see only through nginx's X-Forwarded-For: the default limit of 60 visitor
// sessions a minute per address would refuse them otherwise) writing their first message at
// once. Exactly 300 conversations are assigned and 700 queued. Arrival is the order of the
// conversations in the account's event log — commit order, the order the routing decisions
// were taken in (each holds the account's drain lock until its commit): the first 300
// arrivals are the assigned ones, the queue serves the rest oldest first, and no operator
// holds more than 3 at any moment of any operator's stream. Then, on a second account,
// node-to-node paths: a visitor writing through node C reaches an operator connected to
// node A in order, a transfer offered on A is accepted on B, and two accepts racing on two
// nodes for the receiver's last place get it once.
func TestNodesRoutingStorm(t *testing.T) {
	skipNodeTests(t)
	t.Parallel()
	d := deploy(t, 3, pgtest.Database(t), natsURL())
	const operators, limit, visitors = 100, 3, 1000
	began := time.Now()
	phase := func(what string) { t.Logf("%v: %s", time.Since(began).Round(time.Millisecond), what) }

	// The operators: each connected (through nginx, round robin over the nodes) before they
	// become available, so their streams hold every assignment.
	ops := make([]*testkit.Client, operators)
	streams := make([]*testkit.WS, operators)
	parallel(t, operators, 16, func(i int) error {
		c, err := tryOperator(d.acct, fmt.Sprint("Оператор ", i), limit)
		if err != nil {
			return err
		}
		w, r, _, err := c.TryWS(false, "")
		if err != nil {
			return fmt.Errorf("socket: %v %d %s", err, r.Status, r.Body)
		}
		ops[i], streams[i] = c, w
		return nil
	})
	for _, w := range streams {
		w.Ready()
	}
	parallel(t, operators, 16, func(i int) error { return trySetStatus(ops[i], "available") })
	spread := map[string]float64{}
	for _, n := range d.Nodes {
		spread[n.Name] = n.Metric("livedesk_ws_connections")
		if spread[n.Name] < 1 {
			t.Fatalf("node %s holds no operator socket (%v): nginx did not spread them", n.Name, spread)
		}
	}
	phase(fmt.Sprintf("100 operators available, their sockets per node: %v", spread))

	vs := make([]*testkit.Client, visitors)
	parallel(t, visitors, 32, func(i int) error {
		var err error
		vs[i], err = tryVisitor(d.env, d.key, fmt.Sprint("Гость ", i))
		return err
	})

	// The storm: every visitor's first message at once.
	convOf := make([]string, visitors)
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, visitors)
	for i, v := range vs {
		wg.Go(func() {
			<-start
			r, err := v.TryDo(t.Context(), "POST", "/api/v1/widget/messages", map[string]string{"client_id": "first", "text": "Здравствуйте"})
			if err != nil || r.Status != 201 {
				errs <- fmt.Errorf("visitor %d: %v %d %s", i, err, r.Status, r.Body)
				return
			}
			var m testkit.Message
			if err := json.Unmarshal(r.Body, &m); err != nil {
				errs <- err
				return
			}
			convOf[i] = m.ConversationID
		})
	}
	phase("1,000 visitor sessions")
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	phase("1,000 first messages acknowledged")

	// Arrival: the account's event log from its start (through nginx, whichever node), in
	// cursor order; a conversation arrives with its first event (conversation.assigned or
	// conversation.queued, written in the transaction that created it).
	adminWS := d.acct.Admin.WS(false, "0")
	arrived := map[string]int{}
	var arrival []string
	firstState := map[string]string{}
	for {
		f := adminWS.Next(20 * time.Second)
		if f.Type == "ready" {
			break
		}
		if f.Type == livedesk.EventResync {
			t.Fatal("the admin's replay from the log's start was answered with resync")
		}
		if f.Type != livedesk.EventConversationAssigned && f.Type != livedesk.EventConversationQueued {
			continue
		}
		id := f.Event(t).Conversation.ID
		if _, seen := arrived[id]; !seen {
			arrived[id] = len(arrival)
			arrival = append(arrival, id)
			firstState[id] = f.Type
		}
	}
	if len(arrival) != visitors {
		t.Fatalf("the log holds %d conversations, want %d", len(arrival), visitors)
	}
	for i, conv := range convOf {
		if _, ok := arrived[conv]; !ok {
			t.Fatalf("visitor %d's conversation %s is not in the log", i, conv)
		}
	}

	phase("the log replayed")
	// The state now: exactly 300 assigned, nobody above the limit, 700 queued.
	assignee := map[string]string{}
	var queued []listed
	for _, c := range listAll(d.acct.Admin, "open", "queued") {
		switch c.State {
		case "assigned":
			assignee[c.ID] = c.AssigneeID
		case "queued":
			queued = append(queued, c)
		}
	}
	if len(assignee) != operators*limit || len(queued) != visitors-operators*limit {
		t.Fatalf("%d assigned and %d queued, want %d and %d", len(assignee), len(queued), operators*limit, visitors-operators*limit)
	}
	// The first 300 arrivals are the assigned ones, assigned in the transaction that made them.
	for i, conv := range arrival {
		_, isAssigned := assignee[conv]
		if isAssigned != (i < operators*limit) || isAssigned != (firstState[conv] == livedesk.EventConversationAssigned) {
			t.Fatalf("arrival %d (conversation %s) is assigned=%v, first event %s: the first %d arrivals must be the assigned ones",
				i, conv, isAssigned, firstState[conv], operators*limit)
		}
	}
	var brief struct {
		Items []opBrief `json:"items"`
	}
	d.acct.Admin.Must("GET", "/api/v1/operators", nil, &brief)
	perOp := map[string]int{}
	for _, op := range assignee {
		perOp[op]++
	}
	for _, o := range brief.Items {
		if o.OpenCount != perOp[o.ID] || o.OpenCount > o.Limit {
			t.Errorf("operator %s: open_count %d, limit %d, holds %d", o.ID, o.OpenCount, o.Limit, perOp[o.ID])
		}
	}

	// Every operator's stream: their own assignments (each exactly once, the same as the
	// database's), and every operator.status frame of anyone within the limit.
	for i, w := range streams {
		mine := 0
		for mine < perOp[ops[i].ID] {
			f := w.Next(20 * time.Second)
			switch f.Type {
			case livedesk.EventConversationAssigned:
				c := f.Event(t).Conversation
				if c.AssigneeID != ops[i].ID || assignee[c.ID] != ops[i].ID {
					t.Fatalf("operator %s got conversation.assigned of %s to %s (the database: %s)", ops[i].ID, c.ID, c.AssigneeID, assignee[c.ID])
				}
				mine++
			case livedesk.EventOperatorStatus:
				var p struct{ Operator opBrief }
				json.Unmarshal(f.Data, &p)
				if p.Operator.OpenCount > p.Operator.Limit {
					t.Fatalf("operator %s's stream: %s holds %d of %d", ops[i].ID, p.Operator.ID, p.Operator.OpenCount, p.Operator.Limit)
				}
			}
		}
	}

	phase("every operator's stream checked")
	// The queue as livedesk serves it: oldest queued_at first (the time the node took the
	// first message), then id. Across nodes that order and arrival may differ for
	// conversations taken at the same moment on two nodes (one stamped earlier waited for the
	// other's drain lock): counted, not a failure (docs/decisions.md).
	slices.SortFunc(queued, func(a, b listed) int {
		return cmp.Or(a.QueuedAt.Compare(b.QueuedAt), cmp.Compare(testkit.ParseID(t, a.ID), testkit.ParseID(t, b.ID)))
	})
	inversions := 0
	for i := 1; i < len(queued); i++ {
		if arrived[queued[i].ID] < arrived[queued[i-1].ID] {
			inversions++
		}
	}
	t.Logf("queue order against arrival: %d of %d neighbours inverted", inversions, len(queued)-1)

	// Capacity freed on every node at once — 12 operators each close a conversation through
	// a node of their own — drains the queue oldest first: the 12 conversations assigned
	// now are the queue's first 12, assigned in that order, each to an operator below the
	// limit.
	const closes = 12
	parallel(t, closes, closes, func(i int) error {
		op := on(d.Nodes[i%len(d.Nodes)], ops[i])
		var conv string
		for c, a := range assignee {
			if a == op.ID {
				conv = c
				break
			}
		}
		r, err := op.TryDo(t.Context(), "POST", "/api/v1/conversations/"+conv+"/close", map[string]any{})
		if err != nil || r.Status != 200 {
			return fmt.Errorf("close on node %s: %v %d %s", d.Nodes[i%len(d.Nodes)].Name, err, r.Status, r.Body)
		}
		return nil
	})
	var drained []string
	for len(drained) < closes {
		f := adminWS.Next(20 * time.Second)
		if f.Type == livedesk.EventConversationAssigned {
			drained = append(drained, f.Event(t).Conversation.ID)
		}
	}
	for i, conv := range drained {
		if conv != queued[i].ID {
			t.Fatalf("after %d closes the queue gave %v; its head was %v", closes, drained, listedIDs(queued[:closes]))
		}
	}
	var after struct {
		Items []opBrief `json:"items"`
	}
	d.acct.Admin.Must("GET", "/api/v1/operators", nil, &after)
	mineOps := map[string]bool{}
	for _, op := range ops {
		mineOps[op.ID] = true
	}
	for _, o := range after.Items {
		if mineOps[o.ID] && o.OpenCount != limit {
			t.Errorf("after the closes operator %s holds %d, want %d (the queue refills every place)", o.ID, o.OpenCount, limit)
		}
	}
	phase(fmt.Sprintf("%d closes on three nodes drained the queue's head in order", closes))

	crossNodes(t, d)
	phase("node to node: delivery in order, a transfer, a race for the last place")
}

func listedIDs(cs []listed) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// crossNodes checks on a fresh account the paths from node to node, each client talking to
// a node of its own: a visitor writing through node C reaches the operator connected to
// node A in order and once each; a transfer offered on A and accepted on B moves the
// conversation to the receiver's socket on B; two accepts racing on B and C for the
// receiver's last free place get it once (limit_reached for the other).
func crossNodes(t *testing.T, d *deployment) {
	a, b, c := d.Nodes[0], d.Nodes[1], d.Nodes[2]
	acct := d.account("Cross")
	_, key := acct.ContactPoint("webchat")
	x, err := tryOperator(acct, "Ксения", 5)
	if err != nil {
		t.Fatal(err)
	}
	y, err := tryOperator(acct, "Юрий", 2)
	if err != nil {
		t.Fatal(err)
	}
	x, y = on(a, x), on(b, y)
	x.SetStatus("available") // new conversations go to Ксения; Юрий on pause takes transfers
	y.SetStatus("pause")
	wx, wy := x.ReadyWS(false), y.ReadyWS(false)

	// Three visitors on node C, one of them sending 30 messages one after another.
	var vs []*testkit.Client
	for i := range 3 {
		v, err := tryVisitor(d.env, key, fmt.Sprint("Гость ", i))
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, on(c, v))
	}
	var sent []string
	for i := range 30 {
		sent = append(sent, vs[0].Say(fmt.Sprint("сообщение ", i)).ID)
	}
	var got []string
	var last int64
	for len(got) < len(sent) {
		f := wx.Next(20 * time.Second)
		if f.Cursor != "" {
			if n := f.Seq(t); n <= last {
				t.Fatalf("cursor %d after %d on node A", n, last)
			} else {
				last = n
			}
		}
		if f.Type == livedesk.EventMessageCreated {
			got = append(got, f.Event(t).Message.ID)
		}
	}
	if !slices.Equal(got, sent) {
		t.Fatalf("node A delivered %v, node C took %v", got, sent)
	}

	// A transfer offered on node A, accepted on node B.
	conv := vs[0].VisitorHistory()[0].ConversationID
	tr := x.MustOffer(conv, y.ID, "", "pending")
	wy.WaitWithin(livedesk.EventTransferOffered, 20*time.Second, testkit.OfTransfer(t, tr.ID))
	testkit.Expect(t, "accept on node B", y.TransferAction(tr.ID, "accept"), 200, "")
	wx.WaitWithin(livedesk.EventConversationRemoved, 20*time.Second, testkit.OfConversation(t, conv))
	if e := wy.WaitWithin(livedesk.EventConversationAssigned, 20*time.Second, testkit.OfConversation(t, conv)).Event(t); e.Conversation.AssigneeID != y.ID {
		t.Fatalf("node B told the receiver %+v", e.Conversation)
	}
	m := vs[0].Say("после передачи")
	wy.WaitWithin(livedesk.EventMessageCreated, 20*time.Second, testkit.OfMessage(m.ID))

	// Юрий holds 1 of 2: two offers, accepted at once on B and on C, share one place.
	var offers []testkit.Transfer
	for _, v := range vs[1:] {
		offers = append(offers, x.MustOffer(v.Say("здравствуйте").ConversationID, y.ID, "", "pending"))
	}
	answers := make([]testkit.Response, 2)
	var wg sync.WaitGroup
	for i, node := range []*nodetest.Node{b, c} {
		wg.Go(func() {
			answers[i], _ = on(node, y).TryDo(t.Context(), "POST", "/api/v1/transfers/"+offers[i].ID+"/accept", nil)
		})
	}
	wg.Wait()
	won := 0
	for i, r := range answers {
		switch {
		case r.Status == 200:
			won++
		case r.Status == 409 && r.Code() == "limit_reached":
		default:
			t.Fatalf("accept %d: %d %s", i, r.Status, r.Body)
		}
	}
	if me := y.Me(); won != 1 || me.OpenCount != 2 {
		t.Fatalf("two racing accepts for one place: %d accepted, the receiver holds %d of %d", won, me.OpenCount, me.Limit)
	}
}
