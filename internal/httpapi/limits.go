package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"livedesk/internal/desk"
	"livedesk/internal/guard"
	"livedesk/internal/livedesk"
)

// Limits are the per-address rates of anonymous callers (see docs/operations.md, Security).
type Limits struct {
	// Proxies are the reverse proxies whose X-Forwarded-For names the client.
	Proxies guard.Proxies
	// Visitor are the server's defaults of what one address may do at a contact point;
	// a contact point's settings.limits override them.
	Visitor desk.VisitorLimits
	// LoginFailuresPerAddress: failed logins one address may make (burst, then a minute each
	// refills that many), across emails.
	LoginFailuresPerAddress int
	// LoginFailuresPerEmail: failed logins on one email (burst), across addresses; they then
	// refill at one every LoginBackoff, so guessing slows to a crawl.
	LoginFailuresPerEmail int
	LoginBackoff          time.Duration
}

// DefaultLimits are limits a real site and team never reach.
func DefaultLimits() Limits {
	return Limits{Visitor: desk.DefaultVisitorLimits(), LoginFailuresPerAddress: 10, LoginFailuresPerEmail: 10, LoginBackoff: 30 * time.Second}
}

// visitorAction is what a visitor limit counts.
type visitorAction int

const (
	actSession visitorAction = iota
	actMessage
	actUpload
)

// allowVisitor spends one token of the client address's bucket for the action at cp, or
// answers rate_limited with the time to wait.
func (s *Server) allowVisitor(r *http.Request, act visitorAction, cp *livedesk.ContactPoint) error {
	lim := s.visitorLimits(cp)
	perMinute, kind, what := lim.SessionsPerMinute, "s", "chats started"
	switch act {
	case actMessage:
		perMinute, kind, what = lim.MessagesPerMinute, "m", "messages"
	case actUpload:
		perMinute, kind, what = lim.UploadsPerMinute, "u", "uploads"
	}
	key := kind + cp.ID.String() + "|" + guard.Key(s.cfg.Limits.Proxies.ClientAddr(r))
	if ok, wait := s.buckets.Take(key, perMinute, perMinute, s.desk.Now()); !ok {
		return rateLimited("too many "+what+" from your address; wait a little and try again", wait)
	}
	return nil
}

// cachedLimits are a contact point's visitor limits as parsed from its settings.
type cachedLimits struct {
	settings string
	limits   desk.VisitorLimits
}

// visitorLimits are the limits at cp: its settings.limits over the server's, parsed once per
// version of its settings (every visitor request asks).
func (s *Server) visitorLimits(cp *livedesk.ContactPoint) desk.VisitorLimits {
	if c, ok := s.limitsCache.Load(cp.ID); ok && c.(*cachedLimits).settings == string(cp.Settings) {
		return c.(*cachedLimits).limits
	}
	l := s.cfg.Limits.Visitor.Over(desk.ContactPointLimits(cp))
	s.limitsCache.Store(cp.ID, &cachedLimits{settings: string(cp.Settings), limits: l})
	return l
}

// loginKeys are the buckets a login attempt counts in: its address and its email.
func (s *Server) loginKeys(r *http.Request, email string) (addr, mail string) {
	return "la" + guard.Key(s.cfg.Limits.Proxies.ClientAddr(r)), "le" + strings.ToLower(strings.TrimSpace(email))
}

// checkLogin refuses a login attempt while its address or its email has no failures left.
func (s *Server) checkLogin(addr, mail string) error {
	l, now := s.cfg.Limits, s.desk.Now()
	if ok, wait := s.buckets.Peek(addr, l.LoginFailuresPerAddress, l.LoginFailuresPerAddress, now); !ok {
		return rateLimited("too many failed logins from your address; wait and try again", wait)
	}
	if ok, wait := s.buckets.Peek(mail, s.emailRefill(), l.LoginFailuresPerEmail, now); !ok {
		return rateLimited("too many failed logins for this email; wait and try again", wait)
	}
	return nil
}

// loginFailed spends a failure of the address and of the email.
func (s *Server) loginFailed(addr, mail string) {
	l, now := s.cfg.Limits, s.desk.Now()
	s.buckets.Take(addr, l.LoginFailuresPerAddress, l.LoginFailuresPerAddress, now)
	s.buckets.Take(mail, s.emailRefill(), l.LoginFailuresPerEmail, now)
}

// emailRefill is the per-minute refill of an email's failures (at least one a minute).
func (s *Server) emailRefill() int {
	if b := s.cfg.Limits.LoginBackoff; b > 0 && b < time.Minute {
		return int(time.Minute / b)
	}
	return 1
}

// rateLimited is the rate_limited error with the seconds to wait (sent as Retry-After).
func rateLimited(msg string, wait time.Duration) error {
	secs := int(wait.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return &livedesk.Error{Code: livedesk.CodeRateLimited, Message: msg, Details: map[string]string{"retry_after": strconv.Itoa(secs)}}
}
