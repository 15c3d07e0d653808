package config

import "testing"

func TestPublicURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"":                              true,
		"https://support.example.com":   true,
		"http://127.0.0.1:8080":         true,
		"https://example.com/livedesk/": true,
		"support.example.com":           false,
		"ftp://example.com":             false,
		"https://example.com/?x=1":      false,
		"https://user:pw@example.com":   false,
		"https://example.com/#top":      false,
		"https://":                      false,
	} {
		c := Default()
		c.Data, c.PublicURL = "/tmp/x", url
		if err := c.Validate(); (err == nil) != ok {
			t.Errorf("--public-url %q: Validate() = %v, want ok %v", url, err, ok)
		}
	}
}
