// Package visitorinfo reads what a visitor's browser tells about them: the browser, the
// operating system and the kind of device from the User-Agent header (with a maintained
// trie-based parser, github.com/medama-io/go-useragent, plus the operating system versions
// it does not read), and the campaign tags (UTM) of a landing address. Pure functions: the
// desk stores what they return (docs/visitor-profile.md).
package visitorinfo

import (
	"regexp"
	"strings"

	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// Agent is what a User-Agent header says: the browser with its version, the operating
// system with its version ("" when unknown), the kind of device (desktop, mobile, tablet,
// tv, bot; "" unknown).
type Agent struct {
	Browser        string `json:"browser"`
	BrowserVersion string `json:"browser_version"`
	OS             string `json:"os"`
	OSVersion      string `json:"os_version"`
	Device         string `json:"device"`
}

// MaxUserAgent is the longest User-Agent header read; a longer one is cut before parsing
// (real ones are a few hundred bytes).
const MaxUserAgent = 512

// osNames are the parser's operating system names as the apps show them.
var osNames = map[agents.OS]string{
	agents.OSMacOS: "macOS",
}

var (
	windowsNT = regexp.MustCompile(`Windows NT (\d+\.\d+)`)
	androidV  = regexp.MustCompile(`Android (\d+(?:\.\d+)?)`)
	iosV      = regexp.MustCompile(`(?:iPhone|CPU) OS (\d+(?:_\d+)?)`)
	macV      = regexp.MustCompile(`Mac OS X (\d+(?:[_.]\d+)*)`)
	cros      = regexp.MustCompile(`CrOS \S+ (\d+)`)
)

// windowsVersions are the marketing names of Windows NT versions (NT 10.0 is Windows 10 and
// 11 alike: the header does not tell them apart).
var windowsVersions = map[string]string{
	"10.0": "10/11", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista", "5.1": "XP", "5.2": "XP",
}

// ParseAgent reads a User-Agent header. An empty or unknown one gives an Agent with empty
// fields; nothing fails.
func ParseAgent(header string) Agent {
	if len(header) > MaxUserAgent {
		header = header[:MaxUserAgent]
	}
	header = strings.ToValidUTF8(header, "")
	if strings.TrimSpace(header) == "" {
		return Agent{}
	}
	ua := useragent.NewParser().Parse(header) // the parser is built once, on first use
	a := Agent{Browser: string(ua.Browser()), BrowserVersion: ua.BrowserVersion(), OS: string(ua.OS()),
		Device: strings.ToLower(string(ua.Device()))}
	if name, ok := osNames[ua.OS()]; ok {
		a.OS = name
	}
	a.OSVersion = osVersion(ua.OS(), header)
	if ua.IsBot() {
		a.Device = "bot"
	}
	return a
}

// osVersion finds the operating system's version in the header, where it says one.
func osVersion(os agents.OS, header string) string {
	find := func(re *regexp.Regexp) string {
		if m := re.FindStringSubmatch(header); m != nil {
			return m[1]
		}
		return ""
	}
	switch os {
	case agents.OSWindows:
		return windowsVersions[find(windowsNT)]
	case agents.OSAndroid:
		return find(androidV)
	case agents.OSIOS:
		return strings.ReplaceAll(find(iosV), "_", ".")
	case agents.OSMacOS:
		return strings.ReplaceAll(find(macV), "_", ".")
	case agents.OSChromeOS:
		return find(cros)
	}
	return ""
}

// String is the agent as one line: «Chrome 126 · Windows 10/11 · desktop».
func (a Agent) String() string {
	var parts []string
	if a.Browser != "" {
		parts = append(parts, strings.TrimSpace(a.Browser+" "+major(a.BrowserVersion)))
	}
	if a.OS != "" {
		parts = append(parts, strings.TrimSpace(a.OS+" "+a.OSVersion))
	}
	if a.Device != "" {
		parts = append(parts, a.Device)
	}
	return strings.Join(parts, " · ")
}

func major(v string) string {
	if i := strings.IndexByte(v, '.'); i > 0 {
		return v[:i]
	}
	return v
}
