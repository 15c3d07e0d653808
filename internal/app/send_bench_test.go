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
)

// BenchmarkVisitorMessage measures the write path of a visitor message in process (desk and
// store, no HTTP): 1,000 visitors with open conversations, messages sent in parallel so the
// writer batches them. Run: go test -run ^$ -bench VisitorMessage ./internal/app
func BenchmarkVisitorMessage(b *testing.B) {
	for _, sync := range []string{"NORMAL", "FULL"} {
		b.Run("synchronous="+sync, func(b *testing.B) {
			env := testkit.Start(b, func(c *config.Config) { c.Synchronous = sync })
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
		})
	}
}
