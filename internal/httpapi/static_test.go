package httpapi

import (
	"net/http"
	"net/http/httptest"
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
