package httpapi

import (
	"net/http"
	"strconv"

	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
)

// quickMessages serves the quick-message window and the composer's autocomplete:
// ?q= (search from 2 characters), ?category_id= ("personal" or an id), ?limit= (≤ 500).
func (s *Server) quickMessages(w http.ResponseWriter, r *http.Request, c *call) error {
	f, err := quickFilter(r)
	if err != nil {
		return err
	}
	res, err := s.desk.QuickMessages(r.Context(), c.op.AccountID, c.op.ID, f)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, res)
}

func quickFilter(r *http.Request) (desk.QuickFilter, error) {
	q := r.URL.Query()
	f := desk.QuickFilter{Query: q.Get("q"), Category: q.Get("category_id"), Limit: 500}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return f, livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be a whole number from 1 to 500")
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) createPersonalQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	var in desk.QuickInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.SaveQuickMessage(r.Context(), c.op.AccountID, c.op.ID, 0, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) updatePersonalQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.updateQuick(w, r, c.op.AccountID, c.op.ID)
}

func (s *Server) deletePersonalQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.deleteQuick(w, r, c.op.AccountID, c.op.ID)
}

func (s *Server) updateQuick(w http.ResponseWriter, r *http.Request, account, owner livedesk.ID) error {
	id, err := pathID(r, "quick message")
	if err != nil {
		return err
	}
	var in desk.QuickInput
	if err := s.readPatch(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.SaveQuickMessage(r.Context(), account, owner, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, m)
}

func (s *Server) deleteQuick(w http.ResponseWriter, r *http.Request, account, owner livedesk.ID) error {
	id, err := pathID(r, "quick message")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteQuickMessage(r.Context(), account, owner, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// setQuickHotkey binds {hotkey: "Ctrl+Alt+Digit1"} or removes it ({hotkey: null}).
func (s *Server) setQuickHotkey(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "quick message")
	if err != nil {
		return err
	}
	var in struct {
		Hotkey *string `json:"hotkey"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	hotkey := ""
	if in.Hotkey != nil {
		if *in.Hotkey == "" {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "hotkey is empty; send null to remove it")
		}
		hotkey = *in.Hotkey
	}
	m, err := s.desk.SetQuickHotkey(r.Context(), c.op.AccountID, c.op.ID, id, hotkey)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, m)
}

func (s *Server) adminQuickCategories(w http.ResponseWriter, r *http.Request, c *call) error {
	cats, err := s.desk.QuickCategories(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(cats))
}

type quickCategoryInput struct {
	Name     *string `json:"name"`
	Position *int    `json:"position"`
}

func (s *Server) adminCreateQuickCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	var in quickCategoryInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	cat, err := s.desk.SaveQuickCategory(r.Context(), c.op.AccountID, 0, in.Name, in.Position)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, cat)
}

func (s *Server) adminUpdateQuickCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "quick message category")
	if err != nil {
		return err
	}
	var in quickCategoryInput
	if err := s.readPatch(w, r, &in); err != nil {
		return err
	}
	cat, err := s.desk.SaveQuickCategory(r.Context(), c.op.AccountID, id, in.Name, in.Position)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, cat)
}

func (s *Server) adminDeleteQuickCategory(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "quick message category")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteQuickCategory(r.Context(), c.op.AccountID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// adminQuickMessages lists the account-wide quick messages (never anyone's personal ones);
// ?q= and ?category_id= search as for operators.
func (s *Server) adminQuickMessages(w http.ResponseWriter, r *http.Request, c *call) error {
	f, err := quickFilter(r)
	if err != nil {
		return err
	}
	if f.Category == "personal" {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "admins manage account-wide quick messages; personal ones are private")
	}
	res, err := s.desk.QuickMessages(r.Context(), c.op.AccountID, c.op.ID, f)
	if err != nil {
		return err
	}
	items := make([]*livedesk.QuickMessage, 0, len(res.Items))
	for _, m := range res.Items {
		if !m.Personal {
			m.Hotkey = ""
			items = append(items, m)
		}
	}
	return writeJSON(w, 200, quickListAnswer{Categories: res.Categories[1:], Items: items})
}

func (s *Server) adminCreateQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	var in desk.QuickInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.SaveQuickMessage(r.Context(), c.op.AccountID, 0, 0, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) adminUpdateQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.updateQuick(w, r, c.op.AccountID, 0)
}

func (s *Server) adminDeleteQuick(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.deleteQuick(w, r, c.op.AccountID, 0)
}
