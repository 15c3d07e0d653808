package app_test

import (
	"livedesk/internal/testkit"
	"testing"
)

// End-to-end tests of the route table's answers to what it has no handler for.

// TestWrongMethodIs405: a known path with another method answers 405 method_not_allowed
// with an Allow header; unknown paths stay 404.
func TestWrongMethodIs405(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t)
	a := env.NewAccount()
	for _, c := range []struct{ method, path, allow string }{
		{"POST", "/healthz", "GET, HEAD"},
		{"DELETE", "/api/v1/me", "GET, HEAD"},
		{"GET", "/api/v1/auth/login", "POST"},
		{"PUT", "/api/v1/conversations/5/messages", "GET, HEAD, POST"},
		{"GET", "/api/v1/admin/conversation-categories/5", "PATCH, DELETE"},
		{"POST", "/api/v1/ws", "GET, HEAD"},
	} {
		r, h := a.Admin.Send(c.method, c.path, "", nil, nil)
		testkit.ExpectJSONError(t, c.method+" "+c.path, r, h, 405, "method_not_allowed")
		if got := h.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/nothing"}, {"POST", "/api/v1/nothing"}, {"POST", "/some/page"}} {
		if r := a.Admin.Raw(c.method, c.path, nil); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("%s %s: %d %s, want 404 not_found", c.method, c.path, r.Status, r.Body)
		}
	}
}
