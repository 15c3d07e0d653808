package httpapi

import (
	"encoding/base64"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"livedesk/internal/auth"
	"livedesk/internal/desk"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	// A form on another site cannot log a browser in to an attacker's account (login CSRF):
	// the body must be JSON, which a cross-site form cannot send without a preflight, and a
	// browser's request must come from this site.
	if !sameOrigin(r) {
		return livedesk.Errorf(livedesk.CodeForbidden, "cross-site request refused")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "send the credentials as application/json")
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Email == "" || in.Password == "" {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "email and password are required")
	}
	addrKey, mailKey := s.loginKeys(r, in.Email)
	if err := s.checkLogin(addrKey, mailKey); err != nil {
		return err
	}
	op, token, err := s.desk.Login(r.Context(), in.Email, in.Password, s.cfg.SessionTTLHours)
	if err != nil {
		if livedesk.IsCode(err, livedesk.CodeUnauthenticated) {
			s.loginFailed(addrKey, mailKey)
		}
		return err
	}
	s.buckets.Reset(mailKey)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies, MaxAge: s.cfg.SessionTTLHours * 3600})
	return writeJSON(w, 200, loginAnswer{Token: token, Operator: op})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	// The session's WebSockets end with it.
	if err := s.desk.Logout(r.Context(), c.op, c.token); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logoutEverywhere ends all the operator's sessions and closes their sockets.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := s.desk.LogoutEverywhere(r.Context(), c.op.AccountID, c.op.ID); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePassword changes the operator's own password; their other sessions end.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := s.desk.ChangePassword(r.Context(), c.op.AccountID, c.op.ID, in.Current, in.New, auth.HashToken(c.token)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// me returns the operator with their effective settings.
func (s *Server) me(w http.ResponseWriter, r *http.Request, c *call) error {
	op, err := s.desk.Me(r.Context(), c.op)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, op)
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Status livedesk.Status `json:"status"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	op, err := s.desk.SetStatus(r.Context(), c.op.AccountID, c.op.ID, in.Status)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, op)
}

func (s *Server) setSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	var in livedesk.OperatorSettings
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Language != "" && in.Language != "ru" && in.Language != "en" {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "language must be ru or en")
	}
	op, err := s.desk.UpdateSettings(r.Context(), c.op.AccountID, c.op.ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, op)
}

func (s *Server) operators(w http.ResponseWriter, r *http.Request, c *call) error {
	out, err := s.desk.OperatorBriefs(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(out))
}

// listCursor encodes the position of the last list item: its last message time, or its
// closing time in the list of closed conversations.
func listCursor(c *livedesk.Conversation) string {
	at := c.LastMessageAt
	if c.State == livedesk.StateClosed && c.ClosedAt != nil {
		at = *c.ClosedAt
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMilli(), 10) + ":" + c.ID.String()))
}

func parseListCursor(s string) (int64, livedesk.ID, error) {
	bad := livedesk.Errorf(livedesk.CodeInvalidInput, "cursor is not valid")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, 0, bad
	}
	at, id, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(at, 10, 64)
	cid, idOK := livedesk.ParseID(id)
	if !ok || err != nil || !idOK {
		return 0, 0, bad
	}
	return n, cid, nil
}

func (s *Server) conversations(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	limit, err := pageLimit(r, 50, 200)
	if err != nil {
		return err
	}
	lq := desk.ListQuery{State: q.Get("state"), Limit: limit}
	if a := q.Get("assignee_id"); a != "" {
		id, ok := livedesk.ParseID(a)
		if !ok {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "assignee_id is not valid")
		}
		lq.Assignee = id
	}
	if cur := q.Get("cursor"); cur != "" {
		if lq.AfterAt, lq.AfterID, err = parseListCursor(cur); err != nil {
			return err
		}
	}
	items, err := s.desk.ListConversations(r.Context(), c.op, lq)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, pageOf(items, limit, listCursor))
}

func (s *Server) conversation(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	conv, err := s.desk.ReadConversation(r.Context(), c.op, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, conv)
}

func (s *Server) messages(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	limit, err := pageLimit(r, 50, 200)
	if err != nil {
		return err
	}
	var before livedesk.ID
	if b := r.URL.Query().Get("before"); b != "" {
		var ok bool
		if before, ok = livedesk.ParseID(b); !ok {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "before is not valid")
		}
	}
	items, err := s.desk.ReadMessages(r.Context(), c.op, id, before, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, messagePage(items, limit))
}

func messagePage(items []*livedesk.Message, limit int) page[*livedesk.Message] {
	return pageOf(items, limit, func(m *livedesk.Message) string { return m.ID.String() })
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in desk.MessageInput
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.SendMessage(r.Context(), c.op.AccountID, c.op.ID, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in struct {
		ClientID string `json:"client_id"`
		Text     string `json:"text"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.desk.AddComment(r.Context(), c.op.AccountID, c.op.ID, id, in.ClientID, in.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	if err := s.desk.MarkRead(r.Context(), c.op.AccountID, c.op.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) closeConversation(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in struct {
		CategoryID livedesk.ID `json:"category_id"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.CategoryID < 0 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "category_id is not a category of this account")
	}
	conv, err := s.desk.Close(r.Context(), c.op.AccountID, c.op.ID, id, in.CategoryID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, conv)
}

func (s *Server) offerTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in struct {
		ToOperatorID livedesk.ID `json:"to_operator_id"`
		Comment      string      `json:"comment"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.ToOperatorID == 0 {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "to_operator_id is required")
	}
	t, err := s.desk.Offer(r.Context(), c.op.AccountID, c.op.ID, id, in.ToOperatorID, in.Comment)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

// pendingTransfers lists the offers waiting for the operator and the ones they made, so a
// reloaded app shows them again.
func (s *Server) pendingTransfers(w http.ResponseWriter, r *http.Request, c *call) error {
	in, out, err := s.desk.PendingTransfers(r.Context(), c.op.AccountID, c.op.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, pendingTransfersAnswer{Incoming: in, Outgoing: out})
}

func (s *Server) acceptTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "transfer")
	if err != nil {
		return err
	}
	t, err := s.desk.Accept(r.Context(), c.op.AccountID, c.op.ID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, t)
}

func (s *Server) declineTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "transfer")
	if err != nil {
		return err
	}
	t, err := s.desk.Decline(r.Context(), c.op.AccountID, c.op.ID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, t)
}

func (s *Server) cancelTransfer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "transfer")
	if err != nil {
		return err
	}
	t, err := s.desk.Cancel(r.Context(), c.op.AccountID, c.op.ID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, t)
}

func (s *Server) categories(w http.ResponseWriter, r *http.Request, c *call) error {
	items, err := s.desk.Categories(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(items))
}

func (s *Server) operatorWS(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.hub.Serve(w, r, realtime.Client{AccountID: c.op.AccountID, OperatorID: c.op.ID, Role: c.op.Role, Name: c.op.Name,
		Session: auth.HashToken(c.token), AuthAt: c.at})
}

// assignQueued gives a queued conversation to the caller or to the operator named.
func (s *Server) assignQueued(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in struct {
		OperatorID livedesk.ID `json:"operator_id"`
	}
	if err := s.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.OperatorID == 0 {
		in.OperatorID = c.op.ID
	}
	conv, err := s.desk.AssignQueued(r.Context(), c.op.AccountID, c.op.ID, id, in.OperatorID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, conv)
}

// queueLength tells any operator how many visitors wait (who they are is for staff).
func (s *Server) queueLength(w http.ResponseWriter, r *http.Request, c *call) error {
	n, err := s.desk.QueueLength(r.Context(), c.op.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, map[string]int{"waiting": n})
}
