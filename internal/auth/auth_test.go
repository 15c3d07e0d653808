package auth

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"livedesk/internal/livedesk"
)

func TestVisitorTokens(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	v := NewVisitorTokens("secret", time.Hour, 24*time.Hour, func() time.Time { return now })
	c := VisitorClaims{AccountID: 1, ContactPointID: 2, VisitorID: 3}
	tok, exp := v.Sign(c)
	if !exp.Equal(now.Add(time.Hour)) {
		t.Errorf("expires %v", exp)
	}
	got, err := v.Verify(tok)
	if err != nil || got != c {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	key := v.SignKey(c)
	if got, err := v.VerifyKey(key); err != nil || got != c {
		t.Fatalf("VerifyKey = %+v, %v", got, err)
	}
	// A key is not a token and a token is not a key.
	if _, err := v.Verify(key); err == nil {
		t.Error("a renewal key was accepted as an access token")
	}
	if _, err := v.VerifyKey(tok); err == nil {
		t.Error("an access token was accepted as a renewal key")
	}
	for _, bad := range []string{"", "x", tok + "a", "v2.1.2.4.1900000000." + tok[len(tok)-43:], func() string {
		s, _ := NewVisitorTokens("other", time.Hour, time.Hour, func() time.Time { return now }).Sign(c)
		return s
	}()} {
		if _, err := v.Verify(bad); !livedesk.IsCode(err, livedesk.CodeUnauthenticated) {
			t.Errorf("Verify(%q) = %v, want unauthenticated", bad, err)
		}
	}
	// Tokens expire; keys outlive them; a first-version token (no expiry) renews only.
	legacyTok := "v1.1.2.3." + v.mac("v1.1.2.3")
	now = now.Add(2 * time.Hour)
	if _, err := v.Verify(tok); livedesk.ErrorDetails(err)["reason"] != "token_expired" {
		t.Errorf("expired token: %v", err)
	}
	if _, err := v.VerifyKey(key); err != nil {
		t.Errorf("key within its life: %v", err)
	}
	if got, err := v.VerifyKey(legacyTok); err != nil || got != c {
		t.Errorf("first-version token as a key: %+v %v", got, err)
	}
	if _, err := v.Verify(legacyTok); err == nil {
		t.Error("a first-version token was accepted as an access token")
	}
	now = now.Add(24 * time.Hour)
	if _, err := v.VerifyKey(key); err == nil {
		t.Error("an expired key was accepted")
	}
}

// TestPasswordBurnerCost: an unknown email costs a comparison at the configured cost (the
// minimum cost took 1.4 ms against 64 ms for a known email, telling which emails exist).
func TestPasswordBurnerCost(t *testing.T) {
	p := NewPasswordBurner(7)
	p.Burn("whatever")
	if c, err := bcrypt.Cost(p.hash); err != nil || c != 7 {
		t.Fatalf("burner hash cost = %d, %v; want 7", c, err)
	}
}
