package app_test

import (
	"fmt"
	"livedesk/internal/testkit"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// End-to-end tests of logging in: guessing is limited per address and per email, and another
// site's form cannot log anyone in.

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
