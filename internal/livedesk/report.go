package livedesk

// Report is the supervisor's summary of an account over whole days in one time zone
// (GET /api/v1/admin/reports). Conversations count on the day they were created (created,
// visitor closed, first reply, queue wait) or closed (closed, by category, by operator).
type Report struct {
	From       string           `json:"from"`
	To         string           `json:"to"`
	TZ         string           `json:"tz"`
	Totals     ReportTotals     `json:"totals"`
	FirstReply Durations        `json:"first_reply"`
	QueueWait  Durations        `json:"queue_wait"`
	ByDay      []ReportDay      `json:"by_day"`
	ByCategory []ReportCategory `json:"by_category"`
	ByOperator []ReportOperator `json:"by_operator"`
	// CSAT is what visitors' ratings say over the same days (rating.go).
	CSAT *CSATReport `json:"csat"`
}

// ReportTotals are the counts of a report; QueuedNow and OpenNow are the present moment.
type ReportTotals struct {
	Created       int `json:"created"`
	Closed        int `json:"closed"`
	VisitorClosed int `json:"visitor_closed"`
	QueuedNow     int `json:"queued_now"`
	OpenNow       int `json:"open_now"`
}

// Durations summarise a set of waits in seconds (0 when Count is 0).
type Durations struct {
	Count         int     `json:"count"`
	AvgSeconds    float64 `json:"avg_seconds"`
	MedianSeconds float64 `json:"median_seconds"`
}

// ReportDay is one day of a report, in the report's time zone.
type ReportDay struct {
	Date    string `json:"date"`
	Created int    `json:"created"`
	Closed  int    `json:"closed"`
}

// ReportCategory counts the conversations closed with one category (nil: without one).
type ReportCategory struct {
	CategoryID *ID    `json:"category_id"`
	Name       string `json:"name"`
	Closed     int    `json:"closed"`
}

// ReportOperator counts the conversations an operator closed, with the mean first response
// time of those conversations (nil when none had a reply).
type ReportOperator struct {
	OperatorID           ID       `json:"operator_id"`
	Name                 string   `json:"name"`
	Closed               int      `json:"closed"`
	FirstReplyAvgSeconds *float64 `json:"first_reply_avg_seconds"`
}
