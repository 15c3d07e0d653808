package testkit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Refusal is one request body an endpoint must refuse, with the answer it must give.
type Refusal struct {
	Name   string
	Body   []byte
	Status int
	Code   string
}

// Refused is a Refusal: the body, named for failure messages, must be answered with the
// status and error code.
func Refused(name string, body []byte, status int, code string) Refusal {
	return Refusal{Name: name, Body: body, Status: status, Code: code}
}

// JSON marshals v (for bodies with long or odd texts) or panics: v is the test's own value.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Cyrillic is n Cyrillic characters (2 bytes each in UTF-8).
func Cyrillic(n int) string { return strings.Repeat("ж", n) }

// hugeBody is a body one byte over the 1 MiB limit of JSON bodies.
func hugeBody() []byte {
	b := bytes.Repeat([]byte(" "), 1<<20+1)
	copy(b, `{"text":"hi"}`)
	return b
}

// MalformedBodies are bodies every JSON endpoint refuses the same way: broken JSON, not an
// object, an unknown field, invalid UTF-8, over 1 MiB.
func MalformedBodies() []Refusal {
	return []Refusal{
		{"truncated JSON", []byte(`{"text": "hi"`), 400, "invalid_input"},
		{"not JSON", []byte(`text=hi`), 400, "invalid_input"},
		{"two values", []byte(`{} {}`), 400, "invalid_input"},
		{"trailing garbage", []byte(`{}x`), 400, "invalid_input"},
		{"array", []byte(`[]`), 400, "invalid_input"},
		{"string", []byte(`"hi"`), 400, "invalid_input"},
		{"number", []byte(`42`), 400, "invalid_input"},
		{"unknown field", []byte(`{"colour":"red"}`), 400, "invalid_input"},
		{"invalid UTF-8 in a value", []byte("{\"text\":\"\xff\xfe\"}"), 400, "invalid_input"},
		{"invalid UTF-8 in a key", []byte("{\"te\xc3xt\":\"hi\"}"), 400, "invalid_input"},
		{"overlong UTF-8", []byte("{\"text\":\"\xc0\xaf\"}"), 400, "invalid_input"},
		{"body over 1 MiB", hugeBody(), 413, "too_large"},
	}
}

// BadTexts are the text and client_id fields every message-like endpoint refuses; extra
// fields are added to each body.
func BadTexts(extra map[string]any) []Refusal {
	with := func(kv map[string]any) []byte {
		m := map[string]any{"client_id": Unique("bad")}
		for k, v := range extra {
			m[k] = v
		}
		for k, v := range kv {
			m[k] = v
		}
		return JSON(m)
	}
	return []Refusal{
		{"no text", with(nil), 400, "invalid_input"},
		{"empty text", with(map[string]any{"text": ""}), 400, "invalid_input"},
		{"null text", with(map[string]any{"text": nil}), 400, "invalid_input"},
		{"whitespace-only text", with(map[string]any{"text": " \t\n\r\u00a0 \u3000"}), 400, "invalid_input"},
		{"10,001 characters", with(map[string]any{"text": Cyrillic(10001)}), 400, "invalid_input"},
		{"NUL in text", with(map[string]any{"text": "a\x00b"}), 400, "invalid_input"},
		{"text is a number", with(map[string]any{"text": 5}), 400, "invalid_input"},
		{"text is a list", with(map[string]any{"text": []string{"a"}}), 400, "invalid_input"},
		{"client_id is a number", with(map[string]any{"client_id": 5, "text": "hi"}), 400, "invalid_input"},
		{"client_id too long", with(map[string]any{"client_id": strings.Repeat("x", 65), "text": "hi"}), 400, "invalid_input"},
		{"client_id with a space", with(map[string]any{"client_id": "a b", "text": "hi"}), 400, "invalid_input"},
		{"client_id not ASCII", with(map[string]any{"client_id": "ключ", "text": "hi"}), 400, "invalid_input"},
		{"unknown field", with(map[string]any{"text": "hi", "colour": "red"}), 400, "invalid_input"},
	}
}

// Refuse sends every refusal to method path as c and checks each answer (status, code and a
// message for people), then that snapshot did not change. Comparing once per call keeps a
// test fast; when something did change, the refusals are sent again one at a time to name
// the request that stored something.
func Refuse(t testing.TB, snapshot func() string, c *Client, method, path string, cases []Refusal) {
	t.Helper()
	before := snapshot()
	send := func(rc Refusal) {
		t.Helper()
		r := c.Raw(method, path, rc.Body)
		if r.Status != rc.Status || r.Code() != rc.Code {
			t.Errorf("%s %s, %s: %d %s, want %d %s", method, path, rc.Name, r.Status, r.Body, rc.Status, rc.Code)
		}
		var e struct {
			Error struct{ Message string }
		}
		if json.Unmarshal(r.Body, &e) != nil || e.Error.Message == "" {
			t.Errorf("%s %s, %s: no clear error message: %s", method, path, rc.Name, r.Body)
		}
	}
	for _, rc := range cases {
		send(rc)
	}
	after := snapshot()
	if after == before {
		return
	}
	t.Errorf("%s %s: refused requests changed data:\nbefore: %s\nafter:  %s", method, path, before, after)
	for _, rc := range cases {
		before = snapshot()
		send(rc)
		if snapshot() != before {
			t.Errorf("%s %s, %s: this refused request changed data", method, path, rc.Name)
		}
	}
}
