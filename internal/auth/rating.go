package auth

import (
	"crypto/hmac"
	"strconv"
	"strings"
	"time"

	"livedesk/internal/livedesk"
)

// A rating link ("r1.…") lets the visitor of an email conversation rate it without logging
// in: it names the account, the conversation and its visitor, and when it stops working,
// HMAC-SHA256 signed with the secret of the visitor credentials. It proves only that: the
// desk still applies every rule of ratings (docs/decisions.md § Ratings).
const ratingPrefix = "r1"

// RatingClaims are what a rating link proves.
type RatingClaims struct {
	AccountID      livedesk.ID
	ConversationID livedesk.ID
	VisitorID      livedesk.ID
}

// SignRating returns the token of a rating link for the visitor's conversation, valid until
// expires.
func (v *VisitorTokens) SignRating(c RatingClaims, expires time.Time) string {
	payload := ratingPrefix + "." + c.AccountID.String() + "." + c.ConversationID.String() + "." + c.VisitorID.String() +
		"." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + v.mac(payload)
}

// VerifyRating checks the token of a rating link and returns its claims: a forged or broken
// one is not_found (the page says the link does not work), an expired one gone.
func (v *VisitorTokens) VerifyRating(token string) (RatingClaims, error) {
	bad := livedesk.Errorf(livedesk.CodeNotFound, "this rating link is not valid")
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 {
		return RatingClaims{}, bad
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(v.mac(payload))) {
		return RatingClaims{}, bad
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 5 || parts[0] != ratingPrefix {
		return RatingClaims{}, bad
	}
	var n [4]int64
	for k := range n {
		x, err := strconv.ParseInt(parts[k+1], 10, 64)
		if err != nil {
			return RatingClaims{}, bad
		}
		n[k] = x
	}
	if v.now().Unix() >= n[3] {
		return RatingClaims{}, &livedesk.Error{Code: livedesk.CodeGone, Message: "this rating link has expired",
			Details: map[string]string{"reason": "window_passed"}}
	}
	return RatingClaims{AccountID: livedesk.ID(n[0]), ConversationID: livedesk.ID(n[1]), VisitorID: livedesk.ID(n[2])}, nil
}
