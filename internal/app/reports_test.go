package app_test

import (
	"math"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

type reportJSON struct {
	From, To, TZ string
	Totals       struct {
		Created       int `json:"created"`
		Closed        int `json:"closed"`
		VisitorClosed int `json:"visitor_closed"`
		QueuedNow     int `json:"queued_now"`
		OpenNow       int `json:"open_now"`
	}
	FirstReply durationsJSON `json:"first_reply"`
	QueueWait  durationsJSON `json:"queue_wait"`
	ByDay      []struct {
		Date            string
		Created, Closed int
	} `json:"by_day"`
	ByCategory []struct {
		CategoryID *string `json:"category_id"`
		Name       string
		Closed     int
	} `json:"by_category"`
	ByOperator []struct {
		OperatorID           string   `json:"operator_id"`
		Name                 string   `json:"name"`
		Closed               int      `json:"closed"`
		FirstReplyAvgSeconds *float64 `json:"first_reply_avg_seconds"`
	} `json:"by_operator"`
}

type durationsJSON struct {
	Count         int     `json:"count"`
	AvgSeconds    float64 `json:"avg_seconds"`
	MedianSeconds float64 `json:"median_seconds"`
}

// TestReports (DESIGN §2.11): conversations count on the day they were created or closed in
// the report's time zone; first response and queue wait come from the conversations'
// timestamps; supervisors and admins only, one account only. Time is an injected clock.
func TestReports(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	// Start at 01:00 UTC of the next day so that nothing below crosses midnight by accident.
	now := clock.Now()
	clock.Advance(now.Truncate(24 * time.Hour).Add(25 * time.Hour).Sub(now))
	day0 := clock.Now().Format(time.DateOnly)
	env := testkit.StartWith(t, app.Options{Clock: clock},
		// The clock jumps days ahead: sessions and visitor tokens must outlive the jumps.
		func(c *config.Config) { c.SessionIdle, c.VisitorTokenTTL = 365*24*time.Hour, 365*24*time.Hour })
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	pay, delivery := a.Category("Оплата"), a.Category("Доставка")
	anna := a.Operator("Анна", "operator", 5, "available")
	sup := a.Operator("Вера", "supervisor", 5, "")
	a.Admin.SetStatus("away") // answers and closes, is never routed to
	// Open connections keep both present while the clock jumps past the grace period.
	for _, c := range []*testkit.Client{anna, a.Admin} {
		ws := c.WS(false, "")
		ws.Ready()
		t.Cleanup(ws.Close)
	}

	reply := func(conv string) {
		t.Helper()
		a.Admin.Must("POST", "/api/v1/conversations/"+conv+"/messages",
			map[string]any{"client_id": testkit.Unique("r"), "text": "Здравствуйте!"}, nil)
	}
	closeWith := func(conv, category string) {
		t.Helper()
		a.Admin.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{"category_id": category}, nil)
	}
	// Day 0: answered after 30 s and closed (Оплата); answered after 90 s, closed by the
	// visitor, then by the operator (Доставка); one never answered, still open.
	c1 := env.Visitor(key, "Ирина").Say("Не проходит оплата").ConversationID
	clock.Advance(30 * time.Second)
	reply(c1)
	reply(c1) // a second reply does not move the first
	closeWith(c1, pay)
	v2 := env.Visitor(key, "")
	c2 := v2.Say("Где мой заказ?").ConversationID
	clock.Advance(90 * time.Second)
	reply(c2)
	v2.Must("POST", "/api/v1/widget/close", nil, nil)
	closeWith(c2, delivery)
	env.Visitor(key, "Олег").Say("Вопрос по возврату")
	// Day 1: answered after 10 s, closed (Оплата).
	clock.Advance(24 * time.Hour)
	day1 := clock.Now().Format(time.DateOnly)
	c4 := env.Visitor(key, "Пётр").Say("Оплатил дважды").ConversationID
	clock.Advance(10 * time.Second)
	reply(c4)
	closeWith(c4, pay)

	var rep reportJSON
	sup.Must("GET", "/api/v1/admin/reports?from="+day0+"&to="+day1+"&tz=UTC", nil, &rep)
	if rep.From != day0 || rep.To != day1 || rep.TZ != "UTC" {
		t.Fatalf("range %s..%s %s", rep.From, rep.To, rep.TZ)
	}
	tot := rep.Totals
	if tot.Created != 4 || tot.Closed != 3 || tot.VisitorClosed != 1 || tot.OpenNow != 1 || tot.QueuedNow != 0 {
		t.Fatalf("totals %+v, want created 4, closed 3, visitor closed 1, open 1, queued 0", tot)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.01 }
	if fr := rep.FirstReply; fr.Count != 3 || !near(fr.AvgSeconds, (30+90+10)/3.0) || !near(fr.MedianSeconds, 30) {
		t.Fatalf("first reply %+v, want 3, avg 43.33, median 30", fr)
	}
	if qw := rep.QueueWait; qw.Count != 4 || qw.AvgSeconds != 0 {
		t.Fatalf("queue wait %+v, want 4 conversations assigned at once", qw)
	}
	if len(rep.ByDay) != 2 || rep.ByDay[0].Date != day0 || rep.ByDay[0].Created != 3 || rep.ByDay[0].Closed != 2 ||
		rep.ByDay[1].Date != day1 || rep.ByDay[1].Created != 1 || rep.ByDay[1].Closed != 1 {
		t.Fatalf("by day %+v", rep.ByDay)
	}
	if len(rep.ByCategory) != 2 || rep.ByCategory[0].Name != "Оплата" || rep.ByCategory[0].Closed != 2 ||
		*rep.ByCategory[0].CategoryID != pay || rep.ByCategory[1].Name != "Доставка" || rep.ByCategory[1].Closed != 1 {
		t.Fatalf("by category %+v", rep.ByCategory)
	}
	if len(rep.ByOperator) != 1 || rep.ByOperator[0].OperatorID != anna.ID || rep.ByOperator[0].Closed != 3 ||
		rep.ByOperator[0].FirstReplyAvgSeconds == nil || !near(*rep.ByOperator[0].FirstReplyAvgSeconds, 130/3.0) {
		t.Fatalf("by operator %+v", rep.ByOperator)
	}

	// Day 1 alone; a time zone 3 hours east moves day 0's 01:00 events to 04:00 the same day.
	sup.Must("GET", "/api/v1/admin/reports?from="+day1+"&to="+day1, nil, &rep)
	if rep.Totals.Created != 1 || rep.Totals.Closed != 1 || len(rep.ByDay) != 1 {
		t.Fatalf("day 1 alone: %+v %+v", rep.Totals, rep.ByDay)
	}
	sup.Must("GET", "/api/v1/admin/reports?from="+day0+"&to="+day0+"&tz=Europe/Moscow", nil, &rep)
	if rep.Totals.Created != 3 || rep.TZ != "Europe/Moscow" {
		t.Fatalf("Moscow day 0: %+v", rep.Totals)
	}
	// The default range is the last 7 days up to today.
	sup.Must("GET", "/api/v1/admin/reports", nil, &rep)
	if len(rep.ByDay) != 7 || rep.To != day1 || rep.Totals.Created != 4 {
		t.Fatalf("default range %s..%s, %d days, %+v", rep.From, rep.To, len(rep.ByDay), rep.Totals)
	}

	// Another account sees none of it; operators may not ask.
	var other reportJSON
	env.NewAccount().Admin.Must("GET", "/api/v1/admin/reports?from="+day0+"&to="+day1, nil, &other)
	if other.Totals.Created != 0 || other.Totals.Closed != 0 || len(other.ByOperator) != 0 {
		t.Fatalf("another account's report: %+v", other.Totals)
	}
	if got := anna.Do("GET", "/api/v1/admin/reports", nil); got.Status != 403 {
		t.Fatalf("operator: %d %s, want 403", got.Status, got.Code())
	}
	for _, q := range []string{"from=2026-13-01", "to=yesterday", "tz=Mars/Olympus", "tz=Local",
		"from=2026-02-10&to=2026-02-01", "from=2024-01-01&to=2026-01-01"} {
		if got := sup.Do("GET", "/api/v1/admin/reports?"+q, nil); got.Status != 400 || got.Code() != "invalid_input" {
			t.Errorf("%s: %d %s, want 400 invalid_input", q, got.Status, got.Code())
		}
	}
}
