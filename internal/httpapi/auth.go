package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// Who is calling: sessions (cookie or bearer), visitor tokens, and the origin checks.

const sessionCookie = "livedesk_session"

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// queryToken reports whether a visitor route takes the token as ?token=: a browser cannot
// send a header when it opens a socket or loads a picture or a file link. Every other
// visitor route wants the Authorization header, so tokens stay out of URLs (and logs).
func queryToken(path string) bool {
	switch path {
	case "/api/v1/widget/ws", "/api/v1/widget/attachments/{id}/file", "/api/v1/widget/stickers/{id}/image":
		return true
	}
	return false
}

func (s *Server) authenticate(r *http.Request, path string, access Access, c *call) error {
	switch access {
	case Public:
		return nil
	case Visitor:
		tok := bearer(r)
		if tok == "" && queryToken(path) {
			tok = r.URL.Query().Get("token")
		}
		if tok == "" {
			return livedesk.Errorf(livedesk.CodeUnauthenticated, "a visitor token is required")
		}
		claims, err := s.tokens.Verify(tok)
		if err != nil {
			return err
		}
		cp, err := s.desk.ContactPoint(r.Context(), claims.AccountID, claims.ContactPointID)
		if err != nil {
			return livedesk.Errorf(livedesk.CodeUnauthenticated, "visitor token is not valid")
		}
		c.visitor, c.cp = claims, cp
		return nil
	}
	tok, fromCookie := bearer(r), false
	if tok == "" && r.URL.Path == "/api/v1/ws" {
		tok = r.URL.Query().Get("token")
	}
	if tok == "" {
		if ck, err := r.Cookie(sessionCookie); err == nil {
			tok, fromCookie = ck.Value, true
		}
	}
	if tok == "" {
		return livedesk.Errorf(livedesk.CodeUnauthenticated, "log in first")
	}
	if fromCookie && !sameOrigin(r) {
		return livedesk.Errorf(livedesk.CodeForbidden, "cross-site request refused")
	}
	op, err := s.desk.Session(r.Context(), auth.HashToken(tok))
	if err != nil {
		return err
	}
	c.op, c.token = op, tok
	if access == Staff && !op.Role.Staff() || access == Admin && op.Role != livedesk.RoleAdmin {
		return livedesk.Errorf(livedesk.CodeForbidden, "your role does not allow this")
	}
	return nil
}

// sameOrigin protects cookie sessions from cross-site requests: unsafe methods and
// WebSocket upgrades must come from the page's own origin.
func sameOrigin(r *http.Request) bool {
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		return err == nil && u.Host == r.Host
	}
	if r.Method == http.MethodGet && r.Header.Get("Upgrade") == "" {
		return true
	}
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "" || site == "same-origin" || site == "none"
}
