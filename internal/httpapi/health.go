package httpapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"livedesk/internal/livedesk"
)

// Health, readiness and metrics.

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
