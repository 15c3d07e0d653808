package app_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
)

// hostPort is the server's address without the scheme.
func hostPort(env *testkit.Env) string { return strings.TrimPrefix(env.URL, "http://") }

// statusLine reads the first line of an HTTP answer on a raw connection, or says why none came.
func statusLine(t *testing.T, c net.Conn, wait time.Duration) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil && line == "" {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "still open"
		}
		return "closed"
	}
	return strings.TrimSpace(line)
}

// TestSlowBodyIsCutOff: a client that sends headers and then trickles its body (50 such
// connections stayed open for minutes) gets 408 once --body-timeout has passed, for JSON and
// for uploads below their minimum throughput; a quick body clears the deadline, so the
// kept-alive connection serves the next request however long it idles in between.
func TestSlowBodyIsCutOff(t *testing.T) {
	env := testkit.Start(t, func(c *config.Config) { c.BodyTimeout = 300 * time.Millisecond })
	c := dialFrom(t, "127.3.0.1", hostPort(env))
	io.WriteString(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	if got := statusLine(t, c, 20*time.Second); !strings.HasPrefix(got, "HTTP/1.1 408") {
		t.Errorf("slow JSON body answered %q, want 408", got)
	}

	// An upload that stalls after its first bytes.
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	v := env.Visitor(key, "")
	c = dialFrom(t, "127.3.0.2", hostPort(env))
	fmt.Fprintf(c, "POST /api/v1/widget/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n--b\r\n", v.Token)
	if got := statusLine(t, c, 20*time.Second); !strings.HasPrefix(got, "HTTP/1.1 408") {
		t.Errorf("stalled upload answered %q, want 408", got)
	}

	// A quick body, then an idle pause longer than the body deadline, then another request
	// on the same connection.
	c = dialFrom(t, "127.3.0.3", hostPort(env))
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
		dialFrom(t, "127.4.0.1", hostPort(env))
	}
	extra := dialFrom(t, "127.4.0.1", hostPort(env))
	if got := statusLine(t, extra, 10*time.Second); got != "closed" {
		t.Errorf("4th connection of one address: %s, want closed at once", got)
	}
	other := dialFrom(t, "127.4.0.2", hostPort(env))
	io.WriteString(other, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if got := statusLine(t, other, 10*time.Second); !strings.HasPrefix(got, "HTTP/1.1 200") {
		t.Errorf("another address: %q, want 200", got)
	}
}

// TestVisitorRatesPerAddress: sessions and messages from one address are limited (300 of
// each were accepted in 0.6 s), with Retry-After; another address is not affected; a contact
// point's settings.limits override the defaults and are validated.
func TestVisitorRatesPerAddress(t *testing.T) {
	env := testkit.Start(t)
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
	u := "ws" + strings.TrimPrefix(env.URL, "http") + "/api/v1/widget/ws?token=" + v.Token
	conn, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil {
		conn.Close()
		t.Fatal("9th socket of one visitor was accepted")
	}
	if resp == nil || resp.StatusCode != 429 {
		t.Fatalf("9th socket: %v %v, want 429", resp, err)
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

// TestLoginGuessingLimited: failed logins are limited per address across emails (12
// emails from one address were never refused) and per email across addresses; the limit
// holds even for the right password, and another address and email are served.
func TestLoginGuessingLimited(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	login := func(src netip.Addr, email, password string) testkit.Response {
		c := &testkit.Client{T: t, Base: env.URL, Source: src}
		return c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	}
	spray := testkit.NextSource()
	for i := range 10 {
		if r := login(spray, fmt.Sprintf("guess%d@example.test", i), "password1"); r.Status != 401 {
			t.Fatalf("guess %d: %d %s", i, r.Status, r.Body)
		}
	}
	if r := login(spray, a.Admin.Email, "password1"); r.Status != 429 {
		t.Fatalf("11th login from one address: %d %s, want 429", r.Status, r.Body)
	}
	if r := login(testkit.NextSource(), a.Admin.Email, "password1"); r.Status != 200 {
		t.Fatalf("right password from another address: %d %s", r.Status, r.Body)
	}
	for i := range 10 {
		if r := login(testkit.NextSource(), a.Admin.Email, fmt.Sprint("wrong-", i)); r.Status != 401 {
			t.Fatalf("wrong password %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := login(testkit.NextSource(), a.Admin.Email, "password1")
	if r.Status != 429 {
		t.Fatalf("right password after 10 failures on the email from many addresses: %d %s, want 429", r.Status, r.Body)
	}
}

// TestLoginCSRF: a login from another site's form (text/plain, foreign Origin) sets no
// session.
func TestLoginCSRF(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	body := fmt.Sprintf(`{"email":%q,"password":"password1"}`, a.Admin.Email)
	c := &testkit.Client{T: t, Base: env.URL}
	r, hdr := c.Send("POST", "/api/v1/auth/login", "text/plain", strings.NewReader(body), nil)
	if r.Status != 400 || hdr.Get("Set-Cookie") != "" {
		t.Errorf("text/plain login: %d %s (cookie %q), want 400 and no cookie", r.Status, r.Body, hdr.Get("Set-Cookie"))
	}
	r, hdr = c.Send("POST", "/api/v1/auth/login", "application/json", strings.NewReader(body), http.Header{"Origin": {"http://evil.test"}})
	if r.Status != 403 || hdr.Get("Set-Cookie") != "" {
		t.Errorf("foreign Origin: %d %s, want 403 and no cookie", r.Status, r.Body)
	}
	r, _ = c.Send("POST", "/api/v1/auth/login", "application/json", strings.NewReader(body), http.Header{"Origin": {env.URL}})
	if r.Status != 200 {
		t.Errorf("own Origin: %d %s", r.Status, r.Body)
	}
}

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

// TestSessionsEnd: a session unused for --session-idle ends (one in use does not); a
// password change ends the other sessions and their sockets; "log out everywhere" ends all.
func TestSessionsEnd(t *testing.T) {
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock}, func(c *config.Config) { c.SessionIdle = time.Hour })
	a := env.NewAccount()
	a.Operator("Ида", "operator", 3, "")
	email := ""
	{
		var list struct {
			Items []struct{ Email, Name string } `json:"items"`
		}
		a.Admin.Must("GET", "/api/v1/admin/operators", nil, &list)
		for _, o := range list.Items {
			if o.Name == "Ида" {
				email = o.Email
			}
		}
	}
	busy, idle := env.Login(email, "password1"), env.Login(email, "password1")
	for range 3 {
		clock.Advance(40 * time.Minute)
		busy.Must("GET", "/api/v1/me", nil, nil)
	}
	if r := idle.Do("GET", "/api/v1/me", nil); r.Status != 401 {
		t.Fatalf("session idle for 2 h with --session-idle 1h: %d %s, want 401", r.Status, r.Body)
	}

	other := env.Login(email, "password1")
	ws := other.WS(false, "")
	ws.Ready()
	for _, bad := range []map[string]string{{"current_password": "wrong-one", "new_password": "new-password-1"},
		{"current_password": "password1", "new_password": "short"}, {"current_password": "password1", "new_password": "password1"}} {
		if r := busy.Do("POST", "/api/v1/me/password", bad); r.Status/100 != 4 {
			t.Errorf("password change %v: %d %s", bad, r.Status, r.Body)
		}
	}
	busy.Must("POST", "/api/v1/me/password", map[string]string{"current_password": "password1", "new_password": "new-password-1"}, nil)
	busy.Must("GET", "/api/v1/me", nil, nil) // the session that changed it stays
	if r := other.Do("GET", "/api/v1/me", nil); r.Status != 401 {
		t.Errorf("other session after a password change: %d, want 401", r.Status)
	}
	if !ws.Closed(10 * time.Second) {
		t.Fatal("the other session's socket is still open after the password change")
	}
	if r := (&testkit.Client{T: t, Base: env.URL, Source: testkit.NextSource()}).Do("POST", "/api/v1/auth/login",
		map[string]string{"email": email, "password": "password1"}); r.Status != 401 {
		t.Errorf("old password: %d, want 401", r.Status)
	}

	second := env.Login(email, "new-password-1")
	busy.Must("POST", "/api/v1/auth/logout-everywhere", nil, nil)
	for _, c := range []*testkit.Client{busy, second} {
		if r := c.Do("GET", "/api/v1/me", nil); r.Status != 401 {
			t.Errorf("after log out everywhere: %d, want 401", r.Status)
		}
	}
}

// TestVisitorTokensExpire: an access token stops working after --visitor-token-ttl and is
// renewed with the renewal key (same visitor, same conversation); the token is taken from the
// query only where a header cannot be sent.
func TestVisitorTokensExpire(t *testing.T) {
	clock := testkit.NewClock()
	env := testkit.StartWith(t, app.Options{Clock: clock})
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	c := &testkit.Client{T: t, Base: env.URL, Source: testkit.NextSource()}
	var s struct {
		Token   string    `json:"visitor_token"`
		Key     string    `json:"visitor_key"`
		Expires time.Time `json:"token_expires_at"`
		Visitor struct{ ID string }
	}
	c.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{}, &s)
	if d := s.Expires.Sub(clock.Now()); s.Key == "" || d <= 23*time.Hour || d > 24*time.Hour {
		t.Fatalf("session: key %q, expires %v (now %v)", s.Key, s.Expires, clock.Now())
	}
	c.Token = s.Token
	conv := c.Say("Здравствуйте").ConversationID

	if r := (&testkit.Client{T: t, Base: env.URL}).Do("GET", "/api/v1/widget/messages?token="+s.Token, nil); r.Status != 401 {
		t.Errorf("token in the query of a JSON route: %d, want 401", r.Status)
	}

	clock.Advance(25 * time.Hour)
	r := c.Do("GET", "/api/v1/widget/messages", nil)
	if r.Status != 401 || !strings.Contains(string(r.Body), "token_expired") {
		t.Fatalf("expired token: %d %s, want 401 token_expired", r.Status, r.Body)
	}
	// An expired token does not resume the visitor; the key does.
	var again struct {
		Token        string `json:"visitor_token"`
		Visitor      struct{ ID string }
		Conversation struct{ ID string }
	}
	c.Token = ""
	c.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{"visitor_token": s.Token}, &again)
	if again.Visitor.ID == s.Visitor.ID {
		t.Error("an expired token resumed the visitor")
	}
	c.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{"visitor_key": s.Key}, &again)
	if again.Visitor.ID != s.Visitor.ID || again.Conversation.ID != conv {
		t.Fatalf("renewal with the key: visitor %s conversation %s, want %s %s", again.Visitor.ID, again.Conversation.ID, s.Visitor.ID, conv)
	}
	c.Token = again.Token
	c.Must("GET", "/api/v1/widget/messages", nil, nil)
}
