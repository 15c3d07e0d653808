package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/pgtest"

	"github.com/gorilla/websocket"
)

// BenchmarkVisitorMessage measures the write path of a visitor message in process (desk and
// store, no HTTP): 1,000 visitors with open conversations, messages sent in parallel so the
// writer batches them. Run: go test -run ^$ -bench VisitorMessage ./internal/app
func BenchmarkVisitorMessage(b *testing.B) {
	variants := []struct {
		name string
		opt  testkit.Option
	}{
		{"sqlite/synchronous=NORMAL", func(c *config.Config) { c.Synchronous = "NORMAL" }},
		{"sqlite/synchronous=FULL", func(c *config.Config) { c.Synchronous = "FULL" }},
		{"postgres", func(c *config.Config) { c.DB = pgtest.Database(b) }},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			env := testkit.Start(b, v.opt)
			acct := env.NewAccount()
			acct.Operator("Anna", "operator", 1000, "available")
			_, key := acct.ContactPoint("webchat")
			d := env.App.Desk
			ctx := context.Background()
			cp, err := d.WebchatPoint(ctx, key)
			if err != nil {
				b.Fatal(err)
			}
			const visitors = 1000
			ids := make([]livedesk.ID, visitors)
			for i := range ids {
				v, err := d.VisitorSession(ctx, cp, 0, desk.VisitorProfile{})
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = v.ID
				if _, err := d.VisitorMessage(ctx, cp, v.ID, desk.MessageInput{ClientID: fmt.Sprint("w", i), Text: "hello"}); err != nil {
					b.Fatal(err)
				}
			}
			var n atomic.Int64
			b.SetParallelism(64)
			stats := &env.App.Store.Stats
			busy0, reqs0, batches0, stmts0 := stats.BusyNanos.Load(), stats.Requests.Load(), stats.Batches.Load(), stats.Statements.Load()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := d.VisitorMessage(ctx, cp, ids[int(i)%visitors], desk.MessageInput{ClientID: fmt.Sprint("m", i), Text: "Здравствуйте, у меня вопрос по заказу"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
			// The writer's serial time per message and the batch size: what bounds throughput.
			reqs := float64(stats.Requests.Load() - reqs0)
			b.ReportMetric(float64(stats.BusyNanos.Load()-busy0)/1e3/reqs, "writer-µs/msg")
			b.ReportMetric(reqs/float64(stats.Batches.Load()-batches0), "msg/batch")
			b.ReportMetric(float64(stats.Statements.Load()-stmts0)/reqs, "stmts/msg")
		})
	}
}

// BenchmarkMessagePath measures the whole path of a visitor's message in one process: the
// HTTP POST to the widget API (over loopback, keep-alive), the write, and the delivery to the
// operator's WebSocket, which the benchmark reads (client work included). Allocations per
// message (-benchmem) are the deterministic figure; msg/s drifts with the machine's load.
// Run: go test -run ^$ -bench MessagePath -benchmem ./internal/app
func BenchmarkMessagePath(b *testing.B) {
	env := testkit.Start(b, func(c *config.Config) {
		c.Synchronous = "FULL"
		c.VisitorMessagesPerMinute, c.VisitorSessionsPerMinute = 100_000_000, 100_000_000
	})
	acct := env.NewAccount()
	op := acct.Operator("Anna", "operator", 1000, "available")
	_, key := acct.ContactPoint("webchat")
	ws, res, err := websocket.DefaultDialer.Dial(op.WSURL(false, ""), nil)
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	defer ws.Close()
	var delivered atomic.Int64
	go func() {
		for {
			_, frame, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if bytes.Contains(frame, []byte(`"type":"message.created"`)) {
				delivered.Add(1)
			}
		}
	}()
	const visitors = 200
	tokens := make([]string, visitors)
	for i := range tokens {
		v := env.Visitor(key, "")
		v.Must("POST", "/api/v1/widget/messages", map[string]any{"client_id": fmt.Sprint("first", i), "text": "hello"}, nil)
		tokens[i] = v.Token
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	url := env.URL + "/api/v1/widget/messages"
	var n atomic.Int64
	start := delivered.Load()
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"client_id":"m%d","text":"Здравствуйте, у меня вопрос по заказу"}`, i)
			req, _ := http.NewRequest("POST", url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokens[int(i)%visitors])
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("POST: %d", resp.StatusCode)
				return
			}
		}
	})
	for deadline := time.Now().Add(30 * time.Second); delivered.Load()-start < int64(b.N); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d messages delivered", delivered.Load()-start, b.N)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
