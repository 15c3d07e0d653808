package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"livedesk/internal/testkit"
)

// originRequest sends a request as a browser page of origin would (origin "" sends none).
// answer is what a test looks at of a response whose body was read.
type answer struct {
	StatusCode int
	Header     http.Header
}

func originRequest(t *testing.T, method, url, origin, token string, body any) (answer, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == http.MethodOptions {
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{StatusCode: resp.StatusCode, Header: resp.Header}, b
}

func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(body, &e)
	return e.Error.Code
}

// TestWidgetPreflight: every visitor path answers the browser's preflight from any site, and
// every answer of the visitor API, errors included, is readable cross-origin.
func TestWidgetPreflight(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	const site = "https://shop.example"
	for _, path := range []string{"/api/v1/widget/" + key + "/session", "/api/v1/widget/" + key + "/config",
		"/api/v1/widget/messages", "/api/v1/widget/offline", "/api/v1/widget/close"} {
		resp, _ := originRequest(t, http.MethodOptions, env.URL+path, site, "", nil)
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("OPTIONS %s: status %d, want 204", path, resp.StatusCode)
		}
		h := resp.Header
		if h.Get("Access-Control-Allow-Origin") != site || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("OPTIONS %s: CORS headers %v", path, h)
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("OPTIONS %s: credentials must not be allowed", path)
		}
	}
	// An error answer is readable too, so the widget can tell an invalid token from a network failure.
	resp, body := originRequest(t, http.MethodGet, env.URL+"/api/v1/widget/messages", site, "v1.1.1.1.forged", nil)
	if resp.StatusCode != http.StatusUnauthorized || errorCode(body) != "unauthenticated" {
		t.Fatalf("forged token: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != site || !strings.Contains(resp.Header.Get("Vary"), "Origin") {
		t.Errorf("401 answer lacks CORS headers: %v", resp.Header)
	}
	// Operator endpoints are not opened to other sites.
	resp, _ = originRequest(t, http.MethodGet, env.URL+"/api/v1/me", site, a.Admin.Token, nil)
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("operator API answered with CORS headers")
	}
}

// TestWidgetAllowedOrigins: with allowed origins set, only those sites (and requests without
// an Origin, and livedesk's own pages) may use the contact point, on every visitor endpoint.
func TestWidgetAllowedOrigins(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	id, key := a.ContactPoint("webchat")
	var cp struct {
		Settings map[string]any `json:"settings"`
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"settings": map[string]any{
		"allowed_origins": []string{"https://Shop.example:443/", "https://*.corp.example"}}}, &cp)
	got, _ := json.Marshal(cp.Settings["allowed_origins"])
	if string(got) != `["https://shop.example","https://*.corp.example"]` {
		t.Fatalf("stored origins %s, want normalized", got)
	}
	visitor := env.Visitor(key, "") // no Origin header: allowed
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"https://shop.example", true},
		{"https://a.corp.example", true},
		{"https://corp.example", false}, // the wildcard is for subdomains only
		{"http://shop.example", false},  // another scheme is another site
		{"https://shop.example.evil.test", false},
		{"https://evil.example", false},
		{"null", false},
		{env.URL, true}, // livedesk's own pages (the demo site)
	} {
		check := func(what string, resp answer, body []byte) {
			t.Helper()
			if tc.ok && resp.StatusCode/100 != 2 {
				t.Errorf("%s from %s: %d %s, want success", what, tc.origin, resp.StatusCode, body)
			}
			if !tc.ok && (resp.StatusCode != http.StatusForbidden || errorCode(body) != "forbidden") {
				t.Errorf("%s from %s: %d %s, want 403 forbidden", what, tc.origin, resp.StatusCode, body)
			}
		}
		resp, body := originRequest(t, "GET", env.URL+"/api/v1/widget/"+key+"/config", tc.origin, "", nil)
		check("config", resp, body)
		resp, body = originRequest(t, "POST", env.URL+"/api/v1/widget/"+key+"/session", tc.origin, "", map[string]any{})
		check("session", resp, body)
		resp, body = originRequest(t, "GET", env.URL+"/api/v1/widget/messages", tc.origin, visitor.Token, nil)
		check("messages", resp, body)
		resp, body = originRequest(t, "POST", env.URL+"/api/v1/widget/messages", tc.origin, visitor.Token,
			map[string]any{"client_id": testkit.Unique("o"), "text": "hello from " + tc.origin})
		check("send", resp, body)

		hdr := http.Header{"Origin": {tc.origin}}
		ws, wsResp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(env.URL, "http")+"/api/v1/widget/ws?token="+visitor.Token, hdr)
		if wsResp != nil {
			wsResp.Body.Close()
		}
		if tc.ok && err != nil {
			t.Errorf("ws from %s: %v", tc.origin, err)
		}
		if !tc.ok && (err == nil || wsResp == nil || wsResp.StatusCode != http.StatusForbidden) {
			t.Errorf("ws from %s: connected or wrong refusal (%v)", tc.origin, err)
		}
		if ws != nil {
			ws.Close()
		}
	}
	// Clearing the list opens the widget to every site again.
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"settings": map[string]any{"allowed_origins": nil}}, nil)
	resp, body := originRequest(t, "GET", env.URL+"/api/v1/widget/"+key+"/config", "https://evil.example", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("after clearing allowed origins: %d %s", resp.StatusCode, body)
	}
}

type widgetConfig struct {
	Online       bool `json:"online"`
	ContactPoint struct {
		Name     string         `json:"name"`
		Settings map[string]any `json:"settings"`
	} `json:"contact_point"`
}

// TestWidgetAppearance: appearance set through the admin API reaches the widget (config and
// session), with defaults, and never with the allowed origins; bad values are refused.
func TestWidgetAppearance(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	id, key := a.ContactPoint("webchat")
	anon := &testkit.Client{T: t, Base: env.URL}

	var cfg widgetConfig
	anon.Must("GET", "/api/v1/widget/"+key+"/config", nil, &cfg)
	if s := cfg.ContactPoint.Settings; s["color"] != "#2563eb" || s["position"] != "right" || s["title"] != "" {
		t.Fatalf("defaults: %v", s)
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"name": "Магазин", "settings": map[string]any{
		"color": "#0F766E", "title": "Чат магазина", "greeting": "Чем помочь?", "position": "left", "ask_email": true,
		"allowed_origins": []string{"https://shop.example"}, "custom": 1}}, nil)
	anon.Must("GET", "/api/v1/widget/"+key+"/config", nil, &cfg)
	want := map[string]any{"color": "#0f766e", "title": "Чат магазина", "greeting": "Чем помочь?", "position": "left",
		"ask_email": true, "ask_phone": false}
	for k, v := range want {
		if cfg.ContactPoint.Settings[k] != v {
			t.Errorf("config settings.%s = %v, want %v", k, cfg.ContactPoint.Settings[k], v)
		}
	}
	if len(cfg.ContactPoint.Settings) != len(want) || cfg.ContactPoint.Name != "Магазин" {
		t.Errorf("config contact point: %+v (must not expose allowed origins or other keys)", cfg.ContactPoint)
	}
	var sess struct {
		ContactPoint struct {
			Settings map[string]any `json:"settings"`
		} `json:"contact_point"`
	}
	anon.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{}, &sess)
	if sess.ContactPoint.Settings["title"] != "Чат магазина" || sess.ContactPoint.Settings["allowed_origins"] != nil {
		t.Errorf("session settings: %v", sess.ContactPoint.Settings)
	}
	// A merge patch: null removes a key, others stay.
	var cp struct {
		Settings map[string]any `json:"settings"`
	}
	a.Admin.Must("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"settings": map[string]any{"title": nil}}, &cp)
	if _, ok := cp.Settings["title"]; ok || cp.Settings["greeting"] != "Чем помочь?" || cp.Settings["custom"] != float64(1) {
		t.Errorf("after removing title: %v", cp.Settings)
	}
	for _, bad := range []map[string]any{
		{"color": "red"}, {"position": "top"}, {"title": strings.Repeat("я", 61)}, {"ask_email": "yes"},
		{"allowed_origins": []string{"shop.example"}}, {"allowed_origins": []string{"https://shop.example/path"}},
		{"allowed_origins": "https://shop.example"},
	} {
		r := a.Admin.Do("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"settings": bad})
		if r.Status != 400 || r.Code() != "invalid_input" {
			t.Errorf("settings %v: %d %s, want 400 invalid_input", bad, r.Status, r.Body)
		}
	}
	r := a.Admin.Do("POST", "/api/v1/admin/contact-points", map[string]any{"name": "x", "settings": map[string]any{"color": "#12345"}})
	if r.Status != 400 {
		t.Errorf("create with a bad colour: %d %s", r.Status, r.Body)
	}
	// Another account's contact point cannot be changed.
	b := env.NewAccount()
	if r := b.Admin.Do("PATCH", "/api/v1/admin/contact-points/"+id, map[string]any{"name": "mine"}); r.Status != 404 {
		t.Errorf("other account's contact point: %d %s", r.Status, r.Body)
	}
}

// TestWidgetOnlineAndOperator: the widget learns whether anyone is online, and the session
// names the operator of an assigned conversation.
func TestWidgetOnlineAndOperator(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	anon := &testkit.Client{T: t, Base: env.URL}
	var cfg widgetConfig
	anon.Must("GET", "/api/v1/widget/"+key+"/config", nil, &cfg)
	if cfg.Online {
		t.Fatal("a fresh account has nobody online")
	}
	op := a.Operator("Анна", "operator", 3, "available")
	anon.Must("GET", "/api/v1/widget/"+key+"/config", nil, &cfg)
	if !cfg.Online {
		t.Fatal("an available operator is online")
	}
	v := env.Visitor(key, "")
	v.Say("привет")
	var sess struct {
		Online       bool `json:"online"`
		Conversation struct {
			State    string `json:"state"`
			Operator struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"operator"`
		} `json:"conversation"`
	}
	v.Must("POST", "/api/v1/widget/"+key+"/session", map[string]any{"visitor_token": v.Token}, &sess)
	if !sess.Online || sess.Conversation.State != "assigned" || sess.Conversation.Operator.Name != "Анна" || sess.Conversation.Operator.ID != op.ID {
		t.Fatalf("session: %+v", sess)
	}
	op.SetStatus("offline")
	anon.Must("GET", "/api/v1/widget/"+key+"/config", nil, &cfg)
	if cfg.Online {
		t.Fatal("offline operator counted as online")
	}
}

// TestWidgetOfflineForm: the offline form's message becomes a queued conversation the team
// sees, with the visitor's name and contact; it needs a contact and is idempotent.
func TestWidgetOfflineForm(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	v := env.Visitor(key, "")
	if r := v.Do("POST", "/api/v1/widget/offline", map[string]any{"client_id": "off-0", "name": "Мария", "text": "есть?"}); r.Status != 400 {
		t.Fatalf("without a contact: %d %s", r.Status, r.Body)
	}
	body := map[string]any{"client_id": "off-1", "name": "Мария", "email": "maria@example.com", "text": "Есть ли улун в наличии?"}
	var m1, m2 testkit.Message
	v.Must("POST", "/api/v1/widget/offline", body, &m1)
	v.Must("POST", "/api/v1/widget/offline", body, &m2)
	if m1.ID == "" || m1.ID != m2.ID || m1.Author.Name != "Мария" || m1.Text != "Есть ли улун в наличии?" {
		t.Fatalf("offline message %+v, repeat %+v", m1, m2)
	}
	queued, _ := a.Admin.List("state=queued")
	if len(queued) != 1 || queued[0].ID != m1.ConversationID || queued[0].Visitor.DisplayName != "Мария" {
		t.Fatalf("queue: %+v", queued)
	}
	var page struct {
		Items []testkit.Message `json:"items"`
	}
	a.Admin.Must("GET", "/api/v1/conversations/"+m1.ConversationID+"/messages", nil, &page)
	if len(page.Items) != 2 || page.Items[0].Kind != "comment" || !strings.Contains(page.Items[0].Text, "maria@example.com") {
		t.Fatalf("history: %+v", page.Items)
	}
	// The contact note is for the team only.
	var visitorPage struct {
		Items []testkit.Message `json:"items"`
	}
	v.Must("GET", "/api/v1/widget/messages", nil, &visitorPage)
	if len(visitorPage.Items) != 1 || visitorPage.Items[0].ID != m1.ID {
		t.Fatalf("the visitor sees %+v", visitorPage.Items)
	}
	// The team comes back: the conversation is routed and the visitor gets the reply.
	op := a.Operator("Борис", "operator", 3, "available")
	if got := a.Admin.Conversation(m1.ConversationID); got.State != "assigned" || got.AssigneeID != op.ID {
		t.Fatalf("after an operator came back: %+v", got)
	}
}

// TestDemoPage: /demo installs the widget of a webchat key and is 404 without one.
func TestDemoPage(t *testing.T) {
	env := testkit.Start(t)
	a := env.NewAccount()
	_, key := a.ContactPoint("webchat")
	resp, body := originRequest(t, "GET", env.URL+"/demo?key="+key, "", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `src="/widget.js?key=`+key+`"`) {
		t.Fatalf("demo page: %d %s", resp.StatusCode, body)
	}
	resp, _ = originRequest(t, "GET", env.URL+"/demo", "", "", nil) // no demo account here
	if resp.StatusCode != 404 {
		t.Fatalf("demo without a demo account: %d", resp.StatusCode)
	}
}
