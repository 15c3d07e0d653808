package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"livedesk/internal/livedesk"
)

// Report summarises the account's conversations on the days from..to (inclusive, midnight to
// midnight in loc). It reads the conversations created or closed in the range through their
// indexes and adds up in Go, where days follow the time zone's own calendar (DST included);
// each query is one step of a reportRun.
func (s *Store) Report(ctx context.Context, account livedesk.ID, from, to time.Time, loc *time.Location) (*livedesk.Report, error) {
	r := &reportRun{s: s, ctx: ctx, account: account, loc: loc,
		start: time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc),
		end:   time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1),
		days:  map[string]*livedesk.ReportDay{}, byCategory: map[livedesk.ID]int{}, byOperator: map[livedesk.ID]*operatorTally{}}
	r.rep = &livedesk.Report{From: r.start.Format(time.DateOnly), To: to.Format(time.DateOnly), TZ: loc.String(),
		ByCategory: []livedesk.ReportCategory{}, ByOperator: []livedesk.ReportOperator{}}
	for d := r.start; d.Before(r.end); d = d.AddDate(0, 0, 1) {
		r.rep.ByDay = append(r.rep.ByDay, livedesk.ReportDay{Date: d.Format(time.DateOnly)})
	}
	for i := range r.rep.ByDay {
		r.days[r.rep.ByDay[i].Date] = &r.rep.ByDay[i]
	}
	for _, step := range []func() error{r.created, r.closed, r.categories, r.operators, r.present} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return r.rep, nil
}

// reportRun is one report being added up.
type reportRun struct {
	s          *Store
	ctx        context.Context
	account    livedesk.ID
	start, end time.Time
	loc        *time.Location
	rep        *livedesk.Report
	days       map[string]*livedesk.ReportDay
	byCategory map[livedesk.ID]int
	byOperator map[livedesk.ID]*operatorTally
}

// operatorTally is what the closed conversations say of one operator.
type operatorTally struct {
	closed, replied int
	replySum        float64
}

func (r *reportRun) day(msv int64) *livedesk.ReportDay {
	return r.days[time.UnixMilli(msv).In(r.loc).Format(time.DateOnly)]
}

// created counts the conversations created in the range: per day, closed by the visitor,
// first reply, wait in the queue.
func (r *reportRun) created() error {
	rows, err := r.s.rq.QueryContext(r.ctx, `SELECT created_at, visitor_closed, first_reply_at, queued_at, assigned_at,
		started_by IS NOT NULL FROM conversations WHERE account_id = ? AND created_at >= ? AND created_at < ?`, r.account, ms(r.start), ms(r.end))
	if err != nil {
		return err
	}
	defer rows.Close()
	var replies, waits []float64
	for rows.Next() {
		var created, queued int64
		var visitorClosed, started bool
		var firstReply, assigned sql.NullInt64
		if err := rows.Scan(&created, &visitorClosed, &firstReply, &queued, &assigned, &started); err != nil {
			return err
		}
		if started {
			// An operator wrote first (a mail to a customer): nobody waited for an answer.
			firstReply.Valid, assigned.Valid = false, false
		}
		r.rep.Totals.Created++
		if d := r.day(created); d != nil {
			d.Created++
		}
		if visitorClosed {
			r.rep.Totals.VisitorClosed++
		}
		if firstReply.Valid {
			replies = append(replies, seconds(firstReply.Int64-created))
		}
		if assigned.Valid {
			waits = append(waits, seconds(assigned.Int64-queued))
		}
	}
	r.rep.FirstReply, r.rep.QueueWait = summarise(replies), summarise(waits)
	return rows.Err()
}

// closed counts the conversations closed in the range: per day, per category, per operator.
func (r *reportRun) closed() error {
	rows, err := r.s.rq.QueryContext(r.ctx, `SELECT closed_at, category_id, assignee_id, created_at, first_reply_at
		FROM conversations WHERE account_id = ? AND closed_at >= ? AND closed_at < ?`, r.account, ms(r.start), ms(r.end))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var closed, created int64
		var category, assignee, firstReply sql.NullInt64
		if err := rows.Scan(&closed, &category, &assignee, &created, &firstReply); err != nil {
			return err
		}
		r.rep.Totals.Closed++
		if d := r.day(closed); d != nil {
			d.Closed++
		}
		r.byCategory[livedesk.ID(category.Int64)]++
		if assignee.Valid {
			acc := r.byOperator[livedesk.ID(assignee.Int64)]
			if acc == nil {
				acc = &operatorTally{}
				r.byOperator[livedesk.ID(assignee.Int64)] = acc
			}
			acc.closed++
			if firstReply.Valid {
				acc.replied++
				acc.replySum += seconds(firstReply.Int64 - created)
			}
		}
	}
	return rows.Err()
}

// categories names the categories counted, deleted ones included (their conversations keep
// them), most used first.
func (r *reportRun) categories() error {
	names := map[livedesk.ID]string{}
	rows, err := r.s.rq.QueryContext(r.ctx, `SELECT id, name FROM conversation_categories WHERE account_id = ?`, r.account)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id livedesk.ID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, n := range r.byCategory {
		c := livedesk.ReportCategory{Name: names[id], Closed: n}
		if id != 0 {
			c.CategoryID = &id
		}
		r.rep.ByCategory = append(r.rep.ByCategory, c)
	}
	sort.Slice(r.rep.ByCategory, func(i, j int) bool {
		a, b := r.rep.ByCategory[i], r.rep.ByCategory[j]
		if a.Closed != b.Closed {
			return a.Closed > b.Closed
		}
		return a.Name < b.Name
	})
	return nil
}

// operators names the operators counted, most closed first.
func (r *reportRun) operators() error {
	ops, err := r.s.Operators(r.ctx, r.account)
	if err != nil {
		return err
	}
	for _, o := range ops {
		acc := r.byOperator[o.ID]
		if acc == nil {
			continue
		}
		op := livedesk.ReportOperator{OperatorID: o.ID, Name: o.Name, Closed: acc.closed}
		if acc.replied > 0 {
			avg := acc.replySum / float64(acc.replied)
			op.FirstReplyAvgSeconds = &avg
		}
		r.rep.ByOperator = append(r.rep.ByOperator, op)
	}
	sort.SliceStable(r.rep.ByOperator, func(i, j int) bool { return r.rep.ByOperator[i].Closed > r.rep.ByOperator[j].Closed })
	return nil
}

// present counts the conversations waiting and open now.
func (r *reportRun) present() error {
	return r.s.rq.QueryRowContext(r.ctx, `SELECT
		(SELECT COUNT(*) FROM conversations WHERE account_id = ? AND state = 'queued'),
		(SELECT COUNT(*) FROM conversations WHERE account_id = ? AND state = 'assigned')`, r.account, r.account).
		Scan(&r.rep.Totals.QueuedNow, &r.rep.Totals.OpenNow)
}

func seconds(msv int64) float64 {
	if msv < 0 {
		return 0
	}
	return float64(msv) / 1000
}

// summarise gives the count, mean and median of waits in seconds.
func summarise(v []float64) livedesk.Durations {
	if len(v) == 0 {
		return livedesk.Durations{}
	}
	sort.Float64s(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return livedesk.Durations{Count: len(v), AvgSeconds: sum / float64(len(v)), MedianSeconds: med}
}
