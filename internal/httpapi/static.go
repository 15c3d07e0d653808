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
	// secure: the site is served over HTTPS (Strict-Transport-Security is sent).
	secure bool
}

// appCSP is the Content-Security-Policy of the operator app and the admin cabinet: their own
// scripts, styles and connections only (the socket included: 'self' covers ws/wss of the
// same host), pictures also from blob: (previews of files before they are sent), no inline
// script, no plugins, no <base>, not framed by anyone.
const appCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// page sets the headers of an app page (index.html).
func (st static) page(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", appCSP)
	if st.secure || r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
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
	w.Header().Set("Referrer-Policy", "no-referrer")
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
		st.page(w, r)
		st.file(w, r, "admin/index.html", "text/html; charset=utf-8")
	case strings.HasPrefix(p, "/assets/"):
		// Vite puts a content hash in every asset name, so they never change.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		st.file(w, r, "operator"+path.Clean(p), "")
	default:
		st.page(w, r)
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
