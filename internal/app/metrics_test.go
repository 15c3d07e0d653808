package app_test

import (
	"livedesk/internal/config"
	"livedesk/internal/testkit"
	"strings"
	"testing"
)

// TestMetricsNotPublic: /metrics on the public listener needs --metrics-token; the debug
// listener serves it.
func TestMetricsNotPublic(t *testing.T) {
	env := testkit.Start(t, func(c *config.Config) { c.DebugListen = "127.0.0.1:0" })
	anon := &testkit.Client{T: t, Base: env.URL}
	if r := anon.Do("GET", "/metrics", nil); r.Status != 404 {
		t.Errorf("public /metrics without a token configured: %d, want 404", r.Status)
	}
	env = testkit.Start(t, func(c *config.Config) { c.MetricsToken = "scrape-secret" })
	anon = &testkit.Client{T: t, Base: env.URL}
	if r := anon.Do("GET", "/metrics", nil); r.Status != 401 {
		t.Errorf("/metrics without the token: %d, want 401", r.Status)
	}
	scraper := &testkit.Client{T: t, Base: env.URL, Token: "scrape-secret"}
	if r := scraper.Do("GET", "/metrics", nil); r.Status != 200 || !strings.Contains(string(r.Body), "livedesk_http_conns_refused_total") {
		t.Errorf("/metrics with the token: %d", r.Status)
	}
}
