package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

func (s *Server) adminOperators(w http.ResponseWriter, r *http.Request, c *call) error {
	ops, err := s.desk.Operators(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(ops))
}

func (s *Server) adminCreateOperator(w http.ResponseWriter, r *http.Request, c *call) error {
	var in desk.NewOperator
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	op, err := s.desk.CreateOperator(r.Context(), c.op.AccountID, in, s.cfg.BcryptCost)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, op)
}

func (s *Server) adminUpdateOperator(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "operator")
	if err != nil {
		return err
	}
	var in desk.OperatorPatch
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	op, err := s.desk.UpdateOperator(r.Context(), c.op, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, op)
}

func (s *Server) adminContactPoints(w http.ResponseWriter, r *http.Request, c *call) error {
	items, err := s.desk.ContactPoints(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(items))
}

func (s *Server) adminCreateContactPoint(w http.ResponseWriter, r *http.Request, c *call) error {
	var in desk.NewContactPoint
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	settings, err := desk.CheckContactPointSettings(in.Settings)
	if err != nil {
		return err
	}
	in.Settings = settings
	cp, err := s.desk.CreateContactPoint(r.Context(), c.op.AccountID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, cp)
}

func (s *Server) adminContactPoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	cp, err := s.desk.ContactPoint(r.Context(), c.op.AccountID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, cp)
}

func (s *Server) adminUpdateContactPoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	var in desk.ContactPointPatch
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	cp, err := s.desk.UpdateContactPoint(r.Context(), c.op.AccountID, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, cp)
}

func (s *Server) adminCreateCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Name     string `json:"name"`
		Position int    `json:"position"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	cat, err := s.desk.CreateCategory(r.Context(), c.op.AccountID, livedesk.Category{Name: in.Name, Position: in.Position})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, cat)
}

func (s *Server) adminUpdateCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "category")
	if err != nil {
		return err
	}
	var in desk.CategoryPatch
	if err := s.readPatch(w, r, &in); err != nil {
		return err
	}
	cat, err := s.desk.UpdateCategory(r.Context(), c.op.AccountID, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, cat)
}

func (s *Server) adminDeleteCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "category")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteCategory(r.Context(), c.op.AccountID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	settings, err := s.desk.AccountSettings(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, settings)
}

func (s *Server) adminUpdateSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	var patch desk.SettingsPatch
	if err := s.readPatch(w, r, &patch); err != nil {
		return err
	}
	settings, err := s.desk.UpdateAccountSettings(r.Context(), c.op.AccountID, patch)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, settings)
}

// timeZone reads the IANA time zone of ?tz= (default UTC).
func timeZone(r *http.Request) (*time.Location, error) {
	tz := r.URL.Query().Get("tz")
	if tz == "" {
		return time.UTC, nil
	}
	l, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" {
		return nil, &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: "tz must be an IANA time zone such as Europe/Moscow",
			Details: map[string]string{"field": "tz"}}
	}
	return l, nil
}

// adminMonitor answers the supervisor's live picture, with today's ratings in ?tz=.
func (s *Server) adminMonitor(w http.ResponseWriter, r *http.Request, c *call) error {
	loc, err := timeZone(r)
	if err != nil {
		return err
	}
	m, err := s.desk.Monitor(r.Context(), c.op.AccountID, loc)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, m)
}

// maxReportDays bounds a report's range: a year of days, so one request stays a few reads.
const maxReportDays = 366

// adminReports answers the supervisor's summary over whole days: ?from=&to= (YYYY-MM-DD,
// inclusive; default the last 7 days) in the IANA time zone ?tz= (default UTC).
func (s *Server) adminReports(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	bad := func(field, why string) error {
		return &livedesk.Error{Code: livedesk.CodeInvalidInput, Message: why, Details: map[string]string{"field": field}}
	}
	loc, err := timeZone(r)
	if err != nil {
		return err
	}
	now := s.desk.Now().In(loc)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	from := to.AddDate(0, 0, -6)
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return bad(p.name, p.name+" must be a date as YYYY-MM-DD")
		}
		*p.dst = d
	}
	if to.Before(from) {
		return bad("from", "from must not be after to")
	}
	if to.Sub(from) > (maxReportDays-1)*24*time.Hour+time.Hour {
		return bad("to", fmt.Sprintf("a report covers at most %d days", maxReportDays))
	}
	rep, err := s.desk.Report(r.Context(), c.op.AccountID, from, to, loc)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}
