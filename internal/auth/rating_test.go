package auth

import (
	"strings"
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

func TestRatingLinks(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	v := NewVisitorTokens("secret", time.Hour, 24*time.Hour, func() time.Time { return now })
	c := RatingClaims{AccountID: 7, ConversationID: 42, VisitorID: 9}
	tok := v.SignRating(c, now.Add(7*24*time.Hour))
	got, err := v.VerifyRating(tok)
	if err != nil || got != c {
		t.Fatalf("VerifyRating = %+v, %v", got, err)
	}
	visitor, _ := v.Sign(VisitorClaims{AccountID: 7, ContactPointID: 42, VisitorID: 9})
	other := NewVisitorTokens("other", time.Hour, time.Hour, func() time.Time { return now }).SignRating(c, now.Add(time.Hour))
	// Another conversation's claims under this link's signature, a visitor token, another
	// secret's link, and broken ones are not links.
	forged := strings.Replace(tok, ".42.", ".43.", 1)
	for _, bad := range []string{"", "r1", tok + "x", forged, visitor, v.SignKey(VisitorClaims{AccountID: 7, ContactPointID: 42, VisitorID: 9}), other} {
		if _, err := v.VerifyRating(bad); !livedesk.IsCode(err, livedesk.CodeNotFound) {
			t.Errorf("VerifyRating(%q) = %v, want not_found", bad, err)
		}
	}
	// A rating link is not a visitor token either.
	if _, err := v.Verify(tok); err == nil {
		t.Error("a rating link was accepted as a visitor token")
	}
	now = now.Add(7*24*time.Hour + time.Second)
	if _, err := v.VerifyRating(tok); !livedesk.IsCode(err, livedesk.CodeGone) {
		t.Errorf("expired link: %v, want gone", err)
	}
}
