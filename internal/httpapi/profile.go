package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"

	"livedesk/internal/desk"
	"livedesk/internal/guard"
	"livedesk/internal/livedesk"
)

// The visitor profile (issue 17, docs/visitor-profile.md): the widget reports where and how
// the visitor is, operators read and edit the profile of a conversation's visitor and their
// earlier conversations, admins delete a visitor.

// maxProfileBody is the most bytes of a widget's profile report: 50 pages of the longest
// address and title, the first visit and the attributes fit well below it.
const maxProfileBody = 256 << 10

func (s *Server) widgetProfile(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := checkOrigin(r, c.cp); err != nil {
		return err
	}
	// Page views have their own bucket (at the messages' rate): browsing never eats into
	// what the visitor may write.
	lim := s.visitorLimits(c.cp)
	key := "p" + c.cp.ID.String() + "|" + guard.Key(s.cfg.Limits.Proxies.ClientAddr(r))
	if ok, wait := s.buckets.Take(key, lim.MessagesPerMinute, lim.MessagesPerMinute, s.desk.Now()); !ok {
		return rateLimited("too many page reports from your address; wait a little", wait)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxProfileBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return livedesk.Errorf(livedesk.CodeTooLarge, "the profile report is larger than %d bytes", maxProfileBody)
		}
		if livedesk.IsCode(err, livedesk.CodeRequestTimeout) {
			return err
		}
		return livedesk.Errorf(livedesk.CodeInvalidInput, "could not read the request body")
	}
	var in desk.VisitorContextInput
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	facts := desk.RequestFacts{UserAgent: r.UserAgent(), IP: s.cfg.Limits.Proxies.ClientAddr(r).Unmap().String()}
	if err := s.desk.VisitorSeen(r.Context(), c.cp, c.visitor.VisitorID, in, facts); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) conversationVisitor(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	p, err := s.desk.VisitorProfileOf(r.Context(), c.op, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, p)
}

func (s *Server) editConversationVisitor(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	var in desk.VisitorEdit
	if err := s.readPatch(w, r, &in); err != nil {
		return err
	}
	p, err := s.desk.EditVisitor(r.Context(), c.op.AccountID, c.op.ID, id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, p)
}

func (s *Server) visitorConversations(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	items, err := s.desk.EarlierConversations(r.Context(), c.op, id)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, itemsOf(items))
}

func (s *Server) visitorConversationMessages(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "conversation")
	if err != nil {
		return err
	}
	other, ok := livedesk.ParseID(r.PathValue("other"))
	if !ok {
		return livedesk.NotFound("conversation")
	}
	limit, err := pageLimit(r, 50, 200)
	if err != nil {
		return err
	}
	var before livedesk.ID
	if b := r.URL.Query().Get("before"); b != "" {
		if before, ok = livedesk.ParseID(b); !ok {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "before is not valid")
		}
	}
	items, err := s.desk.EarlierMessages(r.Context(), c.op, id, other, before, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, 200, messagePage(items, limit))
}

func (s *Server) adminDeleteVisitor(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "visitor")
	if err != nil {
		return err
	}
	del, err := s.desk.DeleteVisitor(r.Context(), c.op, id)
	if err != nil {
		return err
	}
	// The files' content goes too, from the shared files directory every node reads,
	// unless another attachment (someone else's identical file) still uses it.
	ctx := context.WithoutCancel(r.Context())
	for _, sha := range del.Hashes {
		if s.cfg.Files == nil {
			break
		}
		if err := s.cfg.Files.Remove(ctx, sha); err != nil {
			s.log.Warn("delete visitor: file content not removed", "sha256", sha, "err", err)
		}
	}
	return writeJSON(w, 200, del)
}
