package desk

import (
	"encoding/json"
	"testing"

	"livedesk/internal/livedesk"
)

func TestAllowsOrigin(t *testing.T) {
	ws := WidgetSettings{AllowedOrigins: []string{"https://shop.example", "https://*.corp.example", "http://localhost:3000"}}
	for origin, want := range map[string]bool{
		"https://shop.example":          true,
		"https://SHOP.example":          true,
		"https://shop.example:443":      true,
		"https://shop.example:8443":     false,
		"http://shop.example":           false,
		"https://www.shop.example":      false,
		"https://a.corp.example":        true,
		"https://a.b.corp.example":      true,
		"https://corp.example":          false,
		"https://xcorp.example":         false,
		"http://localhost:3000":         true,
		"http://localhost":              false,
		"null":                          false,
		"":                              false,
		"https://shop.example.evil.com": false,
	} {
		if got := ws.AllowsOrigin(origin); got != want {
			t.Errorf("AllowsOrigin(%q) = %v, want %v", origin, got, want)
		}
	}
	if !(WidgetSettings{}).AllowsOrigin("https://anything.example") {
		t.Error("an empty list must allow every origin")
	}
}

func TestCheckContactPointSettings(t *testing.T) {
	out, err := CheckContactPointSettings(json.RawMessage(`{"allowed_origins":["HTTPS://Shop.Example:443","https://*.Corp.example/"],"x":[1]}`))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(out, &got)
	b, _ := json.Marshal(got["allowed_origins"])
	if string(b) != `["https://shop.example","https://*.corp.example"]` || got["x"] == nil {
		t.Fatalf("normalized settings: %s", out)
	}
	for _, bad := range []string{`[]`, `null`, `{"color":"#fff"}`, `{"position":"middle"}`, `{"greeting":1}`,
		`{"allowed_origins":["ftp://x.example"]}`, `{"allowed_origins":["https://*"]}`, `{"allowed_origins":["https://a.example?q=1"]}`} {
		if _, err := CheckContactPointSettings(json.RawMessage(bad)); !livedesk.IsCode(err, livedesk.CodeInvalidInput) {
			t.Errorf("settings %s: err %v, want invalid_input", bad, err)
		}
	}
}

func TestAppearanceDefaults(t *testing.T) {
	cp := &livedesk.ContactPoint{Settings: json.RawMessage(`{"color":"nope","position":"left","title":5}`)}
	a := ParseWidgetSettings(cp).Appearance()
	if a.Color != DefaultWidgetColor || a.Position != "left" || a.Title != "" {
		t.Fatalf("appearance: %+v", a)
	}
}
