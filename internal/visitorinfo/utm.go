package visitorinfo

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// UTMKeys are the campaign tags read from a landing address, in the order shown.
var UTMKeys = []string{"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}

// maxTag is the longest tag value kept, in characters.
const maxTag = 200

// UTM returns the campaign tags of an address's query (utm_source, utm_medium, …) that have a
// value, each cut at 200 characters; nil when there are none or the address does not parse.
func UTM(address string) map[string]string {
	u, err := url.Parse(address)
	if err != nil {
		return nil
	}
	q := u.Query()
	var out map[string]string
	for _, k := range UTMKeys {
		v := strings.TrimSpace(strings.ToValidUTF8(q.Get(k), ""))
		if v == "" {
			continue
		}
		if utf8.RuneCountInString(v) > maxTag {
			v = string([]rune(v)[:maxTag])
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out
}

// WebAddress reports whether s is an absolute http or https address (what a page's address
// or a referrer must be to be kept).
func WebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
