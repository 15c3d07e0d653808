package app_test

import (
	"livedesk/internal/app"
	"livedesk/internal/config"
	"livedesk/internal/testkit"
	"strings"
	"testing"
	"time"
)

// End-to-end tests of how sessions end: an operator's (idle, a password change, log out
// everywhere) and a visitor's token (expiry and renewal with the key).

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
