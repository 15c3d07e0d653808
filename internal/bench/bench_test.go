package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/pgtest"
)

// TestBenchEndToEnd runs a tiny bench against an in-process livedesk and echo server and
// checks that it counted traffic on both sides. It asserts no timings.
func TestBenchEndToEnd(t *testing.T) {
	env := testkit.Start(t)
	const email, password = "bench-admin@example.test", "password1"
	if _, _, err := env.App.Desk.CreateAccount(context.Background(), "Bench",
		desk.NewOperator{Name: "Admin", Email: email, Password: password}, 4); err != nil {
		t.Fatal(err)
	}
	echo := httptest.NewServer(EchoHandler())
	defer echo.Close()

	var stdout, stderr bytes.Buffer
	args := []string{"--json", "--url", env.URL, "--admin-email", email, "--admin-password", password,
		"--echo-url", "ws" + strings.TrimPrefix(echo.URL, "http") + "/", "--operators", "2", "--visitors", "5", "--rate", "50", "--duration", "1s",
		"--concurrency", "4"}
	if err := Main(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	var res Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("decode %s: %v", stdout.String(), err)
	}
	for _, side := range []*Side{res.Livedesk, res.Echo} {
		if side == nil {
			t.Fatalf("a side is missing: %s", stdout.String())
		}
		l := side.Load
		if l.Sent == 0 || l.Delivered == 0 || l.Latency.Count == 0 || l.Errors != 0 {
			t.Errorf("%s: sent %d, delivered %d, latencies %d, errors %d (%s)", side.Name, l.Sent, l.Delivered,
				l.Latency.Count, l.Errors, l.FirstError)
		}
	}
	if res.Livedesk.Connections != 7 || res.Livedesk.Load.Ack.Count == 0 {
		t.Errorf("livedesk: %d connections, %d acks", res.Livedesk.Connections, res.Livedesk.Load.Ack.Count)
	}
	if res.Ratios == nil || res.Ratios.Throughput == 0 {
		t.Errorf("ratios: %+v", res.Ratios)
	}
}

// TestClosedLoopAndText runs the closed-loop (max throughput) mode briefly and prints the
// human report.
func TestClosedLoopAndText(t *testing.T) {
	env := testkit.Start(t)
	const email, password = "bench-admin2@example.test", "password1"
	if _, _, err := env.App.Desk.CreateAccount(context.Background(), "Bench",
		desk.NewOperator{Name: "Admin", Email: email, Password: password}, 4); err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.URL, opts.AdminEmail, opts.AdminPassword, opts.Echo = env.URL, email, password, false
	opts.Operators, opts.Visitors, opts.Rate, opts.Duration, opts.Concurrency = 1, 3, 0, 500*time.Millisecond, 3
	res, err := Run(context.Background(), opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Livedesk.Load.Sent == 0 || res.Livedesk.Load.Delivered == 0 {
		t.Errorf("closed loop: %+v", res.Livedesk.Load)
	}
	var out bytes.Buffer
	res.WriteText(&out)
	if !strings.Contains(out.String(), "latency p99 ms") {
		t.Errorf("text report:\n%s", out.String())
	}
}

func TestClientID(t *testing.T) {
	body := messageBody(phaseMeasure, 42, 1234567*time.Nanosecond, "hi")
	frame := []byte(`{"type":"message.created","cursor":"9","data":{"message":` + string(body) + `}}`)
	phase, seq, due, ok := parseClientID(frame)
	if !ok || phase != phaseMeasure || seq != 42 || due != 1234567*time.Nanosecond {
		t.Fatalf("parse %s: %c %d %v %v", frame, phase, seq, due, ok)
	}
	if _, _, _, ok := parseClientID([]byte(`{"client_id":"other"}`)); ok {
		t.Fatal("a foreign client_id was taken for a bench message")
	}
	if err := (&Options{Operators: 1, Visitors: 2000, Concurrency: 1, Size: 1, Duration: time.Second, Synchronous: "FULL"}).validate(); err == nil {
		t.Fatal("2000 visitors on one operator must be refused (limit ≤ 1000)")
	}
}

// TestCrossNode sends the visitors' messages to one node and takes the operators' deliveries
// on another of the same installation (PostgreSQL and NATS): every message crosses the bus.
func TestCrossNode(t *testing.T) {
	db := pgtest.Database(t)
	nats := os.Getenv("LIVEDESK_TEST_NATS")
	if nats == "" {
		nats = "nats://127.0.0.1:4222"
	}
	files := t.TempDir()
	node := func() *testkit.Env {
		return testkit.Start(t, func(c *config.Config) { c.DB, c.Bus, c.Files = db, nats, files })
	}
	a, b := node(), node()
	const email, password = "bench-cross@example.test", "password1"
	if _, _, err := a.App.Desk.CreateAccount(context.Background(), "Bench",
		desk.NewOperator{Name: "Admin", Email: email, Password: password}, 4); err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.URL, opts.OperatorURL, opts.AdminEmail, opts.AdminPassword, opts.Echo = a.URL, b.URL, email, password, false
	opts.Operators, opts.Visitors, opts.Rate, opts.Duration, opts.Concurrency = 2, 4, 0, 500*time.Millisecond, 4
	res, err := Run(context.Background(), opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if l := res.Livedesk.Load; l.Sent == 0 || l.Delivered != l.Sent {
		t.Errorf("cross node: sent %d, delivered %d", l.Sent, l.Delivered)
	}
}
