package app_test

import (
	"bufio"
	"fmt"
	"io"
	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
	"net/http"
	"strings"
	"testing"
	"time"
)

// End-to-end tests of the limits against floods and stalls (docs/operations.md § Security):
// slow bodies, connections per address, visitor rates, visitor sockets and upload volume.

// TestSlowBodyIsCutOff: a client that sends headers and then trickles its body (50 such
// connections stayed open for minutes) gets 408 once --body-timeout has passed, for JSON and
// for uploads below their minimum throughput; a quick body clears the deadline, so the
// kept-alive connection serves the next request however long it idles in between.
func TestSlowBodyIsCutOff(t *testing.T) {
	env := testkit.Start(t, func(c *config.Config) { c.BodyTimeout = 300 * time.Millisecond })
	c := testkit.DialFrom(t, "127.3.0.1", env.HostPort())
	io.WriteString(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	if got := testkit.FirstLine(t, c, 20*time.Second); !strings.HasPrefix(got, "HTTP/1.1 408") {
		t.Errorf("slow JSON body answered %q, want 408", got)
	}

	// An upload that stalls after its first bytes.
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	v := env.Visitor(key, "")
	c = testkit.DialFrom(t, "127.3.0.2", env.HostPort())
	fmt.Fprintf(c, "POST /api/v1/widget/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n--b\r\n", v.Token)
	if got := testkit.FirstLine(t, c, 20*time.Second); !strings.HasPrefix(got, "HTTP/1.1 408") {
		t.Errorf("stalled upload answered %q, want 408", got)
	}

	// A quick body, then an idle pause longer than the body deadline, then another request
	// on the same connection.
	c = testkit.DialFrom(t, "127.3.0.3", env.HostPort())
	r := bufio.NewReader(c)
	req := "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	body := `{"email":"nobody@example.test","password":"password1"}`
	fmt.Fprintf(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	time.Sleep(800 * time.Millisecond)
	io.WriteString(c, req)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err = http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("request after an idle pause on a kept-alive connection: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("request after an idle pause on a kept-alive connection: %d", resp.StatusCode)
	}
}

// TestConnectionsPerAddressCapped: one address cannot hold more connections than
// --max-conns-per-address; another address is still served.
func TestConnectionsPerAddressCapped(t *testing.T) {
	env := testkit.Start(t, func(c *config.Config) { c.MaxConnsPerAddress = 3 })
	for range 3 {
		testkit.DialFrom(t, "127.4.0.1", env.HostPort())
	}
	extra := testkit.DialFrom(t, "127.4.0.1", env.HostPort())
	if got := testkit.FirstLine(t, extra, 10*time.Second); got != "closed" {
		t.Errorf("4th connection of one address: %s, want closed at once", got)
	}
	other := testkit.DialFrom(t, "127.4.0.2", env.HostPort())
	io.WriteString(other, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if got := testkit.FirstLine(t, other, 10*time.Second); !strings.HasPrefix(got, "HTTP/1.1 200") {
		t.Errorf("another address: %q, want 200", got)
	}
}

// TestVisitorRatesPerAddress: sessions and messages from one address are limited (300 of
// each were accepted in 0.6 s), with Retry-After; another address is not affected; a contact
// point's settings.limits override the defaults and are validated. The clock stands still,
// so no token comes back while the test runs, however slow the machine.
func TestVisitorRatesPerAddress(t *testing.T) {
	env := testkit.StartWith(t, app.Options{Clock: testkit.NewClock()})
	a := env.NewAccount()
	cpID, key := a.ContactPoint("webchat")
	src := testkit.NextSource()
	c := &testkit.Client{T: t, Base: env.URL, Source: src}
	accepted := 0
	var last testkit.Response
	var hdr http.Header
	for range 100 {
		last, hdr = c.Send("POST", "/api/v1/widget/"+key+"/session", "application/json", strings.NewReader("{}"), nil)
		if last.Status != 200 {
			break
		}
		accepted++
	}
	if accepted != 60 || last.Status != 429 || last.Code() != "rate_limited" || hdr.Get("Retry-After") == "" {
		t.Fatalf("sessions from one address: %d accepted, then %d %s (Retry-After %q); want 60, then 429 rate_limited",
			accepted, last.Status, last.Body, hdr.Get("Retry-After"))
	}
	env.Visitor(key, "") // another address

	for _, bad := range []string{`{"limits":{"sessions_per_minute":-1}}`, `{"limits":{"sessions":5}}`, `{"limits":[]}`, `{"limits":{"messages_per_minute":"5"}}`} {
		if r := a.Admin.Raw("PATCH", "/api/v1/admin/contact-points/"+cpID, []byte(`{"settings":`+bad+`}`)); r.Status != 400 {
			t.Errorf("limits %s: %d %s, want 400", bad, r.Status, r.Body)
		}
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+cpID, map[string]any{"settings": map[string]any{
		"limits": map[string]int{"sessions_per_minute": 2, "messages_per_minute": 3}}}, nil)
	v := env.Visitor(key, "")
	for i := range 3 {
		v.Say(fmt.Sprint("сообщение ", i))
	}
	if r := v.Do("POST", "/api/v1/widget/messages", map[string]string{"client_id": testkit.Unique("c"), "text": "ещё"}); r.Status != 429 {
		t.Errorf("4th message at 3 a minute: %d %s, want 429", r.Status, r.Body)
	}
	same := &testkit.Client{T: t, Base: env.URL, Source: v.Source}
	same.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{}, nil)
	if r := same.Do("POST", "/api/v1/widget/"+key+"/session", map[string]any{}); r.Status != 429 {
		t.Errorf("3rd session at 2 a minute: %d %s, want 429", r.Status, r.Body)
	}
}

// TestVisitorSocketsCapped: one visitor token holds at most 8 sockets (1,000 were accepted).
func TestVisitorSocketsCapped(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	v := env.Visitor(key, "")
	for range 8 {
		v.WS(true, "").Ready()
	}
	if r, _ := v.RefusedWS(true, ""); r.Status != 429 {
		t.Fatalf("9th socket: %d %s, want 429", r.Status, r.Body)
	}
	env.Visitor(key, "").WS(true, "").Ready() // another visitor is served
}

// TestUploadVolumePerVisitor: a visitor cannot upload more than the contact point's daily
// volume.
func TestUploadVolumePerVisitor(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	cpID, key := a.ContactPoint("webchat")
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+cpID, map[string]any{"settings": map[string]any{
		"limits": map[string]int{"upload_mib_per_day": 1}}}, nil)
	v := env.Visitor(key, "")
	file := testkit.File{Name: "a.bin", Content: make([]byte, 700<<10)}
	if r := v.Upload("/api/v1/widget/attachments", file); r.Status != 201 {
		t.Fatalf("first upload: %d %s", r.Status, r.Body)
	}
	if r := v.Upload("/api/v1/widget/attachments", file); r.Status != 429 || r.Code() != "rate_limited" {
		t.Fatalf("upload over the daily volume: %d %s, want 429 rate_limited", r.Status, r.Body)
	}
	if r := env.Visitor(key, "").Upload("/api/v1/widget/attachments", file); r.Status != 201 {
		t.Fatalf("another visitor's upload: %d %s", r.Status, r.Body)
	}
}
