package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// Ratings (issue 17, CSAT): the rules of docs/decisions.md § Ratings, end to end over the
// widget API, on SQLite and (LIVEDESK_TEST_STORE=postgres) PostgreSQL.

type ratingJSON struct {
	ConversationID string `json:"conversation_id"`
	Scale          string `json:"scale"`
	Score          int    `json:"score"`
	Comment        string `json:"comment"`
	Source         string `json:"source"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

type ratingRequestJSON struct {
	ConversationID string      `json:"conversation_id"`
	Scale          string      `json:"scale"`
	RateUntil      string      `json:"rate_until"`
	Rating         *ratingJSON `json:"rating"`
	ChangeUntil    *string     `json:"change_until"`
}

// ratingEnv is an account with a webchat contact point, its admin and Анна (available, gets
// every conversation), both holding a socket so that they stay present while the clock
// jumps days ahead; the clock is the server's.
type ratingEnv struct {
	t     *testing.T
	env   *testkit.Env
	clock *testkit.Clock
	a     *testkit.Account
	key   string
	anna  *testkit.Client
	annaW *testkit.WS
}

func startRatings(t *testing.T, opts ...testkit.Option) *ratingEnv {
	t.Helper()
	clock := testkit.NewClock()
	opts = append(opts, func(c *config.Config) { c.SessionIdle, c.VisitorTokenTTL = 365*24*time.Hour, 365*24*time.Hour })
	env := testkit.StartWith(t, app.Options{Clock: clock}, opts...)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	anna := a.Operator("Анна", "operator", 5, "available")
	a.Admin.SetStatus("away")
	r := &ratingEnv{t: t, env: env, clock: clock, a: a, key: key, anna: anna}
	for _, c := range []*testkit.Client{anna, a.Admin} {
		ws := c.WS(false, "")
		ws.Ready()
		t.Cleanup(ws.Close)
		if c == anna {
			r.annaW = ws
		}
	}
	return r
}

// answered opens a conversation of a new visitor, which Анна answers.
func (r *ratingEnv) answered(name string) (conv string, v *testkit.Client) {
	r.t.Helper()
	v = r.env.Visitor(r.key, name)
	conv = v.Say("Здравствуйте, это " + name).ConversationID
	r.anna.Must("POST", "/api/v1/conversations/"+conv+"/messages", map[string]any{"client_id": testkit.Unique("r"), "text": "Здравствуйте!"}, nil)
	return conv, v
}

func (r *ratingEnv) close(conv string) {
	r.t.Helper()
	r.anna.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{}, nil)
}

func rate(v *testkit.Client, conv, scale string, score int, comment string) testkit.Response {
	v.T.Helper()
	return v.Do("POST", "/api/v1/widget/rating", map[string]any{"conversation_id": conv, "scale": scale, "score": score, "comment": comment})
}

// expectRefusal checks the status, the code and details.reason of a refused rating.
func expectRefusal(t *testing.T, what string, got testkit.Response, status int, code, reason string) {
	t.Helper()
	var e struct {
		Error struct {
			Code    string            `json:"code"`
			Details map[string]string `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(got.Body, &e)
	if got.Status != status || e.Error.Code != code || e.Error.Details["reason"] != reason {
		t.Fatalf("%s: %d %s, want %d %s (reason %q)", what, got.Status, got.Body, status, code, reason)
	}
}

// sessionRatingRequest reads the rating request of a visitor's session answer.
func (r *ratingEnv) sessionRatingRequest(v *testkit.Client) *ratingRequestJSON {
	r.t.Helper()
	var s struct {
		RatingRequest *ratingRequestJSON `json:"rating_request"`
	}
	v.Must("POST", "/api/v1/widget/"+r.key+"/session", map[string]any{"visitor_token": v.Token}, &s)
	return s.RatingRequest
}

// TestRatingRules: a rating is taken once per conversation (changeable for 10 minutes), only
// from the conversation's own visitor, only once it is over and answered, only within 7 days
// of its closing, never for another account's conversation, and bad input is refused with
// the field named. Time is the server's injected clock.
func TestRatingRules(t *testing.T) {
	t.Parallel()
	r := startRatings(t)
	conv, vera := r.answered("Вера")

	// Only after close: an open conversation is not rated.
	expectRefusal(t, "rating an open conversation", rate(vera, conv, "stars", 5, ""), 409, "conflict", "not_closed")
	if req := r.sessionRatingRequest(vera); req != nil {
		t.Fatalf("the session of a visitor with an open conversation asks for a rating: %+v", req)
	}
	r.close(conv)

	// Bad input, each refused with the field at fault, nothing stored.
	for _, c := range []struct {
		name  string
		body  string
		field string
	}{
		{"no score", `{"conversation_id":"` + conv + `","scale":"stars"}`, "score"},
		{"6 stars", `{"conversation_id":"` + conv + `","scale":"stars","score":6}`, "score"},
		{"0 stars", `{"conversation_id":"` + conv + `","scale":"stars","score":0}`, "score"},
		{"a thumb of 2", `{"conversation_id":"` + conv + `","scale":"thumbs","score":2}`, "score"},
		{"an unknown scale", `{"conversation_id":"` + conv + `","scale":"hearts","score":5}`, "scale"},
		{"no conversation", `{"scale":"stars","score":5}`, "conversation_id"},
		{"a score as text", `{"conversation_id":"` + conv + `","scale":"stars","score":"5"}`, ""},
		{"an unknown field", `{"conversation_id":"` + conv + `","scale":"stars","score":5,"stars":5}`, ""},
		{"a long comment", `{"conversation_id":"` + conv + `","scale":"stars","score":5,"comment":"` + strings.Repeat("д", 1001) + `"}`, "comment"},
	} {
		got := vera.Raw("POST", "/api/v1/widget/rating", []byte(c.body))
		var e struct {
			Error struct {
				Code    string            `json:"code"`
				Details map[string]string `json:"details"`
			} `json:"error"`
		}
		_ = json.Unmarshal(got.Body, &e)
		if got.Status != 400 || e.Error.Code != "invalid_input" || (c.field != "" && e.Error.Details["field"] != c.field) {
			t.Errorf("%s: %d %s, want 400 invalid_input (field %q)", c.name, got.Status, got.Body, c.field)
		}
	}
	// A conversation id that names nothing, and the account's other scale.
	expectRefusal(t, "an unknown conversation", rate(vera, "999999", "stars", 5, ""), 404, "not_found", "")
	expectRefusal(t, "thumbs on a stars account", rate(vera, conv, "thumbs", 1, ""), 409, "conflict", "scale_changed")

	// Only its visitor: another visitor of the same contact point, and a visitor of another
	// account, do not find it.
	other := r.env.Visitor(r.key, "Олег")
	expectRefusal(t, "another visitor", rate(other, conv, "stars", 1, "чужая оценка"), 404, "not_found", "")
	elsewhere := r.env.NewAccount()
	_, otherKey := elsewhere.ContactPoint("webchat")
	stranger := r.env.Visitor(otherKey, "Чужой")
	expectRefusal(t, "a visitor of another account", rate(stranger, conv, "stars", 1, ""), 404, "not_found", "")

	// The session of the visitor asks for the rating now.
	req := r.sessionRatingRequest(vera)
	if req == nil || req.ConversationID != conv || req.Scale != "stars" || req.Rating != nil || req.ChangeUntil != nil {
		t.Fatalf("the session's rating request after close: %+v", req)
	}

	// Rated: 5 with a comment (trimmed), from the widget.
	var first ratingJSON
	got := rate(vera, conv, "stars", 5, "  Спасибо, всё решили быстро  ")
	testkit.Expect(t, "rating", got, 200, "")
	got.Decode(t, &first)
	if first.ConversationID != conv || first.Score != 5 || first.Comment != "Спасибо, всё решили быстро" || first.Source != "widget" ||
		first.CreatedAt != first.UpdatedAt {
		t.Fatalf("rating %+v", first)
	}
	// Changeable for ten minutes: the change keeps the first time.
	r.clock.Advance(9 * time.Minute)
	var changed ratingJSON
	got = rate(vera, conv, "stars", 4, "")
	testkit.Expect(t, "changing the rating within 10 minutes", got, 200, "")
	got.Decode(t, &changed)
	if changed.Score != 4 || changed.Comment != "" || changed.CreatedAt != first.CreatedAt || changed.UpdatedAt == first.UpdatedAt {
		t.Fatalf("changed rating %+v (first %+v)", changed, first)
	}
	if req := r.sessionRatingRequest(vera); req == nil || req.Rating == nil || req.Rating.Score != 4 || req.ChangeUntil == nil {
		t.Fatalf("the session's rating request while the rating may change: %+v", req)
	}
	// Once: after the ten minutes the rating is final.
	r.clock.Advance(2 * time.Minute)
	expectRefusal(t, "rating again after 10 minutes", rate(vera, conv, "stars", 1, ""), 409, "conflict", "already_rated")
	if req := r.sessionRatingRequest(vera); req != nil {
		t.Fatalf("the session asks again for a final rating: %+v", req)
	}
	var c struct{ Rating *ratingJSON }
	r.anna.Must("GET", "/api/v1/conversations/"+conv, nil, &c)
	if c.Rating == nil || c.Rating.Score != 4 {
		t.Fatalf("the conversation's rating %+v, want the changed 4", c.Rating)
	}

	// Not answered: a conversation no operator replied in has nothing to rate.
	quiet := r.env.Visitor(r.key, "Молчун")
	quietConv := quiet.Say("Алло").ConversationID
	r.close(quietConv)
	expectRefusal(t, "an unanswered conversation", rate(quiet, quietConv, "stars", 3, ""), 409, "conflict", "not_answered")

	// Within 7 days of closing: a day before the end it is taken, after the end it is gone.
	late, lv := r.answered("Поздний")
	r.close(late)
	later, lv2 := r.answered("Совсем поздний")
	r.close(later)
	r.clock.Advance(6*24*time.Hour + 23*time.Hour)
	testkit.Expect(t, "rating on the 7th day", rate(lv, late, "stars", 2, ""), 200, "")
	r.clock.Advance(2 * time.Hour)
	expectRefusal(t, "rating after 7 days", rate(lv2, later, "stars", 2, ""), 410, "gone", "window_passed")
	if req := r.sessionRatingRequest(lv2); req != nil {
		t.Fatalf("the session asks for a rating past the window: %+v", req)
	}
}

// TestRatingVisitorClosedAndSettings: a visitor who ended the chat is asked at once (the
// socket's conversation.closed carries the request) and may rate before the operator closes
// it; the operator's close then carries the rating. Thumbs and off follow the account
// setting, which only admins change.
func TestRatingVisitorClosedAndSettings(t *testing.T) {
	t.Parallel()
	r := startRatings(t)
	conv, vera := r.answered("Вера")
	vw := vera.WS(true, "")
	vw.Ready()
	defer vw.Close()
	vera.Must("POST", "/api/v1/widget/close", nil, nil)
	f := vw.WaitFor("conversation.closed", nil)
	var closed struct {
		Reason        string             `json:"reason"`
		RatingRequest *ratingRequestJSON `json:"rating_request"`
	}
	if err := json.Unmarshal(f.Data, &closed); err != nil || closed.Reason != "visitor_closed" || closed.RatingRequest == nil ||
		closed.RatingRequest.ConversationID != conv || closed.RatingRequest.Scale != "stars" {
		t.Fatalf("the visitor's conversation.closed: %s", f.Data)
	}
	testkit.Expect(t, "rating a conversation the visitor ended", rate(vera, conv, "stars", 5, "Отлично"), 200, "")
	vw.WaitFor("conversation.rated", nil) // the visitor's other tabs hear it
	r.close(conv)
	f = r.annaW.WaitFor("conversation.closed", func(f testkit.Frame) bool { return strings.Contains(string(f.Data), `"id":"`+conv+`"`) })
	var opClosed struct {
		Conversation struct{ Rating *ratingJSON } `json:"conversation"`
	}
	if err := json.Unmarshal(f.Data, &opClosed); err != nil || opClosed.Conversation.Rating == nil || opClosed.Conversation.Rating.Score != 5 {
		t.Fatalf("the operator's conversation.closed lost the rating: %s", f.Data)
	}

	// Operators cannot change the setting; admins can, to thumbs or off, nothing else.
	testkit.Expect(t, "an operator changes the rating scale", r.anna.Do("PATCH", "/api/v1/admin/settings", map[string]any{"ratings": "thumbs"}), 403, "forbidden")
	testkit.Expect(t, "an unknown scale", r.a.Admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"ratings": "hearts"}), 400, "invalid_input")
	var s struct {
		Ratings     string `json:"ratings"`
		RatingEmail bool   `json:"rating_email"`
	}
	r.a.Admin.Must("GET", "/api/v1/admin/settings", nil, &s)
	if s.Ratings != "stars" || s.RatingEmail {
		t.Fatalf("default settings: %+v, want stars without email links", s)
	}
	r.a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"ratings": "thumbs"}, &s)
	if s.Ratings != "thumbs" {
		t.Fatalf("settings after the change: %+v", s)
	}
	thumbs, tv := r.answered("Тимур")
	r.close(thumbs)
	if req := r.sessionRatingRequest(tv); req == nil || req.Scale != "thumbs" {
		t.Fatalf("the rating request on a thumbs account: %+v", req)
	}
	expectRefusal(t, "stars on a thumbs account", rate(tv, thumbs, "stars", 5, ""), 409, "conflict", "scale_changed")
	testkit.Expect(t, "thumbs down", rate(tv, thumbs, "thumbs", 0, "Долго ждал"), 200, "")

	r.a.Admin.Must("PATCH", "/api/v1/admin/settings", map[string]any{"ratings": "off"}, nil)
	off, ov := r.answered("Ольга")
	r.close(off)
	if req := r.sessionRatingRequest(ov); req != nil {
		t.Fatalf("an account with ratings off asks for one: %+v", req)
	}
	expectRefusal(t, "rating with ratings off", rate(ov, off, "thumbs", 1, ""), 403, "forbidden", "ratings_off")
}

// TestRatingLiveAndReports: the assignee and staff hear a rating live; the conversation
// lists carry it; the report adds ratings up per operator, category and day with the
// comments, and the monitor shows today's; another account's report shows none of it.
func TestRatingLiveAndReports(t *testing.T) {
	t.Parallel()
	r := startRatings(t)
	pay := r.a.Category("Оплата")
	boris := r.a.Operator("Борис", "operator", 5, "pause")
	bw := boris.WS(false, "")
	bw.Ready()
	defer bw.Close()
	sup := r.a.Operator("Вера", "supervisor", 5, "")
	sw := sup.WS(false, "")
	sw.Ready()
	defer sw.Close()

	conv, v := r.answered("Ирина")
	r.anna.Must("POST", "/api/v1/conversations/"+conv+"/close", map[string]any{"category_id": pay}, nil)
	testkit.Expect(t, "rating", rate(v, conv, "stars", 5, "Спасибо, Анна!"), 200, "")
	for who, ws := range map[string]*testkit.WS{"the assignee": r.annaW, "a supervisor": sw} {
		f := ws.WaitFor("conversation.rated", nil)
		var p struct {
			ConversationID string     `json:"conversation_id"`
			Rating         ratingJSON `json:"rating"`
		}
		if err := json.Unmarshal(f.Data, &p); err != nil || p.ConversationID != conv || p.Rating.Score != 5 || p.Rating.Comment != "Спасибо, Анна!" {
			t.Fatalf("%s's conversation.rated: %s", who, f.Data)
		}
	}
	// Another operator does not hear of it: everything before his own status change (emitted
	// after the rating) reaches his socket first, and none of it is the rating.
	boris.SetStatus("away")
	for {
		f := bw.Next(5 * time.Second)
		if f.Type == "conversation.rated" {
			t.Fatalf("another operator got %s", f.Data)
		}
		if f.Type == "operator.status" && strings.Contains(string(f.Data), `"id":"`+boris.ID+`"`) {
			break
		}
	}

	// The archive carries the rating.
	items, _ := r.anna.List("state=closed")
	var listed struct {
		Items []struct {
			ID     string      `json:"id"`
			Rating *ratingJSON `json:"rating"`
		} `json:"items"`
	}
	r.anna.Must("GET", "/api/v1/conversations?state=closed", nil, &listed)
	if len(items) != 1 || len(listed.Items) != 1 || listed.Items[0].Rating == nil || listed.Items[0].Rating.Score != 5 {
		t.Fatalf("the archive: %+v", listed.Items)
	}

	// A second, unhappy rating without a comment, and one more with.
	c2, v2 := r.answered("Пётр")
	r.anna.Must("POST", "/api/v1/conversations/"+c2+"/close", map[string]any{"category_id": pay}, nil)
	testkit.Expect(t, "rating 2", rate(v2, c2, "stars", 2, ""), 200, "")
	c3, v3 := r.answered("Олег")
	r.anna.Must("POST", "/api/v1/conversations/"+c3+"/close", map[string]any{"category_id": pay}, nil)
	testkit.Expect(t, "rating 3", rate(v3, c3, "stars", 4, "Нормально"), 200, "")

	type tally struct {
		Count     int      `json:"count"`
		Satisfied int      `json:"satisfied"`
		Percent   *float64 `json:"percent"`
		AvgStars  *float64 `json:"avg_stars"`
	}
	var rep struct {
		CSAT struct {
			Totals tally `json:"totals"`
			ByDay  []struct {
				Date string `json:"date"`
				tally
			} `json:"by_day"`
			ByOperator []struct {
				OperatorID string `json:"operator_id"`
				Name       string `json:"name"`
				tally
			} `json:"by_operator"`
			ByCategory []struct {
				CategoryID *string `json:"category_id"`
				Name       string  `json:"name"`
				tally
			} `json:"by_category"`
			Comments []struct {
				ConversationID string `json:"conversation_id"`
				Score          int    `json:"score"`
				Comment        string `json:"comment"`
				VisitorName    string `json:"visitor_name"`
				OperatorName   string `json:"operator_name"`
				CategoryName   string `json:"category_name"`
			} `json:"comments"`
			CommentsTotal int `json:"comments_total"`
		} `json:"csat"`
	}
	sup.Must("GET", "/api/v1/admin/reports", nil, &rep)
	cs := rep.CSAT
	want := func(what string, got tally, count, satisfied int, avg float64) {
		t.Helper()
		if got.Count != count || got.Satisfied != satisfied || got.Percent == nil || got.AvgStars == nil ||
			*got.Percent != float64(satisfied)*100/float64(count) || *got.AvgStars != avg {
			t.Errorf("%s: %+v (percent %v, avg %v), want %d ratings, %d satisfied, avg %v", what, got, ptr(got.Percent), ptr(got.AvgStars), count, satisfied, avg)
		}
	}
	want("totals", cs.Totals, 3, 2, 11.0/3)
	if len(cs.ByOperator) != 1 || cs.ByOperator[0].OperatorID != r.anna.ID || cs.ByOperator[0].Name != "Анна" {
		t.Fatalf("by operator %+v", cs.ByOperator)
	}
	want("Анна", cs.ByOperator[0].tally, 3, 2, 11.0/3)
	if len(cs.ByCategory) != 1 || cs.ByCategory[0].CategoryID == nil || *cs.ByCategory[0].CategoryID != pay || cs.ByCategory[0].Name != "Оплата" {
		t.Fatalf("by category %+v", cs.ByCategory)
	}
	today := r.clock.Now().UTC().Format(time.DateOnly)
	if n := len(cs.ByDay); n != 7 || cs.ByDay[n-1].Date != today {
		t.Fatalf("by day %+v, want 7 days ending %s", cs.ByDay, today)
	}
	want("today", cs.ByDay[6].tally, 3, 2, 11.0/3)
	if cs.ByDay[0].Count != 0 || cs.ByDay[0].Percent != nil {
		t.Errorf("a day without ratings: %+v", cs.ByDay[0])
	}
	if cs.CommentsTotal != 2 || len(cs.Comments) != 2 || cs.Comments[0].Comment != "Нормально" || cs.Comments[1].Comment != "Спасибо, Анна!" ||
		cs.Comments[1].VisitorName != "Ирина" || cs.Comments[1].OperatorName != "Анна" || cs.Comments[1].CategoryName != "Оплата" || cs.Comments[1].Score != 5 {
		t.Fatalf("comments %+v (total %d), want the two, newest first", cs.Comments, cs.CommentsTotal)
	}
	var mon struct {
		CSATToday tally `json:"csat_today"`
	}
	sup.Must("GET", "/api/v1/admin/monitor?tz=Europe/Moscow", nil, &mon)
	if mon.CSATToday.Count == 0 {
		// Today in Moscow may have begun after the ratings (they were given before its midnight).
		moscow, _ := time.LoadLocation("Europe/Moscow")
		if r.clock.Now().In(moscow).Format(time.DateOnly) == r.clock.Now().UTC().Format(time.DateOnly) {
			t.Fatalf("monitor in Moscow: %+v", mon.CSATToday)
		}
	}
	sup.Must("GET", "/api/v1/admin/monitor", nil, &mon)
	want("the monitor's today", mon.CSATToday, 3, 2, 11.0/3)
	testkit.Expect(t, "monitor with a bad tz", sup.Do("GET", "/api/v1/admin/monitor?tz=Mars/Base", nil), 400, "invalid_input")
	testkit.Expect(t, "an operator reads reports", r.anna.Do("GET", "/api/v1/admin/reports", nil), 403, "forbidden")

	// Another account sees none of it.
	other := r.env.NewAccount()
	var otherRep struct {
		CSAT struct {
			Totals   tally `json:"totals"`
			Comments []any `json:"comments"`
		} `json:"csat"`
	}
	other.Admin.Must("GET", "/api/v1/admin/reports", nil, &otherRep)
	if otherRep.CSAT.Totals.Count != 0 || len(otherRep.CSAT.Comments) != 0 {
		t.Fatalf("another account's report: %+v", otherRep.CSAT)
	}
}

func ptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
