package visitorinfo

import (
	"reflect"
	"strings"
	"testing"
)

// Real User-Agent headers of current browsers, read as the operator's panel shows them.
func TestParseAgent(t *testing.T) {
	cases := []struct {
		name, header string
		want         Agent
	}{
		{"chrome on windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
			Agent{Browser: "Chrome", BrowserVersion: "126.0.0.0", OS: "Windows", OSVersion: "10/11", Device: "desktop"}},
		{"firefox on linux",
			"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
			Agent{Browser: "Firefox", BrowserVersion: "128.0", OS: "Linux", Device: "desktop"}},
		{"safari on iphone",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			Agent{Browser: "Safari", BrowserVersion: "17.5", OS: "iOS", OSVersion: "17.5", Device: "mobile"}},
		{"safari on a mac",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
			Agent{Browser: "Safari", BrowserVersion: "17.4.1", OS: "macOS", OSVersion: "10.15.7", Device: "desktop"}},
		{"yandex browser on android",
			"Mozilla/5.0 (Linux; Android 13; SM-A515F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 YaBrowser/24.4.3.66.00 SA/3 Mobile Safari/537.36",
			Agent{Browser: "Yandex Browser", BrowserVersion: "24.4.3.66.00", OS: "Android", OSVersion: "13", Device: "mobile"}},
		{"edge on windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
			Agent{Browser: "Edge", BrowserVersion: "126.0.2592.68", OS: "Windows", OSVersion: "10/11", Device: "desktop"}},
		{"ipad",
			"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
			Agent{Browser: "Safari", BrowserVersion: "16.6", OS: "iOS", OSVersion: "16.6", Device: "tablet"}},
		{"googlebot",
			"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			Agent{Device: "bot"}},
		{"empty", "", Agent{}},
		{"a tool", "curl/8.5.0", Agent{Device: "bot"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ParseAgent(c.header)
			if c.name == "googlebot" {
				// Only what matters: a bot is a bot, whatever browser it claims.
				got = Agent{Device: got.Device}
			}
			if got != c.want {
				t.Errorf("ParseAgent(%q)\n got %+v\nwant %+v", c.header, got, c.want)
			}
		})
	}
}

func TestParseAgentBadInput(t *testing.T) {
	// Invalid UTF-8 and a huge header are read without failing, and within the cut.
	a := ParseAgent("Mozilla/5.0 (Windows NT 10.0) \xff\xfe Chrome/120.0.0.0 Safari/537.36")
	if a.OS != "Windows" {
		t.Errorf("invalid UTF-8: %+v", a)
	}
	huge := "Mozilla/5.0 (X11; Linux x86_64) " + strings.Repeat("x", 100_000) + " Firefox/128.0"
	if a := ParseAgent(huge); a.Browser == "Firefox" {
		t.Errorf("a part past %d bytes was read: %+v", MaxUserAgent, a)
	}
}

func TestAgentString(t *testing.T) {
	a := Agent{Browser: "Chrome", BrowserVersion: "126.0.0.0", OS: "Windows", OSVersion: "10/11", Device: "desktop"}
	if got, want := a.String(), "Chrome 126 · Windows 10/11 · desktop"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := (Agent{}).String(); got != "" {
		t.Errorf("empty agent: %q", got)
	}
}

func TestUTM(t *testing.T) {
	got := UTM("https://shop.example/tea?utm_source=yandex&utm_medium=cpc&utm_campaign=%D1%87%D0%B0%D0%B9&x=1&utm_term=")
	want := map[string]string{"utm_source": "yandex", "utm_medium": "cpc", "utm_campaign": "чай"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UTM = %v, want %v", got, want)
	}
	if got := UTM("https://shop.example/?a=b"); got != nil {
		t.Errorf("no tags: %v", got)
	}
	if got := UTM("https://shop.example/?utm_source=" + strings.Repeat("я", 300)); len([]rune(got["utm_source"])) != 200 {
		t.Errorf("a long tag is not cut at 200 characters: %d", len([]rune(got["utm_source"])))
	}
	if got := UTM("%zz"); got != nil {
		t.Errorf("bad address: %v", got)
	}
}

func TestWebAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"https://shop.example/a": true, "http://127.0.0.1:8080/demo": true,
		"javascript:alert(1)": false, "/relative": false, "": false, "ftp://x/y": false,
	} {
		if WebAddress(s) != want {
			t.Errorf("WebAddress(%q) = %v", s, !want)
		}
	}
}
