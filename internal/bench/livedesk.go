package bench

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// deskRun is the livedesk side of a run: the account's operators and visitors.
type deskRun struct {
	opts       Options
	log        *slog.Logger
	api        *api
	opAPI      *api // the operators' node (--operator-url), else api
	rec        *recorder
	admin      string // admin session token
	key        string // webchat contact point key
	operators  []*operatorConn
	visitors   []string // visitor tokens
	sockets    []*websocket.Conn
	reconnects atomic.Int64
	text       string
}

// runLivedesk benchmarks livedesk: setup, warm-up, the measured load, then memory.
func runLivedesk(ctx context.Context, opts Options, log *slog.Logger) (*Side, error) {
	side := &Side{Name: "livedesk"}
	base, email, password, pid := opts.URL, opts.AdminEmail, opts.AdminPassword, opts.ServerPID
	if base == "" {
		srv, err := startLivedesk(ctx, opts, log)
		if err != nil {
			return nil, err
		}
		defer srv.stop(log, opts.Keep)
		base, email, password, pid = srv.url, srv.email, srv.password, srv.pid()
	}
	d := &deskRun{opts: opts, log: log, api: newAPI(base, opts.Concurrency), rec: newRecorder(), text: filler(opts.Size)}
	d.opAPI = d.api
	if opts.OperatorURL != "" {
		d.opAPI = newAPI(opts.OperatorURL, opts.Operators)
	}
	defer d.close()
	start := time.Now()
	if err := d.setup(ctx, email, password); err != nil {
		return nil, err
	}
	side.SetupSeconds = time.Since(start).Seconds()
	side.Connections = len(d.operators) + len(d.sockets)
	if err := d.warmup(ctx); err != nil {
		return nil, err
	}
	log.Info("livedesk: sending", "rate", opts.Rate, "duration", opts.Duration, "visitors", opts.Visitors, "operators", opts.Operators)
	side.Load = d.measure(ctx)
	side.Load.Reconnects = d.reconnects.Load()
	if pid > 0 {
		side.ServerRSSKiB, _ = rssKiB(pid)
	}
	if opts.Conns > 0 && pid > 0 {
		mem, err := d.memory(ctx, pid)
		if err != nil {
			return nil, fmt.Errorf("memory: %w", err)
		}
		side.Memory = mem
	}
	return side, nil
}

// setup logs the admin in and creates the operators, the contact point and the visitors,
// each with an open WebSocket.
func (d *deskRun) setup(ctx context.Context, email, password string) error {
	t := time.Now()
	admin, _, err := d.api.login(ctx, email, password)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	d.admin = admin
	var cp struct {
		Key string `json:"key"`
	}
	if err := d.api.call(ctx, "POST", "/api/v1/admin/contact-points", admin,
		map[string]string{"name": "Bench " + strconv.FormatInt(time.Now().UnixNano(), 36), "channel": "webchat"}, &cp); err != nil {
		return err
	}
	d.key = cp.Key
	if err := d.setupOperators(ctx); err != nil {
		return err
	}
	d.log.Info("livedesk: operators ready", "operators", len(d.operators), "took", since(t))
	t = time.Now()
	tokens, socks, err := d.openVisitors(ctx, d.opts.Visitors)
	if err != nil {
		return err
	}
	d.visitors, d.sockets = tokens, socks
	d.log.Info("livedesk: visitors connected", "visitors", len(tokens), "took", since(t))
	return nil
}

func (d *deskRun) setupOperators(ctx context.Context) error {
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	limit := operatorLimit(d.opts.Visitors, d.opts.Operators)
	ops := make([]*operatorConn, d.opts.Operators)
	err := parallel(ctx, d.opts.Operators, 16, func(ctx context.Context, i int) error {
		email := fmt.Sprintf("op%d-%s@bench.test", i, run)
		if err := d.api.call(ctx, "POST", "/api/v1/admin/operators", d.admin, map[string]any{"name": fmt.Sprintf("Operator %d", i),
			"email": email, "password": benchAdminPassword, "role": "operator", "limit": limit}, nil); err != nil {
			return err
		}
		token, _, err := d.opAPI.login(ctx, email, benchAdminPassword)
		if err != nil {
			return err
		}
		o, err := dialOperator(ctx, d.opAPI, token, d.rec, &d.reconnects, d.log)
		if err != nil {
			return fmt.Errorf("operator websocket: %w", err)
		}
		ops[i] = o
		return d.opAPI.call(ctx, "PUT", "/api/v1/me/status", token, map[string]string{"status": "available"}, nil)
	})
	for _, o := range ops {
		if o != nil {
			d.operators = append(d.operators, o)
		}
	}
	return err
}

// openVisitors starts n visitor sessions and opens their WebSockets.
func (d *deskRun) openVisitors(ctx context.Context, n int) ([]string, []*websocket.Conn, error) {
	tokens := make([]string, n)
	socks := make([]*websocket.Conn, n)
	err := parallel(ctx, n, 32, func(ctx context.Context, i int) error {
		var out struct {
			Token string `json:"visitor_token"`
		}
		if err := d.api.call(ctx, "POST", "/api/v1/widget/"+d.key+"/session", "", map[string]string{}, &out); err != nil {
			return err
		}
		ws, err := dialAs(ctx, d.api.wsURL("/api/v1/widget/ws", out.Token, ""), i)
		if err != nil {
			return fmt.Errorf("visitor websocket %d: %w", i, err)
		}
		tokens[i], socks[i] = out.Token, ws
		go sink(ws)
		return nil
	})
	if err != nil {
		closeAll(socks)
	}
	return tokens, socks, err
}

func closeAll(socks []*websocket.Conn) {
	for _, ws := range socks {
		if ws != nil {
			ws.Close()
		}
	}
}

// warmup has every visitor send one message, which opens and routes their conversation,
// and waits until the operators got them all.
func (d *deskRun) warmup(ctx context.Context) error {
	t := time.Now()
	err := parallel(ctx, len(d.visitors), d.opts.Concurrency, func(ctx context.Context, i int) error {
		return d.post(ctx, i, messageBody(phaseWarmup, int64(i), d.rec.now(), "hello"))
	})
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for d.rec.warmupsSeen() < len(d.visitors) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("warm-up: operators received %d of %d first messages; conversations are queued or lost",
				d.rec.warmupsSeen(), len(d.visitors))
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.log.Info("livedesk: conversations assigned", "conversations", len(d.visitors), "took", since(t))
	return nil
}

// post sends a visitor message and checks it was stored.
func (d *deskRun) post(ctx context.Context, visitor int, body []byte) error {
	status, resp, err := d.api.raw(ctx, "POST", "/api/v1/widget/messages", d.visitors[visitor], body)
	if err != nil {
		return err
	}
	if status != 201 && status != 200 {
		return fmt.Errorf("POST /api/v1/widget/messages: %d %s", status, resp)
	}
	return nil
}

// measure drives the load and waits for the deliveries.
func (d *deskRun) measure(ctx context.Context) Load {
	send := func(ctx context.Context, worker int, seq int64, due time.Duration) error {
		t := d.rec.now()
		err := d.post(ctx, int(seq%int64(len(d.visitors))), messageBody(phaseMeasure, seq, due, d.text))
		if err == nil {
			d.rec.ack(d.rec.now() - t)
		}
		return err
	}
	workers := d.opts.Concurrency
	if d.opts.Rate == 0 {
		workers = min(workers, len(d.visitors))
	}
	st := drive(ctx, d.rec, d.opts.Rate, d.opts.Duration, workers, send)
	d.rec.waitDelivered(ctx, st.Sent, d.opts.Drain)
	return d.rec.load(d.opts.Rate, st)
}

// memory opens conns more idle visitor WebSockets and reports the server's growth.
func (d *deskRun) memory(ctx context.Context, pid int) (*Memory, error) {
	t := time.Now()
	tokens := make([]string, d.opts.Conns)
	err := parallel(ctx, d.opts.Conns, 32, func(ctx context.Context, i int) error {
		var out struct {
			Token string `json:"visitor_token"`
		}
		err := d.api.call(ctx, "POST", "/api/v1/widget/"+d.key+"/session", "", map[string]string{}, &out)
		tokens[i] = out.Token
		return err
	})
	if err != nil {
		return nil, err
	}
	d.log.Info("livedesk: memory sessions created", "sessions", len(tokens), "took", since(t))
	return measureMemory(ctx, pid, len(tokens), d.log, func(ctx context.Context, i int) (*websocket.Conn, error) {
		return dialAs(ctx, d.api.wsURL("/api/v1/widget/ws", tokens[i], ""), i)
	})
}

// close closes every connection of the run.
func (d *deskRun) close() {
	closeAll(d.sockets)
	for _, o := range d.operators {
		o.close()
	}
	d.api.close()
	if d.opAPI != d.api {
		d.opAPI.close()
	}
}

// measureMemory reads pid's RSS, opens n idle connections with dial, waits for the process
// to settle, reads the RSS again and closes the connections.
func measureMemory(ctx context.Context, pid, n int, log *slog.Logger, dial func(context.Context, int) (*websocket.Conn, error)) (*Memory, error) {
	time.Sleep(time.Second)
	before, err := rssKiB(pid)
	if err != nil {
		return nil, err
	}
	socks := make([]*websocket.Conn, n)
	defer closeAll(socks)
	t := time.Now()
	err = parallel(ctx, n, 32, func(ctx context.Context, i int) error {
		ws, err := dial(ctx, i)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		socks[i] = ws
		go sink(ws)
		return nil
	})
	if err != nil {
		return nil, err
	}
	took := time.Since(t)
	time.Sleep(2 * time.Second)
	after, err := rssKiB(pid)
	if err != nil {
		return nil, err
	}
	m := &Memory{Conns: n, RSSBeforeKiB: before, RSSAfterKiB: after, KiBPerConn: float64(after-before) / float64(n),
		ConnectSeconds: took.Seconds()}
	log.Info("memory measured", "conns", n, "rss_before_kib", before, "rss_after_kib", after, "kib_per_conn", m.KiBPerConn)
	return m, nil
}
