package httpapi

import (
	"net/http"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// search answers GET /api/v1/search: conversations the operator may read that match q
// (docs/search.md). from and to are dates (YYYY-MM-DD, whole days in ?tz=, to included) or
// RFC 3339 times (to excluded).
func (s *Server) search(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	loc := time.UTC
	if tz := q.Get("tz"); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "tz must be an IANA time zone such as Europe/Moscow")
		}
		loc = l
	}
	req := desk.SearchRequest{Q: q.Get("q"), State: q.Get("state"), Channel: q.Get("channel")}
	for _, p := range []struct {
		name string
		dst  *livedesk.ID
	}{{"operator", &req.Operator}, {"category", &req.Category}, {"contact_point", &req.ContactPoint}, {"before", &req.Before}} {
		if v := q.Get(p.name); v != "" {
			id, ok := livedesk.ParseID(v)
			if !ok {
				return livedesk.Errorf(livedesk.CodeInvalidInput, "%s is not a valid id", p.name)
			}
			*p.dst = id
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
		day  int // a date as "to" covers its whole day
	}{{"from", &req.From, 0}, {"to", &req.To, 1}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			*p.dst = d.AddDate(0, 0, p.day)
		} else if t, err := time.Parse(time.RFC3339, v); err == nil {
			*p.dst = t
		} else {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "%s must be a date (YYYY-MM-DD) or an RFC 3339 time", p.name)
		}
	}
	var err error
	if req.Limit, err = pageLimit(r, desk.SearchPageDefault, desk.SearchPageMax); err != nil {
		return err
	}
	page, err := s.desk.Search(r.Context(), c.op, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// contactPoints answers GET /api/v1/contact-points: the account's contact points as every
// operator may see them (names and channels, for the search filters).
func (s *Server) contactPoints(w http.ResponseWriter, r *http.Request, c *call) error {
	items, err := s.desk.ContactPointBriefs(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
