package httpapi

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// static serves the built front ends from Config.Assets: the visitor widget at /widget.js,
// the admin cabinet under /admin/ (files under /admin/assets/, its index.html for every other
// path there), the operator app's files under /assets/ and its index.html for every other page
// path, so that the apps' own routes survive a reload. Unknown /api/ paths stay JSON errors; a path
// of the route table called with a method it does not have is 405 method_not_allowed with
// an Allow header.
type static struct {
	assets fs.FS
	// allowed lists the methods the route table has for the request's path (none: the path
	// is not a route).
	allowed func(r *http.Request) []string
}

func (st static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		if st.allowed != nil {
			if methods := st.allowed(r); len(methods) > 0 {
				allow := strings.Join(methods, ", ")
				w.Header().Set("Allow", allow)
				w.Header().Set("X-Content-Type-Options", "nosniff")
				writeError(w, livedesk.Errorf(livedesk.CodeMethodNotAllowed, "%s %s is not supported; allowed: %s", r.Method, p, allow))
				return
			}
		}
		writeError(w, livedesk.Errorf(livedesk.CodeNotFound, "no such endpoint: %s %s", r.Method, p))
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch {
	case p == "/widget.js":
		// Embedded on other sites: any origin may load it; short cache so fixes reach visitors.
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		st.file(w, r, "widget/widget.js", "text/javascript; charset=utf-8")
	case strings.HasPrefix(p, "/widget/"):
		// Files the widget loads later (the emoji data): content-hashed names, any origin.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		st.file(w, r, "widget"+path.Clean(p[len("/widget"):]), "")
	case strings.HasPrefix(p, "/admin/assets/"):
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		st.file(w, r, "admin"+path.Clean(p[len("/admin"):]), "")
	case p == "/admin":
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/admin/"):
		// The admin cabinet's own routes all load its index.html.
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Frame-Options", "DENY")
		st.file(w, r, "admin/index.html", "text/html; charset=utf-8")
	case strings.HasPrefix(p, "/assets/"):
		// Vite puts a content hash in every asset name, so they never change.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		st.file(w, r, "operator"+path.Clean(p), "")
	default:
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Frame-Options", "DENY")
		st.file(w, r, "operator/index.html", "text/html; charset=utf-8")
	}
}

func (st static) file(w http.ResponseWriter, r *http.Request, name, contentType string) {
	if st.assets == nil {
		http.Error(w, "front end not built: run `make web`", http.StatusNotFound)
		return
	}
	body, err := fs.ReadFile(st.assets, name)
	if err != nil {
		if name == "operator/index.html" || name == "admin/index.html" || name == "widget/widget.js" {
			http.Error(w, "front end not built: run `make web`", http.StatusNotFound)
			return
		}
		writeError(w, livedesk.NotFound("file"))
		return
	}
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}
