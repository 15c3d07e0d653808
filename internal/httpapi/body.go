package httpapi

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// Body deadlines: a client that sends headers and then trickles its body (or nothing) must
// not hold a connection. A JSON body has a fixed time to arrive; an upload has a start-up
// allowance plus a minimum throughput, so a big file over a slow line still goes through
// while a body that stalls does not.
const (
	// defaultBodyTimeout is the whole time a non-multipart body (≤ MaxBodyBytes) may take,
	// and what an upload may take before its throughput counts.
	defaultBodyTimeout = 10 * time.Second
	// uploadMinRate is the slowest an upload may arrive on average, in bytes a second.
	uploadMinRate = 8 << 10
)

// timeBody gives r's body a read deadline (none for requests without a body and for
// WebSocket upgrades, whose connection is handed over). The deadline is cleared once the
// body has been read to its end, so it cannot fire later on the idle connection, where
// net/http would take it for a client that went away.
func (s *Server) timeBody(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 || r.Header.Get("Upgrade") != "" {
		return
	}
	rc := http.NewResponseController(w)
	b := &timedBody{ReadCloser: r.Body, rc: rc, start: now, grace: s.cfg.BodyTimeout, deadline: now.Add(s.cfg.BodyTimeout)}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		b.rate = uploadMinRate
	}
	if rc.SetReadDeadline(b.deadline) != nil {
		return // not a real connection (tests through httptest.ResponseRecorder)
	}
	r.Body = b
}

// timedBody is a request body under a read deadline, extended as bytes arrive when rate > 0.
type timedBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	start    time.Time
	grace    time.Duration
	deadline time.Time
	rate     int64 // bytes a second that extend the deadline; 0: fixed
	n        int64
	done     bool
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	switch {
	case err == io.EOF && !b.done:
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	case err != nil && errors.Is(err, os.ErrDeadlineExceeded):
		return n, livedesk.Errorf(livedesk.CodeRequestTimeout, "the request body did not arrive in time (%d bytes in %s)", b.n, time.Since(b.start).Round(time.Second))
	case b.rate > 0 && n > 0:
		// Extend by whole seconds only, to keep deadline updates rare on a fast upload.
		if d := b.start.Add(b.grace + time.Duration(b.n/b.rate)*time.Second); d.After(b.deadline) {
			b.deadline = d
			_ = b.rc.SetReadDeadline(d)
		}
	}
	return n, err
}
