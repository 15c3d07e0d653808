// Package httpapi is livedesk's HTTP interface: one route table (Routes), handlers that
// return errors, and one map from error codes to HTTP statuses.
package httpapi

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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

// Buckets are the per-address and per-email rate limits' token buckets (the app shares
// their spends with the other nodes).
func (s *Server) Buckets() *guard.Buckets { return s.buckets }

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

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
