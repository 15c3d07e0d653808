package httpapi

import (
	"net/http"

	"livedesk/internal/desk"
)

// startEmail starts an email conversation: the operator's new mail to a customer address
// (desk.StartEmail).
func (s *Server) startEmail(w http.ResponseWriter, r *http.Request, c *call) error {
	var in desk.NewEmail
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.desk.StartEmail(r.Context(), c.op.AccountID, c.op.ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// sendingMailboxes lists the email contact points an operator may write a new mail from.
func (s *Server) sendingMailboxes(w http.ResponseWriter, r *http.Request, c *call) error {
	items, err := s.desk.SendingMailboxes(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
