package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// api is a small REST client of livedesk with keep-alive connections.
type api struct {
	base string
	http *http.Client
}

func newAPI(base string, conns int) *api {
	tr := &http.Transport{MaxIdleConns: conns + 16, MaxIdleConnsPerHost: conns + 16, IdleConnTimeout: 90 * time.Second,
		DisableCompression: true}
	return &api{base: strings.TrimRight(base, "/"), http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// close drops the idle keep-alive connections.
func (a *api) close() { a.http.CloseIdleConnections() }

// call sends in as JSON with the bearer token and decodes a 2xx answer into out.
func (a *api) call(ctx context.Context, method, path, token string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	status, resp, err := a.raw(ctx, method, path, token, body)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, status, bytes.TrimSpace(resp))
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

// raw sends a JSON body and returns the status and the body.
func (a *api) raw(ctx context.Context, method, path, token string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// login logs an operator in and returns the session token and operator id.
func (a *api) login(ctx context.Context, email, password string) (token, id string, err error) {
	var out struct {
		Token    string `json:"token"`
		Operator struct {
			ID string `json:"id"`
		} `json:"operator"`
	}
	err = a.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &out)
	return out.Token, out.Operator.ID, err
}

// wsURL turns the API base into a WebSocket URL of path with the token.
func (a *api) wsURL(path, token, cursor string) string {
	u := "ws" + strings.TrimPrefix(a.base, "http") + path + "?token=" + url.QueryEscape(token)
	if cursor != "" {
		u += "&cursor=" + url.QueryEscape(cursor)
	}
	return u
}

// dialer opens the client WebSockets with small buffers, so many fit in one process.
func dialer() *websocket.Dialer {
	return &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 2048, WriteBufferSize: 1024}
}

// dial opens a WebSocket; a refused handshake reports the server's answer.
func dial(ctx context.Context, u string) (*websocket.Conn, error) {
	return dialWith(ctx, dialer(), u)
}

// dialAs opens the WebSocket of simulated visitor n: on a loopback target from a loopback
// address of its own (127.2.0.0 onwards), as real visitors come from many machines and
// livedesk caps the connections of one address.
func dialAs(ctx context.Context, u string, n int) (*websocket.Conn, error) {
	d := dialer()
	if pu, err := url.Parse(u); err == nil {
		if ip, err := netip.ParseAddr(pu.Hostname()); err == nil && ip.Is4() && ip.IsLoopback() {
			src := netip.AddrFrom4([4]byte{127, byte(2 + n>>16%250), byte(n >> 8), byte(n)})
			nd := &net.Dialer{LocalAddr: &net.TCPAddr{IP: src.AsSlice()}, Timeout: 30 * time.Second}
			d.NetDialContext = nd.DialContext
		}
	}
	return dialWith(ctx, d, u)
}

func dialWith(ctx context.Context, d *websocket.Dialer, u string) (*websocket.Conn, error) {
	ws, resp, err := d.DialContext(ctx, u, nil)
	if err != nil && resp != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %d %s", err, resp.StatusCode, bytes.TrimSpace(b))
	}
	return ws, err
}

// sink reads and discards frames so the server never sees a slow consumer, answering pings.
func sink(ws *websocket.Conn) {
	for {
		_, r, err := ws.NextReader()
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return
		}
	}
}

// operatorConn is one operator's WebSocket; it reconnects from its cursor if dropped.
type operatorConn struct {
	api    *api
	token  string
	rec    *recorder
	log    *slog.Logger
	cursor string

	mu         sync.Mutex
	ws         *websocket.Conn
	stopped    bool
	reconnects *atomic.Int64
	done       chan struct{}
}

const cursorKey = `"cursor":"`

// dialOperator connects the operator's WebSocket and waits for its ready frame.
func dialOperator(ctx context.Context, a *api, token string, rec *recorder, reconnects *atomic.Int64, log *slog.Logger) (*operatorConn, error) {
	o := &operatorConn{api: a, token: token, rec: rec, log: log, reconnects: reconnects, done: make(chan struct{})}
	if err := o.connect(ctx); err != nil {
		return nil, err
	}
	go o.read()
	return o, nil
}

func (o *operatorConn) connect(ctx context.Context) error {
	ws, err := dial(ctx, o.api.wsURL("/api/v1/ws", o.token, o.cursor))
	if err != nil {
		return err
	}
	for { // the replay, if any, ends with ready (or resync)
		_, data, err := ws.ReadMessage()
		if err != nil {
			ws.Close()
			return err
		}
		o.handle(data)
		if bytes.HasPrefix(data, []byte(`{"type":"ready"`)) || bytes.HasPrefix(data, []byte(`{"type":"resync"`)) {
			break
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.stopped {
		ws.Close()
		return context.Canceled
	}
	o.ws = ws
	return nil
}

func (o *operatorConn) handle(data []byte) {
	if i := bytes.Index(data, []byte(cursorKey)); i >= 0 {
		rest := data[i+len(cursorKey):]
		if end := bytes.IndexByte(rest, '"'); end > 0 {
			o.cursor = string(rest[:end])
		}
	}
	if bytes.HasPrefix(data, []byte(`{"type":"message.created"`)) {
		o.rec.observe(data)
	}
}

// read consumes frames until stop, reconnecting with the last cursor when dropped.
func (o *operatorConn) read() {
	defer close(o.done)
	for {
		o.mu.Lock()
		ws := o.ws
		o.mu.Unlock()
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				break
			}
			o.handle(data)
		}
		ws.Close()
		if o.isStopped() {
			return
		}
		o.reconnects.Add(1)
		o.log.Warn("operator websocket dropped; resuming from its cursor", "cursor", o.cursor)
		if !o.reconnect() {
			return
		}
	}
}

func (o *operatorConn) reconnect() bool {
	for attempt := 0; attempt < 50 && !o.isStopped(); attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := o.connect(ctx)
		cancel()
		if err == nil {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func (o *operatorConn) isStopped() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stopped
}

// close stops the reader and closes the socket.
func (o *operatorConn) close() {
	o.mu.Lock()
	o.stopped = true
	ws := o.ws
	o.mu.Unlock()
	if ws != nil {
		ws.Close()
	}
	select {
	case <-o.done:
	case <-time.After(15 * time.Second):
	}
}

// parallel runs fn(i) for i in [0, n) on at most width goroutines and returns the first error.
func parallel(ctx context.Context, n, width int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		once  sync.Once
		first error
	)
	for range min(n, width) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
