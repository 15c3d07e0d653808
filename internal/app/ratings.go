package app

import (
	"net/url"
	"strings"
	"time"

	"livedesk/internal/auth"
	"livedesk/internal/livedesk"
)

// ratingLinks makes the rating links of closing mails: the public address's /rate/ page with
// a signed token (auth.RatingClaims). Without a public address there are none (nil).
func ratingLinks(publicURL string, tokens *auth.VisitorTokens) func(account, conversation, visitor livedesk.ID, expires time.Time) string {
	if publicURL == "" {
		return nil
	}
	base := strings.TrimRight(publicURL, "/")
	return func(account, conversation, visitor livedesk.ID, expires time.Time) string {
		token := tokens.SignRating(auth.RatingClaims{AccountID: account, ConversationID: conversation, VisitorID: visitor}, expires)
		return base + "/rate/" + url.PathEscape(token)
	}
}
