package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/natstest"
	"livedesk/internal/testkit/nodetest"
	"livedesk/internal/testkit/pgtest"
)

// traffic is a steady load through nginx, as the apps make it: operators and visitors whose
// sockets resume by themselves from their cursor (testkit.Stream), and visitors sending
// messages one after another, each send retried with its client_id until it is
// acknowledged (201) — a retry after an answer that never came stores it at most once.
type traffic struct {
	t   *testing.T
	d   *deployment
	ops []*testkit.Client
	vs  []*testkit.Client
	// opStreams and vStreams are the sockets (an operator's or a visitor's tabs); opOf and
	// vOf tell whose.
	opStreams, vStreams []*testkit.Stream
	opOf, vOf           []int

	mu    sync.Mutex
	acked map[string]sent // by client_id
	// retried counts the answers a send was retried after: "503 unavailable", "502", "transport" …
	retried map[string]int
	// refetched are the messages clients read back through the API after a resync.
	refetched map[string]bool
	errs      []error
	count     atomic.Int64
	stop      chan struct{}
	wg        sync.WaitGroup
}

// sent is an acknowledged message.
type sent struct {
	id, conv string
	visitor  int
}

// startTraffic connects operators (limit 10, available) and visitors, and starts every
// visitor sending a message every pause; the first opens its conversation. With onNode set,
// operators and visitors open more tabs until that node holds sockets of both (nginx spreads
// the sockets round robin with every other request: which node gets one is chance).
func startTraffic(t *testing.T, d *deployment, operators, visitors int, pause time.Duration, onNode *nodetest.Node) *traffic {
	t.Helper()
	tr := &traffic{t: t, d: d, acked: map[string]sent{}, retried: map[string]int{}, refetched: map[string]bool{}, stop: make(chan struct{})}
	tr.ops = make([]*testkit.Client, operators)
	parallel(t, operators, 8, func(i int) error {
		var err error
		tr.ops[i], err = tryOperator(d.acct, fmt.Sprint("op", i), 10)
		return err
	})
	opTab := func(i int) {
		op := tr.ops[i]
		tr.opStreams = append(tr.opStreams, op.Stream(false, func() { tr.refetchOperator(op) }))
		tr.opOf = append(tr.opOf, i)
	}
	for i, op := range tr.ops {
		opTab(i)
		op.SetStatus("available")
	}
	sockets := func() float64 {
		if onNode == nil {
			return 1
		}
		return onNode.Metric("livedesk_ws_connections")
	}
	for i := 0; sockets() < 1; i++ {
		opTab(i % operators)
	}
	tr.vs = make([]*testkit.Client, visitors)
	parallel(t, visitors, 8, func(i int) error {
		var err error
		tr.vs[i], err = tryVisitor(d.env, d.key, fmt.Sprint("Гость ", i))
		return err
	})
	vTab := func(i int) {
		v := tr.vs[i]
		tr.vStreams = append(tr.vStreams, v.Stream(true, func() { tr.refetchVisitor(v) }))
		tr.vOf = append(tr.vOf, i)
	}
	before := sockets()
	for i := range tr.vs {
		vTab(i)
	}
	for i := 0; onNode != nil && sockets() < before+1; i++ {
		vTab(i % visitors)
	}
	for i := range tr.vs {
		tr.wg.Go(func() { tr.sendLoop(i, pause) })
	}
	return tr
}

// sendLoop sends visitor i's messages until stop.
func (tr *traffic) sendLoop(i int, pause time.Duration) {
	for k := 0; ; k++ {
		select {
		case <-tr.stop:
			return
		default:
		}
		cid := fmt.Sprintf("v%d-%d", i, k)
		m, err := tr.send(tr.vs[i], cid)
		tr.mu.Lock()
		if err != nil {
			tr.errs = append(tr.errs, fmt.Errorf("visitor %d, %s: %w", i, cid, err))
		} else {
			tr.acked[cid] = sent{id: m.ID, conv: m.ConversationID, visitor: i}
		}
		tr.mu.Unlock()
		if err != nil {
			return
		}
		tr.count.Add(1)
		time.Sleep(pause)
	}
}

// send posts one message, retrying with the same client_id every 100 ms until a 201 (for
// at most a minute).
func (tr *traffic) send(v *testkit.Client, cid string) (testkit.Message, error) {
	var m testkit.Message
	text := "сообщение " + cid
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		r, err := v.TryDo(ctx, "POST", "/api/v1/widget/messages", map[string]string{"client_id": cid, "text": text})
		cancel()
		kind := "transport"
		if err == nil {
			if r.Status == http.StatusCreated {
				if err := json.Unmarshal(r.Body, &m); err != nil || m.ClientID != cid || m.Text != text {
					return m, fmt.Errorf("answer %s", r.Body)
				}
				return m, nil
			}
			kind = strings.TrimSpace(fmt.Sprint(r.Status, " ", r.Code()))
		}
		tr.mu.Lock()
		tr.retried[kind]++
		tr.mu.Unlock()
	}
	return m, fmt.Errorf("not acknowledged within a minute")
}

// refetchOperator is the operator app after a resync: it reads its open conversations'
// histories again.
func (tr *traffic) refetchOperator(op *testkit.Client) {
	ctx := context.Background()
	r, err := op.TryDo(ctx, "GET", "/api/v1/conversations?state=open&limit=200", nil)
	var list struct {
		Items []listed `json:"items"`
	}
	if err != nil || r.Status != 200 || json.Unmarshal(r.Body, &list) != nil {
		tr.fail(fmt.Errorf("operator %s refetching the list after a resync: %v %d", op.ID, err, r.Status))
		return
	}
	for _, c := range list.Items {
		tr.refetch(op, "/api/v1/conversations/"+c.ID+"/messages?limit=200")
	}
}

// refetchVisitor is the widget after a resync: it reads the visitor's history again.
func (tr *traffic) refetchVisitor(v *testkit.Client) {
	tr.refetch(v, "/api/v1/widget/messages?limit=200")
}

func (tr *traffic) refetch(c *testkit.Client, path string) {
	r, err := c.TryDo(context.Background(), "GET", path, nil)
	var page struct {
		Items []testkit.Message `json:"items"`
	}
	if err != nil || r.Status != 200 || json.Unmarshal(r.Body, &page) != nil {
		tr.fail(fmt.Errorf("refetching %s after a resync: %v %d", path, err, r.Status))
		return
	}
	tr.mu.Lock()
	for _, m := range page.Items {
		tr.refetched[m.ID] = true
	}
	tr.mu.Unlock()
}

func (tr *traffic) fail(err error) {
	tr.mu.Lock()
	tr.errs = append(tr.errs, err)
	tr.mu.Unlock()
}

// waitAcked waits until n more messages than now are acknowledged.
func (tr *traffic) waitAcked(n int64, what string) {
	tr.t.Helper()
	want := tr.count.Load() + n
	deadline := time.Now().Add(60 * time.Second)
	for tr.count.Load() < want {
		if time.Now().After(deadline) {
			tr.t.Fatalf("%s: %d of %d messages acknowledged after a minute; retried: %v", what, tr.count.Load(), want, tr.retriedNow())
		}
		tr.mu.Lock()
		errs := tr.errs
		tr.mu.Unlock()
		if len(errs) > 0 {
			tr.t.Fatal(errs[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tr *traffic) retriedNow() map[string]int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return maps.Clone(tr.retried)
}

// finish stops the senders (each ends its send, retries included) and checks the outcome:
// every acknowledged message is stored once under its client_id, and has reached — once, in
// cursor order, over however many connections — its conversation's operator and its
// visitor, or was read back after a resync.
func (tr *traffic) finish() {
	t := tr.t
	t.Helper()
	close(tr.stop)
	tr.wg.Wait()
	if len(tr.errs) > 0 {
		t.Fatal(tr.errs[0])
	}
	byID := map[string]string{}
	perVisitor := make([][]string, len(tr.vs))
	for cid, m := range tr.acked {
		byID[cid] = m.id
		perVisitor[m.visitor] = append(perVisitor[m.visitor], m.id)
	}
	tokens := make([]string, len(tr.vs))
	for i, v := range tr.vs {
		tokens[i] = v.Token
	}
	verifyAcked(t, tr.d.Proxy.URL, tokens, byID) // stored, once each

	assignee := map[string]string{}
	for _, c := range listAll(tr.d.acct.Admin, "open") {
		assignee[c.ID] = c.AssigneeID
	}
	perOp := map[string][]string{}
	for _, m := range tr.acked {
		perOp[assignee[m.conv]] = append(perOp[assignee[m.conv]], m.id)
	}
	reached := func(s *testkit.Stream, want []string, who string) {
		t.Helper()
		s.WaitFrames(30*time.Second, who+" gets every acknowledged message", func(frames []testkit.Frame) bool {
			got, err := testkit.MessageIDs(frames)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			have := map[string]bool{}
			for _, id := range got {
				have[id] = true
			}
			tr.mu.Lock()
			defer tr.mu.Unlock()
			for _, id := range want {
				if !have[id] && !tr.refetched[id] {
					return false
				}
			}
			return true
		})
	}
	for k, s := range tr.opStreams {
		op := tr.ops[tr.opOf[k]]
		reached(s, perOp[op.ID], "operator "+op.ID)
	}
	for k, s := range tr.vStreams {
		reached(s, perVisitor[tr.vOf[k]], fmt.Sprint("visitor ", tr.vOf[k]))
	}
}

// reconnected counts the streams that connected more than once and the resyncs.
func reconnected(streams []*testkit.Stream) (again, resyncs int) {
	for _, s := range streams {
		c, r := s.Connects()
		if c > 1 {
			again++
		}
		resyncs += r
	}
	return again, resyncs
}

// TestNodesNodeLoss: under a steady load through nginx (24 visitors each sending five
// messages a second, 6 operators, every socket through nginx), node A — the leader of the
// cluster-wide jobs — is killed with SIGKILL. Every acknowledged message is stored once and
// reaches its operator and its visitor; the sockets that were on A come back through nginx
// on B or C from their cursors with nothing missed or twice (or a resync and a refetch);
// sends cut off by the kill are retried with their client_id; and a transfer offered before
// the kill expires on time: another node took the periodic jobs over. Then node B is
// stopped cleanly and started again, as in an upgrade node by node, and the same holds.
func TestNodesNodeLoss(t *testing.T) {
	skipNodeTests(t)
	t.Parallel()
	db := pgtest.Database(t)
	d := deployWith(t, setup{nodes: 3, db: db, bus: natsURL(), leaderA: true, args: []string{"--visitor-messages-per-minute", "1000"}})
	d.acct.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"transfer_timeout_seconds": 5}, nil)
	tr := startTraffic(t, d, 6, 24, 200*time.Millisecond, d.Nodes[0])
	tr.waitAcked(150, "before the kill")

	// A transfer due to expire 5 s from now, offered by whoever got a new visitor.
	v, err := tryVisitor(d.env, d.key, "Передаваемый")
	if err != nil {
		t.Fatal(err)
	}
	conv := v.Say("меня передадут").ConversationID
	from := slices.IndexFunc(tr.ops, func(op *testkit.Client) bool { return op.ID == d.acct.Admin.Conversation(conv).AssigneeID })
	to := (from + 1) % len(tr.ops)
	offer := tr.ops[from].MustOffer(conv, tr.ops[to].ID, "", "pending")

	d.Nodes[0].Kill()
	killed := time.Now()
	var pending struct {
		Outgoing []struct {
			Transfer testkit.Transfer `json:"transfer"`
		} `json:"outgoing"`
	}
	tr.ops[from].Must("GET", "/api/v1/transfers", nil, &pending)
	if len(pending.Outgoing) != 1 || pending.Outgoing[0].Transfer.ID != offer.ID {
		t.Fatalf("after the kill the offer is not pending: %+v", pending)
	}
	tr.waitAcked(300, "after the kill")
	t.Logf("%v after the kill: %d acknowledged, sends retried: %v", time.Since(killed).Round(time.Millisecond), tr.count.Load(), tr.retriedNow())

	// The expiry, a leader's job, ran on B or C.
	tr.opStreams[from].WaitFrames(30*time.Second, "transfer.expired", func(frames []testkit.Frame) bool {
		return slices.ContainsFunc(frames, func(f testkit.Frame) bool {
			return f.Type == livedesk.EventTransferExpired && testkit.OfTransfer(t, offer.ID)(f)
		})
	})
	if n := leaderLocks(t, db); n != 1 {
		t.Fatalf("%d sessions lead the cluster-wide jobs after A died", n)
	}

	// An upgrade of one node: B stops cleanly (SIGTERM: requests in flight finish, its
	// sockets are closed with 1013 and come back on C) and starts again.
	d.Nodes[1].Stop()
	tr.waitAcked(150, "while B is stopped")
	d.Nodes[1].Restart()
	tr.waitAcked(150, "after B is back")

	tr.finish()
	opsAgain, opResyncs := reconnected(tr.opStreams)
	vsAgain, vResyncs := reconnected(tr.vStreams)
	t.Logf("%d messages; sockets back through nginx: %d of %d operators', %d of %d visitors'; resyncs %d; sends retried: %v",
		len(tr.acked), opsAgain, len(tr.opStreams), vsAgain, len(tr.vStreams), opResyncs+vResyncs, tr.retriedNow())
	if opsAgain == 0 || vsAgain == 0 {
		t.Fatalf("node A held sockets of operators and visitors, yet %d operators' and %d visitors' came back", opsAgain, vsAgain)
	}
	for kind := range tr.retriedNow() {
		if kind != "502" && kind != "transport" {
			t.Errorf("a send was answered %s during the node's loss", kind)
		}
	}
}

// TestNodesServersRestart: the same load on a private PostgreSQL and a private NATS (the
// machine's are shared with the tests running beside). NATS is killed and started again:
// nothing fails, and what the nodes could not tell each other meanwhile reaches every
// client. Then PostgreSQL is killed: writes are answered 503 unavailable (and retried with
// their client_id), every node's readiness turns false; when it is back the nodes serve
// again by themselves, and every acknowledged message is stored once and delivered.
func TestNodesServersRestart(t *testing.T) {
	skipNodeTests(t)
	t.Parallel()
	pg := pgtest.StartPrivate(t)
	nats := natstest.Start(t)
	d := deploy(t, 3, pg.URL, nats.URL, "--visitor-messages-per-minute", "1000")
	tr := startTraffic(t, d, 6, 24, 200*time.Millisecond, nil)
	tr.waitAcked(150, "before NATS stops")

	nats.Stop()
	tr.waitAcked(150, "while NATS is down")
	nats.Start()
	tr.waitAcked(150, "after NATS is back")
	if r := tr.retriedNow(); len(r) > 0 {
		t.Fatalf("sends failed while NATS was down: %v", r)
	}

	pg.Stop()
	down := time.Now()
	for _, n := range d.Nodes {
		waitReady(t, n, http.StatusServiceUnavailable)
	}
	deadline := time.Now().Add(20 * time.Second)
	for tr.retriedNow()["503 unavailable"] == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no send answered 503 unavailable while PostgreSQL is down: %v", tr.retriedNow())
		}
		time.Sleep(20 * time.Millisecond)
	}
	pg.Start()
	t.Logf("PostgreSQL down for %v", time.Since(down).Round(time.Millisecond))
	tr.waitAcked(150, "after PostgreSQL is back")
	for _, n := range d.Nodes {
		waitReady(t, n, http.StatusOK)
	}

	tr.finish()
	again, resyncs := reconnected(append(slices.Clone(tr.opStreams), tr.vStreams...))
	retried := tr.retriedNow()
	t.Logf("%d messages; sockets that came back: %d; resyncs %d; sends retried: %v", len(tr.acked), again, resyncs, retried)
	kinds := make([]string, 0, len(retried))
	for kind := range retried {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	if !slices.Equal(kinds, []string{"503 unavailable"}) {
		t.Fatalf("while PostgreSQL was down sends were answered %v; want only 503 unavailable", retried)
	}
}

// waitReady waits until the node's /readyz answers status.
func waitReady(t *testing.T, n *nodetest.Node, status int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(n.URL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == status {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s: /readyz is not %d after 30 s (%v %v)", n.Name, status, res, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
