package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStaticServesEachFrontEnd(t *testing.T) {
	st := static{assets: fstest.MapFS{
		"operator/index.html":    {Data: []byte("operator app")},
		"operator/assets/app.js": {Data: []byte("operator js")},
		"admin/index.html":       {Data: []byte("admin cabinet")},
		"admin/assets/admin.js":  {Data: []byte("admin js")},
		"widget/widget.js":       {Data: []byte("widget js")},
		"widget/emoji-1234.json": {Data: []byte("{}")},
	}}
	cases := []struct {
		path, body, location string
		status               int
	}{
		{"/", "operator app", "", 200},
		{"/conversations/12", "operator app", "", 200},
		{"/assets/app.js", "operator js", "", 200},
		{"/admin", "", "/admin/", 301},
		{"/admin/", "admin cabinet", "", 200},
		{"/admin/operators", "admin cabinet", "", 200},
		{"/admin/assets/admin.js", "admin js", "", 200},
		{"/admin/assets/../../operator/index.html", "", "", 404},
		{"/admin/assets/missing.js", "", "", 404},
		{"/widget.js", "widget js", "", 200},
		{"/widget/emoji-1234.json", "{}", "", 200},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		st.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.path, rec.Code, c.status)
			continue
		}
		if c.body != "" && rec.Body.String() != c.body {
			t.Errorf("%s: body %q, want %q", c.path, rec.Body.String(), c.body)
		}
		if c.location != "" && rec.Header().Get("Location") != c.location {
			t.Errorf("%s: Location %q, want %q", c.path, rec.Header().Get("Location"), c.location)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", c.path)
		}
	}
}

// TestAppPagesHaveStrictCSP: the operator app and the cabinet are served with a strict
// Content-Security-Policy, no referrer, and HSTS only over HTTPS.
func TestAppPagesHaveStrictCSP(t *testing.T) {
	assets := fstest.MapFS{"operator/index.html": {Data: []byte("operator app")}, "admin/index.html": {Data: []byte("admin")}}
	for _, secure := range []bool{false, true} {
		st := static{assets: assets, secure: secure}
		for _, path := range []string{"/", "/conversations/1", "/admin/", "/admin/operators"} {
			rec := httptest.NewRecorder()
			st.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self';", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows inline code: %q", path, csp)
			}
			if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("%s: Referrer-Policy %q", path, got)
			}
			if hsts := rec.Header().Get("Strict-Transport-Security"); (hsts != "") != secure {
				t.Errorf("%s secure=%v: HSTS %q", path, secure, hsts)
			}
		}
	}
}
