package auth

import (
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

func TestVisitorTokens(t *testing.T) {
	v := NewVisitorTokens("secret")
	c := VisitorClaims{AccountID: 1, ContactPointID: 2, VisitorID: 3}
	tok := v.Sign(c)
	got, err := v.Verify(tok)
	if err != nil || got != c {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "x", tok + "a", "v1.1.2.4." + tok[len(tok)-43:], NewVisitorTokens("other").Sign(c)} {
		if _, err := v.Verify(bad); !livedesk.IsCode(err, livedesk.CodeUnauthenticated) {
			t.Errorf("Verify(%q) = %v, want unauthenticated", bad, err)
		}
	}
}

func TestRateLimiter(t *testing.T) {
	r := NewRateLimiter(3, time.Minute)
	now := time.Unix(1000, 0)
	for i := 0; i < 3; i++ {
		if !r.Allow("k", now) {
			t.Fatalf("hit %d refused", i)
		}
	}
	if r.Allow("k", now) {
		t.Fatal("4th hit allowed")
	}
	if !r.Allow("other", now) {
		t.Fatal("other key refused")
	}
	if !r.Allow("k", now.Add(time.Minute)) {
		t.Fatal("hit after the window refused")
	}
}

func TestPasswords(t *testing.T) {
	if _, err := HashPassword("short", 4); !livedesk.IsCode(err, livedesk.CodeInvalidInput) {
		t.Fatalf("short password: %v", err)
	}
	h, err := HashPassword("long enough", 4)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "long enough") || CheckPassword(h, "wrong one") {
		t.Fatal("CheckPassword")
	}
}
