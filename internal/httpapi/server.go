// Package httpapi is livedesk's HTTP interface: one route table (Routes), handlers that
// return errors, and one map from error codes to HTTP statuses.
package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"livedesk/internal/attachment"
	"livedesk/internal/auth"
	"livedesk/internal/desk"
	"livedesk/internal/guard"
	"livedesk/internal/livedesk"
	"livedesk/internal/realtime"
	"livedesk/internal/spell"
)

// Access says who may call a route.
type Access int

// Access levels.
const (
	Public Access = iota
	Operator
	Staff
	Admin
	Visitor
)

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Summary string
	handle  func(w http.ResponseWriter, r *http.Request, c *call) error
}

// call is what a handler knows about its caller.
type call struct {
	op      *livedesk.Operator
	token   string // operator session token
	visitor auth.VisitorClaims
	cp      *livedesk.ContactPoint
	at      time.Time // when the request arrived, before it was authenticated
}

// Config is what the API needs besides its collaborators.
type Config struct {
	BcryptCost      int
	SessionTTLHours int
	SecureCookies   bool
	MaxBodyBytes    int64
	// BodyTimeout is how long a JSON body may take to arrive, and an upload before its
	// minimum throughput counts (0: 10 s).
	BodyTimeout time.Duration
	// MetricsToken lets a scraper read /metrics on this listener (empty: not served here).
	MetricsToken string
	// Limits are the per-address rates of anonymous callers.
	Limits  Limits
	Version string
	// Assets are the built front ends (package web); nil serves a "not built" page.
	Assets fs.FS
	// Files stores attachment content; nil answers the file endpoints with unavailable.
	Files *attachment.Files
	// Spell checks spelling; nil (or still loading) answers spellcheck with ready=false.
	Spell *spell.Checker
}

// Server serves the API.
type Server struct {
	cfg     Config
	desk    *desk.Desk
	hub     *realtime.Hub
	tokens  *auth.VisitorTokens
	log     *slog.Logger
	buckets *guard.Buckets
	// limitsCache holds each contact point's parsed visitor limits (by id).
	limitsCache sync.Map
	reg         *prometheus.Registry
	mux         *http.ServeMux
	ready       func(context.Context) error

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New builds the server and its route table.
func New(cfg Config, d *desk.Desk, hub *realtime.Hub, tokens *auth.VisitorTokens, reg *prometheus.Registry, log *slog.Logger, ready func(context.Context) error) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = defaultBodyTimeout
	}
	if cfg.SessionTTLHours <= 0 {
		cfg.SessionTTLHours = 24 * 30
	}
	s := &Server{cfg: cfg, desk: d, hub: hub, tokens: tokens, log: log, reg: reg, ready: ready,
		buckets: guard.NewBuckets(0), mux: http.NewServeMux()}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "livedesk_http_requests_total",
		Help: "HTTP requests by route and status."}, []string{"route", "status"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "livedesk_http_request_seconds",
		Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12)}, []string{"route"})
	reg.MustRegister(s.requests, s.latency)
	for _, rt := range s.Routes() {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	s.mux.Handle("/", static{assets: cfg.Assets, allowed: s.allowedMethods, secure: cfg.SecureCookies})
	return s
}

// allowedMethods asks the route table which methods it has for the request's path: the mux
// matches the path with each method in turn, exactly as it would route it. GET implies HEAD.
func (s *Server) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Routes is the route table: every endpoint of livedesk, once.
func (s *Server) Routes() []Route {
	return []Route{
		{"GET", "/healthz", Public, "liveness", s.healthz},
		{"GET", "/readyz", Public, "readiness", s.readyz},
		{"GET", "/metrics", Public, "Prometheus metrics (with --metrics-token)", s.metrics},
		{"GET", "/widget-test", Public, "minimal visitor test page", s.widgetTestPage},

		{"POST", "/api/v1/auth/login", Public, "log in", s.login},
		{"POST", "/api/v1/auth/logout", Operator, "log out", s.logout},
		{"POST", "/api/v1/auth/logout-everywhere", Operator, "end every session of the operator, this one included", s.logoutEverywhere},
		{"POST", "/api/v1/me/password", Operator, "change own password (other sessions end)", s.changePassword},
		{"GET", "/api/v1/me", Operator, "the current operator", s.me},
		{"PUT", "/api/v1/me/status", Operator, "change own status", s.setStatus},
		{"PATCH", "/api/v1/me/settings", Operator, "change own settings", s.setSettings},
		{"GET", "/api/v1/operators", Operator, "colleagues for the transfer dialog", s.operators},

		{"GET", "/api/v1/conversations", Operator, "conversation list", s.conversations},
		{"GET", "/api/v1/conversations/{id}", Operator, "one conversation", s.conversation},
		{"GET", "/api/v1/conversations/{id}/messages", Operator, "history page", s.messages},
		{"POST", "/api/v1/conversations/{id}/messages", Operator, "reply", s.sendMessage},
		{"POST", "/api/v1/conversations/{id}/comments", Operator, "internal comment", s.addComment},
		{"POST", "/api/v1/conversations/{id}/read", Operator, "mark read", s.markRead},
		{"POST", "/api/v1/conversations/{id}/close", Operator, "close with a category", s.closeConversation},
		{"POST", "/api/v1/conversations/{id}/transfers", Operator, "transfer to another operator", s.offerTransfer},
		{"POST", "/api/v1/conversations/{id}/assign", Staff, "take a queued conversation or assign it to an operator", s.assignQueued},
		{"GET", "/api/v1/transfers", Operator, "pending offers to and from me", s.pendingTransfers},
		{"GET", "/api/v1/queue", Operator, "how many visitors wait in the queue", s.queueLength},
		{"POST", "/api/v1/transfers/{id}/accept", Operator, "accept a transfer", s.acceptTransfer},
		{"POST", "/api/v1/transfers/{id}/decline", Operator, "decline a transfer", s.declineTransfer},
		{"POST", "/api/v1/transfers/{id}/cancel", Operator, "cancel a transfer", s.cancelTransfer},
		{"GET", "/api/v1/conversation-categories", Operator, "conversation categories", s.categories},
		{"POST", "/api/v1/attachments", Operator, "upload files to send", s.uploadAttachments},
		{"GET", "/api/v1/attachments/{id}", Operator, "download a file", s.downloadAttachment},
		{"GET", "/api/v1/sticker-packs", Operator, "sticker packs to send from", s.stickerPacks},
		{"GET", "/api/v1/stickers/{id}", Operator, "a sticker's picture", s.stickerImage},
		{"GET", "/api/v1/ws", Operator, "operator WebSocket", s.operatorWS},

		{"GET", "/api/v1/quick-messages", Operator, "quick messages: list and search", s.quickMessages},
		{"POST", "/api/v1/quick-messages", Operator, "create a personal quick message", s.createPersonalQuick},
		{"PATCH", "/api/v1/quick-messages/{id}", Operator, "change a personal quick message", s.updatePersonalQuick},
		{"DELETE", "/api/v1/quick-messages/{id}", Operator, "delete a personal quick message", s.deletePersonalQuick},
		{"PUT", "/api/v1/quick-messages/{id}/hotkey", Operator, "bind or remove own hotkey", s.setQuickHotkey},

		{"GET", "/api/v1/admin/operators", Admin, "list operators", s.adminOperators},
		{"POST", "/api/v1/admin/operators", Admin, "create an operator", s.adminCreateOperator},
		{"PATCH", "/api/v1/admin/operators/{id}", Admin, "change an operator", s.adminUpdateOperator},
		{"GET", "/api/v1/admin/contact-points", Admin, "list contact points", s.adminContactPoints},
		{"POST", "/api/v1/admin/contact-points", Admin, "create a contact point", s.adminCreateContactPoint},
		{"GET", "/api/v1/admin/contact-points/{id}", Admin, "one contact point", s.adminContactPoint},
		{"PATCH", "/api/v1/admin/contact-points/{id}", Admin, "change a contact point's name or widget settings", s.adminUpdateContactPoint},
		{"GET", "/api/v1/admin/contact-points/{id}/mailbox", Admin, "a mailbox's address confirmation state", s.adminMailbox},
		{"POST", "/api/v1/admin/contact-points/{id}/mailbox/resend", Admin, "mail the mailbox a new confirmation code", s.adminMailboxResend},
		{"POST", "/api/v1/admin/contact-points/{id}/mailbox/confirm", Admin, "confirm a mailbox's address with the code mailed to it", s.adminMailboxConfirm},
		{"GET", "/api/v1/admin/conversation-categories", Admin, "list categories", s.categories},
		{"POST", "/api/v1/admin/conversation-categories", Admin, "create a category", s.adminCreateCategory},
		{"PATCH", "/api/v1/admin/conversation-categories/{id}", Admin, "change a category", s.adminUpdateCategory},
		{"DELETE", "/api/v1/admin/conversation-categories/{id}", Admin, "delete a category", s.adminDeleteCategory},
		{"GET", "/api/v1/admin/quick-message-categories", Admin, "list quick message categories", s.adminQuickCategories},
		{"POST", "/api/v1/admin/quick-message-categories", Admin, "create a quick message category", s.adminCreateQuickCategory},
		{"PATCH", "/api/v1/admin/quick-message-categories/{id}", Admin, "change a quick message category", s.adminUpdateQuickCategory},
		{"DELETE", "/api/v1/admin/quick-message-categories/{id}", Admin, "delete a quick message category and its messages", s.adminDeleteQuickCategory},
		{"GET", "/api/v1/admin/quick-messages", Admin, "list account-wide quick messages", s.adminQuickMessages},
		{"POST", "/api/v1/admin/quick-messages", Admin, "create an account-wide quick message", s.adminCreateQuick},
		{"PATCH", "/api/v1/admin/quick-messages/{id}", Admin, "change an account-wide quick message", s.adminUpdateQuick},
		{"DELETE", "/api/v1/admin/quick-messages/{id}", Admin, "delete an account-wide quick message", s.adminDeleteQuick},
		{"GET", "/api/v1/admin/settings", Admin, "account settings", s.adminSettings},
		{"PATCH", "/api/v1/admin/settings", Admin, "change account settings", s.adminUpdateSettings},
		{"GET", "/api/v1/admin/monitor", Staff, "live operators, queue and load", s.adminMonitor},
		{"GET", "/api/v1/admin/reports", Staff, "conversations, first response and queue wait over whole days", s.adminReports},
		{"GET", "/api/v1/admin/sticker-packs", Admin, "uploaded sticker packs and their limits", s.adminStickerPacks},
		{"POST", "/api/v1/admin/sticker-packs", Admin, "create a sticker pack", s.adminCreateStickerPack},
		{"DELETE", "/api/v1/admin/sticker-packs/{id}", Admin, "delete a sticker pack", s.adminDeleteStickerPack},
		{"POST", "/api/v1/admin/sticker-packs/{id}/stickers", Admin, "upload stickers (PNG, WebP, GIF) to a pack", s.adminAddStickers},

		{"POST", "/api/v1/spellcheck", Operator, "misspelled words of a text, with suggestions", s.spellcheck},
		{"GET", "/api/v1/me/dictionary", Operator, "own spell-check dictionary", s.myDictionary},
		{"POST", "/api/v1/me/dictionary", Operator, "add a word to own dictionary", s.addToMyDictionary},
		{"DELETE", "/api/v1/me/dictionary/{word}", Operator, "remove a word from own dictionary", s.removeFromMyDictionary},
		{"GET", "/api/v1/admin/dictionary", Admin, "account spell-check dictionary", s.accountDictionary},
		{"POST", "/api/v1/admin/dictionary", Admin, "add a word to the account dictionary", s.addToAccountDictionary},
		{"DELETE", "/api/v1/admin/dictionary/{word}", Admin, "remove a word from the account dictionary", s.removeFromAccountDictionary},

		{"GET", "/api/v1/widget/{key}/config", Public, "widget appearance and whether an operator is online", s.widgetConfig},
		{"OPTIONS", "/api/v1/widget/{key}/config", Public, "CORS preflight", s.widgetPreflight},
		{"POST", "/api/v1/widget/{key}/session", Public, "start or resume a visitor session", s.widgetSession},
		{"OPTIONS", "/api/v1/widget/{key}/session", Public, "CORS preflight", s.widgetPreflight},
		{"GET", "/api/v1/widget/messages", Visitor, "visitor history", s.widgetMessages},
		{"POST", "/api/v1/widget/messages", Visitor, "visitor message", s.widgetSend},
		{"OPTIONS", "/api/v1/widget/messages", Public, "CORS preflight", s.widgetPreflight},
		{"POST", "/api/v1/widget/offline", Visitor, "offline form: a message while no operator is online", s.widgetOffline},
		{"OPTIONS", "/api/v1/widget/offline", Public, "CORS preflight", s.widgetPreflight},
		{"POST", "/api/v1/widget/close", Visitor, "visitor closes the conversation", s.widgetClose},
		{"OPTIONS", "/api/v1/widget/close", Public, "CORS preflight", s.widgetPreflight},
		{"POST", "/api/v1/widget/attachments", Visitor, "visitor uploads files to send", s.widgetUpload},
		{"OPTIONS", "/api/v1/widget/attachments", Public, "CORS preflight", s.widgetPreflight},
		{"GET", "/api/v1/widget/attachments/{id}/file", Visitor, "visitor downloads a file", s.widgetDownload},
		{"GET", "/api/v1/widget/sticker-packs", Visitor, "sticker packs the visitor can send from", s.widgetStickerPacks},
		{"OPTIONS", "/api/v1/widget/sticker-packs", Public, "CORS preflight", s.widgetPreflight},
		{"GET", "/api/v1/widget/stickers/{id}/image", Visitor, "a sticker's picture for the visitor", s.widgetStickerImage},
		{"GET", "/api/v1/widget/ws", Visitor, "visitor WebSocket", s.visitorWS},
		{"GET", "/demo", Public, "demo site with the widget installed", s.demoPage},
	}
}

// wrap authenticates, checks access, runs the handler and writes its error.
func (s *Server) wrap(rt Route) http.Handler {
	label := rt.Method + " " + rt.Path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(rt.Path, "/api/v1/widget/") {
			widgetCORS(w, r)
		}
		s.timeBody(w, r, start)
		c := &call{at: start}
		err := s.authenticate(r, rt.Path, rt.Access, c)
		if err == nil {
			err = rt.handle(sw, r, c)
		}
		if err != nil {
			if livedesk.ErrorCode(err) == livedesk.CodeInternal && r.Context().Err() == nil {
				// (A client that went away mid-request, e.g. a cancelled upload, is not an error.)
				s.log.Error("request failed", "route", label, "err", err)
			}
			writeError(sw, err)
		}
		if rt.Path != "/api/v1/ws" && rt.Path != "/api/v1/widget/ws" {
			s.latency.WithLabelValues(label).Observe(time.Since(start).Seconds())
		}
		s.requests.WithLabelValues(label, strconv.Itoa(sw.status)).Inc()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection to the WebSocket upgrader.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("connection cannot be hijacked")
	}
	w.status = http.StatusSwitchingProtocols
	return h.Hijack()
}

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

// statusOf maps an error code to its HTTP status: the one place that does.
func statusOf(code livedesk.Code) int {
	switch code {
	case livedesk.CodeInvalidInput, livedesk.CodeInvalidHotkey:
		return http.StatusBadRequest
	case livedesk.CodeUnauthenticated:
		return http.StatusUnauthorized
	case livedesk.CodeForbidden, livedesk.CodeOperatorOffline:
		return http.StatusForbidden
	case livedesk.CodeNotFound:
		return http.StatusNotFound
	case livedesk.CodeConflict, livedesk.CodeLimitReached, livedesk.CodeTargetUnavailable,
		livedesk.CodeTransferNotPending, livedesk.CodeConversationClosed, livedesk.CodeClientIDReused,
		livedesk.CodeHotkeyTaken:
		return http.StatusConflict
	case livedesk.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case livedesk.CodeGone:
		return http.StatusGone
	case livedesk.CodeTooLarge, livedesk.CodeTooManyFiles:
		return http.StatusRequestEntityTooLarge
	case livedesk.CodeRateLimited:
		return http.StatusTooManyRequests
	case livedesk.CodeRequestTimeout:
		return http.StatusRequestTimeout
	case livedesk.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

func writeError(w http.ResponseWriter, err error) {
	code := livedesk.ErrorCode(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		code = livedesk.CodeUnavailable
	}
	body := livedesk.ErrorBody{Code: code, Message: livedesk.ErrorMessage(err)}
	if d := livedesk.ErrorDetails(err); d != nil && code != livedesk.CodeInternal {
		body.Details = d
		if code == livedesk.CodeRateLimited && d["retry_after"] != "" {
			w.Header().Set("Retry-After", d["retry_after"])
		}
	}
	writeJSON(w, statusOf(code), livedesk.ErrorEnvelope{Error: body})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// readJSON decodes a JSON body strictly: bounded size, valid UTF-8, one object, no unknown
// fields, right types. Every failure is a clear invalid_input (or too_large).
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// readPatch reads the body of a partial update into v, whose fields are pointers: an absent
// field stays nil and keeps its value. An explicit null is refused, since no field that a
// PATCH of livedesk changes can be cleared.
func (s *Server) readPatch(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, v); err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be a JSON object")
	}
	names := make([]string, 0, len(fields))
	for k, raw := range fields {
		if string(bytes.TrimSpace(raw)) == "null" {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return livedesk.Errorf(livedesk.CodeInvalidInput, "field %q cannot be null; leave it out to keep its value", names[0])
	}
	return nil
}

// readBody reads a request body: bounded size, valid UTF-8; an empty body reads as {}.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, livedesk.Errorf(livedesk.CodeTooLarge, "the request body is larger than %d bytes", s.cfg.MaxBodyBytes)
		}
		if livedesk.IsCode(err, livedesk.CodeRequestTimeout) {
			return nil, err
		}
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		return nil, livedesk.Errorf(livedesk.CodeInvalidInput, "the request body is not valid UTF-8")
	}
	return body, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields, and turns every
// decoding failure into an invalid_input message for people: JSON words ("a whole number",
// "a string"), never Go type names or the decoder's own wording.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonInputError(err)
	}
	if dec.More() {
		return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must hold one JSON value")
	}
	return nil
}

func jsonInputError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var le *livedesk.Error
	switch {
	case errors.As(err, &le):
		return le
	case errors.As(err, &te):
		if te.Field == "" {
			return livedesk.Errorf(livedesk.CodeInvalidInput, "the body must be a JSON object, not %s", jsonValueWord(te.Value))
		}
		return livedesk.Errorf(livedesk.CodeInvalidInput, "field %q must be %s, not %s", te.Field, jsonTypeWord(te.Type), jsonValueWord(te.Value))
	case errors.As(err, &se):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON: the body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return livedesk.Errorf(livedesk.CodeInvalidInput, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return livedesk.Errorf(livedesk.CodeInvalidInput, "malformed JSON")
	}
}

// jsonTypeWord names the JSON value a Go type accepts.
func jsonTypeWord(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	default:
		return "another type"
	}
}

// jsonValueWord names the JSON value the client sent, as UnmarshalTypeError.Value gives it
// ("string", "number", "number 2.5", "bool", "array", "object").
func jsonValueWord(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	default:
		return "another type"
	}
}

// pathID reads an id path parameter; a malformed id is simply not found.
func pathID(r *http.Request, what string) (livedesk.ID, error) {
	id, ok := livedesk.ParseID(r.PathValue("id"))
	if !ok {
		return 0, livedesk.NotFound(what)
	}
	return id, nil
}

// pageLimit reads ?limit= (default def, at most max).
func pageLimit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, livedesk.Errorf(livedesk.CodeInvalidInput, "limit must be between 1 and %d", max)
	}
	return n, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, c *call) error {
	return writeJSON(w, 200, health{Status: "ok", Version: s.cfg.Version})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		return &livedesk.Error{Code: livedesk.CodeUnavailable, Message: fmt.Sprintf("not ready: %v", err)}
	}
	return writeJSON(w, 200, health{Status: "ready"})
}

// metrics serves the Prometheus metrics on the public listener only to a scraper holding
// --metrics-token (as a bearer token); without one configured the route does not exist
// here (the --debug-listen listener serves them).
func (s *Server) metrics(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.cfg.MetricsToken == "" {
		return livedesk.Errorf(livedesk.CodeNotFound, "no such endpoint: GET /metrics (metrics are on --debug-listen, or here with --metrics-token)")
	}
	if subtle.ConstantTimeCompare([]byte(bearer(r)), []byte(s.cfg.MetricsToken)) != 1 {
		return livedesk.Errorf(livedesk.CodeUnauthenticated, "send the metrics token as a bearer token")
	}
	promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
