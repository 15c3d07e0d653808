package app_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"livedesk/internal/config"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/testkit"
	"livedesk/internal/testkit/pgtest"
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
