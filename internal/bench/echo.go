package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// EchoHandler is the raw WebSocket echo baseline: every message comes straight back. Its
// upgrader uses the same buffer sizes as livedesk's, so memory per connection compares.
func EchoHandler() http.Handler {
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			mt, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if err := ws.WriteMessage(mt, data); err != nil {
				return
			}
		}
	})
	return mux
}

// echoServerMain is the hidden `livedesk bench echo-server --listen ADDR` child process.
func echoServerMain(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench echo-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: EchoHandler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("echo server listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil // hijacked WebSockets close when the process exits
}

// echoConn is one client connection to the echo server.
type echoConn struct {
	mu   sync.Mutex // one writer (and, in closed loop, one message in flight) at a time
	ws   *websocket.Conn
	acks chan int64
}

// runEcho measures the echo baseline with the livedesk side's connections, rate and time.
func runEcho(ctx context.Context, opts Options, log *slog.Logger) (*Side, error) {
	side := &Side{Name: "echo"}
	url, pid := opts.EchoURL, 0
	if url == "" {
		c, u, err := startEchoServer(ctx, log)
		if err != nil {
			return nil, err
		}
		defer c.stop(log)
		url, pid = u, c.pid()
	}
	rec := newRecorder()
	t := time.Now()
	conns, err := dialEcho(ctx, url, opts.Visitors+opts.Operators, rec)
	if err != nil {
		return nil, err
	}
	defer closeEcho(conns)
	side.SetupSeconds, side.Connections = time.Since(t).Seconds(), len(conns)
	log.Info("echo: sending", "rate", opts.Rate, "duration", opts.Duration, "connections", len(conns))
	side.Load = echoLoad(ctx, opts, rec, conns[:opts.Visitors])
	if pid > 0 {
		side.ServerRSSKiB, _ = rssKiB(pid)
	}
	if opts.Conns > 0 && pid > 0 {
		side.Memory, err = measureMemory(ctx, pid, opts.Conns, log, func(ctx context.Context, i int) (*websocket.Conn, error) {
			return dial(ctx, url)
		})
		if err != nil {
			return nil, fmt.Errorf("memory: %w", err)
		}
	}
	return side, nil
}

func dialEcho(ctx context.Context, url string, n int, rec *recorder) ([]*echoConn, error) {
	conns := make([]*echoConn, n)
	err := parallel(ctx, n, 32, func(ctx context.Context, i int) error {
		ws, err := dial(ctx, url)
		if err != nil {
			return err
		}
		c := &echoConn{ws: ws, acks: make(chan int64, 1)}
		conns[i] = c
		go c.read(rec)
		return nil
	})
	if err != nil {
		closeEcho(conns)
		return nil, err
	}
	return conns, nil
}

func closeEcho(conns []*echoConn) {
	for _, c := range conns {
		if c != nil {
			c.ws.Close()
		}
	}
}

// read records every echoed message and tells a waiting closed-loop sender.
func (c *echoConn) read(rec *recorder) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if seq, ok := rec.observe(data); ok {
			select {
			case c.acks <- seq:
			default:
			}
		}
	}
}

// echoLoad drives the echo connections like deskRun.measure drives visitors: paced writes at
// the rate, or in closed loop a write that waits for its echo.
func echoLoad(ctx context.Context, opts Options, rec *recorder, conns []*echoConn) Load {
	text := filler(opts.Size)
	send := func(ctx context.Context, worker int, seq int64, due time.Duration) error {
		c := conns[seq%int64(len(conns))]
		c.mu.Lock()
		defer c.mu.Unlock()
		c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := c.ws.WriteMessage(websocket.TextMessage, messageBody(phaseMeasure, seq, due, text)); err != nil {
			return err
		}
		if opts.Rate > 0 {
			return nil
		}
		return c.waitAck(seq)
	}
	workers := opts.Concurrency
	if opts.Rate == 0 {
		workers = min(workers, len(conns))
	}
	st := drive(ctx, rec, opts.Rate, opts.Duration, workers, send)
	rec.waitDelivered(ctx, st.Sent, opts.Drain)
	return rec.load(opts.Rate, st)
}

// waitAck waits for the echo of seq (closed loop).
func (c *echoConn) waitAck(seq int64) error {
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case got := <-c.acks:
			if got == seq {
				return nil
			}
		case <-timeout.C:
			return fmt.Errorf("no echo of message %d in 10s", seq)
		}
	}
}
