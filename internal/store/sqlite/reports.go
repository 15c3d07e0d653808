package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"livedesk/internal/livedesk"
)

// Report summarises the account's conversations on the days from..to (inclusive, midnight to
// midnight in loc). It reads the conversations created or closed in the range through their
// indexes and adds up in Go, where days follow the time zone's own calendar (DST included).
func (s *Store) Report(ctx context.Context, account livedesk.ID, from, to time.Time, loc *time.Location) (*livedesk.Report, error) {
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	rep := &livedesk.Report{From: start.Format(time.DateOnly), To: to.Format(time.DateOnly), TZ: loc.String(),
		ByCategory: []livedesk.ReportCategory{}, ByOperator: []livedesk.ReportOperator{}}
	days := map[string]*livedesk.ReportDay{}
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		rep.ByDay = append(rep.ByDay, livedesk.ReportDay{Date: d.Format(time.DateOnly)})
	}
	for i := range rep.ByDay {
		days[rep.ByDay[i].Date] = &rep.ByDay[i]
	}
	day := func(msv int64) *livedesk.ReportDay { return days[time.UnixMilli(msv).In(loc).Format(time.DateOnly)] }

	// Created in the range: per day, closed by the visitor, first reply, wait in the queue.
	rows, err := s.rq.QueryContext(ctx, `SELECT created_at, visitor_closed, first_reply_at, queued_at, assigned_at
		FROM conversations WHERE account_id = ? AND created_at >= ? AND created_at < ?`, account, ms(start), ms(end))
	if err != nil {
		return nil, err
	}
	var replies, waits []float64
	for rows.Next() {
		var created, queued int64
		var visitorClosed bool
		var firstReply, assigned sql.NullInt64
		if err := rows.Scan(&created, &visitorClosed, &firstReply, &queued, &assigned); err != nil {
			rows.Close()
			return nil, err
		}
		rep.Totals.Created++
		if d := day(created); d != nil {
			d.Created++
		}
		if visitorClosed {
			rep.Totals.VisitorClosed++
		}
		if firstReply.Valid {
			replies = append(replies, seconds(firstReply.Int64-created))
		}
		if assigned.Valid {
			waits = append(waits, seconds(assigned.Int64-queued))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rep.FirstReply, rep.QueueWait = summarise(replies), summarise(waits)

	// Closed in the range: per day, per category, per operator.
	rows, err = s.rq.QueryContext(ctx, `SELECT closed_at, category_id, assignee_id, created_at, first_reply_at
		FROM conversations WHERE account_id = ? AND closed_at >= ? AND closed_at < ?`, account, ms(start), ms(end))
	if err != nil {
		return nil, err
	}
	byCategory := map[livedesk.ID]int{}
	type opAcc struct {
		closed, replied int
		replySum        float64
	}
	byOperator := map[livedesk.ID]*opAcc{}
	for rows.Next() {
		var closed, created int64
		var category, assignee, firstReply sql.NullInt64
		if err := rows.Scan(&closed, &category, &assignee, &created, &firstReply); err != nil {
			rows.Close()
			return nil, err
		}
		rep.Totals.Closed++
		if d := day(closed); d != nil {
			d.Closed++
		}
		byCategory[livedesk.ID(category.Int64)]++
		if assignee.Valid {
			acc := byOperator[livedesk.ID(assignee.Int64)]
			if acc == nil {
				acc = &opAcc{}
				byOperator[livedesk.ID(assignee.Int64)] = acc
			}
			acc.closed++
			if firstReply.Valid {
				acc.replied++
				acc.replySum += seconds(firstReply.Int64 - created)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Names, including deleted categories (their conversations keep them).
	names := map[livedesk.ID]string{}
	rows, err = s.rq.QueryContext(ctx, `SELECT id, name FROM conversation_categories WHERE account_id = ?`, account)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id livedesk.ID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		names[id] = name
	}
	rows.Close()
	for id, n := range byCategory {
		c := livedesk.ReportCategory{Name: names[id], Closed: n}
		if id != 0 {
			c.CategoryID = &id
		}
		rep.ByCategory = append(rep.ByCategory, c)
	}
	sort.Slice(rep.ByCategory, func(i, j int) bool {
		a, b := rep.ByCategory[i], rep.ByCategory[j]
		if a.Closed != b.Closed {
			return a.Closed > b.Closed
		}
		return a.Name < b.Name
	})
	ops, err := s.Operators(ctx, account)
	if err != nil {
		return nil, err
	}
	for _, o := range ops {
		acc := byOperator[o.ID]
		if acc == nil {
			continue
		}
		r := livedesk.ReportOperator{OperatorID: o.ID, Name: o.Name, Closed: acc.closed}
		if acc.replied > 0 {
			avg := acc.replySum / float64(acc.replied)
			r.FirstReplyAvgSeconds = &avg
		}
		rep.ByOperator = append(rep.ByOperator, r)
	}
	sort.SliceStable(rep.ByOperator, func(i, j int) bool { return rep.ByOperator[i].Closed > rep.ByOperator[j].Closed })

	// The present moment.
	err = s.rq.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM conversations WHERE account_id = ? AND state = 'queued'),
		(SELECT COUNT(*) FROM conversations WHERE account_id = ? AND state = 'assigned')`, account, account).
		Scan(&rep.Totals.QueuedNow, &rep.Totals.OpenNow)
	if err != nil {
		return nil, err
	}
	return rep, nil
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
