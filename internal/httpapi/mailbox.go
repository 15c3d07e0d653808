package httpapi

import (
	"net/http"
)

// Confirmation of a mailbox's address (docs/email.md): the state, a new code, the code.

func (s *Server) adminMailbox(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	m, err := s.desk.Mailbox(r.Context(), c.op.AccountID, id)
	if err != nil {
		return err
	}
	a, err := s.mailboxAnswer(r.Context(), m)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, a)
}

func (s *Server) adminMailboxResend(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	m, err := s.desk.ResendMailboxConfirmation(r.Context(), c.op.AccountID, id)
	if err != nil {
		return err
	}
	a, err := s.mailboxAnswer(r.Context(), m)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, a)
}

func (s *Server) adminMailboxConfirm(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "contact point")
	if err != nil {
		return err
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.ConfirmMailbox(r.Context(), c.op.AccountID, id, in.Code)
	if err != nil {
		return err
	}
	a, err := s.mailboxAnswer(r.Context(), m)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, a)
}
